"""Writes of the catalog through the WooCommerce-compatible API
(web/wc_products.c, shop/wc_product_body.c): POST /products (create),
PUT /products/{id} (a partial update), DELETE (force=true: souk has no
trash), POST /products/batch checked whole before anything is written;
the 400s name the field (wrong types, unknown status, negative stock,
a name of 201 Japanese characters); a read key gets 401 on every write;
shop B's key cannot reach shop A's ids."""
from wc_setup import Api, body, make_key, shop


def _shop(stack, prefix='wccat'):
    admin, tid, slug = shop(stack, prefix)
    ck, cs, _ = make_key(admin, 'read_write')
    rk, rs, _ = make_key(admin, 'read', 'read only')
    p = f's{tid}_'
    stack.query(f"INSERT INTO {p}categories (slug) VALUES ('shirts')")
    cat = int(stack.query(f"SELECT id FROM {p}categories")[0][0])
    stack.query(f"INSERT INTO {p}category_texts VALUES ({cat}, 'en', "
                f"'Shirts')")
    return (Api(stack, slug, ck, cs), Api(stack, slug, rk, rs), tid, cat)


def _row(stack, tid, pid, cols):
    return stack.query(f"SELECT {cols} FROM s{tid}_products "
                       f"WHERE id = {pid}")


def test_product_create_update_delete(stack):
    api, _, tid, cat = _shop(stack)
    r = api.req('POST', 'products', body={
        'name': 'Linen shirt', 'type': 'simple', 'regular_price': '39.90',
        'sale_price': '29.90', 'sku': 'LIN-1', 'status': 'draft',
        'description': '<p>Cool <b>linen</b></p>',
        'short_description': 'ignored', 'manage_stock': True,
        'stock_quantity': 7, 'weight': '0.35', 'tax_class': 'reduced-rate',
        'categories': [{'id': cat}],
        'date_on_sale_from_gmt': '2026-01-01T00:00:00',
        'date_on_sale_to_gmt': '2037-01-01T00:00:00'})
    assert r.status == 201, r.text
    p = body(r)
    pid = p['id']
    assert p['name'] == 'Linen shirt' and p['slug'] == 'linen-shirt'
    assert p['regular_price'] == '39.90' and p['sale_price'] == '29.90'
    assert p['status'] == 'draft' and p['sku'] == 'LIN-1'
    assert p['stock_quantity'] == 7 and p['weight'] == '0.350'
    assert p['tax_class'] == 'reduced-rate'
    assert p['categories'] == [{'id': cat, 'name': 'Shirts',
                                'slug': 'shirts'}]
    assert p['date_on_sale_from_gmt'] == '2026-01-01T00:00:00'
    assert '<b>linen</b>' in p['description']
    row = _row(stack, tid, pid, 'price, sale_price, stock, weight_g, '
               'tax_class, status')[0]
    assert row == ['3990', '2990', '7', '350', 'reduced', 'draft']
    # GET answers what the create answered.
    assert body(api.get(f'products/{pid}')) == p

    # A partial update changes what it names only.
    r = api.req('PUT', f'products/{pid}', body={'stock_quantity': 3,
                                                'status': 'publish'})
    assert r.status == 200, r.text
    q = body(r)
    assert q['stock_quantity'] == 3 and q['status'] == 'publish'
    assert q['regular_price'] == '39.90' and q['sale_price'] == '29.90'
    assert q['weight'] == '0.350' and q['tax_class'] == 'reduced-rate'
    assert q['name'] == 'Linen shirt' and q['categories'][0]['id'] == cat
    assert '<b>linen</b>' in q['description']
    r = api.req('PUT', f'products/{pid}', body={
        'name': 'Linen shirt II', 'sale_price': '', 'categories': []})
    assert r.status == 200, r.text
    q = body(r)
    assert q['name'] == 'Linen shirt II' and q['sale_price'] == ''
    assert q['categories'] == [] and q['slug'] == 'linen-shirt'

    # No trash in souk: WooCommerce's 501 without force.
    r = api.req('DELETE', f'products/{pid}')
    assert r.status == 501, r.text
    assert body(r)['code'] == 'woocommerce_rest_trash_not_supported'
    r = api.req('DELETE', f'products/{pid}', {'force': 'true'})
    assert r.status == 200, r.text
    assert body(r)['id'] == pid
    assert _row(stack, tid, pid, 'id') == []
    assert api.get(f'products/{pid}').status == 404
    assert api.req('DELETE', f'products/{pid}',
                   {'force': 'true'}).status == 404
    assert api.req('PUT', f'products/{pid}',
                   body={'name': 'x'}).status == 404


def _bad(api, path, b, field, method='POST'):
    r = api.req(method, path, body=b)
    assert r.status == 400, f'{b}: {r.status} {r.text}'
    e = body(r)
    assert e['code'] == 'rest_invalid_param', r.text
    assert field in e['data']['params'], (field, r.text)
    return e


