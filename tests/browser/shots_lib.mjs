// What the screenshot scripts share: Debian's Chromium, a page that
// must answer 200 and show a text, and a login form filled in.
import { chromium } from 'playwright-core';

export async function launch() {
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
	});
}

// Goes to url; throws unless it answers 200 and (when given) shows text.
export async function must(page, url, text) {
	const r = await page.goto(url);
	if (r.status() !== 200)
		throw new Error(`${url}: ${r.status()}`);
	if (text && !(await page.content()).includes(text))
		throw new Error(`${url}: no "${text}"`);
}

// Logs in at base + path ("/login", "/admin/login") as "email:password".
export async function login(page, base, path, cred) {
	const [email, password] = cred.split(':');
	await page.goto(base + path);
	await page.fill('input[name=email]', email);
	await page.fill('input[name=password]', password);
	await page.click(`form[action="${path}"] button[type=submit]`);
}
