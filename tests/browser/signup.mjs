// A shopper's and a merchant's walk through souk in a real browser
// (Debian's Chromium driven by playwright-core): sign up on the platform,
// open the link mailed to the address (read from the SMTP stand-in's
// folder, tests/smtp_server.py), confirm, see the new shop live, log in
// to its admin, add a product, see it on the storefront, switch the
// language. Screenshots of every page go to the folder given as the
// second argument.
//
//   node signup.mjs http://localhost:PORT OUTDIR MAILDIR
//
// Exits non-zero with a message on the first step that fails.
import { chromium } from 'playwright-core';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';

const base = new URL(process.argv[2] || 'http://localhost:8080');
const out = process.argv[3] || 'build/screenshots';
const maildir = process.argv[4] || 'var/mail';
mkdirSync(out, { recursive: true });
const slug = 'b' + Date.now().toString(36);
const shopUrl = `${base.protocol}//${slug}.${base.hostname}:${base.port}`;

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	    '--disable-background-networking', '--disable-component-update',
	    '--disable-sync'],
});
const errors = [];
function check(cond, what) {
	if (!cond) throw new Error('browser: ' + what);
}

// The sign-up link in the message to address, polled for: souk-worker
// sends it within a moment. The body is quoted-printable: undo the soft
// line breaks and =XX escapes before looking.
async function mailedLink(address) {
	const deadline = Date.now() + 20000;
	for (;;) {
		let names = [];
		try {
			names = readdirSync(maildir).filter((n) => n.endsWith('.eml'));
		} catch (e) { /* not there yet */ }
		for (const n of names) {
			const raw = readFileSync(`${maildir}/${n}`, 'latin1');
			if (!raw.includes(`\r\nTo: ${address}\r\n`))
				continue;
			const body = raw.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g,
			    (_, h) => String.fromCharCode(parseInt(h, 16)));
			const m = body.match(/https?:\/\/\S+\/signup\/confirm\/[0-9a-f]{64}/);
			if (m)
				return m[0];
		}
		check(Date.now() < deadline, 'no sign-up mail to ' + address);
		await new Promise((r) => setTimeout(r, 100));
	}
}
try {
	const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 },
	    locale: 'en-US' });
	const page = await ctx.newPage();
	page.on('pageerror', (e) => errors.push(String(e)));
	page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

	await page.goto(base.href);
	await page.screenshot({ path: `${out}/platform-signup.png`, fullPage: true });
	await page.fill('input[name=name]', 'Browser Bakery');
	await page.fill('input[name=slug]', slug);
	await page.fill('input[name=email]', `${slug}@example.com`);
	await page.fill('input[name=password]', 'correct horse battery');
	await page.selectOption('select[name=locale]', 'de');
	await page.selectOption('select[name=currency]', 'EUR');
	await Promise.all([page.waitForNavigation(), page.click('button[type=submit].primary')]);
	check(await page.isVisible(`text=${slug}@example.com`), 'no "we sent a link" page');
	await page.screenshot({ path: `${out}/platform-signup-sent.png`, fullPage: true });
	await page.goto(await mailedLink(`${slug}@example.com`));
	await page.screenshot({ path: `${out}/platform-confirm.png`, fullPage: true });
	await Promise.all([page.waitForNavigation(), page.click('button[type=submit].primary')]);
	check(page.url().includes('/dashboard'), 'confirming did not reach the dashboard: ' + page.url());
	check(await page.isVisible(`text=${slug}.`), 'the new shop is not listed');
	await page.screenshot({ path: `${out}/platform-dashboard.png`, fullPage: true });

	// The shop is live: its storefront answers, in German.
	let resp = await page.goto(shopUrl + '/');
	check(resp.status() === 200, 'new shop home: ' + resp.status());
	await page.screenshot({ path: `${out}/shop-empty.png`, fullPage: true });

	// The merchant logs in to the admin and adds a product.
	await page.goto(shopUrl + '/admin/login');
	await page.fill('input[name=email]', `${slug}@example.com`);
	await page.fill('input[name=password]', 'correct horse battery');
	await Promise.all([page.waitForNavigation(), page.click('button[type=submit].primary')]);
	check(page.url().endsWith('/admin'), 'admin login failed: ' + page.url());
	await page.goto(shopUrl + '/admin/products/new');
	await page.fill('input[name=name_de]', 'Bauernbrot');
	await page.fill('textarea[name=description_de]', 'Mit Sauerteig.');
	await page.fill('input[name=price]', '4,20');
	await page.fill('input[name=stock]', '12');
	await page.screenshot({ path: `${out}/admin-product-new.png`, fullPage: true });
	await Promise.all([page.waitForNavigation(), page.click('button[type=submit].primary')]);
	check(/\/admin\/products\/\d+/.test(page.url()), 'product save failed: ' + page.url());
	await page.goto(shopUrl + '/admin/products');
	await page.screenshot({ path: `${out}/admin-products.png`, fullPage: true });

	// A shopper sees it.
	resp = await page.goto(shopUrl + '/p/bauernbrot');
	check(resp.status() === 200, 'product page: ' + resp.status());
	check(await page.isVisible('text=Bauernbrot'), 'product name not shown');
	await page.screenshot({ path: `${out}/shop-product.png`, fullPage: true });
	check(errors.length === 0, 'page errors: ' + errors.join('; '));
	console.log('browser: ok ' + slug);
} finally {
	await browser.close();
}
