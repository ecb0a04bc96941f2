"""A plan's limits, where the work happens (platform/quota.h): products
(the admin's form, the API, an API batch, a CSV import), media bytes
(an upload), API requests a 15 minutes (every key of the shop
together) and custom domains (soukctl). Each refusal names the plan
and where to choose a larger one; nothing already there is touched;
shoppers keep buying. 100 products created at once on a plan of 100
with 50 there end with exactly 100. A change of plan holds at once."""
import json
import os
import random
import threading

from import_setup import soukctl_import, write_csv
from shop_setup import shopper
from souk_client import Client, admin_login
from test_images import png_chunks, upload
from wc_setup import Api, body, make_key, shop

import zlib


def _plan(stack, code, name, **limits):
    """soukctl plan create CODE --name NAME --price 900 --LIMIT N..."""
    args = ['plan', 'create', code, '--name', name, '--price', '900']
    for k, v in limits.items():
        args += ['--' + k.replace('_', '-'), str(v)]
    stack.soukctl(*args)


def _assign(stack, slug, code):
    stack.soukctl('plan', 'assign', slug, code)


def _products(stack, tid):
    return int(stack.query(f"SELECT COUNT(*) FROM s{tid}_products")[0][0])


def _seed_products(stack, tid, n):
    """n products straight into the shop's table (the test's setup,
    not what is tested)."""
    rows = ', '.join(f"('seed-{i}', 100, 5, 'active')" for i in range(n))
    stack.query(f"INSERT INTO s{tid}_products (slug, price, stock, status) "
                f"VALUES {rows}")


def _refusal(r, plan_name):
    assert r.status == 403, f'{r.status} {r.text[:2000]}'
    b = body(r)
    assert b['code'] == 'souk_plan_limit', b
    assert plan_name in b['message'] and 'Plan page' in b['message'], b
    assert b['data']['status'] == 403


