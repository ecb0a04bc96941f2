"""Authentication of the shop's WooCommerce-compatible API (web/wc_auth.c,
shop/api_key.c): keys made on /admin/api-keys, shown once, stored as
hashes; HTTP Basic, query credentials and OAuth 1.0a (HMAC-SHA1 and
HMAC-SHA256, signed in the test, apart from souk) accepted; a replayed
nonce, a stale timestamp, a wrong secret, a read key on a write, a
revoked key and another shop's key refused with WooCommerce's 401;
routes and paging errors in WordPress's shape."""
import time

from wc_setup import Api, body, make_key, shop


def _setup(stack, prefix='wcauth'):
    admin, tid, slug = shop(stack, prefix)
    ck, cs, kid = make_key(admin)
    return admin, tid, slug, Api(stack, slug, ck, cs), kid


def test_keys_are_shown_once_and_stored_as_hashes(stack):
    admin, tid, slug = shop(stack, 'wckeys')
    ck, cs, kid = make_key(admin, 'read', 'ERP <nightly>')
    rows = stack.query(f"SELECT HEX(key_hash), HEX(salt), description, "
                       f"permission, truncated_key FROM s{tid}_api_keys")
    assert len(rows) == 1
    h, salt, desc, perm, trunc = rows[0]
    assert desc == 'ERP <nightly>' and perm == 'read'
    assert trunc == ck[-7:]
    dump = ' '.join(str(c) for c in rows[0]).lower()
    assert ck[3:].lower() not in dump and cs[3:].lower() not in dump
    page = admin.get('/admin/api-keys')
    assert page.status == 200
    assert ck not in page.text and cs not in page.text
    assert ck[-7:] in page.text and 'ERP &lt;nightly&gt;' in page.text
    assert page.header('Cache-Control') == 'no-store'
    # A form without a description is refused beside its field.
    r = admin.submit('/admin/api-keys', '/admin/api-keys',
                     {'description': '', 'permission': 'read'})
    assert r.status == 422
    r = admin.submit('/admin/api-keys', '/admin/api-keys',
                     {'description': 'x', 'permission': 'admin'})
    assert r.status == 422
    # A clerk may not see or make keys.
    csrf = admin.get('/admin/api-keys').csrf()
    stack.query(f"UPDATE s{tid}_staff SET role = 'clerk'")
    assert admin.get('/admin/api-keys').status == 403
    r = admin.post('/admin/api-keys', {'description': 'x',
                                       'permission': 'read', 'csrf': csrf})
    assert r.status == 403
    r = admin.post(f'/admin/api-keys/{kid}/revoke', {'csrf': csrf})
    assert r.status == 403
    assert len(stack.query(f"SELECT id FROM s{tid}_api_keys")) == 1


def test_basic_query_and_oauth_are_accepted(stack):
    _, _, _, api, _ = _setup(stack)
    for how in ('basic', 'query', 'sha1', 'sha256'):
        r = api.get('products', {'per_page': '5', 'search': 'a b&c'},
                    how=how)
        assert r.status == 200, (how, r.status, r.text)
        assert body(r) == []
        assert r.header('X-RateLimit-Limit') == '100'
        assert r.header('Cache-Control') == 'no-store'
        assert r.header('X-Cache') is None     # not the microcache's


def test_oauth_header_form(stack):
    _, _, _, api, _ = _setup(stack)
    from wc_setup import oauth_params, enc
    p = oauth_params('GET', api.url('products'), {}, api.ck, api.cs,
                     'HMAC-SHA256')
    h = 'OAuth ' + ', '.join(f'{k}="{enc(v)}"' for k, v in p.items())
    r = api.c.request('GET', '/wp-json/wc/v3/products',
                      headers={'Authorization': h})
    assert r.status == 200, r.text


def _auth_error(r, code='woocommerce_rest_authentication_error'):
    assert r.status == 401, (r.status, r.text)
    b = body(r)
    assert b['code'] == code, b
    assert b['data'] == {'status': 401}
    return b['message']


def test_replayed_nonce_and_stale_timestamp(stack):
    _, _, _, api, _ = _setup(stack)
    assert api.get('products', how='sha1', nonce='n-once-1').status == 200
    m = _auth_error(api.get('products', how='sha1', nonce='n-once-1'))
    assert 'nonce' in m
    m = _auth_error(api.get('products', how='sha256',
                            ts=int(time.time()) - 16 * 60))
    assert 'timestamp' in m
    m = _auth_error(api.get('products', how='sha1',
                            ts=int(time.time()) + 16 * 60))
    assert 'timestamp' in m
    # 14 minutes off is inside the window.
    assert api.get('products', how='sha1',
                   ts=int(time.time()) - 14 * 60).status == 200


