// Screenshots of the plans' pages against a running souk (make run, or
// the test stack): the operator's plans and shop list, a plan's edit
// form, and a shop owner's Plan page before and after a switch.
//
//   node plans_shots.mjs http://localhost:PORT OUTDIR OP_EMAIL:PASSWORD \
//       http://SLUG.localhost:PORT OWNER_EMAIL:PASSWORD
//
// It fails when a page does not answer 200 or lacks what it must show;
// the PNGs are for looking at.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const [base, out, op, shop, owner] = process.argv.slice(2);
const [opEmail, opPassword] = op.split(':');
const [ownEmail, ownPassword] = owner.split(':');
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const must = async (page, url, text) => {
	const r = await page.goto(url);
	if (r.status() !== 200)
		throw new Error(`${url}: ${r.status()}`);
	if (text && !(await page.content()).includes(text))
		throw new Error(`${url}: no "${text}"`);
};
try {
	for (const width of [1280, 390]) {
		const ctx = await browser.newContext({ viewport: { width, height: 900 },
		    locale: 'en-US' });
		const page = await ctx.newPage();
		const shot = (name) => page.screenshot({
		    path: `${out}/${name}-${width}.png`, fullPage: true });
		await page.goto(base + '/login');
		await page.fill('input[name=email]', opEmail);
		await page.fill('input[name=password]', opPassword);
		await page.click('form[action="/login"] button[type=submit]');
		await must(page, base + '/operator/plans', 'Unlimited');
		await shot('operator-plans');
		await page.click('table.list tbody tr:first-child td a');
		await shot('operator-plan-edit');
		await must(page, base + '/operator', 'Plan');
		await shot('operator-shops');

		const own = await ctx.newPage();
		await own.goto(shop + '/admin/login');
		await own.fill('input[name=email]', ownEmail);
		await own.fill('input[name=password]', ownPassword);
		await own.click('form[action="/admin/login"] button[type=submit]');
		await must(own, shop + '/admin/plan', 'Switch to this plan');
		await own.screenshot({ path: `${out}/admin-plan-${width}.png`,
		    fullPage: true });
		await ctx.close();
	}
} finally {
	await browser.close();
}
