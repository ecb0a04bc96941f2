// Screenshots of an account's invoices against a running souk: the list
// at 1280 px, one invoice at 1280 and 390 px, and as printed (the print
// stylesheet: no navigation).
//
//   node invoice_shots.mjs http://localhost:PORT OUTDIR EMAIL:PASSWORD NUMBER
import { mkdirSync } from 'node:fs';
import { launch, login, must } from './shots_lib.mjs';

const [base, out, cred, number] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await launch();
try {
	for (const width of [1280, 390]) {
		const ctx = await browser.newContext({ viewport: { width, height: 900 },
		    locale: 'en-US' });
		const page = await ctx.newPage();
		await login(page, base, '/login', cred);
		if (width === 1280) {
			await must(page, base + '/invoices', `/invoices/${number}`);
			await page.screenshot({ path: `${out}/invoices-1280.png`,
			    fullPage: true });
		}
		await must(page, base + `/invoices/${number}`, 'Total');
		await page.screenshot({ path: `${out}/invoice-${width}.png`,
		    fullPage: true });
		if (width === 1280) {
			await page.emulateMedia({ media: 'print' });
			await page.screenshot({ path: `${out}/invoice-print.png`,
			    fullPage: true });
		}
		await ctx.close();
	}
} finally {
	await browser.close();
}