def test_product_bad_bodies(stack):
    api, _, tid, cat = _shop(stack)
    ok = {'name': 'Mug', 'regular_price': '9.00'}
    _bad(api, 'products', {**ok, 'regular_price': 9}, 'regular_price')
    _bad(api, 'products', {**ok, 'regular_price': '-1'}, 'regular_price')
    _bad(api, 'products', {**ok, 'status': 'sold'}, 'status')
    _bad(api, 'products', {**ok, 'type': 'bundle'}, 'type')
    _bad(api, 'products', {**ok, 'type': 'grouped'}, 'type')
    _bad(api, 'products', {**ok, 'stock_quantity': -1}, 'stock_quantity')
    _bad(api, 'products', {**ok, 'stock_quantity': 'many'},
         'stock_quantity')
    _bad(api, 'products', {**ok, 'stock_quantity': 1e30}, 'stock_quantity')
    _bad(api, 'products', {**ok, 'name': '\u6f22' * 201}, 'name')
    _bad(api, 'products', {**ok, 'name': ['x']}, 'name')
    _bad(api, 'products', {**ok, 'featured': 'maybe'}, 'featured')
    _bad(api, 'products', {**ok, 'categories': [{'id': 999999}]},
         'categories')
    _bad(api, 'products', {**ok, 'categories': 'shirts'}, 'categories')
    _bad(api, 'products', {**ok, 'weight': 'heavy'}, 'weight')
    _bad(api, 'products', {**ok, 'tax_class': 'luxury'}, 'tax_class')
    _bad(api, 'products', {**ok, 'date_on_sale_from': '24.12.2026'},
         'date_on_sale_from')
    _bad(api, 'products', {**ok, 'sale_price': '10.00'}, 'sale_price')
    _bad(api, 'products', {'regular_price': '1.00'}, 'name')
    _bad(api, 'products', {'name': 'No price'}, 'regular_price')
    # Several at once, each named.
    e = _bad(api, 'products', {'name': 5, 'status': 'x',
                               'stock_quantity': -3}, 'name')
    assert {'status', 'stock_quantity'} <= set(e['data']['params'])
    # 200 kanji are fine (characters, not bytes).
    r = api.req('POST', 'products', body={**ok, 'name': '\u6f22' * 200})
    assert r.status == 201, r.text
    # Not JSON, not an object.
    r = api.c.request('POST', '/wp-json/wc/v3/products', body='{"name":',
                      headers={'Authorization': _auth(api),
                               'Content-Type': 'application/json'})
    assert r.status == 400, r.text
    r = api.req('POST', 'products', body=[1, 2])
    assert r.status == 400, r.text
    # Nothing of the bad ones was written.
    assert int(stack.query(f"SELECT COUNT(*) FROM s{tid}_products")[0][0]) \
        == 1


def _auth(api):
    import base64
    return 'Basic ' + base64.b64encode(
        f'{api.ck}:{api.cs}'.encode()).decode()


def test_product_batch(stack):
    api, _, tid, cat = _shop(stack)
    ids = [body(api.req('POST', 'products', body={
        'name': f'Old {i}', 'regular_price': '5.00'}))['id']
        for i in range(3)]
    # One bad item: a 400 naming it, nothing written.
    r = api.req('POST', 'products/batch', body={
        'create': [{'name': 'New A', 'regular_price': '1.00'},
                   {'name': 'New B', 'regular_price': 'x'}],
        'update': [{'id': ids[0], 'stock_quantity': 4}],
        'delete': [ids[2]]})
    assert r.status == 400, r.text
    assert 'create[1].regular_price' in body(r)['data']['params']
    assert int(stack.query(f"SELECT COUNT(*) FROM s{tid}_products")[0][0]) \
        == 3
    assert _row(stack, tid, ids[0], 'stock') == [['0']]
    # An update of an id that is not there is refused whole too.
    r = api.req('POST', 'products/batch', body={
        'update': [{'id': 99999999, 'stock_quantity': 4}],
        'create': [{'name': 'New C', 'regular_price': '1.00'}]})
    assert r.status == 400, r.text
    assert 'update[0].id' in body(r)['data']['params']
    r = api.req('POST', 'products/batch', body={
        'update': [{'stock_quantity': 4}]})
    assert r.status == 400, r.text

    r = api.req('POST', 'products/batch', body={
        'create': [{'name': 'New A', 'regular_price': '1.00'},
                   {'name': 'New B', 'regular_price': '2.00'}],
        'update': [{'id': ids[0], 'stock_quantity': 4},
                   {'id': ids[1], 'name': 'Renamed'}],
        'delete': [ids[2], 99999999]})
    assert r.status == 200, r.text
    b = body(r)
    assert [p['name'] for p in b['create']] == ['New A', 'New B']
    assert [p['id'] for p in b['update']] == ids[:2]
    assert b['update'][0]['stock_quantity'] == 4
    assert b['update'][1]['name'] == 'Renamed'
    assert b['delete'][0]['id'] == ids[2]
    assert b['delete'][1]['error']['code'] == \
        'woocommerce_rest_product_invalid_id'
    assert b['delete'][1]['error']['data']['status'] == 404
    assert _row(stack, tid, ids[2], 'id') == []
    # More than 100 items.
    r = api.req('POST', 'products/batch', body={'delete': list(
        range(1, 102))})
    assert r.status == 413, r.text
    r = api.req('POST', 'products/batch', body={'create': 'x'})
    assert r.status == 400, r.text


