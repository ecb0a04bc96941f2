// Screenshots of returns (web/returns.c, web/admin_returns.c) on a
// running souk: a guest's return form (at 1280 px and on a phone), the
// form sent empty (its errors), the form sent, the order page with the
// return, then the admin's list of returns and the return's page.
//
//   node returns_shots.mjs BASE_URL OUTDIR EMAIL PASSWORD NUMBER KEY
//
// Look at the PNGs: nothing bare, nothing cut, every text readable.
import { chromium } from 'playwright-core';

const [base, out, email, password, number, key] = process.argv.slice(2);
if (!base || !out || !key) {
	console.error('usage: node returns_shots.mjs BASE_URL OUTDIR EMAIL PASSWORD NUMBER KEY');
	process.exit(2);
}
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
});
try {
	const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
	await phone.goto(`${base}/order/${number}/return?key=${key}`);
	await phone.screenshot({ path: `${out}/shop-return-form-phone.png`, fullPage: true });
	await phone.close();

	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	await page.goto(`${base}/order/${number}?key=${key}`);
	await Promise.all([page.waitForNavigation(),
	    page.click('p.return-link a')]);
	await page.screenshot({ path: `${out}/shop-return-form.png`, fullPage: true });
	await Promise.all([page.waitForNavigation(),
	    page.click('form.return-form button[type=submit]')]);
	await page.screenshot({ path: `${out}/shop-return-errors.png`, fullPage: true });
	await page.fill('form.return-form input[type=number]', '1');
	await page.selectOption('select[name=reason]', 'damaged');
	await page.fill('textarea[name=note]', 'The crust was crushed in the parcel.');
	await Promise.all([page.waitForNavigation(),
	    page.click('form.return-form button[type=submit]')]);
	if (!page.url().includes(`/order/${number}?key=`))
		throw new Error('the return did not land on the order: ' + page.url());
	await page.screenshot({ path: `${out}/shop-order-with-return.png`, fullPage: true });

	await page.goto(base + '/admin/login');
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit].primary')]);
	await page.goto(base + '/admin/returns');
	await page.screenshot({ path: `${out}/admin-returns.png`, fullPage: true });
	await Promise.all([page.waitForNavigation(),
	    page.click('table.returns a[href^="/admin/returns/"]')]);
	await page.screenshot({ path: `${out}/admin-return.png`, fullPage: true });
	await Promise.all([page.waitForNavigation(),
	    page.click('form[action$="/approve"] button')]);
	await page.screenshot({ path: `${out}/admin-return-approved.png`, fullPage: true });
	console.log('returns shots: ok');
} finally {
	await browser.close();
}
