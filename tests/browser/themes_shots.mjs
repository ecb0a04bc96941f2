// Both shipped themes and the invitation flow in Chromium, against a
// running souk (the test stack of tests/http/test_themes.py):
//
//   node themes_shots.mjs OUTDIR SHOP_URL OWNER_EMAIL:PASSWORD INVITE_URL
//
// For each theme: the owner picks it on the admin's Theme page, then
// the home and a product page are shot at 1280 and 390 px, a category
// at 1280.
// Then the invited person opens the mail's link, chooses a password and
// lands in the admin. It fails when a page does not answer 200 or lacks
// what it must show; the PNGs are for looking at.
import { mkdirSync } from 'node:fs';
import { launch, login, must } from './shots_lib.mjs';

const [out, shop, owner, invite] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await launch();
try {
	const ctx = await browser.newContext({ viewport: { width: 1280,
	    height: 900 }, locale: 'en-US' });
	const admin = await ctx.newPage();
	await login(admin, shop, '/admin/login', owner);
	for (const theme of ['default', 'atelier']) {
		await must(admin, shop + '/admin/theme', 'atelier');
		await admin.check(`input[name=theme][value=${theme}]`);
		await admin.click('form[action="/admin/theme"] button.primary');
		await admin.screenshot({ path: `${out}/admin-theme-${theme}.png`,
		    fullPage: true });
		for (const width of [1280, 390]) {
			const c = await browser.newContext({ viewport: { width,
			    height: 900 }, locale: 'en-US' });
			const p = await c.newPage();
			// A cart cookie: past nginx's 5 s microcache.
			await c.addCookies([{ name: 'souk_cart', value: 'x',
			    url: shop }]);
			await must(p, shop + '/', theme === 'atelier' ?
			    'class="atelier"' : 'class="site"');
			await p.screenshot({ path: `${out}/${theme}-home-${width}.png`,
			    fullPage: true });
			if (width === 1280) {
				await must(p, shop + '/c/green', 'Sencha');
				await p.screenshot({ path:
				    `${out}/${theme}-category-${width}.png`,
				    fullPage: true });
			}
			await must(p, shop + '/p/sencha', 'Sencha');
			await p.screenshot({ path: `${out}/${theme}-product-${width}.png`,
			    fullPage: true });
			await c.close();
		}
	}
	// The invitation: the link, a password, the admin.
	const guest = await browser.newContext({ viewport: { width: 1280,
	    height: 900 }, locale: 'en-US' });
	const g = await guest.newPage();
	await must(g, invite, 'Join the team');
	await g.screenshot({ path: `${out}/invite-open.png`, fullPage: true });
	await g.fill('input[name=password]', 'a long enough password');
	await g.fill('input[name=password2]', 'a long enough password');
	await g.click('form button.primary');
	await g.waitForURL(shop + '/admin');
	if (!(await g.content()).includes('Clerk'))
		throw new Error('not in the admin as a clerk');
	await g.screenshot({ path: `${out}/invite-joined.png`, fullPage: true });
	console.log('themes-shots: ok');
} finally {
	await browser.close();
}