def test_product_writes_need_write_key(stack):
    api, ro, tid, cat = _shop(stack)
    pid = body(api.req('POST', 'products', body={
        'name': 'Kept', 'regular_price': '5.00'}))['id']
    for method, path, b in (
            ('POST', 'products', {'name': 'x', 'regular_price': '1'}),
            ('PUT', f'products/{pid}', {'name': 'x'}),
            ('POST', f'products/{pid}', {'name': 'x'}),
            ('DELETE', f'products/{pid}', None),
            ('POST', 'products/batch', {'delete': [pid]})):
        r = ro.req(method, path, body=b,
                   params={'force': 'true'} if method == 'DELETE' else None)
        assert r.status == 401, (method, path, r.status, r.text)
    assert ro.get(f'products/{pid}').status == 200
    assert _row(stack, tid, pid, 'id') == [[str(pid)]]


def test_product_writes_isolation(stack):
    a, _, tid_a, _ = _shop(stack, 'wccata')
    b, _, tid_b, _ = _shop(stack, 'wccatb')
    pid = body(a.req('POST', 'products', body={
        'name': 'Only A', 'regular_price': '5.00'}))['id']
    # Shop B's key on shop B's host knows no such product.
    assert b.get(f'products/{pid}').status == 404
    assert b.req('PUT', f'products/{pid}',
                 body={'name': 'stolen'}).status == 404
    assert b.req('DELETE', f'products/{pid}',
                 {'force': 'true'}).status == 404
    r = b.req('POST', 'products/batch', body={
        'update': [{'id': pid, 'name': 'stolen'}]})
    assert r.status == 400
    r = b.req('POST', 'products/batch', body={'delete': [pid]})
    assert body(r)['delete'][0]['error']['data']['status'] == 404
    # Shop B's key on shop A's host is not a key of shop A.
    b.host = a.host
    b.c = a.c
    assert b.req('PUT', f'products/{pid}',
                 body={'name': 'stolen'}).status == 401
    assert _row(stack, tid_a, pid, 'id') == [[str(pid)]]
    assert body(a.get(f'products/{pid}'))['name'] == 'Only A'


def _sizes(stack, tid):
    p = f's{tid}_'
    q = stack.query
    q(f"INSERT INTO {p}attributes (parent_id, slug, position) "
      f"VALUES (0, 'size', 1)")
    size = int(q(f"SELECT id FROM {p}attributes WHERE slug = 'size'")[0][0])
    q(f"INSERT INTO {p}attributes (parent_id, slug, position) VALUES "
      f"({size}, 's', 1), ({size}, 'm', 2)")
    vals = {k: int(v) for k, v in q(
        f"SELECT slug, id FROM {p}attributes WHERE parent_id = {size}")}
    q(f"INSERT INTO {p}attribute_texts VALUES ({size}, 'en', 'Size'), "
      f"({vals['s']}, 'en', 'Small'), ({vals['m']}, 'en', 'Medium')")
    return size, vals


