"""browser-adminnav: the admin's bar in Chromium (playwright-core,
tests/browser/adminnav_shots.mjs) at 1280 and 800 px: API keys and
Webhooks are tabs of Settings, not links of the bar, which keeps to one
row of links at 1280 px; the settings, API keys and webhooks pages
show the three tabs. The screenshots are kept in
build/screenshots/adminnav/: look at them."""
import os
import re
import subprocess

from souk_client import admin_login

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def test_browser_adminnav(stack):
    pw = os.path.join(REPO, 'tests', 'browser', 'node_modules',
                      'playwright-core')
    if not os.path.isdir(pw):
        raise stack.Skip('playwright-core is not installed')
    slug = stack.unique('bnav')
    email = f'{slug}@x.test'
    stack.create_shop(slug, 'Linen & Clay', owner_email=email)
    admin = admin_login(stack.port, slug, email)
    page = admin.get('/admin')
    assert 'href="/admin/api-keys"' not in page.text
    assert 'href="/admin/webhooks"' not in page.text
    for path in ('/admin/settings', '/admin/api-keys', '/admin/webhooks'):
        t = admin.get(path).text
        assert 'class="subnav"' in t and 'href="/admin/webhooks"' in t, path
        assert re.search(r'href="/admin/settings" class="current"', t), path
    out = os.path.join(REPO, 'build', 'screenshots', 'adminnav')
    r = subprocess.run(
        ['node', os.path.join(REPO, 'tests', 'browser', 'adminnav_shots.mjs'),
         f'http://{slug}.localhost:{stack.port}', out, email,
         'correct horse battery'],
        cwd=os.path.join(REPO, 'tests', 'browser'),
        capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'adminnav-shots: ok' in r.stdout, r.stdout
    heights = {}
    for m in re.finditer(r'(\S+) (\d+) nav-height ([\d.]+) subnav (\d+)',
                         r.stdout):
        heights[(m.group(1), int(m.group(2)))] = float(m.group(3))
        if m.group(1) != 'dashboard':
            # The owner's tabs: settings, theme, domains, API keys,
            # webhooks, staff, audit log, plan.
            assert m.group(4) == '8', m.group(0)
    # One row of links at 1280 px (a row is about 1.5em high).
    assert heights[('dashboard', 1280)] < 40, heights
