// Screenshots of the operator console's API keys page, against a
// running souk (make run):
//
//   node opkeys_shots.mjs http://localhost:PORT OUTDIR [EMAIL:PASSWORD]
//
// For looking at the page, not a test: it asserts nothing but that
// each page answers.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const base = process.argv[2] || 'http://localhost:8080';
const out = process.argv[3] || 'build/screenshots/opkeys';
const [email, password] = (process.argv[4] ||
    'operator@souk.example:souk-operator-password').split(':');
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
	for (const width of [1280, 390]) {
		const ctx = await browser.newContext({ viewport: { width, height: 900 },
		    locale: process.env.LOCALE || 'en-US' });
		const page = await ctx.newPage();
		const shot = async (name) => page.screenshot({
		    path: `${out}/${name}-${width}.png`, fullPage: true });
		await page.goto(base + '/login');
		await page.fill('input[name=email]', email);
		await page.fill('input[name=password]', password);
		await page.click('form[action="/login"] button[type=submit]');
		await page.goto(base + '/operator/api-keys');
		await shot('01-empty-or-list');
		await page.fill('input[name=description]', `CI deploys (${width})`);
		await page.click('form[action="/operator/api-keys"] button[type=submit]');
		await shot('02-created');
		await ctx.close();
	}
} finally {
	await browser.close();
}
