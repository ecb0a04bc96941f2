// A guest buys in a real browser (Debian's Chromium driven by
// playwright-core): the product page's variant picker and add-to-cart
// form, the cart (quantity changed, a coupon), the three checkout steps
// (address with the country menu, shipping and payment, review), the
// order placed, the confirmation with the payment instructions. No
// JavaScript of souk's is involved: every step is a plain form.
// Screenshots of each page go to the folder given as second argument.
//
//   node checkout.mjs http://SHOP.localhost:PORT OUTDIR [COUPON]
//
// Prints "browser-checkout: ok ORDER" at the end; exits non-zero with a
// message on the first step that fails.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const shop = new URL(process.argv[2] || 'http://bakery.localhost:8080');
const out = process.argv[3] || 'build/screenshots';
const coupon = process.argv[4] || '';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync'],
});
const errors = [];
function check(cond, what) {
	if (!cond) throw new Error('browser-checkout: ' + what);
}
async function shot(page, name) {
	await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
}
async function submit(page, selector) {
	await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

try {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 },
	    locale: 'de-DE' });
	const page = await ctx.newPage();
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('console', (m) => {
		// The empty address form is a 422 on purpose.
		if (m.type() === 'error' && !m.text().includes('status of 422'))
			errors.push(m.text());
	});

	// The first product with options, else the first product.
	await page.goto(shop.href);
	const links = await page.$$eval('ul.grid a', (as) => as.map((a) => a.href));
	check(links.length > 0, 'no product on the home page');
	let chosen = null;
	for (const href of links.slice(0, 12)) {
		await page.goto(href);
		if (await page.$('select[name=variant_id]')) {
			chosen = href;
			break;
		}
	}
	if (chosen === null)
		await page.goto(links[0]);
	const select = await page.$('select[name=variant_id]');
	if (select) {
		const values = await page.$$eval('select[name=variant_id] option:not([disabled])',
		    (os) => os.map((o) => o.value).filter((v) => v));
		check(values.length > 0, 'every option is out of stock');
		await page.selectOption('select[name=variant_id]', values[values.length > 1 ? 1 : 0]);
	}
	await page.fill('input[name=qty]', '2');
	await shot(page, 'product');
	await submit(page, 'form.addcart button[type=submit]');
	check(page.url().endsWith('/cart'), 'adding did not lead to the cart: ' + page.url());
	check(await page.isVisible('.cartcount'), 'no item count in the header');
	if (coupon) {
		await page.fill('input[name=coupon]', coupon);
		await submit(page, 'form.coupon button[type=submit]');
		check(await page.isVisible('form.coupon .flash'), 'the coupon was not applied');
	}
	await shot(page, 'cart');

	await submit(page, 'a.button.primary[href="/checkout"]');
	// Sent empty first: every required field says what it needs.
	await submit(page, 'form.checkout button[type=submit]');
	check(await page.isVisible('.ferr'), 'no message beside the empty fields');
	await shot(page, 'checkout-errors');
	await page.fill('input[name=email]', 'gast@example.com');
	await page.fill('input[name=ship_name]', 'Käthe Kruse');
	await page.fill('input[name=ship_line1]', 'Heidestraße 17');
	await page.fill('input[name=ship_postcode]', '50667');
	await page.fill('input[name=ship_city]', 'Köln');
	await page.selectOption('select[name=ship_country]', 'DE');
	await shot(page, 'checkout');
	await submit(page, 'form.checkout button[type=submit]');
	check(page.url().endsWith('/checkout/shipping'), 'the address was not taken: ' + page.url());
	await page.check('input[name=method_id] >> nth=0');
	const bacs = await page.$('input[name=payment][value=bacs]');
	check(bacs, 'bank transfer is not offered');
	await bacs.check();
	await shot(page, 'checkout-shipping');
	await submit(page, 'form.checkout button[type=submit]');
	check(page.url().endsWith('/checkout/review'), 'no review page: ' + page.url());
	await shot(page, 'checkout-review');
	await submit(page, 'form.place button[type=submit]');
	check(page.url().includes('/checkout/done/'), 'no confirmation: ' + page.url());
	const number = (await page.textContent('.ordernum')).trim();
	check(/^\d+$/.test(number), 'no order number');
	check(await page.isVisible('section.pay'), 'no payment instructions');
	check(await page.isVisible('form.register'), 'no account form for a guest');
	await shot(page, 'checkout-done');
	// The browser's back button and the form sent again: the same order.
	await page.goBack();
	if (page.url().endsWith('/checkout/review') && await page.$('form.place')) {
		await submit(page, 'form.place button[type=submit]');
		check(!page.url().includes(`/checkout/done/${Number(number) + 1}`),
		    'a second order was placed');
	}
	check(errors.length === 0, 'errors in the page: ' + errors.join('; '));
	console.log('browser-checkout: ok ' + number);
} finally {
	await browser.close();
}
