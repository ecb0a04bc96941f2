"""browser-variants: the variant editor in Chromium (playwright-core,
tests/browser/variants.mjs): attributes and values created with their
German names, the variants generated from ticked values, a sale price
above the price refused beside its variant, then saved, and the sale in
the shop's variant menu. The screenshots are kept in
build/screenshots/variants/: look at them."""
import os
import subprocess

from shop_setup import selling_shop

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def test_browser_variants(stack):
    pw = os.path.join(REPO, 'tests', 'browser', 'node_modules',
                      'playwright-core')
    if not os.path.isdir(pw):
        raise stack.Skip('playwright-core is not installed (make deps: '
                         'npm install in tests/browser failed)')
    slug, tid, pid = selling_shop(stack, 'bvariants', stock=25,
                                  price='3.50')
    email = f'{slug}@x.test'
    from souk_client import admin_login
    admin = admin_login(stack.port, slug, email)
    r = admin.submit('/admin/settings', '/admin/settings', {
        'name': 'Variant Caps', 'color_primary': '#8a4b08',
        'color_accent': '#f2c14e', 'locales': ['en', 'de'],
        'default_locale': 'en', 'currency': 'EUR'})
    assert r.status == 303, r.text[:3000]
    # The product itself on sale (3.00 for 3.50), without dates: the
    # home page's card and the product page strike the 3.50 through.
    stack.query(f"UPDATE s{tid}_products SET sale_price = 300 WHERE "
                f"id = {pid}")
    out = os.path.join(REPO, 'build', 'screenshots', 'variants')
    r = subprocess.run(
        ['node', os.path.join(REPO, 'tests', 'browser', 'variants.mjs'),
         f'http://{slug}.localhost:{stack.port}', out, email,
         'correct horse battery', str(pid)],
        cwd=os.path.join(REPO, 'tests', 'browser'), capture_output=True,
        text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'browser-variants: ok 6' in r.stdout, r.stdout
    for png in ('attributes', 'variants', 'variants-error',
                'variants-saved', 'product', 'home'):
        path = os.path.join(out, png + '.png')
        assert os.path.getsize(path) > 5000, path
    p = f's{tid}_'
    assert stack.query(f"SELECT COUNT(*) FROM {p}variants WHERE "
                       f"product_id = {pid}") == [['6']]
    assert stack.query(f"SELECT sku, sale_price, stock FROM {p}variants "
                       f"WHERE sku <> '' ") == [['CAP-S-BLUE', '200', '7']]
    assert stack.query(f"SELECT name FROM {p}attribute_texts WHERE "
                       f"locale = 'de' ORDER BY name") == [
        ['Blau'], ['Farbe'], ['Größe'], ['L'], ['M'], ['Rot'], ['S']]
