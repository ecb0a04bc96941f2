"""The catalog as a WooCommerce or Shopify product CSV (issue 10,
shop/catalog_export.c, web/admin_export.c, `soukctl shop export`): the
German demo bakery exported in both formats, over HTTP from the admin
and with soukctl, read back with Python's csv module: the header, a
variable product's rows, prices in the shop's currency, a sale with its
dates, category paths, absolute image URLs nginx serves, a name that a
spreadsheet would run as a formula neutralised. Only staff get it; a
bad format is a 400 with its message; another shop's export holds only
its own products."""
import csv
import io
import os
import urllib.parse

from souk_client import Client, admin_login, create_product

WOO_HEAD = ['ID', 'Type', 'SKU', 'Name', 'Published', 'Is featured?',
            'Visibility in catalog', 'Short description', 'Description']
SHOPIFY_HEAD = ['Handle', 'Title', 'Body (HTML)', 'Vendor',
                'Product Category', 'Type', 'Tags', 'Published',
                'Option1 Name', 'Option1 Value']


def bakery(stack):
    """A German demo bakery with a nested category (Brot > Roggen) for
    the Roggenbrot (an alt text on its first image), a dated sale on the
    Laugenstange (a simple product), a product named "=1+2" and a
    draft (the Kaffeebecher).
    Returns (slug, tenant id, admin client)."""
    slug = stack.unique('exportde')
    email = f'owner@{slug}.example'
    stack.create_shop(slug, 'Bäckerei Export', email,
                      'correct horse battery', 'de', 'EUR')
    stack.soukctl('demo', 'load', '--slug', slug, '--kind', 'bakery')
    tid = int(stack.query(f"SELECT id FROM souk_tenants WHERE slug = "
                          f"'{slug}'")[0][0])
    p = f's{tid}_'
    stack.query(f"INSERT INTO {p}categories (parent_id, slug, position) "
                f"SELECT id, 'roggen', 9 FROM {p}categories "
                f"WHERE slug = 'brot'")
    stack.query(f"INSERT INTO {p}category_texts (category_id, locale, name) "
                f"SELECT id, 'de', 'Roggen' FROM {p}categories "
                f"WHERE slug = 'roggen'")
    stack.query(f"UPDATE {p}products SET category_id = (SELECT id FROM "
                f"{p}categories WHERE slug = 'roggen') "
                f"WHERE slug = 'roggenbrot'")
    stack.query(f"UPDATE {p}products SET sale_price = 99, "
                f"sale_from = '2026-01-02 03:04:05', "
                f"sale_to = '2036-12-31 23:00:00' "
                f"WHERE slug = 'laugenstange'")
    stack.query(f"UPDATE {p}images SET alt = '{{\"de\": \"Ein Laib\"}}' "
                f"WHERE product_id = (SELECT id FROM {p}products WHERE "
                f"slug = 'roggenbrot') ORDER BY position, id LIMIT 1")
    stack.query(f"UPDATE {p}product_texts SET name = '=1+2' WHERE locale = "
                f"'de' AND product_id = (SELECT id FROM {p}products WHERE "
                f"slug = 'brezel')")
    stack.query(f"UPDATE {p}products SET status = 'draft' "
                f"WHERE slug = 'kaffeebecher'")
    admin = admin_login(stack.port, slug, email)
    return slug, tid, admin


def rows_of(body):
    assert body.startswith(b'\xef\xbb\xbf'), body[:20]
    return list(csv.reader(io.StringIO(body.decode('utf-8-sig'),
                                       newline='')))


def dicts(rows):
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:]]


def download(admin, fmt):
    r = admin.get(f'/admin/products/export?format={fmt}')
    assert r.status == 200, (r.status, r.text[:2000])
    assert r.header('Content-Type') == 'text/csv; charset=utf-8', r.headers
    assert r.header('Cache-Control') == 'no-store', r.headers
    # Streamed: nginx sends it chunked, as each page is written.
    assert r.header('Content-Length') is None, r.headers
    assert r.header('Transfer-Encoding') == 'chunked', r.headers
    return r


def check_image(stack, url, host):
    u = urllib.parse.urlsplit(url)
    assert (u.scheme, u.hostname, u.port) == ('http', host, stack.port), url
    assert u.path.startswith('/media/'), url
    r = Client(stack.port, host).get(u.path)
    assert r.status == 200 and r.body[:4] == b'\x89PNG', (url, r)


