// A shopper filters a category in a real browser (Debian's Chromium
// driven by playwright-core): ticks two facet values (one of each
// attribute) and types a price range in the filter form, sends it (a
// plain GET form: no JavaScript of souk's), sees the products and
// counts change, follows the next page (the filter kept) and changes
// the sort (the filter kept). A screenshot of the category page with
// the two facets selected goes to the folder given as second argument.
//
//   node facets.mjs http://SHOP.localhost:PORT OUTDIR CATEGORY VALUE1 VALUE2
//
// Prints "browser-facets: ok N" (the products of the first filtered
// page) at the end; exits non-zero with a message on the first step
// that fails.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const shop = new URL(process.argv[2]);
const out = process.argv[3];
const cat = process.argv[4];
const v1 = process.argv[5], v2 = process.argv[6];
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync'],
});
const errors = [];
function check(cond, what) {
	if (!cond) throw new Error('browser-facets: ' + what);
}
async function submit(page, selector) {
	await Promise.all([page.waitForNavigation(), page.click(selector)]);
}
const cards = (page) => page.$$eval('ul.grid li.card', (l) => l.length);

try {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 },
	    locale: 'en-GB' });
	const page = await ctx.newPage();
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('console', (m) => {
		if (m.type() === 'error')
			errors.push(m.text());
	});
	await page.goto(new URL('/c/' + cat, shop).href);
	const all = await cards(page);
	check(all > 0, 'no products on the category page');
	await page.screenshot({ path: `${out}/category.png`, fullPage: true });

	await page.check(`form.facets input[name=v][value="${v1}"]`);
	await page.check(`form.facets input[name=v][value="${v2}"]`);
	await page.fill('form.facets input[name=min]', '2');
	await submit(page, 'form.facets button[type=submit]');
	const url = new URL(page.url());
	check(url.searchParams.getAll('v').sort().join() == [v1, v2].sort().join(),
	    'the form did not send both values: ' + page.url());
	check(await page.isChecked(`form.facets input[name=v][value="${v1}"]`) &&
	    await page.isChecked(`form.facets input[name=v][value="${v2}"]`),
	    'the values are not ticked after sending');
	const n = await cards(page);
	check(n > 0 && n <= 24, `filtered page shows ${n} products`);
	await page.screenshot({ path: `${out}/category-facets.png`,
	    fullPage: true });

	// The sort form keeps the filter (hidden fields).
	await page.selectOption('form.sort select[name=sort]', 'price-asc');
	await submit(page, 'form.sort button[type=submit]');
	const sorted = new URL(page.url());
	check(sorted.searchParams.get('sort') == 'price-asc' &&
	    sorted.searchParams.getAll('v').length == 2 &&
	    sorted.searchParams.get('min') == '2', 'sorting lost the filter: ' +
	    page.url());
	// The next page (when there is one) keeps it too.
	if (await page.$('a[rel=next]')) {
		await submit(page, 'a[rel=next]');
		const next = new URL(page.url());
		check(next.searchParams.getAll('v').length == 2 &&
		    next.searchParams.get('after'), 'the next page lost the filter');
	}
	// Clearing gives every product back.
	await page.goto(sorted.href);
	await submit(page, 'form.facets a.clear');
	check(!new URL(page.url()).searchParams.get('v'), 'clear kept values');
	check(errors.length == 0, 'errors in the page: ' + errors.join('; '));
	console.log(`browser-facets: ok ${n}`);
} catch (e) {
	console.error(String(e.stack || e));
	process.exitCode = 1;
} finally {
	await browser.close();
}
