"""browser-card: a guest pays by card in Chromium (playwright-core,
tests/browser/card_shots.mjs) against the Stripe stand-in: the checkout
with "Card", the stand-in's hosted page, "Cancel" there (the order's
page says the payment was not made, with a button to pay), the button
back to the same hosted page, "Pay", and the confirmation page, which
shows "paid" once the stand-in's webhook has arrived. The order is paid
once. The screenshots are kept in build/screenshots/card/: look at
them."""
import json
import os
import secrets
import subprocess
import urllib.request

from souk_client import admin_login
from shop_setup import selling_shop

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _control(stack, path, body):
    req = urllib.request.Request(stack.stripe_url + path, method='POST',
                                 data=json.dumps(body).encode())
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def test_browser_card(stack):
    pw = os.path.join(REPO, 'tests', 'browser', 'node_modules',
                      'playwright-core')
    if not os.path.isdir(pw):
        raise stack.Skip('playwright-core is not installed (make deps: '
                         'npm install in tests/browser failed)')
    slug, tid, pid = selling_shop(stack, 'browsercard', stock=5,
                                  price='3.50')
    p = f's{tid}_'
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    key = 'sk_test_' + secrets.token_hex(12)
    acct = 'acct_' + secrets.token_hex(8)
    whsec = 'whsec_' + secrets.token_hex(16)
    _control(stack, '/_test/keys', {'key': key, 'account': acct,
                                    'name': 'Bakery'})
    r = admin.submit('/admin/payments', '/admin/payments/stripe',
                     {'stripe_secret_key': key,
                      'stripe_webhook_secret': whsec})
    assert r.status == 303, r.text[:2000]
    _control(stack, '/_test/webhook', {
        'account': acct, 'secret': whsec,
        'url': f'http://127.0.0.1:{stack.port}/_stripe/webhook',
        'host': f'{slug}.localhost:{stack.port}'})
    out = os.path.join(REPO, 'build', 'screenshots', 'card')
    r = subprocess.run(
        ['node', os.path.join(REPO, 'tests', 'browser', 'card_shots.mjs'),
         f'http://{slug}.localhost:{stack.port}', out],
        cwd=os.path.join(REPO, 'tests', 'browser'), capture_output=True,
        text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'browser-card: ok 1001' in r.stdout, r.stdout
    for png in ('checkout-shipping', 'checkout-review', 'stripe-page',
                'done-cancelled', 'done-paid'):
        path = os.path.join(out, png + '.png')
        assert os.path.getsize(path) > 5000, path
    assert stack.query(f"SELECT status FROM {p}orders") == [['processing']]
    assert stack.query(f"SELECT COUNT(*), SUM(amount) FROM {p}payments") \
        == [['1', '840']]
    # The merchant's side: a refund through Stripe, then the order page
    # (payment id, fee, refund) and the payments page (the hold time),
    # drawn by Chromium from their HTML with the shop's own styles.
    page = admin.get('/admin/orders/1001')
    r = admin.post('/admin/orders/1001/refund', {
        'csrf': page.csrf(), 'amount': '1.50', 'refund_reason': 'late'})
    assert r.status == 303, r.text[:2000]
    for name, path in (('admin-order', '/admin/orders/1001'),
                       ('admin-payments', '/admin/payments')):
        _shot(stack, admin.get(path).text, slug,
              os.path.join(out, name + '.png'))


def _shot(stack, text, slug, png):
    """A screenshot of a page's HTML (its links resolved on the shop)."""
    base = f'<base href="http://{slug}.localhost:{stack.port}/">'
    html_path = png[:-4] + '.html'
    with open(html_path, 'w') as f:
        f.write(text.replace('<head>', '<head>' + base, 1))
    subprocess.run(['chromium', '--headless', '--no-sandbox',
                    '--disable-gpu', '--hide-scrollbars',
                    '--window-size=1280,1400', f'--screenshot={png}',
                    'file://' + html_path], capture_output=True,
                   timeout=60)
    os.unlink(html_path)
    assert os.path.getsize(png) > 5000, png
