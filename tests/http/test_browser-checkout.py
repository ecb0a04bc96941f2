"""browser-checkout: a guest buys in Chromium (playwright-core,
tests/browser/checkout.mjs): the product page's options and add-to-cart
form, the cart with a coupon, the address (every message shown beside
its field first), shipping and payment, the review, the order placed,
the confirmation with the bank details and the account form; the back
button and the form sent again place nothing more. The screenshots are
kept after the run (which removes its own directory when all passed) in
build/screenshots/checkout/: look at them."""
import os
import subprocess

from shop_setup import selling_shop

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def test_browser_checkout(stack):
    pw = os.path.join(REPO, 'tests', 'browser', 'node_modules',
                      'playwright-core')
    if not os.path.isdir(pw):
        raise stack.Skip('playwright-core is not installed (make deps: '
                         'npm install in tests/browser failed)')
    slug, tid, pid = selling_shop(stack, 'browser', stock=25,
                                  price='3.50', locale='de')
    p = f's{tid}_'
    # Options (sizes) of one product, one of them sold out; bank details
    # for the confirmation page; a coupon.
    stack.query(f"INSERT INTO {p}variants (product_id, name, stock, "
                f"position) VALUES ({pid}, '6er-Pack', 8, 0), "
                f"({pid}, '12er-Pack', 4, 1), ({pid}, 'Familienpack', 0, 2)")
    stack.query(f"INSERT INTO {p}settings (name, text) VALUES "
                "('bank_details', 'Sparkasse Köln\nIBAN DE89 3704 0044 "
                "0532 0130 00\nBIC COLSDE33') ON DUPLICATE KEY UPDATE "
                "text = VALUES(text)")
    stack.query(f"INSERT INTO {p}coupons (code, kind, amount) VALUES "
                "('BROT10', 'percent', 1000)")
    out = os.path.join(REPO, 'build', 'screenshots', 'checkout')
    r = subprocess.run(
        ['node', os.path.join(REPO, 'tests', 'browser', 'checkout.mjs'),
         f'http://{slug}.localhost:{stack.port}', out, 'BROT10'],
        cwd=os.path.join(REPO, 'tests', 'browser'), capture_output=True,
        text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'browser-checkout: ok 1001' in r.stdout, r.stdout
    for png in ('product', 'cart', 'checkout-errors', 'checkout',
                'checkout-shipping', 'checkout-review', 'checkout-done'):
        path = os.path.join(out, png + '.png')
        assert os.path.getsize(path) > 5000, path
    # One order, two of the 12er-Pack taken (the second option).
    assert stack.query(f"SELECT COUNT(*) FROM {p}orders") == [['1']]
    assert stack.query(f"SELECT name, stock FROM {p}variants WHERE "
                       f"product_id = {pid} ORDER BY position") == [
        ['6er-Pack', '8'], ['12er-Pack', '2'], ['Familienpack', '0']]
