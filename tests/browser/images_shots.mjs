// Screenshots of a product's images on a running souk (make run): the
// admin's image editor (upload, order, alt texts per language) of the
// first product, and its storefront page with the gallery, first with
// the main image, then with the second chosen (?image=2).
//
//   node images_shots.mjs http://bakery.localhost:8080 OUTDIR \
//       [owner@bakery.example] [souk-demo-password]
//
// Look at the PNGs: nothing bare, nothing cut, every text readable.
import { chromium } from 'playwright-core';

const [base, out, email = 'owner@bakery.example',
	password = 'souk-demo-password'] = process.argv.slice(2);
if (!base || !out) {
	console.error('usage: node images_shots.mjs BASE_URL OUTDIR [EMAIL PASSWORD]');
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
	await page.goto(base + '/admin/products');
	const href = await page.$eval('table a[href^="/admin/products/"]',
	    (a) => a.getAttribute('href'));
	await page.goto(base + href + '#images');
	const sec = await page.$('section#images');
	await sec.screenshot({ path: `${out}/admin-images.png` });
	await page.screenshot({ path: `${out}/admin-product.png`, fullPage: true });
	const slug = await page.$eval('input[name=slug]', (i) => i.value);
	await page.goto(`${base}/p/${slug}`);
	await page.screenshot({ path: `${out}/product-gallery.png` });
	await page.goto(`${base}/p/${slug}?image=2`);
	await page.screenshot({ path: `${out}/product-gallery-2.png` });
	console.log('images-shots: ok');
} finally {
	await browser.close();
}