def test_woocommerce(stack):
    slug, tid, admin = bakery(stack)
    host = f'{slug}.localhost'
    r = download(admin, 'woo')
    assert r.header('Content-Disposition') == \
        f'attachment; filename="{slug}-products-woo.csv"', r.headers
    rows = rows_of(r.body)
    assert rows[0][:len(WOO_HEAD)] == WOO_HEAD, rows[0]
    assert 'Weight (kg)' in rows[0] and 'Attribute 1 value(s)' in rows[0]
    assert 'Attribute 2 name' not in rows[0], rows[0]
    assert len({len(x) for x in rows}) == 1, 'ragged rows'
    d = dicts(rows)
    nprod = int(stack.query(f"SELECT COUNT(*) FROM s{tid}_products")[0][0])
    nvar = int(stack.query(f"SELECT COUNT(*) FROM s{tid}_variants")[0][0])
    assert len([x for x in d if x['Type'] != 'variation']) == nprod
    assert len([x for x in d if x['Type'] == 'variation']) == nvar
    ids = [int(x['ID']) for x in d if x['ID']]
    assert ids == sorted(ids), 'not in the order of ids'

    # Roggenbrot: variable, its three sizes after it, in a nested
    # category; prices in euros from minor units.
    i = next(k for k, x in enumerate(d) if x['Name'] == 'Roggenbrot')
    rog, vs = d[i], d[i + 1:i + 4]
    assert rog['Type'] == 'variable', rog
    assert rog['SKU'].startswith('bakery-'), rog
    assert rog['Categories'] == 'Brot > Roggen', rog
    assert (rog['Regular price'], rog['Sale price'], rog['Stock']) == \
        ('', '', ''), rog
    assert rog['Tax class'] == 'reduced-rate', rog
    assert rog['Published'] == '1'
    assert rog['Attribute 1 name'] == 'Größe', rog
    assert rog['Attribute 1 value(s)'] == 'klein, mittel, groß', rog
    assert '<h3>Zutaten</h3>' in rog['Description'], rog['Description']
    imgs = rog['Images'].split(', ')
    assert len(imgs) == 3, rog['Images']
    for url in imgs:
        check_image(stack, url, host)
    assert [v['Type'] for v in vs] == ['variation'] * 3, vs
    assert [v['Parent'] for v in vs] == [rog['SKU']] * 3, vs
    assert [v['Attribute 1 value(s)'] for v in vs] == \
        ['klein', 'mittel', 'groß'], vs
    assert [v['Name'] for v in vs] == ['Roggenbrot - klein',
                                       'Roggenbrot - mittel',
                                       'Roggenbrot - groß'], vs
    db = stack.query(f"SELECT COALESCE(v.price, p.price), v.stock, "
                     f"v.weight_g FROM s{tid}_variants v JOIN "
                     f"s{tid}_products p ON p.id = v.product_id WHERE "
                     f"p.slug = 'roggenbrot' ORDER BY v.position, v.id")
    assert [v['Regular price'] for v in vs] == \
        ['%d.%02d' % divmod(int(x[0]), 100) for x in db], (vs, db)
    assert [v['Stock'] for v in vs] == [x[1] for x in db]
    assert [v['Weight (kg)'] for v in vs] == \
        [('%g' % (int(x[2]) / 1000)) for x in db], (vs, db)
    assert vs[0]['Regular price'] == '3.90'

    # A variable product's own sale is on the variations without a
    # price of their own (sale.h), as the storefront charges it.
    sv = stack.query(f"SELECT t.name, p.sale_price FROM s{tid}_products p "
                     f"JOIN s{tid}_product_texts t ON t.product_id = p.id "
                     f"AND t.locale = 'de' WHERE p.sale_price IS NOT NULL "
                     f"AND EXISTS (SELECT 1 FROM s{tid}_variants v WHERE "
                     f"v.product_id = p.id AND v.price IS NULL)")
    assert sv, 'no variable product on sale in the demo'
    name, sale = sv[0]
    k = next(k for k, x in enumerate(d) if x['Name'] == name)
    assert d[k]['Sale price'] == '', d[k]
    assert d[k + 1]['Sale price'] == '%d.%02d' % divmod(int(sale), 100), \
        d[k + 1]

    # A sale with its dates (UTC), on a simple product; a formula.
    stange = next(x for x in d if x['Name'] == 'Laugenstange')
    assert stange['Type'] == 'simple', stange
    assert stange['Regular price'] == '1.10', stange
    assert stange['Sale price'] == '0.99', stange
    # Stored in UTC, written on the shop's clock (Europe/Berlin, CET):
    # as WooCommerce writes them.
    assert stange['Date sale price starts'] == '2026-01-02 04:04:05', stange
    assert stange['Date sale price ends'] == '2037-01-01 00:00:00', stange
    assert stange['Categories'] == 'Brötchen', stange
    mug = next(x for x in d if x['Name'] == 'Kaffeebecher')
    assert (mug['Published'], mug['Categories']) == ('0', 'Zubehör'), mug
    assert any(x['Name'] == "'=1+2" for x in d), \
        [x['Name'] for x in d]
    assert not any(c.startswith('=') for x in rows for c in x)

    # The same file from soukctl, to stdout and to a file.
    out = stack.soukctl('shop', 'export', slug, '--format', 'woo')
    assert rows_of(out.stdout.encode()) == rows
    path = os.path.join(stack.dir, f'{slug}.csv')
    stack.soukctl('shop', 'export', slug, '--format', 'woo', path)
    with open(path, 'rb') as f:
        assert f.read() == r.body
    assert not os.path.exists(path + '.tmp')


