"""/wp-json/wc/v3/customers (web/wc_customers.c, shop/customer_query.c):
accounts created with and without a password, read back in v3's shape,
listed with search, email, role, orderby and paging headers; updated
(names, the default address; e-mail and password refused); deleted with
force as the shopper's own deletion (orders kept, personal data
erased); batch answered in WooCommerce's shape and checked whole
first; 400s naming the field; a read key's writes are 401; shop B's
key gets 404 for shop A's customers."""
from wc_setup import Api, body, make_key, shop

ADDR = {'first_name': 'Ada', 'last_name': 'Lovelace',
        'address_1': 'St James 12', 'city': 'London', 'postcode': 'SW1A 1AA',
        'country': 'GB', 'phone': '+44 20 7946 0000'}


def _api(stack, prefix='wccust', perm='read_write'):
    admin, tid, slug = shop(stack, prefix)
    ck, cs, _ = make_key(admin, perm)
    return Api(stack, slug, ck, cs), tid, slug, admin


def test_wc_customers_crud(stack):
    api, tid, slug, admin = _api(stack)
    p = f's{tid}_'
    r = api.req('POST', 'customers', body={
        'email': 'Ada@Example.com', 'first_name': 'Ada',
        'last_name': 'King Lovelace', 'password': 'analytical engine 1843',
        'billing': {**ADDR, 'email': 'ada@example.com'},
        'shipping': {'city': 'Ockham'}})
    assert r.status == 201, r.text
    c = body(r)
    cid = c['id']
    row = stack.query(f'SELECT email, name FROM {p}customers '
                      f'WHERE id = {cid}')[0]
    assert list(row) == ['ada@example.com', 'Ada King Lovelace']
    assert c['email'] == 'ada@example.com' and c['role'] == 'customer'
    assert c['first_name'] == 'Ada' and c['last_name'] == 'King Lovelace'
    assert c['billing']['city'] == 'Ockham'     # one address: shipping's
    assert c['billing']['address_1'] == 'St James 12'
    assert c['billing']['country'] == 'GB'
    assert c['is_paying_customer'] is False and c['meta_data'] == []
    assert c['date_created_gmt']
    assert body(api.get(f'customers/{cid}')) == c
    # No password: one nobody knows.
    r = api.req('POST', 'customers', body={'email': 'bob@example.com'})
    assert r.status == 201, r.text
    bob = body(r)['id']
    assert body(r)['billing']['first_name'] == ''
    # The same address again.
    r = api.req('POST', 'customers', body={'email': 'ada@example.com'})
    assert r.status == 400
    assert body(r)['code'] == 'registration-error-email-exists'
    # Bad bodies.
    for b, field in (({'email': 5}, 'email'), ({}, 'email'),
                     ({'email': 'x@example.com', 'first_name': 'é' * 201},
                      'first_name'),
                     ({'email': 'x@example.com',
                       'billing': {**ADDR, 'country': 'XX'}},
                      'billing.country'),
                     ({'email': 'x@example.com', 'shipping': []},
                      'shipping'),
                     ({'email': 'not-an-address'}, 'email')):
        r = api.req('POST', 'customers', body=b)
        assert r.status == 400, (b, r.text)
        assert list(body(r)['data']['params']) == [field], (b, r.text)
    assert int(stack.query(f'SELECT COUNT(*) FROM {p}customers')[0][0]) == 2
    # List.
    r = api.get('customers')
    assert r.status == 200 and r.header('X-WP-Total') == '2'
    # By name ("" first), as WooCommerce's default.
    assert [x['id'] for x in body(r)] == [bob, cid]
    assert [x['id'] for x in body(api.get('customers', {
        'orderby': 'email'}))] == [cid, bob]
    assert [x['id'] for x in body(api.get('customers', {
        'orderby': 'email', 'order': 'desc'}))] == [bob, cid]
    assert [x['id'] for x in body(api.get('customers',
                                          {'search': 'lovel'}))] == [cid]
    assert [x['id'] for x in body(api.get('customers',
                                          {'email': 'BOB@example.com'}))] \
        == [bob]
    assert body(api.get('customers', {'role': 'administrator'})) == []
    r = api.get('customers', {'per_page': 1, 'page': 2, 'orderby': 'id'})
    assert [x['id'] for x in body(r)] == [bob]
    assert r.header('X-WP-TotalPages') == '2'
    assert api.get('customers', {'orderby': 'x'}).status == 400
    # Update.
    r = api.req('PUT', f'customers/{cid}', body={
        'first_name': 'Augusta', 'billing': {'city': 'Marylebone',
                                            'phone': '+44 1'}})
    assert r.status == 200, r.text
    c = body(r)
    assert c['first_name'] == 'Augusta' and c['last_name'] == ''
    assert c['billing']['city'] == 'Marylebone'
    assert c['billing']['address_1'] == 'St James 12'
    for b, field in (({'email': 'new@example.com'}, 'email'),
                     ({'password': 'x'}, 'password'),
                     ({'billing': {'postcode': '<>'}}, 'billing.postcode')):
        r = api.req('PUT', f'customers/{cid}', body=b)
        assert r.status == 400, (b, r.text)
        assert list(body(r)['data']['params']) == [field], r.text
    assert api.req('PUT', 'customers/999999',
                   body={'first_name': 'x'}).status == 404
    # Delete: force only; the orders stay, erased.
    stack.query(f"INSERT INTO {p}orders (number, status, customer_id, "
                f"email, locale, idem_key, access_key, currency, "
                f"prices_include_tax, subtotal, discount, shipping, "
                f"shipping_tax, tax, total, display_currency, fx_rate, "
                f"display_total, payment_method, bill_name) VALUES "
                f"(5001, 'completed', {cid}, 'ada@example.com', 'en', "
                f"'{'a' * 32}', '{'b' * 32}', 'EUR', 1, 100, 0, 0, 0, 0, "
                f"100, 'EUR', 100000000, 100, 'bacs', 'Ada')")
    r = api.req('DELETE', f'customers/{cid}')
    assert r.status == 501
    assert body(r)['code'] == 'woocommerce_rest_trash_not_supported'
    r = api.req('DELETE', f'customers/{cid}', {'force': 'true'})
    assert r.status == 200 and body(r)['id'] == cid, r.text
    assert api.get(f'customers/{cid}').status == 404
    row = stack.query(f'SELECT email, bill_name, customer_id, total FROM '
                      f'{p}orders WHERE number = 5001')[0]
    assert row[0] == '' and row[1] == '' and row[3] == '100'
    assert api.req('DELETE', f'customers/{cid}',
                   {'force': 'true'}).status == 404


