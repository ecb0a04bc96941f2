// Screenshots of the shopper's account pages and the merchant's
// customers pages, against a running souk (make run):
//
//   node account_shots.mjs http://surf.localhost:PORT OUTDIR
//
// For looking at the pages, not a test: it asserts nothing but that
// each page answers.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const base = process.argv[2] || 'http://surf.localhost:8080';
const out = process.argv[3] || 'build/screenshots/account';
const admin = process.argv[4] || '';	/* "email:password" of the owner */
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const email = `shopper${Date.now().toString(36)}@example.com`;
try {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 },
	    locale: process.env.LOCALE || 'en-US' });
	const page = await ctx.newPage();
	const shot = async (name) => page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
	const go = async (path) => {
		const r = await page.goto(base + path);
		if (r.status() >= 500)
			throw new Error(`${path}: ${r.status()}`);
	};
	await go('/account/register');
	await shot('01-register');
	await page.fill('input[name=email]', 'not an address');
	await page.fill('input[name=password]', 'short');
	await page.click('form[action="/account/register"] button[type=submit]');
	await shot('02-register-errors');
	await page.fill('input[name=name]', 'Ann Example');
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', 'correct horse battery');
	await page.click('form[action="/account/register"] button[type=submit]');
	await shot('03-login-registered');
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', 'wrong password');
	await page.click('form[action="/account/login"] button[type=submit]');
	await shot('04-login-wrong');
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', 'correct horse battery');
	await page.click('form[action="/account/login"] button[type=submit]');
	await shot('05-profile');
	await go('/account/addresses');
	await shot('06-addresses-empty');
	await go('/account/addresses/new');
	await page.click('form[action="/account/addresses"] button.primary');
	await shot('07-address-errors');
	await page.fill('input[name=name]', 'Ann Example');
	await page.fill('input[name=line1]', '1 Ocean Drive');
	await page.fill('input[name=city]', 'Santa Cruz');
	await page.fill('input[name=region]', 'CA');
	await page.fill('input[name=postcode]', '95060');
	await page.selectOption('select[name=country]', 'US');
	await page.click('form[action="/account/addresses"] button.primary');
	await go('/account/addresses/new');
	await page.fill('input[name=name]', 'Ann at work');
	await page.fill('input[name=company]', 'Surf Co');
	await page.fill('input[name=line1]', '200 Pacific Ave');
	await page.fill('input[name=city]', 'Santa Cruz');
	await page.fill('input[name=postcode]', '95060');
	await page.selectOption('select[name=country]', 'US');
	await page.click('form[action="/account/addresses"] button.primary');
	await shot('08-addresses');
	await go('/account/delete');
	await shot('09-delete');
	await go('/');
	await shot('10-home-signed-in');
	const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	const p2 = await ctx2.newPage();
	await p2.goto(base + '/account/reset');
	await p2.screenshot({ path: `${out}/11-reset.png`, fullPage: true });
	await p2.fill('input[name=email]', email);
	await p2.click('form[action="/account/reset"] button.primary');
	await p2.screenshot({ path: `${out}/12-reset-sent.png`, fullPage: true });
	await p2.goto(base + '/account/reset/' + 'f'.repeat(64));
	await p2.screenshot({ path: `${out}/13-reset-gone.png`, fullPage: true });
	await p2.goto(base + '/');
	await p2.screenshot({ path: `${out}/14-home-anon.png` });
	const mobile = await browser.newContext({ viewport: { width: 390, height: 844 } });
	const p3 = await mobile.newPage();
	await p3.goto(base + '/account/login');
	await p3.fill('input[name=email]', email);
	await p3.fill('input[name=password]', 'correct horse battery');
	await p3.click('form[action="/account/login"] button[type=submit]');
	await p3.screenshot({ path: `${out}/15-profile-mobile.png`, fullPage: true });
	if (admin) {
		const [ae, ap] = admin.split(':');
		const p4 = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
		await p4.goto(base + '/admin/login');
		await p4.fill('input[name=email]', ae);
		await p4.fill('input[name=password]', ap);
		await p4.click('form[action="/admin/login"] button.primary');
		await p4.goto(base + '/admin/customers');
		await p4.screenshot({ path: `${out}/16-admin-customers.png`, fullPage: true });
		await p4.click('table.list a');
		await p4.screenshot({ path: `${out}/17-admin-customer.png`, fullPage: true });
	}
} finally {
	await browser.close();
}