def test_variations(stack):
    api, ro, tid, cat = _shop(stack)
    size, vals = _sizes(stack, tid)
    r = api.req('POST', 'products', body={
        'name': 'Tee', 'type': 'variable', 'regular_price': '20.00',
        'weight': '0.2'})
    assert r.status == 201, r.text
    pid = body(r)['id']
    r = api.req('POST', f'products/{pid}/variations', body={
        'attributes': [{'id': size, 'option': 'Small'}],
        'regular_price': '18.00', 'sku': 'TEE-S', 'stock_quantity': 5})
    assert r.status == 201, r.text
    s = body(r)
    assert s['sku'] == 'TEE-S' and s['regular_price'] == '18.00'
    assert s['stock_quantity'] == 5 and s['stock_status'] == 'instock'
    assert s['attributes'] == [{'id': size, 'name': 'Size',
                                'option': 'Small'}]
    assert s['weight'] == '0.200' and s['manage_stock'] is True
    # By the attribute's name and the value's slug.
    r = api.req('POST', f'products/{pid}/variations', body={
        'attributes': [{'name': 'size', 'option': 'm'}],
        'sale_price': '15.00'})
    assert r.status == 201, r.text
    m = body(r)
    assert m['regular_price'] == '20.00' and m['sale_price'] == '15.00'
    assert m['price'] == '15.00' and m['on_sale'] is True
    assert m['stock_quantity'] == 0 and m['stock_status'] == 'outofstock'
    # The same combination twice, an unknown value, none, bad types.
    for b, field in (
            ({'attributes': [{'id': size, 'option': 'Small'}]},
             'attributes'),
            ({'attributes': [{'id': size, 'option': 'XL'}]}, 'attributes'),
            ({'regular_price': '1.00'}, 'attributes'),
            ({'attributes': [{'id': size, 'option': 'Small'}],
              'stock_quantity': -2}, 'stock_quantity'),
            ({'attributes': [{'id': size}]}, 'attributes')):
        _bad(api, f'products/{pid}/variations', b, field)
    p = body(api.get(f'products/{pid}'))
    assert p['type'] == 'variable' and p['variations'] == [s['id'],
                                                            m['id']]
    r = api.get(f'products/{pid}/variations', {'per_page': 1})
    assert r.status == 200, r.text
    assert r.header('X-WP-Total') == '2' and len(body(r)) == 1
    assert body(r)[0]['id'] == s['id']
    assert body(api.get(f'products/{pid}/variations/{m["id"]}')) == m

    # Stock and price updates.
    r = api.req('PUT', f'products/{pid}/variations/{m["id"]}',
                body={'stock_quantity': 9, 'regular_price': '21.00'})
    assert r.status == 200, r.text
    u = body(r)
    assert u['stock_quantity'] == 9 and u['regular_price'] == '21.00'
    assert u['sale_price'] == '15.00'
    assert stack.query(f"SELECT stock, price FROM s{tid}_variants "
                       f"WHERE id = {m['id']}") == [['9', '2100']]
    _bad(api, f'products/{pid}/variations/{m["id"]}',
         {'stock_quantity': -1}, 'stock_quantity', 'PUT')
    _bad(api, f'products/{pid}/variations/{m["id"]}',
         {'attributes': [{'id': size, 'option': 'Small'}]}, 'attributes',
         'PUT')
    _bad(api, f'products/{pid}/variations/{m["id"]}',
         {'sale_price': '99.00'}, 'sale_price', 'PUT')

    # A read key reads, never writes.
    assert ro.get(f'products/{pid}/variations').status == 200
    for method, path in (('POST', f'products/{pid}/variations'),
                         ('PUT', f'products/{pid}/variations/{m["id"]}'),
                         ('DELETE', f'products/{pid}/variations/{m["id"]}')):
        assert ro.req(method, path, body={'stock_quantity': 1},
                      params={'force': 'true'}).status == 401
    # Another product's id, an unknown one.
    other = body(api.req('POST', 'products', body={
        'name': 'Other', 'regular_price': '1.00'}))['id']
    assert api.get(f'products/{other}/variations/{m["id"]}').status == 404
    assert api.get(f'products/99999999/variations').status == 404

    assert api.req('DELETE', f'products/{pid}/variations/{m["id"]}'
                   ).status == 501
    r = api.req('DELETE', f'products/{pid}/variations/{m["id"]}',
                {'force': 'true'})
    assert r.status == 200, r.text
    assert body(r)['id'] == m['id']
    assert body(api.get(f'products/{pid}'))['variations'] == [s['id']]


def test_variations_isolation(stack):
    a, _, tid_a, _ = _shop(stack, 'wcvara')
    b, _, _, _ = _shop(stack, 'wcvarb')
    size, _ = _sizes(stack, tid_a)
    pid = body(a.req('POST', 'products', body={
        'name': 'Tee', 'regular_price': '20.00'}))['id']
    vid = body(a.req('POST', f'products/{pid}/variations', body={
        'attributes': [{'id': size, 'option': 'Small'}]}))['id']
    assert b.get(f'products/{pid}/variations').status == 404
    assert b.get(f'products/{pid}/variations/{vid}').status == 404
    assert b.req('PUT', f'products/{pid}/variations/{vid}',
                 body={'stock_quantity': 1}).status == 404
    assert b.req('DELETE', f'products/{pid}/variations/{vid}',
                 {'force': 'true'}).status == 404
    assert stack.query(f"SELECT stock FROM s{tid_a}_variants "
                       f"WHERE id = {vid}") == [['0']]


def _order(stack, tid, status, lines):
    """An order of status with lines [(product id, qty)]."""
    p = f's{tid}_'
    n = int(stack.query(f"SELECT COUNT(*) FROM {p}orders")[0][0]) + 1
    stack.query(
        f"INSERT INTO {p}orders (number, status, email, locale, "
        f"idem_key, access_key, currency, prices_include_tax, subtotal, "
        f"discount, shipping, shipping_tax, tax, total, display_currency, "
        f"fx_rate, display_total, payment_method) VALUES ({n}, '{status}', "
        f"'a@b.test', 'en', MD5(RAND()), MD5(RAND()), 'EUR', 1, 1000, 0, "
        f"0, 0, 0, 1000, 'EUR', 100000000, 1000, 'bacs')")
    oid = stack.query(f"SELECT MAX(id) FROM {p}orders")[0][0]
    for pid, qty in lines:
        stack.query(
            f"INSERT INTO {p}order_lines (order_id, product_id, name, qty, "
            f"unit_price, tax_class, tax_rate, subtotal, discount, tax, "
            f"total) VALUES ({oid}, {pid}, 'x', {qty}, 100, 'standard', 0, "
            f"100, 0, 0, 100)")


