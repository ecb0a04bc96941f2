// Screenshots of the admin's reports page (web/admin_reports.c): logs in
// as the shop's owner, opens /admin/reports?QUERY and takes it at 1280
// and 390 px wide, full page, and the sales chart alone at 390 px.
// tests/http/test_reports.py runs it after placing some orders.
//
//   node reports_shots.mjs http://shop.localhost:8080 OUTDIR EMAIL \
//       PASSWORD [QUERY [PATH...]]
//
// Each PATH (an invoice, a credit note) is taken too, as paper-N.png.
//
// LANG_TAG=de-DE (or ja-JP) picks the browser's language.
// Look at the PNGs: the range form, the charts and every table readable
// at both widths, the tables scrolling sideways on a phone.
import { chromium } from 'playwright-core';

const [base, out, email, password, query = '', ...papers] = process.argv.slice(2);
if (!base || !out || !email || !password) {
	console.error('usage: node reports_shots.mjs BASE_URL OUTDIR EMAIL PASSWORD [QUERY]');
	process.exit(2);
}
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--host-resolver-rules=MAP *.localhost 127.0.0.1'],
});
try {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 },
	    locale: process.env.LANG_TAG || 'en-US' });
	await page.goto(base + '/admin/login');
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', password);
	await Promise.all([page.waitForNavigation(),
	    page.click('button[type=submit].primary')]);
	if (!page.url().endsWith('/admin'))
		throw new Error('login did not land on the dashboard: ' + page.url());
	// The dashboard, with its charts of the same orders (issue 11 keeps
	// a screenshot of it beside the report's).
	await page.screenshot({ path: `${out}/dashboard-1280.png`, fullPage: true });
	const res = await page.goto(base + '/admin/reports' + (query ? '?' + query : ''));
	if (res.status() !== 200)
		throw new Error('reports page: ' + res.status());
	await page.screenshot({ path: `${out}/reports-1280.png`, fullPage: true });
	await page.setViewportSize({ width: 390, height: 844 });
	// Nothing wider than the phone: the tables scroll in their box.
	const wide = await page.evaluate(() => document.documentElement.scrollWidth <=
	    window.innerWidth ? [] : [...document.querySelectorAll('body *')]
	    .filter((e) => !e.closest('.scroll') &&
	    e.getBoundingClientRect().right > window.innerWidth + 1)
	    .slice(0, 8).map((e) => e.tagName + '.' + e.className + ' ' +
	    Math.round(e.getBoundingClientRect().right)));
	if (wide.length)
		console.log('wider than 390: ' + wide.join(', '));
	await page.screenshot({ path: `${out}/reports-390.png`, fullPage: true });
	await (await page.$('#sales .charts')).screenshot({ path: `${out}/reports-charts-390.png` });
	// A bad range: the message beside its field.
	await page.setViewportSize({ width: 1280, height: 900 });
	await page.goto(base + '/admin/reports?from=2026-03-02&to=2026-03-01');
	await page.screenshot({ path: `${out}/reports-error.png` });
	for (const [i, path] of papers.entries()) {
		const r = await page.goto(base + path);
		if (r.status() !== 200)
			throw new Error(path + ': ' + r.status());
		await page.screenshot({ path: `${out}/paper-${i + 1}.png`, fullPage: true });
	}
	console.log('reports shots: ok');
} finally {
	await browser.close();
}