def test_wrong_secret_or_key(stack):
    _, _, slug, api, _ = _setup(stack)
    good = api.cs
    api.cs = good[:-1] + ('0' if good[-1] != '0' else '1')
    for how in ('basic', 'query', 'sha1', 'sha256'):
        _auth_error(api.get('products', how=how))
    api.cs = good
    api.ck = 'ck_' + '0' * 40
    m = _auth_error(api.get('products'))
    assert m == 'Consumer key is invalid.'
    api.ck = 'not a key'
    _auth_error(api.get('products', how='query'))


def test_no_credentials(stack):
    _, _, slug, api, _ = _setup(stack)
    r = api.get('products', how=None)
    _auth_error(r, 'woocommerce_rest_cannot_view')
    r = api.get('products/1', how=None)
    _auth_error(r, 'woocommerce_rest_cannot_view')
    # Without credentials an unknown route is WordPress's 404 first.
    r = api.req('POST', 'products/1/nothing', how=None, body={})
    assert r.status == 404 and body(r)['code'] == 'rest_no_route'
    r = api.c.request('GET', '/wp-json/wc/v3/products',
                      headers={'Authorization': 'Basic !!!'})
    _auth_error(r)


def test_read_key_on_write_and_write_key_on_read(stack):
    """Credentials are checked before the route, as WooCommerce does:
    a read key's write is a 401 whatever the path."""
    admin, _, slug, _, _ = _setup(stack)
    ck, cs, _ = make_key(admin, 'read')
    api = Api(stack, slug, ck, cs)
    assert api.get('products').status == 200
    for method, path, code in (
            ('POST', 'products', 'woocommerce_rest_cannot_create'),
            ('PUT', 'products/1', 'woocommerce_rest_cannot_edit'),
            ('PATCH', 'products/1', 'woocommerce_rest_cannot_edit'),
            ('DELETE', 'products/1', 'woocommerce_rest_cannot_delete')):
        for how in ('basic', 'sha1'):
            _auth_error(api.req(method, path, how=how, body={}), code)
    ck, cs, _ = make_key(admin, 'write')
    api = Api(stack, slug, ck, cs)
    m = _auth_error(api.get('products'))
    assert 'read' in m
    # A read/write key's write reaches the route (test_wc-catalog.py).
    _, _, _, rw, _ = _setup(stack)
    r = rw.req('POST', 'products', body={})
    assert r.status == 400 and body(r)['code'] == 'rest_invalid_param'


def test_revoked_key(stack):
    admin, _, slug, api, kid = _setup(stack)
    # Asked of every worker, which each keep the key a while
    # (shop/api_key.c): the revoke drops all their copies at once.
    for _ in range(8):
        assert api.get('products').status == 200
    r = admin.submit('/admin/api-keys', f'/admin/api-keys/{kid}/revoke', {})
    assert r.status == 303, r.text
    for _ in range(8):
        _auth_error(api.get('products'))
    _auth_error(api.get('products', how='sha1'))


def test_other_shops_key(stack):
    _, _, _, api_a, _ = _setup(stack, 'wcshopa')
    _, _, slug_b, _, _ = _setup(stack, 'wcshopb')
    b = Api(stack, slug_b, api_a.ck, api_a.cs)
    for how in ('basic', 'query', 'sha1'):
        _auth_error(b.get('products', how=how))


def test_routes_and_indexes(stack):
    _, _, slug, api, _ = _setup(stack)
    r = api.get('nothing-here')
    assert r.status == 404 and body(r)['code'] == 'rest_no_route'
    r = api.req('PATCH', 'products')
    assert r.status == 404 and body(r)['code'] == 'rest_no_route'
    r = api.c.request('GET', '/wp-json/wc/v3')
    assert r.status == 200
    idx = body(r)
    assert idx['namespace'] == 'wc/v3'
    assert '/wc/v3/products' in idx['routes']
    assert idx['routes']['/wc/v3/products']['methods'] == ['GET', 'POST']
    assert '/wc/v3/products/(?P<id>[\\d]+)' in idx['routes']
    r = api.c.request('GET', '/wp-json/')
    assert r.status == 200 and body(r)['namespaces'] == ['wc/v3']
    # The ?rest_route= form.
    r = api.c.request('GET', '/?rest_route=/wc/v3/products&consumer_key='
                      f'{api.ck}&consumer_secret={api.cs}')
    assert r.status == 200 and body(r) == [], r.text


def test_bad_paging(stack):
    _, _, _, api, _ = _setup(stack)
    for p, v in (('page', '0'), ('page', 'x'), ('per_page', '0'),
                 ('per_page', '101'), ('offset', '-1'), ('per_page', '')):
        r = api.get('products', {p: v})
        assert r.status == 400, (p, v, r.status, r.text)
        b = body(r)
        assert b['code'] == 'rest_invalid_param'
        assert b['message'] == f'Invalid parameter(s): {p}'
        assert p in b['data']['params']
        assert b['data']['status'] == 400
