// Screenshots of the plans' pages against a running souk (make run, or
// the test stack): the operator's plans and shop list and a plan's edit
// form and the usage pages at 1280 px, and a shop owner's Plan page
// (with its usage charts) at 1280 and 390 px.
//
//   node plans_shots.mjs http://localhost:PORT OUTDIR OP_EMAIL:PASSWORD \
//       http://SLUG.localhost:PORT OWNER_EMAIL:PASSWORD
//
// It fails when a page does not answer 200 or lacks what it must show;
// the PNGs are for looking at.
import { mkdirSync } from 'node:fs';
import { launch, login, must } from './shots_lib.mjs';

const [base, out, op, shop, owner] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await launch();
try {
	for (const width of [1280, 390]) {
		const ctx = await browser.newContext({ viewport: { width, height: 900 },
		    locale: 'en-US' });
		const page = await ctx.newPage();
		const shot = (name) => page.screenshot({
		    path: `${out}/${name}-${width}.png`, fullPage: true });
		// The operator's pages are for a desk: 1280 px only.
		if (width === 1280) {
			await login(page, base, '/login', op);
			await must(page, base + '/operator/plans', 'Unlimited');
			await shot('operator-plans');
			await page.click('table.list tbody tr:first-child td a');
			await shot('operator-plan-edit');
			await must(page, base + '/operator', 'Plan');
			await shot('operator-shops');
			await must(page, base + '/operator/usage?sort=views',
			    'Page views');
			await shot('operator-usage');
			await page.click('table.usagetable tbody tr:first-child td a');
			await shot('operator-usage-shop');
		}

		const own = await ctx.newPage();
		await login(own, shop, '/admin/login', owner);
		await must(own, shop + '/admin/plan', 'Switch to this plan');
		await own.screenshot({ path: `${out}/admin-plan-${width}.png`,
		    fullPage: true });
		await ctx.close();
	}
} finally {
	await browser.close();
}
