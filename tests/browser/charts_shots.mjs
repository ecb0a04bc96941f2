// Screenshots of the dashboard's charts and of the storefront's "Best
// sellers" and "Customers also bought" on a running souk (make run,
// some orders, then soukctl shop also-bought SLUG): the dashboard at
// 1280 and 390 px wide, the home page, and the page of the product
// given (a slug), in the shop's language.
//
//   node charts_shots.mjs http://bakery.localhost:8080 OUTDIR PREFIX \
//       [owner@bakery.example] [souk-demo-password] [PRODUCT_SLUG]
//
// LANG_TAG=de-DE (or ja-JP) picks the browser's language.
// Look at the PNGs: ticks, labels and bars readable at both widths.
import { chromium } from 'playwright-core';

const [base, out, prefix = 'shop', email = 'owner@bakery.example',
	password = 'souk-demo-password', product] = process.argv.slice(2);
if (!base || !out) {
	console.error('usage: node charts_shots.mjs BASE_URL OUTDIR PREFIX [EMAIL PASSWORD PRODUCT]');
	process.exit(2);
}
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
});
try {
	// The admin speaks the browser's language (Accept-Language).
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 },
	    locale: process.env.LANG_TAG || 'en-US' });
	await page.goto(base + '/admin/login');
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit].primary')]);
	if (!page.url().endsWith('/admin'))
		throw new Error('login did not land on the dashboard: ' + page.url());
	await page.screenshot({ path: `${out}/${prefix}-dashboard-1280.png`, fullPage: true });
	await page.setViewportSize({ width: 390, height: 844 });
	await page.screenshot({ path: `${out}/${prefix}-dashboard-390.png`, fullPage: true });
	await (await page.$('.charts')).screenshot({ path: `${out}/${prefix}-charts-390.png` });
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(base + '/');
	await page.screenshot({ path: `${out}/${prefix}-home.png`, fullPage: true });
	if (product) {
		await page.goto(`${base}/p/${product}`);
		await page.screenshot({ path: `${out}/${prefix}-product.png`, fullPage: true });
	}
	console.log('charts shots: ok');
} finally {
	await browser.close();
}
