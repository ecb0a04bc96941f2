// Screenshots of the admin's bar and the settings' sub-navigation
// (settings, API keys, webhooks) at 1280 and 800 px:
//
//   node adminnav_shots.mjs BASE OUTDIR EMAIL PASSWORD
//
// Prints each page's bar height: the bar must keep to its rows.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [base, out, email, password] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
	for (const width of [1280, 800]) {
		const ctx = await browser.newContext({ viewport: { width, height: 700 },
		    locale: 'en-US' });
		const page = await ctx.newPage();
		await page.goto(base + '/admin/login');
		await page.fill('input[name=email]', email);
		await page.fill('input[name=password]', password);
		await page.click('form[action="/admin/login"] button[type=submit]');
		await page.waitForLoadState('load');
		for (const [name, path] of [['dashboard', '/admin'],
		    ['settings', '/admin/settings'], ['api-keys', '/admin/api-keys'],
		    ['webhooks', '/admin/webhooks']]) {
			const r = await page.goto(base + path);
			if (r.status() !== 200)
				throw new Error(`${path}: ${r.status()}`);
			const nav = await page.$eval('.adminnav', (e) => ({
			    h: e.getBoundingClientRect().height,
			    sub: document.querySelectorAll('.subnav a').length }));
			console.log(`${name} ${width} nav-height ${nav.h} subnav ${nav.sub}`);
			await page.screenshot({ path: `${out}/${name}-${width}.png` });
		}
		await ctx.close();
	}
	console.log('adminnav-shots: ok');
} finally {
	await browser.close();
}
