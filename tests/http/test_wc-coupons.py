"""/wp-json/wc/v3/coupons (web/wc_coupons.c, shop/wc_misc_body.c) over
the whole stack: create, get, list (search, code, paging), update,
delete (force=true, 501 without), batch; WooCommerce's fields mapped to
souk's coupons and checked against the row the admin's functions wrote;
400s naming the field for bad bodies and for what souk lacks
(fixed_product, exclusions); a read key gets 401 on writes; shop B's key
never sees shop A's coupons."""
from wc_setup import Api, body, make_key, shop


def _api(stack, prefix, perm='read_write'):
    admin, tid, slug = shop(stack, prefix)
    ck, cs, _ = make_key(admin, perm)
    return Api(stack, slug, ck, cs), tid, admin, slug


def _row(stack, tid, cid):
    return stack.query(
        f"SELECT code, kind, amount, min_spend, "
        f"COALESCE(DATE_FORMAT(expires_at, '%Y-%m-%d %H:%i:%s'), ''), "
        f"product_ids, category_ids, usage_limit, per_customer, active "
        f"FROM s{tid}_coupons WHERE id = {cid}")


def test_coupon_crud(stack):
    api, tid, _, _ = _api(stack, 'wccpn')
    r = api.req('POST', 'coupons', body={
        'code': 'Summer10', 'discount_type': 'percent', 'amount': '12.5',
        'date_expires': '2030-06-30T00:00:00', 'minimum_amount': '20.00',
        'usage_limit': 50, 'usage_limit_per_user': 1,
        'product_ids': [3, 17], 'product_categories': [4],
        'individual_use': True, 'meta_data': []})
    assert r.status == 201, r.text
    c = body(r)
    cid = c['id']
    assert c['code'] == 'summer10'
    assert c['amount'] == '12.50'
    assert c['discount_type'] == 'percent'
    assert c['status'] == 'publish'
    assert c['date_expires_gmt'] == '2030-06-30T23:59:59'
    assert c['date_expires'] == '2030-06-30T23:59:59'
    assert c['minimum_amount'] == '20.00'
    assert c['maximum_amount'] == '0.00'
    assert c['usage_limit'] == 50 and c['usage_limit_per_user'] == 1
    assert c['usage_count'] == 0
    assert c['product_ids'] == [3, 17]
    assert c['product_categories'] == [4]
    assert c['free_shipping'] is False
    assert c['excluded_product_ids'] == [] and c['email_restrictions'] == []
    assert c['date_modified_gmt'] and c['date_created_gmt']
    assert c['_links']['self'][0]['href'].endswith(f'/coupons/{cid}')
    assert _row(stack, tid, cid) == [[
        'SUMMER10', 'percent', '1250', '2000', '2030-06-30 23:59:59',
        '3 17', '4', '50', '1', '1']]

    r = api.get(f'coupons/{cid}')
    assert r.status == 200 and body(r) == c

    # Update: only what is sent changes.
    r = api.req('PUT', f'coupons/{cid}', body={
        'discount_type': 'fixed_cart', 'amount': '5', 'usage_limit': None,
        'status': 'draft', 'date_expires': None})
    assert r.status == 200, r.text
    c = body(r)
    assert c['discount_type'] == 'fixed_cart' and c['amount'] == '5.00'
    assert c['date_modified_gmt'] >= c['date_created_gmt']
    assert c['usage_limit'] is None and c['status'] == 'draft'
    assert c['date_expires'] is None and c['date_expires_gmt'] is None
    assert c['minimum_amount'] == '20.00'
    assert _row(stack, tid, cid)[0][1:4] == ['fixed', '500', '2000']
    assert _row(stack, tid, cid)[0][9] == '0'

    # Free shipping: fixed_cart with nothing off.
    r = api.req('POST', 'coupons', body={'code': 'shipfree',
                                         'free_shipping': True})
    assert r.status == 201, r.text
    f = body(r)
    assert f['free_shipping'] is True and f['amount'] == '0.00'
    assert f['discount_type'] == 'fixed_cart'
    assert _row(stack, tid, f['id'])[0][1] == 'free_shipping'

    # List, search, code, paging.
    r = api.get('coupons')
    assert r.status == 200 and r.header('X-WP-Total') == '2'
    assert [x['id'] for x in body(r)] == [f['id'], cid]
    assert [x['id'] for x in body(api.get('coupons', {'search': 'MMER'}))] \
        == [cid]
    assert [x['id'] for x in body(api.get('coupons',
                                          {'code': 'SHIPFREE'}))] == [f['id']]
    assert body(api.get('coupons', {'code': 'ship'})) == []
    r = api.get('coupons', {'per_page': 1, 'page': 2})
    assert [x['id'] for x in body(r)] == [cid]
    assert r.header('X-WP-TotalPages') == '2'

    # Delete: WooCommerce's 501 without force, the coupon with it.
    r = api.req('DELETE', f'coupons/{cid}')
    assert r.status == 501, r.text
    assert body(r)['code'] == 'woocommerce_rest_trash_not_supported'
    r = api.req('DELETE', f'coupons/{cid}', {'force': 'true'})
    assert r.status == 200 and body(r)['id'] == cid
    assert _row(stack, tid, cid) == []
    r = api.get(f'coupons/{cid}')
    assert r.status == 404
    assert body(r)['code'] == 'woocommerce_rest_shop_coupon_invalid_id'
    assert api.req('PUT', f'coupons/{cid}', body={}).status == 404
    assert api.req('DELETE', f'coupons/{cid}',
                   {'force': 'true'}).status == 404