def test_products_sales_and_category_tree(stack):
    api, _, tid, cat = _shop(stack)
    p = f's{tid}_'
    # shirts > tees > kids
    stack.query(f"INSERT INTO {p}categories (slug, parent_id) "
                f"VALUES ('tees', {cat})")
    tees = int(stack.query(f"SELECT id FROM {p}categories "
                           f"WHERE slug = 'tees'")[0][0])
    stack.query(f"INSERT INTO {p}categories (slug, parent_id) "
                f"VALUES ('kids', {tees}), ('mugs', NULL)")
    kids, mugs = (int(stack.query(f"SELECT id FROM {p}categories "
                                  f"WHERE slug = '{s}'")[0][0])
                  for s in ('kids', 'mugs'))
    ids = {}
    for name, c in (('A', cat), ('B', tees), ('C', kids), ('D', mugs)):
        ids[name] = body(api.req('POST', 'products', body={
            'name': f'Prod {name}', 'regular_price': '1.00',
            'categories': [{'id': c}]}))['id']
    # Sold: B 5 (3 + 2), C 1; pending and cancelled orders do not count.
    # Written in SQL, behind souk's back: before the first read, which
    # the workers keep a few seconds (orders placed through souk drop
    # it: test_wc-orders, test_product_follows_orders).
    _order(stack, tid, 'processing', [(ids['B'], 3), (ids['C'], 1)])
    _order(stack, tid, 'completed', [(ids['B'], 2)])
    _order(stack, tid, 'cancelled', [(ids['C'], 50)])
    _order(stack, tid, 'pending', [(ids['A'], 50)])
    got = sorted(x['id'] for x in body(api.get('products',
                                               {'category': cat})))
    assert got == sorted([ids['A'], ids['B'], ids['C']])
    got = sorted(x['id'] for x in body(api.get('products',
                                               {'category': tees})))
    assert got == sorted([ids['B'], ids['C']])
    assert [x['id'] for x in body(api.get('products', {
        'category': mugs}))] == [ids['D']]

    by = {x['id']: x for x in body(api.get('products'))}
    assert by[ids['B']]['total_sales'] == 5
    assert by[ids['C']]['total_sales'] == 1
    assert by[ids['A']]['total_sales'] == 0
    assert body(api.get(f'products/{ids["B"]}'))['total_sales'] == 5
    r = api.get('products', {'orderby': 'popularity'})
    assert r.status == 200, r.text
    assert [x['id'] for x in body(r)][:2] == [ids['B'], ids['C']]
    r = api.get('products', {'orderby': 'popularity', 'order': 'asc'})
    assert [x['id'] for x in body(r)][-2:] == [ids['C'], ids['B']]
    # No ratings in souk: the date's order.
    r = api.get('products', {'orderby': 'rating'})
    assert r.status == 200, r.text
    assert [x['id'] for x in body(r)] == [x['id'] for x in body(
        api.get('products'))]


def test_categories(stack):
    api, ro, tid, cat = _shop(stack)
    r = api.req('POST', 'products/categories', body={'name': 'Tees',
                                                    'parent': cat})
    assert r.status == 201, r.text
    tees = body(r)
    assert tees['name'] == 'Tees' and tees['slug'] == 'tees'
    assert tees['parent'] == cat and tees['count'] == 0
    assert tees['image'] is None and tees['display'] == 'default'
    r = api.req('POST', 'products/categories', body={'name': 'Mugs',
                                                    'slug': 'cups'})
    assert r.status == 201, r.text
    mugs = body(r)
    _bad(api, 'products/categories', {'name': 5}, 'name')
    _bad(api, 'products/categories', {'name': 'X', 'parent': 99999},
         'parent')
    _bad(api, 'products/categories', {'name': '\u6f22' * 201}, 'name')
    r = api.req('POST', 'products/categories', body={'name': 'Again',
                                                    'slug': 'cups'})
    assert r.status == 400, r.text
    api.req('POST', 'products', body={'name': 'T', 'regular_price': '1',
                                      'categories': [{'id': tees['id']}]})
    r = api.get('products/categories')
    assert r.status == 200, r.text
    assert r.header('X-WP-Total') == '3'
    assert [c['name'] for c in body(r)] == ['Mugs', 'Shirts', 'Tees']
    assert [c['id'] for c in body(api.get('products/categories', {
        'hide_empty': 'true'}))] == [tees['id']]
    assert [c['id'] for c in body(api.get('products/categories', {
        'parent': cat}))] == [tees['id']]
    assert [c['id'] for c in body(api.get('products/categories', {
        'search': 'mug'}))] == [mugs['id']]
    r = api.get('products/categories', {'per_page': 2, 'page': 2})
    assert [c['name'] for c in body(r)] == ['Tees']
    got = body(api.get(f'products/categories/{tees["id"]}'))
    assert got['count'] == 1 and got['id'] == tees['id']
    # Rename; the slug and the parent stay.
    r = api.req('PUT', f'products/categories/{tees["id"]}',
                body={'name': 'T-shirts'})
    assert r.status == 200 and body(r)['name'] == 'T-shirts', r.text
    _bad(api, f'products/categories/{tees["id"]}', {'parent': 0},
         'parent', 'PUT')
    # Delete: force as WooCommerce; the product stays, uncategorised.
    assert api.req('DELETE', f'products/categories/{tees["id"]}'
                   ).status == 501
    assert ro.req('DELETE', f'products/categories/{tees["id"]}',
                  {'force': 'true'}).status == 401
    assert ro.req('POST', 'products/categories',
                  body={'name': 'No'}).status == 401
    r = api.req('DELETE', f'products/categories/{tees["id"]}',
                {'force': 'true'})
    assert r.status == 200 and body(r)['id'] == tees['id'], r.text
    assert api.get(f'products/categories/{tees["id"]}').status == 404
    assert [p['categories'] for p in body(api.get('products'))] == [[]]


