"""The audit log (platform/audit.h): a scripted set of changes, made in
the admin, through the shop's API, in the operator console, through the
tenant API and with soukctl, produces exactly the expected entries, each
with who made it, from where, and the values before and after; the shop
sees its own in its admin, the operator every shop's; no page changes
an entry."""
import json

from souk_client import Client
from wc_setup import Api, body, make_key, shop

OPERATOR = ('audit-ops@souk.test', 'operator password')
PW = 'correct horse battery'


def _entries(stack, tid, after_id):
    rows = stack.query(
        "SELECT actor, actor_label, action, object, object_id, "
        "IFNULL(before_json, 'null'), IFNULL(after_json, 'null'), addr, "
        f"agent FROM souk_audit WHERE tenant_id = {tid} AND id > "
        f"{after_id} ORDER BY id")
    return [(r[0], r[1], r[2], r[3], int(r[4]), json.loads(r[5]),
             json.loads(r[6]), r[7], r[8]) for r in rows]


def test_audit_scripted_changes(stack):
    admin, tid, slug = shop(stack, 'audit')
    owner = f'{slug}@api.test'
    start = int(stack.query("SELECT IFNULL(MAX(id), 0) FROM souk_audit")
                [0][0])
    code = stack.unique('aud')
    stack.soukctl('plan', 'create', code, '--name', 'Audited', '--price',
                  '500')

    # 1, 2: the admin makes a product, then changes its price and stock.
    page = admin.get('/admin/products/new')
    r = admin.post('/admin/products', {
        'csrf': page.csrf(), 'name_en': 'Teapot', 'slug': 'teapot',
        'price': '12.00', 'stock': '5', 'active': '1'},
        headers={'User-Agent': 'audit-test-browser'})
    assert r.status == 303, r.text[:2000]
    pid = int(r.header('Location').split('/')[-1].split('?')[0])
    page = admin.get(f'/admin/products/{pid}')
    r = admin.post(f'/admin/products/{pid}', {
        'csrf': page.csrf(), 'id': str(pid), 'name_en': 'Teapot',
        'slug': 'teapot', 'price': '15.00', 'stock': '7', 'active': '1'})
    assert r.status == 303, r.text[:2000]
    # 3: an API key sets the stock.
    ck, cs, kid = make_key(admin, 'read_write', 'Warehouse')
    api = Api(stack, slug, ck, cs)
    r = api.req('PUT', f'products/{pid}', body={'stock_quantity': 3})
    assert r.status == 200, r.text
    # 4: the admin renames the shop.
    page = admin.get('/admin/settings')
    form = {'csrf': page.csrf(), 'name': 'Audited Teas',
            'color_primary': '#1f6feb', 'color_accent': '#f78166',
            'locales': 'en', 'default_locale': 'en', 'currency': 'EUR'}
    r = admin.post('/admin/settings', form)
    assert r.status in (200, 303), r.text[:2000]
    # 5: an operator moves the shop to another plan in the console.
    stack.add_operator(*OPERATOR, check=False)
    ops = Client(stack.port)
    r = ops.submit('/login', '/login', {'email': OPERATOR[0],
                                        'password': OPERATOR[1]})
    assert r.status == 303
    plan_id = stack.query(f"SELECT id FROM souk_plans WHERE code = "
                          f"'{code}'")[0][0]
    page = ops.get('/operator/plans')
    r = ops.post(f'/operator/shops/{tid}/plan', {'csrf': page.csrf(),
                                                 'plan': plan_id})
    assert r.status == 303
    # 6: soukctl suspends and resumes it.
    stack.soukctl('shop', 'suspend', slug)
    stack.soukctl('shop', 'resume', slug)
    # 7: the owner's account renames it through the tenant API.
    tok = json.loads(stack.http('POST', '/api/v1/auth/token', headers={
        'Content-Type': 'application/json'}, body=json.dumps(
        {'email': owner, 'password': PW}).encode()).body)['access_token']
    r = stack.http('PATCH', f'/api/v1/shops/{slug}', headers={
        'Authorization': f'Bearer {tok}',
        'Content-Type': 'application/json'},
        body=json.dumps({'name': 'Audited Teas & Co'}).encode())
    assert r.status == 200, r.body[:500]
    # 8: a change no function names itself: a coupon, by its route.
    r = admin.submit('/admin/coupons/new', '/admin/coupons', {
        'code': 'TEA10', 'kind': 'percent', 'amount': '10',
        'active': '1'})
    assert r.status in (200, 303), r.text[:2000]
    # 9: the product deleted.
    page = admin.get(f'/admin/products/{pid}')
    r = admin.post(f'/admin/products/{pid}/delete', {'csrf': page.csrf()})
    assert r.status == 303

    got = _entries(stack, tid, start)
    user = stack.query("SELECT USER()")  # noqa: F841 (soukctl's below)
    staff_id = int(stack.query(f"SELECT id FROM s{tid}_staff WHERE "
                               "role = 'owner'")[0][0])
    want = [
        ('staff', owner, 'product.create', 'product', pid, None,
         {'slug': 'teapot', 'sku': '', 'name': 'en: Teapot',
          'price': 1200, 'sale_price': None, 'sale_from': None,
          'sale_to': None, 'stock': 5, 'status': 'active', 'featured': 0,
          'category_id': None, 'tax_class': 'standard', 'weight_g': 0}),
        ('staff', owner, 'product.update', 'product', pid,
         {'price': 1200, 'stock': 5}, {'price': 1500, 'stock': 7}),
        ('api_key', 'Warehouse', 'product.update', 'product', pid,
         {'stock': 7}, {'stock': 3}),
        ('staff', owner, 'shop.settings', 'shop', tid,
         {'name': slug.title()}, {'name': 'Audited Teas'}),
        ('operator', OPERATOR[0], 'shop.plan', 'shop', tid,
         {'plan': 'unlimited'}, {'plan': code}),
        ('soukctl', None, 'shop.status', 'shop', tid,
         {'status': 'ready', 'status_reason': ''},
         {'status': 'suspended', 'status_reason':
          'suspended by an operator'}),
        ('soukctl', None, 'shop.status', 'shop', tid,
         {'status': 'suspended', 'status_reason':
          'suspended by an operator'},
         {'status': 'ready', 'status_reason': ''}),
        ('account', owner, 'shop.settings', 'shop', tid,
         {'name': 'Audited Teas'}, {'name': 'Audited Teas & Co'}),
        ('staff', owner, 'POST /admin/coupons', 'route', 0, None, None),
        ('staff', owner, 'product.delete', 'product', pid, None, None),
    ]
    # Making the API key is a change too (its route, by the owner);
    # logging in and out is not.
    keys = [g for g in got if g[2] == 'POST /admin/api-keys']
    assert len(keys) == 1 and 'csrf' not in keys[0][6]
    assert keys[0][6]['description'] == 'Warehouse'
    got = [g for g in got if g[2] != 'POST /admin/api-keys']
    assert [(g[0], g[2], g[3], g[4]) for g in got] == \
        [(w[0], w[2], w[3], w[4]) for w in want], got
    for g, w in zip(got, want):
        if w[1] is not None:
            assert w[1] in g[1], (g, w)
        if w[2] in ('POST /admin/coupons',):
            assert g[6]['code'] == 'TEA10' and 'csrf' not in g[6], g
            continue
        if w[2] == 'product.delete':
            assert g[5]['price'] == 1500 and g[5]['stock'] == 3
            assert g[6] is None
            continue
        assert (g[5], g[6]) == (w[5], w[6]), (g, w)
    # Where from: the address and the user agent, or soukctl's command.
    assert got[0][7] == '127.0.0.1' and got[0][8] == 'audit-test-browser'
    assert got[5][8] == 'soukctl shop suspend' and got[5][7] == ''
    assert got[0][1] == owner and staff_id > 0

    # The shop sees its log; the operator every shop's.
    page = admin.get('/admin/audit')
    assert page.status == 200
    assert 'product.update' in page.text and 'Warehouse' in page.text
    assert '<del>1200</del> → <ins>1500</ins>' in page.text
    page = ops.get(f'/operator/audit?shop={tid}')
    assert page.status == 200 and 'shop.plan' in page.text
    page = ops.get('/operator/audit')
    assert page.status == 200 and 'plan.create' in page.text
    # Nothing edits an entry.
    for method in ('POST', 'PUT', 'DELETE'):
        r = admin.request(method, '/admin/audit')
        assert r.status == 405, (method, r.status)
    r = ops.request('POST', '/operator/audit')
    assert r.status == 405