def _bad(api, b, field, path='coupons', method='POST'):
    r = api.req(method, path, body=b)
    assert r.status == 400, (b, r.status, r.text)
    e = body(r)
    assert field in e['data'].get('params', {}), (b, e)
    return e


def test_coupon_bad_bodies(stack):
    api, tid, _, _ = _api(stack, 'wccpnbad')
    _bad(api, {'code': 'A', 'amount': '10', 'discount_type': 'nope'},
         'discount_type')
    _bad(api, {'code': 'A', 'amount': '10',
               'discount_type': 'fixed_product'}, 'discount_type')
    _bad(api, {'code': 'A', 'amount': '10',
               'excluded_product_ids': [3]}, 'excluded_product_ids')
    _bad(api, {'code': 'A', 'amount': '10', 'maximum_amount': '50'},
         'maximum_amount')
    _bad(api, {'code': 'A', 'amount': '10', 'description': 'x'},
         'description')
    _bad(api, {'code': 'A', 'amount': 'ten'}, 'amount')
    _bad(api, {'code': 'A', 'amount': '-5'}, 'amount')
    _bad(api, {'code': 'A', 'amount': '0'}, 'amount')
    _bad(api, {'code': 'A', 'amount': '101', 'discount_type': 'percent'},
         'amount')
    _bad(api, {'code': 'A', 'amount': '5', 'free_shipping': True},
         'amount')
    _bad(api, {'code': 'A', 'amount': '10', 'usage_limit': -1},
         'usage_limit')
    _bad(api, {'code': 'A', 'amount': '10', 'usage_limit': 'many'},
         'usage_limit')
    _bad(api, {'code': 'A', 'amount': '10', 'free_shipping': 'yes'},
         'free_shipping')
    _bad(api, {'code': 'A', 'amount': '10', 'product_ids': [0]},
         'product_ids')
    _bad(api, {'code': 'A', 'amount': '10', 'product_ids': '3'},
         'product_ids')
    _bad(api, {'code': 'A', 'amount': '10', 'date_expires': '2030-02-30'},
         'date_expires')
    _bad(api, {'code': 'A', 'amount': '10', 'status': 'trash'}, 'status')
    _bad(api, {'code': 'ä' * 41, 'amount': '10'}, 'code')
    _bad(api, {'code': 'no spaces', 'amount': '10'}, 'code')
    _bad(api, {'code': 7, 'amount': '10'}, 'code')
    r = api.req('POST', 'coupons', body={'amount': '10'})
    assert r.status == 400
    assert body(r)['code'] == 'rest_missing_callback_param'
    r = api.req('POST', 'coupons', body=[1])
    assert r.status == 400
    r = api.c.request('POST', '/wp-json/wc/v3/coupons', body='{"code":',
                      headers={'Authorization': _auth(api),
                               'Content-Type': 'application/json'})
    assert r.status == 400 and body(r)['code'] == 'rest_invalid_json'
    assert stack.query(f"SELECT COUNT(*) FROM s{tid}_coupons") == [['0']]
    # A taken code, in any case.
    assert api.req('POST', 'coupons', body={'code': 'X1',
                                            'amount': '1'}).status == 201
    r = api.req('POST', 'coupons', body={'code': 'x1', 'amount': '1'})
    assert r.status == 400
    assert body(r)['code'] == 'woocommerce_rest_coupon_code_already_exists'


def _auth(api):
    import base64
    return 'Basic ' + base64.b64encode(
        f'{api.ck}:{api.cs}'.encode()).decode()