def test_attributes_and_terms(stack):
    api, ro, tid, cat = _shop(stack)
    size, vals = _sizes(stack, tid)
    r = ro.get('products/attributes')
    assert r.status == 200, r.text
    assert body(r) == [{'id': size, 'name': 'Size', 'slug': 'pa_size',
                        'type': 'select', 'order_by': 'menu_order',
                        'has_archives': False}]
    assert ro.get(f'products/attributes/{size}').status == 200
    assert ro.get(f'products/attributes/{vals["s"]}').status == 404
    pid = body(api.req('POST', 'products', body={
        'name': 'Tee', 'regular_price': '5.00'}))['id']
    api.req('POST', f'products/{pid}/variations', body={
        'attributes': [{'id': size, 'option': 'm'}]})
    r = ro.get(f'products/attributes/{size}/terms')
    assert r.status == 200, r.text
    assert [(t['name'], t['slug'], t['count']) for t in body(r)] == [
        ('Small', 's', 0), ('Medium', 'm', 1)]
    assert r.header('X-WP-Total') == '2'
    assert ro.get('products/attributes/99999/terms').status == 404


def test_attribute_and_term_writes(stack):
    """Attributes and terms created, renamed and deleted over the API
    through the admin's functions; bad bodies name the field; a term a
    variant is made from is not deleted; a read key writes nothing."""
    api, ro, tid, cat = _shop(stack, 'wcattw')
    p = f's{tid}_'
    r = api.req('POST', 'products/attributes', body={
        'name': 'Colour', 'slug': 'pa_colour', 'type': 'select',
        'order_by': 'menu_order', 'has_archives': False})
    assert r.status == 201, r.text
    col = body(r)
    assert (col['name'], col['slug']) == ('Colour', 'pa_colour')
    assert body(api.get(f'products/attributes/{col["id"]}')) == col
    for b, field in (({}, 'name'), ({'name': 7}, 'name'),
                     ({'name': 'x' * 201}, 'name'),
                     ({'name': 'A', 'type': 'color'}, 'type'),
                     ({'name': 'A', 'order_by': 'name'}, 'order_by'),
                     ({'name': 'A', 'has_archives': True}, 'has_archives')):
        r = api.req('POST', 'products/attributes', body=b)
        assert r.status == 400, (b, r.text)
        assert field in body(r)['data']['params'], (b, r.text)
    # The same slug twice: a conflict named on slug.
    r = api.req('POST', 'products/attributes', body={'name': 'Colour 2',
                                                     'slug': 'colour'})
    assert r.status == 400 and 'slug' in body(r)['data']['params'], r.text
    # Japanese names count characters: 200 fit.
    r = api.req('POST', 'products/attributes',
                body={'name': '色' * 200, 'slug': 'iro'})
    assert r.status == 201, r.text
    assert body(r)['name'] == '色' * 200

    base = f'products/attributes/{col["id"]}/terms'
    red = body(api.req('POST', base, body={'name': 'Red',
                                           'menu_order': 2}))
    blue = body(api.req('POST', base, body={'name': 'Blue', 'slug': 'bl',
                                            'menu_order': 1}))
    assert (red['name'], red['slug'], red['menu_order']) == ('Red', 'red', 2)
    assert [t['name'] for t in body(ro.get(base))] == ['Blue', 'Red']
    assert body(ro.get(f'{base}/{red["id"]}')) == red
    r = api.req('PUT', f'{base}/{red["id"]}', body={'name': 'Crimson'})
    assert r.status == 200 and body(r)['name'] == 'Crimson', r.text
    assert body(r)['slug'] == 'red'
    r = api.req('POST', base, body={'name': 'X', 'menu_order': -1})
    assert r.status == 400 and 'menu_order' in body(r)['data']['params']
    # A term of another attribute, or an attribute by a term's id: 404.
    size, vals = _sizes(stack, tid)
    assert api.get(f'products/attributes/{size}/terms/{red["id"]}'
                   ).status == 404
    assert api.req('PUT', f'products/attributes/{red["id"]}',
                   body={'name': 'No'}).status == 404
    # Renamed attribute; other languages' names stay.
    stack.query(f"INSERT INTO {p}attribute_texts VALUES ({col['id']}, "
                f"'de', 'Farbe')")
    r = api.req('PUT', f'products/attributes/{col["id"]}',
                body={'name': 'Color'})
    assert r.status == 200 and body(r)['name'] == 'Color', r.text
    assert stack.query(f"SELECT name FROM {p}attribute_texts WHERE "
                       f"attribute_id = {col['id']} AND locale = 'de'"
                       ) == [['Farbe']]
    # A read key writes nothing.
    assert ro.req('POST', base, body={'name': 'Green'}).status == 401
    assert ro.req('DELETE', f'{base}/{blue["id"]}',
                  {'force': 'true'}).status == 401
    # Delete: force, as WooCommerce; not while a variant is made of it.
    pid = body(api.req('POST', 'products', body={
        'name': 'Tee', 'regular_price': '5.00'}))['id']
    r = api.req('POST', f'products/{pid}/variations', body={
        'attributes': [{'id': col['id'], 'option': 'Crimson'}]})
    assert r.status == 201, r.text
    assert api.req('DELETE', f'{base}/{blue["id"]}').status == 501
    r = api.req('DELETE', f'{base}/{red["id"]}', {'force': 'true'})
    assert r.status == 400 and body(r)['code'] == \
        'woocommerce_rest_cannot_delete', r.text
    r = api.req('DELETE', f'{base}/{blue["id"]}', {'force': 'true'})
    assert r.status == 200 and body(r)['id'] == blue['id'], r.text
    assert api.get(f'{base}/{blue["id"]}').status == 404
    r = api.req('DELETE', f'products/attributes/{col["id"]}',
                {'force': 'true'})
    assert r.status == 400, r.text
    iro = [a for a in body(api.get('products/attributes'))
           if a['slug'] == 'pa_iro'][0]
    r = api.req('DELETE', f'products/attributes/{iro["id"]}',
                {'force': 'true'})
    assert r.status == 200 and body(r)['name'] == '色' * 200
    assert api.get(f'products/attributes/{iro["id"]}').status == 404


