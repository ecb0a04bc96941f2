// Screenshots of the merchant's order pages on a running souk (make
// run): the dashboard, the orders list, the newest order's page, its
// invoice once paid and its packing slip, and that order's page as its guest sees it (when the
// key is given).
//
//   node orders_shots.mjs http://bakery.localhost:8080 OUTDIR \
//       [owner@bakery.example] [souk-demo-password] [NUMBER KEY]
//
// Look at the PNGs: nothing bare, nothing cut, every text readable.
import { chromium } from 'playwright-core';

const [base, out, email = 'owner@bakery.example',
	password = 'souk-demo-password', number, key] = process.argv.slice(2);
if (!base || !out) {
	console.error('usage: node orders_shots.mjs BASE_URL OUTDIR [EMAIL PASSWORD NUMBER KEY]');
	process.exit(2);
}
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
});
try {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	await page.goto(base + '/admin/login');
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit].primary')]);
	if (!page.url().endsWith('/admin'))
		throw new Error('login did not land on the dashboard: ' + page.url());
	await page.screenshot({ path: `${out}/admin-dashboard.png`, fullPage: true });
	await page.goto(base + '/admin/orders');
	await page.screenshot({ path: `${out}/admin-orders.png`, fullPage: true });
	const first = await page.$('table.orders a');
	if (first) {
		await Promise.all([page.waitForNavigation(), first.click()]);
		await page.screenshot({ path: `${out}/admin-order.png`, fullPage: true });
		const order = page.url();
		if (await page.$('a[href$="/invoice"]')) {
			await Promise.all([page.waitForNavigation(),
			    page.click('a[href$="/invoice"]')]);
			await page.screenshot({ path: `${out}/admin-invoice.png`, fullPage: true });
			await page.goto(order);
		}
		await Promise.all([page.waitForNavigation(),
		    page.click('a[href$="/packing-slip"]')]);
		await page.screenshot({ path: `${out}/admin-packing-slip.png`, fullPage: true });
		await page.emulateMedia({ media: 'print' });
		await page.screenshot({ path: `${out}/admin-packing-slip-print.png`, fullPage: true });
		await page.emulateMedia({ media: 'screen' });
	}
	if (number && key) {
		await page.goto(`${base}/order/${number}?key=${key}`);
		await page.screenshot({ path: `${out}/guest-order.png`, fullPage: true });
	}
	console.log('orders shots: ok');
} finally {
	await browser.close();
}