def test_shopify(stack):
    slug, tid, admin = bakery(stack)
    host = f'{slug}.localhost'
    r = download(admin, 'shopify')
    assert r.header('Content-Disposition') == \
        f'attachment; filename="{slug}-products-shopify.csv"', r.headers
    rows = rows_of(r.body)
    assert rows[0][:len(SHOPIFY_HEAD)] == SHOPIFY_HEAD, rows[0]
    d = dicts(rows)
    rog = [x for x in d if x['Handle'] == 'roggenbrot']
    # Three sizes, three images: three rows, the product's on the first.
    assert len(rog) == 3, rog
    assert rog[0]['Title'] == 'Roggenbrot'
    assert [x['Title'] for x in rog[1:]] == ['', '']
    assert rog[0]['Type'] == 'Brot > Roggen', rog[0]
    assert rog[0]['Option1 Name'] == 'Größe'
    assert [x['Option1 Value'] for x in rog] == ['klein', 'mittel', 'groß']
    assert rog[0]['Variant Price'] == '3.90', rog[0]
    assert rog[0]['Status'] == 'active' and rog[0]['Published'] == 'TRUE'
    assert [x['Image Position'] for x in rog] == ['1', '2', '3']
    for x in rog:
        check_image(stack, x['Image Src'], host)
    assert [x['Image Alt Text'] for x in rog] == ['Ein Laib', '', '']
    assert all(x['Variant Grams'].isdigit() for x in rog), rog
    # A simple product: Shopify's "Default Title" option; a sale that
    # runs now is its price, the regular one to compare at.
    st = [x for x in d if x['Handle'] == 'laugenstange']
    assert st[0]['Option1 Name'] == 'Title', st[0]
    assert st[0]['Option1 Value'] == 'Default Title', st[0]
    assert st[0]['Variant Price'] == '0.99', st[0]
    assert st[0]['Variant Compare At Price'] == '1.10', st[0]
    assert st[0]['Variant SKU'].startswith('bakery-'), st[0]
    # Extra images: rows with the Handle and the image alone.
    assert len(st) == 3, st
    assert [(x['Variant SKU'], x['Variant Price'], x['Option1 Value'])
            for x in st[1:]] == [('', '', '')] * 2, st
    assert all(x['Image Src'] for x in st), st
    assert any(x['Title'] == "'=1+2" for x in d)
    mug = next(x for x in d if x['Title'] == 'Kaffeebecher')
    assert (mug['Published'], mug['Status']) == ('FALSE', 'draft'), mug
    out = stack.soukctl('shop', 'export', slug, '--format', 'shopify')
    assert rows_of(out.stdout.encode()) == rows


def test_staff_only_and_bad_format(stack):
    slug, tid, admin = bakery(stack)
    c = Client(stack.port, f'{slug}.localhost')
    r = c.get('/admin/products/export?format=woo')
    assert r.status in (302, 303), r
    assert r.header('Location') == '/admin/login', r.headers
    assert b'Roggenbrot' not in r.body
    for q in ('?format=csv', '?format=', ''):
        r = admin.get('/admin/products/export' + q)
        assert r.status == 400, (q, r)
        # The admin speaks the shop's German.
        assert 'Wählen Sie das Format des Exports: woo (WooCommerce) ' \
            'oder shopify (Shopify).' in r.text, r.text
    r = admin.request('HEAD', '/admin/products/export?format=woo')
    assert r.status == 200 and r.body == b'', r
    assert r.header('Content-Disposition') == \
        f'attachment; filename="{slug}-products-woo.csv"', r.headers
    page = admin.get('/admin/products')
    assert page.status == 200
    assert '/admin/products/export?format=woo' in page.text
    assert '/admin/products/export?format=shopify' in page.text
    r = stack.soukctl('shop', 'export', slug, '--format', 'csv', check=False)
    assert r.returncode == 2, r
    r = stack.soukctl('shop', 'export', 'no-such-shop', '--format', 'woo',
                      check=False)
    assert r.returncode == 1 and 'no shop' in r.stderr, r


def test_another_shop_exports_only_its_own(stack):
    bakery(stack)
    slug = stack.unique('exportother')
    email = f'owner@{slug}.example'
    stack.create_shop(slug, 'Other', email, 'correct horse battery', 'en',
                      'JPY')
    admin = admin_login(stack.port, slug, email)
    create_product(admin, {'name_en': 'Only mine', 'slug': 'only-mine',
                           'sku': 'MINE-1', 'price': '1500'})
    for fmt in ('woo', 'shopify'):
        d = dicts(rows_of(download(admin, fmt).body))
        assert len(d) == 1, d
        name = d[0].get('Name', d[0].get('Title'))
        assert name == 'Only mine', d
        price = d[0].get('Regular price', d[0].get('Variant Price'))
        assert price == '1500', d
