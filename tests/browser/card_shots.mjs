// A guest pays by card in a real browser (Debian's Chromium driven by
// playwright-core): the checkout with "Card" chosen, the Stripe
// stand-in's hosted page, "Cancel" there (the order's page says the
// payment was not made and offers to pay), "Try again" back to the
// hosted page, "Pay", and the confirmation page, which says it waits
// until the webhook arrives, then that the payment is confirmed.
// Screenshots of each page go to the folder given as second argument.
//
//   node card_shots.mjs http://SHOP.localhost:PORT OUTDIR
//
// Prints "browser-card: ok ORDER" at the end; exits non-zero with a
// message on the first step that fails.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const shop = new URL(process.argv[2] || 'http://bakery.localhost:8080');
const out = process.argv[3] || 'build/screenshots/card';
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync'],
});
const errors = [];
function check(cond, what) {
	if (!cond) throw new Error('browser-card: ' + what);
}
async function shot(page, name) {
	await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
}
async function submit(page, selector) {
	await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

try {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 },
	    locale: 'en-GB' });
	const page = await ctx.newPage();
	page.on('pageerror', (e) => errors.push(String(e)));

	await page.goto(shop.href);
	const links = await page.$$eval('ul.grid a', (as) => as.map((a) => a.href));
	check(links.length > 0, 'no product on the home page');
	await page.goto(links[0]);
	await submit(page, 'form.addcart button[type=submit]');
	check(page.url().endsWith('/cart'), 'adding did not lead to the cart');
	await submit(page, 'a.button.primary[href="/checkout"]');
	await page.fill('input[name=email]', 'gast@example.com');
	await page.fill('input[name=ship_name]', 'Käthe Kruse');
	await page.fill('input[name=ship_line1]', 'Heidestraße 17');
	await page.fill('input[name=ship_postcode]', '50667');
	await page.fill('input[name=ship_city]', 'Köln');
	await page.selectOption('select[name=ship_country]', 'DE');
	await submit(page, 'form.checkout button[type=submit]');
	await page.check('input[name=method_id] >> nth=0');
	const card = await page.$('input[name=payment][value=card]');
	check(card, 'card payment is not offered');
	await card.check();
	await shot(page, 'checkout-shipping');
	await submit(page, 'form.checkout button[type=submit]');
	check(page.url().endsWith('/checkout/review'), 'no review page: ' + page.url());
	await shot(page, 'checkout-review');
	await submit(page, 'form.place button[type=submit]');
	check(page.url().includes('/pay/cs_test_'), 'not sent to the payment page: ' + page.url());
	await shot(page, 'stripe-page');

	// Cancelled on the hosted page: back to the order, not paid.
	await submit(page, '#cancel');
	check(page.url().includes('pay=cancelled'), 'cancel did not come back: ' + page.url());
	const number = (await page.textContent('.ordernum')).trim();
	check(/^\d+$/.test(number), 'no order number');
	check((await page.textContent('section#payment')).includes('Your payment was not made'),
	    'no "not paid" message');
	await shot(page, 'done-cancelled');

	// Try again: the same hosted page (the session is still open), Pay.
	await submit(page, 'section#payment button[type=submit]');
	check(page.url().includes('/pay/cs_test_'), 'no payment page again: ' + page.url());
	await submit(page, '#pay');
	check(page.url().includes(`/checkout/done/${number}`) && page.url().includes('session_id=cs_test_'),
	    'Pay did not come back to the confirmation: ' + page.url());
	const first = await page.textContent('section#payment');
	if (first.includes('waiting for your payment confirmation'))
		await shot(page, 'done-waiting');
	// The webhook is on its way: reload until it has arrived.
	let paid = false;
	for (let i = 0; i < 50 && !paid; i++) {
		if ((await page.textContent('section#payment')).includes('Your payment is confirmed')) {
			paid = true;
			break;
		}
		await new Promise((r) => setTimeout(r, 200));
		await page.reload();
	}
	check(paid, 'the confirmation never said the payment is confirmed');
	await shot(page, 'done-paid');
	check(errors.length === 0, 'errors in the page: ' + errors.join('; '));
	console.log('browser-card: ok ' + number);
} finally {
	await browser.close();
}
