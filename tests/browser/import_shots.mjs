// The admin's CSV import in Chromium, with screenshots: the upload form
// from the products list's Import link, the preview (counts and refused
// rows) after the page refreshed itself while the worker checked the
// file, the progress bar while it imports (when caught), the report
// when done, and the list of past imports.
//
//   node import_shots.mjs BASE_URL OUTDIR EMAIL PASSWORD FILE.csv BAD.csv
//
// BAD.csv is no product CSV: its preview fails, with the reason shown.
//
// Prints "import-shots: ok N" (N screenshots). Look at the PNGs:
// nothing bare, nothing cut, every text readable.
import { chromium } from 'playwright-core';

const [base, out, email, password, file, bad] = process.argv.slice(2);
if (!bad) {
	console.error('usage: node import_shots.mjs BASE_URL OUTDIR EMAIL PASSWORD FILE.csv BAD.csv');
	process.exit(2);
}
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
});
let shots = 0;
async function shot(page, name) {
	await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
	shots++;
}
// The page reloads itself (meta refresh) until the state is one of want.
async function waitState(page, want, timeout = 120000) {
	const sel = want.map((s) => `.importmeta .imp-${s}`).join(', ');
	await page.waitForSelector(sel, { timeout });
}
try {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	await page.goto(base + '/admin/login');
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit].primary')]);
	await page.goto(base + '/admin/products');
	await Promise.all([page.waitForNavigation(),
	    page.click('a[href="/admin/import"]')]);
	await page.setInputFiles('input[type=file][name=file]', file);
	await shot(page, 'upload');
	await Promise.all([page.waitForNavigation(),
	    page.click('form[action="/admin/import"] button[type=submit]')]);
	if (!/\/admin\/import\/\d+$/.test(page.url()))
		throw new Error('upload did not lead to the import page: ' + page.url());
	await waitState(page, ['previewed', 'failed']);
	if (await page.$('.importmeta .imp-failed'))
		throw new Error('preview failed: ' + await page.textContent('main'));
	await shot(page, 'preview');
	await Promise.all([page.waitForNavigation(),
	    page.click('form[action$="/start"] button[type=submit]')]);
	if (await page.$('.importmeta .imp-importing') &&
	    await page.$('progress'))
		await shot(page, 'importing');
	await waitState(page, ['done', 'failed']);
	if (await page.$('.importmeta .imp-failed'))
		throw new Error('import failed: ' + await page.textContent('main'));
	await shot(page, 'done');
	await page.goto(base + '/admin/import');
	await page.setInputFiles('input[type=file][name=file]', bad);
	await Promise.all([page.waitForNavigation(),
	    page.click('form[action="/admin/import"] button[type=submit]')]);
	await waitState(page, ['previewed', 'failed']);
	if (!await page.$('.importmeta .imp-failed'))
		throw new Error('a file that is no product CSV was not refused');
	await shot(page, 'failed');
	await page.goto(base + '/admin/import');
	await shot(page, 'list');
	console.log(`import-shots: ok ${shots}`);
} finally {
	await browser.close();
}