def test_taxonomy_batches(stack):
    """products/categories/batch, products/attributes/batch and
    .../terms/batch: checked whole first, then each item in its place;
    a batch's delete is forced."""
    api, ro, tid, cat = _shop(stack, 'wctaxbt')
    p = f's{tid}_'

    def ncat():
        return int(stack.query(f'SELECT COUNT(*) FROM {p}categories')[0][0])

    n0 = ncat()
    r = api.req('POST', 'products/categories/batch', body={
        'create': [{'name': 'Mugs'}, {'name': 7}]})
    assert r.status == 400, r.text
    assert list(body(r)['data']['params']) == ['create[1].name']
    r = api.req('POST', 'products/categories/batch', body={
        'create': [{'slug': 'no-name'}]})
    assert r.status == 400 and list(body(r)['data']['params']) == [
        'create[0].name'], r.text
    assert ncat() == n0
    r = api.req('POST', 'products/categories/batch', body={
        'create': [{'name': 'Mugs'}, {'name': 'Bowls', 'parent': cat}],
        'update': [{'id': cat, 'name': 'All shirts'},
                   {'id': 99999999, 'name': 'None'}]})
    assert r.status == 200, r.text
    b = body(r)
    mugs, bowls = b['create']
    assert (mugs['name'], bowls['parent']) == ('Mugs', cat), b
    assert b['update'][0]['name'] == 'All shirts'
    assert b['update'][1]['error']['data']['status'] == 404
    r = api.req('POST', 'products/categories/batch', body={
        'delete': [mugs['id'], bowls['id']]})
    assert [x['id'] for x in body(r)['delete']] == [mugs['id'], bowls['id']]
    assert ncat() == n0
    assert ro.req('POST', 'products/categories/batch', body={
        'create': [{'name': 'No'}]}).status == 401

    r = api.req('POST', 'products/attributes/batch', body={
        'create': [{'name': 'Material'}, {'name': 'Fit', 'type': 'color'}]})
    assert r.status == 400 and list(body(r)['data']['params']) == [
        'create[1].type'], r.text
    r = api.req('POST', 'products/attributes/batch', body={
        'create': [{'name': 'Material'}, {'name': 'Fit'}]})
    mat, fit = body(r)['create']
    assert (mat['slug'], fit['slug']) == ('pa_material', 'pa_fit'), r.text
    base = f'products/attributes/{mat["id"]}/terms'
    r = api.req('POST', f'{base}/batch', body={
        'create': [{'name': 'Wool', 'menu_order': 1}, {'name': 'Linen'}],
        'update': [{'id': 99999999, 'name': 'x'}]})
    assert r.status == 200, r.text
    wool, linen = body(r)['create']
    assert body(r)['update'][0]['error']['code'] == \
        'woocommerce_rest_term_invalid'
    r = api.req('POST', f'{base}/batch', body={
        'update': [{'id': linen['id'], 'name': 'Flax'}],
        'delete': [wool['id']]})
    assert body(r)['update'][0]['name'] == 'Flax', r.text
    assert body(r)['delete'][0]['id'] == wool['id']
    assert [t['name'] for t in body(api.get(base))] == ['Flax']
    # A term of another attribute in this attribute's batch: 404.
    r = api.req('POST', f'products/attributes/{fit["id"]}/terms/batch',
                body={'delete': [linen['id']]})
    assert body(r)['delete'][0]['error']['data']['status'] == 404
    assert api.req('POST', 'products/attributes/99999/terms/batch',
                   body={'delete': [1]}).status == 404
    r = api.req('POST', 'products/attributes/batch', body={
        'delete': [fit['id']]})
    assert body(r)['delete'][0]['id'] == fit['id'], r.text
    assert api.get(f'products/attributes/{fit["id"]}').status == 404


