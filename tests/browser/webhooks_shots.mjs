// Screenshots of the admin's webhooks (web/admin_webhooks.c) at 1280 px:
// the list (with a webhook's last deliveries, one disabled with its
// note), a webhook's page, and the form refusing a private address.
//
//   node webhooks_shots.mjs http://SHOP.localhost:PORT OUTDIR EMAIL PASSWORD
//
// Prints "webhooks shots: ok" at the end.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const base = process.argv[2];
const out = process.argv[3] || 'build/screenshots/webhooks';
const email = process.argv[4];
const password = process.argv[5] || 'correct horse battery';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync'],
});
try {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 },
	    locale: 'en-GB' });
	const page = await ctx.newPage();
	await page.goto(base + '/admin/login');
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit].primary')]);
	await page.goto(base + '/admin/webhooks');
	await page.screenshot({ path: `${out}/admin-webhooks.png`, fullPage: true });
	await Promise.all([page.waitForNavigation(),
	    page.click('table.list a[href^="/admin/webhooks/"]')]);
	await page.screenshot({ path: `${out}/admin-webhook.png`, fullPage: true });
	await page.goto(base + '/admin/webhooks/new');
	await page.fill('input[name=name]', 'Warehouse');
	await page.fill('input[name=delivery_url]', 'http://10.0.0.8/hook');
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit].primary')]);
	await page.screenshot({ path: `${out}/admin-webhook-refused.png`, fullPage: true });
	console.log('webhooks shots: ok');
} finally {
	await browser.close();
}
