"""The walking skeleton in a real browser: Debian's Chromium, driven by
playwright-core (tests/browser/signup.mjs): sign up, open the mailed link
and confirm, see the shop live, log in to its admin, add a product, see
it on the storefront. The screenshots of every page stay in the run's
directory."""
import os
import subprocess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def test_browser_signup_to_product(stack):
    pw = os.path.join(REPO, 'tests', 'browser', 'node_modules',
                      'playwright-core')
    if not os.path.isdir(pw):
        raise stack.Skip('playwright-core is not installed (make deps: '
                         'npm install in tests/browser failed)')
    out = os.path.join(stack.dir, 'screenshots')
    r = subprocess.run(
        ['node', os.path.join(REPO, 'tests', 'browser', 'signup.mjs'),
         f'http://localhost:{stack.port}', out, stack.mail_dir],
        cwd=os.path.join(REPO, 'tests', 'browser'), capture_output=True,
        text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'browser: ok' in r.stdout
    for png in ('platform-signup', 'platform-signup-sent', 'platform-confirm',
                'platform-dashboard', 'shop-empty',
                'admin-product-new', 'admin-products', 'shop-product'):
        path = os.path.join(out, png + '.png')
        assert os.path.getsize(path) > 5000, path