def test_taxonomy_isolation(stack):
    a, _, tid_a, cat_a = _shop(stack, 'wctaxa')
    b, _, _, _ = _shop(stack, 'wctaxb')
    size, _ = _sizes(stack, tid_a)
    only_a = body(a.req('POST', 'products/categories',
                        body={'name': 'Only A'}))['id']
    assert b.get(f'products/categories/{only_a}').status == 404
    assert b.req('PUT', f'products/categories/{only_a}',
                 body={'name': 'stolen'}).status == 404
    assert b.req('DELETE', f'products/categories/{only_a}',
                 {'force': 'true'}).status == 404
    assert 'Only A' not in b.get('products/categories').text
    assert body(a.get(f'products/categories/{only_a}'))['name'] == 'Only A'
    assert b.get(f'products/attributes/{size}').status == 404
    assert b.get(f'products/attributes/{size}/terms').status == 404
    assert b.req('PUT', f'products/attributes/{size}',
                 body={'name': 'stolen'}).status == 404
    assert b.req('DELETE', f'products/attributes/{size}',
                 {'force': 'true'}).status == 404
    assert b.req('POST', f'products/attributes/{size}/terms',
                 body={'name': 'stolen'}).status == 404
    assert body(a.get(f'products/attributes/{size}'))['name'] == 'Size'
    assert b.req('DELETE', 'products/categories/999999',
                 {'force': 'true'}).status == 404


def test_product_webhooks_carry_the_product(stack):
    """product.created and product.updated deliver what GET
    products/{id} answers (shop/wc_product_json.c), product.deleted
    the id."""
    import importlib.util
    import json
    import os
    spec = importlib.util.spec_from_file_location('wh', os.path.join(
        os.path.dirname(os.path.abspath(__file__)), 'test_wc-webhooks.py'))
    wh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(wh)
    slug, tid, _, admin = wh._shop(stack, 'whp')
    ck, cs, _ = make_key(admin, 'read_write')
    api = Api(stack, slug, ck, cs)
    rx = wh.Receiver().start()
    try:
        with wh._Worker(stack):
            wh._add_hook(stack, admin, tid, rx.url('/c'),
                         topic='product.created', secret='p1')
            wh._add_hook(stack, admin, tid, rx.url('/u'),
                         topic='product.updated', secret='p2')
            wh._add_hook(stack, admin, tid, rx.url('/d'),
                         topic='product.deleted', secret='p3')
            r = api.req('POST', 'products', body={
                'name': 'Hooked', 'regular_price': '7.50',
                'stock_quantity': 3})
            assert r.status == 201, r.text
            pid = body(r)['id']
            got = rx.wait(1, lambda q: q['path'] == '/c')
            assert wh._signed(got[0], 'p1')
            sent = json.loads(got[0]['body'])
            now = body(api.get(f'products/{pid}'))
            assert sent == now
            assert sent['name'] == 'Hooked' and sent['price'] == '7.50'
            r = api.req('PUT', f'products/{pid}',
                        body={'stock_quantity': 9})
            assert r.status == 200, r.text
            got = rx.wait(1, lambda q: q['path'] == '/u')
            assert json.loads(got[0]['body'])['stock_quantity'] == 9
            assert api.req('DELETE', f'products/{pid}',
                           {'force': 'true'}).status == 200
            got = rx.wait(1, lambda q: q['path'] == '/d')
            assert json.loads(got[0]['body']) == {'id': pid}
    finally:
        rx.stop()


def test_variations_batch(stack):
    api, ro, tid, cat = _shop(stack)
    size, vals = _sizes(stack, tid)
    pid = body(api.req('POST', 'products', body={
        'name': 'Tee', 'type': 'variable', 'regular_price': '20.00'}))['id']
    s = body(api.req('POST', f'products/{pid}/variations', body={
        'attributes': [{'id': size, 'option': 's'}], 'stock_quantity': 1}))
    path = f'products/{pid}/variations/batch'
    # One bad item: 400 naming it, nothing written.
    r = api.req('POST', path, body={
        'create': [{'attributes': [{'id': size, 'option': 'm'}]}],
        'update': [{'id': s['id'], 'stock_quantity': -4}]})
    assert r.status == 400, r.text
    assert 'update[0].stock_quantity' in body(r)['data']['params']
    assert len(body(api.get(f'products/{pid}/variations'))) == 1
    r = api.req('POST', path, body={
        'update': [{'id': 99999999, 'stock_quantity': 4}]})
    assert r.status == 400 and 'update[0].id' in body(r)['data']['params']
    assert ro.req('POST', path, body={'delete': [s['id']]}).status == 401
    r = api.req('POST', path, body={
        'create': [{'attributes': [{'id': size, 'option': 'm'}],
                    'stock_quantity': 6, 'sku': 'TEE-M'}],
        'update': [{'id': s['id'], 'stock_quantity': 4}]})
    assert r.status == 200, r.text
    b = body(r)
    assert b['create'][0]['sku'] == 'TEE-M'
    assert b['create'][0]['stock_quantity'] == 6
    assert b['update'][0]['stock_quantity'] == 4 and b['delete'] == []
    m = b['create'][0]['id']
    r = api.req('POST', path, body={'delete': [s['id'], 99999999]})
    assert r.status == 200, r.text
    b = body(r)
    assert b['delete'][0]['id'] == s['id']
    assert b['delete'][1]['error']['data']['status'] == 404
    assert [v['id'] for v in body(api.get(f'products/{pid}/variations'))] \
        == [m]