def test_wc_customers_batch(stack):
    api, tid, slug, admin = _api(stack, 'wccustb')
    p = f's{tid}_'
    one = body(api.req('POST', 'customers',
                       body={'email': 'one@example.com'}))['id']
    two = body(api.req('POST', 'customers',
                       body={'email': 'two@example.com'}))['id']
    # Checked whole first: a bad item writes nothing.
    for b, field in (
            ({'create': [{'email': 'a@example.com'}, {'email': 3}]},
             'create[1].email'),
            ({'create': [{'email': 'a@example.com'}],
              'update': [{'first_name': 'x'}]}, 'update[0].id'),
            ({'delete': ['x']}, 'delete[0]'),
            ({'create': [{'email': f'{i}@example.com'}
                         for i in range(101)]}, 'create'),
            ({'update': 'all'}, 'update')):
        r = api.req('POST', 'customers/batch', body=b)
        assert r.status == 400, (b, r.text)
        assert list(body(r)['data']['params']) == [field], (b, r.text)
    assert int(stack.query(f'SELECT COUNT(*) FROM {p}customers')[0][0]) == 2
    r = api.req('POST', 'customers/batch', body={
        'create': [{'email': 'three@example.com', 'first_name': 'Three'},
                   {'email': 'one@example.com'}],
        'update': [{'id': one, 'first_name': 'Uno'},
                   {'id': 999999, 'first_name': 'Nobody'}],
        'delete': [two, 999998]})
    assert r.status == 200, r.text
    b = body(r)
    assert b['create'][0]['email'] == 'three@example.com'
    assert b['create'][1]['id'] == 0
    assert b['create'][1]['error']['code'] == \
        'registration-error-email-exists'
    assert b['update'][0]['first_name'] == 'Uno'
    assert b['update'][1]['id'] == 999999
    assert b['update'][1]['error']['data']['status'] == 404
    assert b['delete'][0]['id'] == two
    assert b['delete'][1]['error']['code'] == 'woocommerce_rest_invalid_id'
    emails = sorted(e for (e,) in stack.query(f'SELECT email FROM '
                                                f'{p}customers'))
    assert emails == ['one@example.com', 'three@example.com']


def test_wc_customers_isolation_and_read_key(stack):
    api, tid, slug, admin = _api(stack, 'wccusta')
    cid = body(api.req('POST', 'customers',
                       body={'email': 'mine@example.com'}))['id']
    b_api, b_tid, b_slug, b_admin = _api(stack, 'wccustz')
    assert b_api.get(f'customers/{cid}').status == 404
    assert b_api.req('PUT', f'customers/{cid}',
                     body={'first_name': 'x'}).status == 404
    assert b_api.req('DELETE', f'customers/{cid}',
                     {'force': 'true'}).status == 404
    r = b_api.req('POST', 'customers/batch',
                  body={'update': [{'id': cid, 'first_name': 'x'}],
                        'delete': [cid]})
    assert r.status == 200
    assert body(r)['update'][0]['error']['data']['status'] == 404
    assert body(r)['delete'][0]['error']['data']['status'] == 404
    assert body(b_api.get('customers')) == []
    ck, cs, _ = make_key(admin, 'read', 'reader')
    ro = Api(stack, slug, ck, cs)
    assert ro.get(f'customers/{cid}').status == 200
    for m, path, b in (('POST', 'customers', {'email': 'x@example.com'}),
                       ('PUT', f'customers/{cid}', {'first_name': 'x'}),
                       ('DELETE', f'customers/{cid}', None),
                       ('POST', 'customers/batch', {'delete': [cid]})):
        r = ro.req(m, path, {'force': 'true'}, body=b)
        assert r.status == 401, (m, path, r.text)
    r = api.get(f'customers/{cid}')
    assert r.status == 200 and body(r)['first_name'] == ''