def test_coupon_batch(stack):
    api, tid, _, _ = _api(stack, 'wccpnb')
    a = body(api.req('POST', 'coupons', body={'code': 'OLD1',
                                              'amount': '3'}))
    b = body(api.req('POST', 'coupons', body={'code': 'OLD2',
                                              'amount': '4'}))
    # One bad item: nothing is written.
    r = api.req('POST', 'coupons/batch', body={
        'create': [{'code': 'NEW1', 'amount': '1'},
                   {'code': 'NEW2', 'amount': 'x'}],
        'delete': [a['id']]})
    assert r.status == 400, r.text
    assert 'create[1][amount]' in body(r)['data']['params']
    assert stack.query(
        f"SELECT COUNT(*) FROM s{tid}_coupons") == [['2']]
    r = api.req('POST', 'coupons/batch', body={
        'create': [{'code': 'NEW1', 'amount': '1'},
                   {'code': 'OLD2', 'amount': '1'}],
        'update': [{'id': b['id'], 'amount': '9.99'},
                   {'id': 999999, 'amount': '1'}],
        'delete': [a['id'], 888888]})
    assert r.status == 200, r.text
    o = body(r)
    assert o['create'][0]['code'] == 'new1'
    assert o['create'][1]['error']['code'] == \
        'woocommerce_rest_coupon_code_already_exists'
    assert o['update'][0]['amount'] == '9.99'
    assert o['update'][1]['error']['code'] == \
        'woocommerce_rest_shop_coupon_invalid_id'
    assert o['update'][1]['error']['data']['status'] == 404
    assert o['delete'][0]['id'] == a['id']
    assert o['delete'][1]['error']['data']['status'] == 404
    codes = sorted(x[0] for x in stack.query(
        f"SELECT code FROM s{tid}_coupons"))
    assert codes == ['NEW1', 'OLD2']
    r = api.req('POST', 'coupons/batch', body={
        'delete': list(range(1, 102))})
    assert r.status == 413
    r = api.req('POST', 'coupons/batch', body={'delete': 'all'})
    assert r.status == 400


def test_coupon_keys_and_isolation(stack):
    api, tid, admin, slug = _api(stack, 'wccpni')
    c = body(api.req('POST', 'coupons', body={'code': 'MINE',
                                              'amount': '2'}))
    ck, cs, _ = make_key(admin, 'read')
    ro = Api(stack, slug, ck, cs)
    assert ro.get('coupons').status == 200
    assert ro.req('POST', 'coupons', body={'code': 'RO',
                                           'amount': '1'}).status == 401
    assert ro.req('PUT', f'coupons/{c["id"]}', body={}).status == 401
    assert ro.req('DELETE', f'coupons/{c["id"]}',
                  {'force': 'true'}).status == 401
    assert ro.req('POST', 'coupons/batch', body={}).status == 401
    other, _, _, _ = _api(stack, 'wccpnj')
    assert body(other.get('coupons')) == []
    assert other.get(f'coupons/{c["id"]}').status == 404
    assert other.req('PUT', f'coupons/{c["id"]}',
                     body={'amount': '1'}).status == 404
    assert other.req('DELETE', f'coupons/{c["id"]}',
                     {'force': 'true'}).status == 404
    r = other.req('POST', 'coupons/batch', body={'delete': [c['id']]})
    assert body(r)['delete'][0]['error']['data']['status'] == 404
    assert stack.query(f"SELECT code, amount FROM s{tid}_coupons") == \
        [['MINE', '200']]


def test_coupon_used_by_an_order(stack):
    """A guest's order through the checkout with a coupon made over the
    API: usage_count 1, used_by the order's e-mail."""
    import importlib
    from souk_client import admin_login
    from shop_setup import selling_shop
    rep = importlib.import_module('test_reports')
    slug, tid, loaf = selling_shop(stack, 'wccpnu', stock=20)
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    ck, cs, _ = make_key(admin, 'read_write')
    api = Api(stack, slug, ck, cs)
    r = api.req('POST', 'coupons', body={'code': 'take5',
                                         'discount_type': 'percent',
                                         'amount': '5'})
    assert r.status == 201, r.text
    cid = body(r)['id']
    rep._buy(stack, slug, {loaf: 2}, coupon='TAKE5')
    c = body(api.get(f'coupons/{cid}'))
    assert c['usage_count'] == 1
    email = stack.query(f"SELECT email FROM s{tid}_orders")[0][0]
    assert c['used_by'] == [email]
    assert body(api.get('coupons'))[0]['used_by'] == [email]
