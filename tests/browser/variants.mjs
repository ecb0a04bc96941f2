// The variant editor in a real browser (Debian's Chromium driven by
// playwright-core): the merchant logs in, creates the attributes Size
// (S, M, L) and Colour (Blue, Red) with German names, ticks values on a
// product's variant page and generates its variants, sends a sale price
// above the price (refused beside its variant), then a right one; the
// shop's product page and its card on the home page show the sales
// struck through (the test puts the product itself on sale). No JavaScript of
// souk's is involved. Screenshots go to the folder given second.
//
//   node variants.mjs http://SHOP.localhost:PORT OUTDIR EMAIL PASSWORD PID
//
// Prints "browser-variants: ok N" (N variants) at the end; exits
// non-zero with a message on the first step that fails.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const shop = new URL(process.argv[2]);
const out = process.argv[3] || 'build/screenshots/variants';
const email = process.argv[4];
const password = process.argv[5];
const pid = process.argv[6];
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync'],
});
const errors = [];
function check(cond, what) {
	if (!cond) throw new Error('browser-variants: ' + what);
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
	page.on('console', (m) => {
		// The refused sale price is a 422 on purpose.
		if (m.type() === 'error' && !m.text().includes('status of 422'))
			errors.push(m.text());
	});

	await page.goto(new URL('/admin/login', shop).href);
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', password);
	await submit(page, 'form button[type=submit]');
	check(!page.url().endsWith('/login'), 'login failed');

	// The attributes and their values, named in English and German.
	const attrs = [['Size', 'Größe', [['S', 'S'], ['M', 'M'], ['L', 'L']]],
	    ['Colour', 'Farbe', [['Blue', 'Blau'], ['Red', 'Rot']]]];
	await page.goto(new URL('/admin/attributes', shop).href);
	for (const [en, de, values] of attrs) {
		await page.fill('#new-attribute input[name=name_en]', en);
		await page.fill('#new-attribute input[name=name_de]', de);
		await submit(page, '#new-attribute button[type=submit]');
		for (const [ven, vde] of values) {
			const form = `section.attr[data-slug=${en.toLowerCase()}] form.addvalue`;
			await page.fill(`${form} input[name=name_en]`, ven);
			await page.fill(`${form} input[name=name_de]`, vde);
			await submit(page, `${form} button[type=submit]`);
		}
	}
	check(await page.isVisible('text=Colour'), 'no Colour on the attributes page');
	await shot(page, 'attributes');

	// Tick every value, generate.
	await page.goto(new URL(`/admin/products/${pid}/variants`, shop).href);
	await shot(page, 'variants-empty');
	for (const box of await page.$$('form.picker input[type=checkbox]'))
		await box.check();
	await submit(page, 'form.picker button[value=generate]');
	const rows = await page.$$('table.vtable tbody tr:not(.rowerr)');
	check(rows.length === 6, `${rows.length} variants, not 6`);
	await shot(page, 'variants');

	// A sale price above the price: refused beside the variant.
	const ids = await page.$$eval('input[name=variant]', (is) => is.map((i) => i.value));
	await page.fill(`input[name=sale_price_${ids[0]}]`, '99.00');
	await page.fill(`input[name=sku_${ids[0]}]`, 'CAP-S-BLUE');
	await page.fill(`input[name=stock_${ids[0]}]`, '7');
	await submit(page, 'form.variants button.primary');
	check(await page.isVisible('tr.rowerr .ferr'), 'no message beside the variant');
	check(await page.isVisible('[aria-invalid=true]'), 'the field is not marked');
	await shot(page, 'variants-error');
	await page.fill(`input[name=sale_price_${ids[0]}]`, '2.00');
	await submit(page, 'form.variants button.primary');
	check(!(await page.isVisible('tr.rowerr')), 'the right sale price was refused');
	check(await page.inputValue(`input[name=sku_${ids[0]}]`) === 'CAP-S-BLUE',
	    'the SKU was not kept');
	await shot(page, 'variants-saved');

	// The shop's product page: the variant menu shows the sale.
	const slug = await page.$eval('nav.crumbs a[href^="/admin/products/"]',
	    (a) => a.textContent);
	await page.goto(new URL(`/admin/products/${pid}`, shop).href);
	const pslug = await page.inputValue('input[name=slug]');
	await page.goto(new URL(`/p/${pslug}`, shop).href);
	const menu = await page.textContent('select[name=variant_id]');
	check(/was/.test(menu), 'the variant menu shows no sale: ' + menu + slug);
	check(await page.isVisible('.price.big del.was'), 'no struck-through price');
	await page.selectOption('select[name=variant_id]', ids[0]);
	await shot(page, 'product');
	await page.goto(shop.href);
	check(await page.isVisible('li.card .price.sale del.was'),
	    'no sale on the home page\'s card');
	await shot(page, 'home');
	check(errors.length === 0, 'errors in the page: ' + errors.join('; '));
	console.log(`browser-variants: ok ${rows.length}`);
} catch (e) {
	console.error(String(e && e.stack || e));
	await browser.close();
	process.exit(1);
}
await browser.close();