def test_quota_products_concurrent(stack):
    """100 creations at once through the API, 50 products there, a plan
    of 100: exactly 50 are made, the other 50 refused with the plan's
    message."""
    admin, tid, slug = shop(stack, 'qconc')
    code = stack.unique('q100')
    _plan(stack, code, 'Hundred', products=100)
    _assign(stack, slug, code)
    _seed_products(stack, tid, 50)
    # Four keys: a key's own rate limit is 100 requests a window.
    apis = [Api(stack, slug, *make_key(admin, 'read_write', f'k{i}')[:2])
            for i in range(4)]
    results = [None] * 100
    go = threading.Barrier(100)

    def create(i):
        go.wait()
        results[i] = apis[i % 4].req('POST', 'products', body={
            'name': f'Racer {i}', 'regular_price': '10.00'})

    threads = [threading.Thread(target=create, args=(i,))
               for i in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    statuses = sorted(r.status for r in results)
    assert statuses.count(201) == 50 and statuses.count(403) == 50, \
        statuses
    for r in results:
        if r.status == 403:
            _refusal(r, 'Hundred')
    assert _products(stack, tid) == 100


def test_quota_products_everywhere(stack):
    """At the limit: the admin's form keeps what was typed and says why,
    a batch refuses its creates but makes its updates, an import
    refuses the rows past the limit; existing products stay editable
    and shoppers buy. A larger plan lets the next one through at once."""
    admin, tid, slug = shop(stack, 'qall')
    small, big = stack.unique('qthree'), stack.unique('qbig')
    # Orders a month: 0, which only counts, never refuses a shopper.
    _plan(stack, small, 'Tiny shop', products=3, orders_month=0)
    _plan(stack, big, 'Bigger shop', products=10)
    _assign(stack, slug, small)
    ck, cs, _ = make_key(admin)
    api = Api(stack, slug, ck, cs)
    ids = []
    for i in range(3):
        r = api.req('POST', 'products', body={
            'name': f'Cup {i}', 'regular_price': '4.00',
            'manage_stock': True, 'stock_quantity': 9})
        assert r.status == 201, r.text
        ids.append(body(r)['id'])
    r = api.req('POST', 'products', body={'name': 'One too many',
                                          'regular_price': '1.00'})
    _refusal(r, 'Tiny shop')

    # The admin's form: 403, the message, what was typed still there.
    page = admin.get('/admin/products/new')
    r = admin.post('/admin/products', {
        'csrf': page.csrf(), 'name_en': 'Teapot deluxe', 'price': '30.00',
        'stock': '2', 'active': '1'})
    assert r.status == 403, r.text[:2000]
    assert 'Tiny shop' in r.text and 'allows 3 products' in r.text
    assert 'value="Teapot deluxe"' in r.text or 'Teapot deluxe' in r.text
    assert _products(stack, tid) == 3

    # A batch: its create refused, its update made.
    r = api.req('POST', 'products/batch', body={
        'create': [{'name': 'Batch new', 'regular_price': '2.00'}],
        'update': [{'id': ids[0], 'regular_price': '5.00'}]})
    assert r.status == 200, r.text
    b = body(r)
    assert b['create'][0]['error']['code'] == 'souk_plan_limit', b
    assert b['update'][0]['regular_price'] == '5.00'
    assert _products(stack, tid) == 3

    # An import: rows past the limit refused, each with the reason.
    path = write_csv(os.path.join(stack.dir, f'{slug}.csv'),
                     ['Type', 'SKU', 'Name', 'Regular price', 'Published'],
                     [['simple', f'IMP-{i}', f'Imported {i}', '3.00', '1']
                      for i in range(2)])
    rep = soukctl_import(stack, slug, path)
    assert rep.status == 0, rep
    assert rep.counts['products'][0] == 0, rep
    assert len([m for _, m in rep.lines if "plan allows no more "
                "products" in m]) == 2, rep
    assert _products(stack, tid) == 3

    # Shoppers are never refused for the plan: a purchase goes through.
    p = f's{tid}_'
    stack.query(f"INSERT INTO {p}ship_zones (name, countries) "
                "VALUES ('Germany', 'DE')")
    stack.query(f"INSERT INTO {p}ship_methods (zone_id, kind, name, cost) "
                f"SELECT id, 'flat', 'Post', 490 FROM {p}ship_zones")
    assert Client(stack.port, f'{slug}.localhost').get(
        '/p/cup-1').status == 200
    c, fields = shopper(stack, slug, ids[1], 2)
    r = c.post('/checkout/place', fields)
    assert r.status == 303, r.text[:2000]
    assert stack.query(f"SELECT stock FROM {p}products WHERE id = "
                       f"{ids[1]}") == [['7']]

    # A larger plan holds at once, on every worker.
    _assign(stack, slug, big)
    r = api.req('POST', 'products', body={'name': 'Now it fits',
                                          'regular_price': '1.00'})
    assert r.status == 201, r.text
    rep = soukctl_import(stack, slug, path)
    assert rep.counts['products'][0] == 2, rep
    assert _products(stack, tid) == 6


def _noise_png(w, h, seed):
    """An RGB PNG that does not compress: about w * h * 3 bytes."""
    rnd = random.Random(seed)
    rows = bytearray()
    for _ in range(h):
        rows.append(0)
        rows += rnd.randbytes(w * 3)
    return png_chunks(w, h, zlib.compress(bytes(rows), 0))


def test_quota_media(stack):
    """A plan of 2 MB of images: a 1.1 MB upload fits, a second does
    not, with the plan's message; the first stays."""
    admin, tid, slug = shop(stack, 'qmedia')
    code = stack.unique('qmb')
    _plan(stack, code, 'Few pictures', media_mb=2)
    _assign(stack, slug, code)
    page = admin.get('/admin/products/new')
    r = admin.post('/admin/products', {
        'csrf': page.csrf(), 'name_en': 'Vase', 'slug': 'vase',
        'price': '20.00', 'stock': '3', 'active': '1'})
    assert r.status == 303, r.text[:2000]
    pid = int(r.header('Location').split('/')[-1].split('?')[0])
    one = _noise_png(600, 600, 1)
    assert 1_000_000 < len(one) < 1_200_000
    r = upload(admin, pid, [('a.png', one)])
    assert r.status == 303, r.text[:2000]
    r = upload(admin, pid, [('b.png', _noise_png(600, 600, 2))])
    assert r.status == 403, r.text[:2000]
    assert 'Few pictures' in r.text and '2 MB' in r.text
    assert stack.query(f"SELECT COUNT(*), SUM(bytes) FROM s{tid}_images") \
        == [['1', str(len(one))]]
    # Nothing of the refused upload stays on disk: three files (the
    # original and its two copies) of the first.
    shop_dir = os.path.join(stack.media_dir, f's{tid}')
    files = [f for _, _, fs in os.walk(shop_dir) for f in fs]
    assert len(files) == 3, files


def test_quota_api_requests(stack):
    """A plan of 5 API requests a 15 minutes: every key of the shop
    together; the sixth is 429 with Retry-After and the plan's message;
    the storefront answers."""
    # On its plan before any page of it is served: soukctl's changes
    # reach the pool's cached copy of a shop within 3 s (README), the
    # console's and the API's at once.
    slug = stack.unique('qapi')
    code = stack.unique('qfive')
    _plan(stack, code, 'Quiet API', api_15min=5)
    stack.create_shop(slug, owner_email=f'{slug}@api.test')
    _assign(stack, slug, code)
    admin = admin_login(stack.port, slug, f'{slug}@api.test')
    a1 = Api(stack, slug, *make_key(admin, 'read', 'one')[:2])
    a2 = Api(stack, slug, *make_key(admin, 'read', 'two')[:2])
    for i in range(5):
        r = (a1 if i % 2 else a2).get('products')
        assert r.status == 200, r.text
    r = a1.get('products')
    assert r.status == 429, r.text
    b = body(r)
    assert b['code'] == 'souk_plan_limit' and 'Quiet API' in b['message']
    assert int(r.header('Retry-After')) >= 1
    assert a2.get('products').status == 429
    assert Client(stack.port, f'{slug}.localhost').get('/').status == 200
    # Another shop's API is not counted with this one's.
    admin_b, _, slug_b = shop(stack, 'qapib')
    ab = Api(stack, slug_b, *make_key(admin_b, 'read')[:2])
    assert ab.get('products').status == 200


def test_quota_domains(stack):
    """A plan of one custom domain: the second is refused by soukctl
    with the reason; the first reaches the shop."""
    admin, tid, slug = shop(stack, 'qdom')
    code = stack.unique('qone')
    _plan(stack, code, 'One domain', domains=1)
    _assign(stack, slug, code)
    stack.soukctl('domain', 'add', slug, f'{slug}-shop.example')
    p = stack.soukctl('domain', 'add', slug, f'{slug}-two.example',
                      check=False)
    assert p.returncode != 0
    assert 'plan allows no more custom domains' in p.stderr, p.stderr
    assert stack.query("SELECT host FROM souk_domains WHERE tenant_id = "
                       f"{tid}") == [[f'{slug}-shop.example']]
    r = Client(stack.port, f'{slug}-shop.example').get('/')
    assert r.status == 200


def test_quota_plans_cli(stack):
    """soukctl plan: create, list, set, default, assign with a trial,
    delete refused while in use; a new shop starts on the default plan
    with its trial days."""
    code = stack.unique('qcli')
    _plan(stack, code, 'Starter kit', products=100, staff=2, media_mb=500,
          orders_month=1000, api_15min=3000, domains=1, trial_days=14)
    out = stack.soukctl('plan', 'list').stdout
    line = [ln for ln in out.splitlines() if ln.startswith(code)][0]
    assert ' 900 EUR' in line and ' 100 ' in line and ' 500 ' in line
    assert 'Starter kit' in line and '(default)' not in line
    stack.soukctl('plan', 'set', code, '--products', 'unlimited',
                  '--price', '1500')
    row = stack.query("SELECT price, max_products, max_staff, trial_days "
                      f"FROM souk_plans WHERE code = '{code}'")
    assert row == [['1500', None, '2', '14']]
    p = stack.soukctl('plan', 'set', code, '--products', '-3', check=False)
    assert p.returncode == 2
    # The default plan: new shops on it, with its trial.
    old = stack.query("SELECT code FROM souk_plans WHERE is_default = 1")
    stack.soukctl('plan', 'default', code)
    try:
        _, tid, slug = shop(stack, 'qtrial')
        row = stack.query("SELECT p.code, DATEDIFF(t.trial_ends_at, "
                          "UTC_DATE()) FROM souk_tenants t JOIN souk_plans "
                          f"p ON p.id = t.plan_id WHERE t.id = {tid}")
        assert row == [[code, '14']]
        p = stack.soukctl('plan', 'delete', code, check=False)
        assert p.returncode == 1 and 'default' in p.stderr
    finally:
        stack.soukctl('plan', 'default', old[0][0])
    p = stack.soukctl('plan', 'delete', code, check=False)
    assert p.returncode == 1 and 'shops are on it' in p.stderr
    stack.soukctl('plan', 'assign', slug, old[0][0], '--trial-until',
                  '2027-02-28')
    p = stack.soukctl('plan', 'assign', slug, old[0][0], '--trial-until',
                      '2027-02-29', check=False)
    assert p.returncode == 1
    # The shop's history: its creation (from no plan), then the move.
    got = stack.query("SELECT from_plan_id IS NOT NULL, IFNULL("
                      "trial_ends_at, '-') FROM souk_plan_changes WHERE "
                      f"tenant_id = {tid} ORDER BY id")
    assert len(got) == 2 and got[0][0] == '0', got
    assert got[1] == ['1', '2027-02-28'], got
    stack.soukctl('plan', 'delete', code)
    assert stack.query(f"SELECT COUNT(*) FROM souk_plans WHERE code = "
                       f"'{code}'") == [['0']]
