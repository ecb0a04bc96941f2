// A screenshot of the operator console's operating figures
// (/operator/metrics: the last day's charts and the plans' table)
// against a running souk, at 1280 px (an operator's desk).
//
//   node metrics_shots.mjs http://localhost:PORT OUTDIR OP_EMAIL:PASSWORD
//
// It fails when the page does not answer 200 or lacks its charts; the
// PNG is for looking at.
import { mkdirSync } from 'node:fs';
import { launch, login, must } from './shots_lib.mjs';

const [base, out, op] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await launch();
try {
	const ctx = await browser.newContext({ viewport: { width: 1280,
	    height: 900 }, locale: 'en-US' });
	const page = await ctx.newPage();
	await login(page, base, '/login', op);
	await must(page, base + '/operator/metrics', 'Requests every 5 minutes');
	if (await page.locator('figure.chart svg').count() < 8)
		throw new Error('fewer than 8 charts on /operator/metrics');
	await page.screenshot({ path: `${out}/operator-metrics-1280.png`,
	    fullPage: true });
	await ctx.close();
} finally {
	await browser.close();
}
