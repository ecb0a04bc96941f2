"""browser-import: the admin's CSV import in Chromium (playwright-core,
tests/browser/import_shots.mjs): the products list's Import link, the
upload form, the preview the page shows once souk-worker has checked
the file (it reloads itself meanwhile), Import, the progress bar, and
the report when done; a file that is no product CSV, its preview
failed with the reason. The screenshots are kept in
build/screenshots/import/: look at them."""
import os
import subprocess
import tempfile

from souk_client import admin_login

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# A WooCommerce export: a variable product in nested categories, a
# simple one on sale, HTML descriptions, and two rows that are refused.
CSV = (
    'ID,Type,SKU,Name,Published,Short description,Description,'
    'Sale price,Regular price,Categories,Stock,Parent,'
    'Attribute 1 name,Attribute 1 value(s),Attribute 1 visible,'
    'Attribute 1 global\n'
    '1,variable,SHIRT,Linen shirt,1,Cool linen.,"<p>Woven in <em>Lisbon</em>.'
    '</p>",,,Clothing > Shirts,,,Size,"S, M, L",1,1\n'
    '2,variation,SHIRT-S,Linen shirt - S,1,,,,39.00,,4,SHIRT,Size,S,,1\n'
    '3,variation,SHIRT-M,Linen shirt - M,1,,,,39.00,,6,SHIRT,Size,M,,1\n'
    '4,variation,SHIRT-L,Linen shirt - L,1,,,,39.00,,2,SHIRT,Size,L,,1\n'
    '5,simple,MUG,Striped mug,1,,<p>Stoneware.</p>,9.50,12.50,'
    'Home > Kitchen,12,,,,,\n'
    '6,simple,VASE,Broken vase,1,,,,twelve,Home,1,,,,,\n'
    '7,gizmo,GZ,Odd thing,1,,,,5.00,Home,1,,,,,\n')


def test_browser_import(stack):
    pw = os.path.join(REPO, 'tests', 'browser', 'node_modules',
                      'playwright-core')
    if not os.path.isdir(pw):
        raise stack.Skip('playwright-core is not installed (make deps: '
                         'npm install in tests/browser failed)')
    slug = stack.unique('bimport')
    email = f'{slug}@x.test'
    stack.create_shop(slug, 'Linen & Clay', owner_email=email)
    admin = admin_login(stack.port, slug, email)
    r = admin.submit('/admin/settings', '/admin/settings', {
        'name': 'Linen & Clay', 'color_primary': '#2f5d50',
        'color_accent': '#e9c46a', 'locales': ['en'],
        'default_locale': 'en', 'currency': 'EUR'})
    assert r.status == 303, r.text[:3000]
    out = os.path.join(REPO, 'build', 'screenshots', 'import')
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, 'woocommerce-products.csv')
        with open(path, 'w') as f:
            f.write(CSV)
        bad = os.path.join(d, 'customers.csv')
        with open(bad, 'w') as f:
            f.write('Email,First name,Last name\nkaethe@example.com,'
                    'Käthe,Kruse\n')
        r = subprocess.run(
            ['node', os.path.join(REPO, 'tests', 'browser',
                                  'import_shots.mjs'),
             f'http://{slug}.localhost:{stack.port}', out, email,
             'correct horse battery', path, bad],
            cwd=os.path.join(REPO, 'tests', 'browser'),
            capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'import-shots: ok' in r.stdout, r.stdout
    for png in ('upload', 'preview', 'done', 'failed', 'list'):
        p = os.path.join(out, png + '.png')
        assert os.path.getsize(p) > 5000, p
    tid = stack.query(f"SELECT id FROM souk_tenants WHERE slug = '{slug}'")
    assert stack.query(f"SELECT COUNT(*) FROM s{tid[0][0]}_products") == \
        [['2']]
