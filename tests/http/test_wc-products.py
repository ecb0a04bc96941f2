"""GET /wp-json/wc/v3/products and products/{id} (web/wc_products.c,
shop/product_query.c): WooCommerce v3's fields and types, checked field
by field against the rows; filters (search, category, sku, status,
stock_status), orderby and order, paging with X-WP-Total,
X-WP-TotalPages and Link; a product with variants is "variable" with
their ids; drafts are listed as "draft"; an unknown id is a 404."""
import urllib.parse

from wc_setup import Api, body, make_key, shop


def _catalog(stack):
    admin, tid, slug = shop(stack, 'wcprod')
    ck, cs, _ = make_key(admin, 'read')
    p = f's{tid}_'
    q = stack.query
    q(f"INSERT INTO {p}categories (slug) VALUES ('shirts'), ('mugs')")
    cats = {k: int(v) for k, v in q(f"SELECT slug, id FROM {p}categories")}
    q(f"INSERT INTO {p}category_texts VALUES ({cats['shirts']}, 'en', "
      f"'Shirts'), ({cats['mugs']}, 'en', 'Mugs')")
    rows = [
        # slug, sku, cat, price, sale, stock, status, created
        ('blue-shirt', 'SH-1', 'shirts', 2500, 1999, 5, 'active',
         '2026-01-01 10:00:00'),
        ('red-shirt', 'SH-2', 'shirts', 2700, None, 0, 'active',
         '2026-01-02 10:00:00'),
        ('big-mug', 'MU-1', 'mugs', 900, None, 12, 'active',
         '2026-01-03 10:00:00'),
        ('draft-mug', 'MU-2', 'mugs', 800, None, 3, 'draft',
         '2026-01-04 10:00:00'),
        ('tee', 'TEE', 'shirts', 1500, None, 0, 'active',
         '2026-01-05 10:00:00'),
    ]
    for (s, sku, c, price, sale, stock, st, created) in rows:
        q(f"INSERT INTO {p}products (slug, sku, category_id, price, "
          f"sale_price, stock, status, created_at, weight_g, tax_class) "
          f"VALUES ('{s}', '{sku}', {cats[c]}, {price}, "
          f"{'NULL' if sale is None else sale}, {stock}, '{st}', "
          f"'{created}', 250, 'reduced')")
    ids = {k: int(v) for k, v in q(f"SELECT slug, id FROM {p}products")}
    for s, i in ids.items():
        name = s.replace('-', ' ').title()
        q(f"INSERT INTO {p}product_texts (product_id, locale, name, "
          f"description) VALUES ({i}, 'en', '{name}', 'Soft & <warm>')")
    # The tee has variants: its stock is theirs.
    q(f"INSERT INTO {p}variants (product_id, sku, name, stock, position) "
      f"VALUES ({ids['tee']}, 'TEE-S', 'S', 0, 1), "
      f"({ids['tee']}, 'TEE-M', 'M', 4, 2)")
    q(f"INSERT INTO {p}attributes (parent_id, slug, position) "
      f"VALUES (0, 'size', 1)")
    size = int(q(f"SELECT id FROM {p}attributes WHERE slug = 'size'")[0][0])
    q(f"INSERT INTO {p}attributes (parent_id, slug, position) VALUES "
      f"({size}, 's', 1), ({size}, 'm', 2)")
    vals = {k: int(v) for k, v in q(
        f"SELECT slug, id FROM {p}attributes WHERE parent_id = {size}")}
    q(f"INSERT INTO {p}attribute_texts VALUES ({size}, 'en', 'Size'), "
      f"({vals['m']}, 'en', 'Medium')")
    q(f"INSERT INTO {p}product_values VALUES ({ids['tee']}, {vals['s']}), "
      f"({ids['tee']}, {vals['m']})")
    q(f"INSERT INTO {p}images (product_id, path, alt, position) VALUES "
      f"({ids['big-mug']}, 'ab/cd/mug.jpg', '{{\"en\": \"A big mug\"}}', 0)")
    return Api(stack, slug, ck, cs), tid, ids, cats


def _ids(r):
    assert r.status == 200, r.text
    return [p['id'] for p in body(r)]


def test_products_list_and_fields(stack):
    api, tid, ids, cats = _catalog(stack)
    r = api.get('products')
    assert r.status == 200, r.text
    assert r.header('X-WP-Total') == '5'
    assert r.header('X-WP-TotalPages') == '1'
    assert r.header('Link') is None
    # Newest first, drafts included (status any).
    assert _ids(r) == [ids[s] for s in ('tee', 'draft-mug', 'big-mug',
                                         'red-shirt', 'blue-shirt')]
    by = {p['slug']: p for p in body(r)}
    p = by['blue-shirt']
    row = stack.query(
        f"SELECT id, sku, price, sale_price, stock, "
        f"DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s') "
        f"FROM s{tid}_products WHERE slug = 'blue-shirt'")[0]
    assert p['id'] == int(row[0]) and p['sku'] == row[1]
    assert p['regular_price'] == '25.00' and p['sale_price'] == '19.99'
    assert p['price'] == '19.99' and p['on_sale'] is True
    assert p['stock_quantity'] == int(row[4]) == 5
    assert p['manage_stock'] is True and p['stock_status'] == 'instock'
    assert p['date_created_gmt'] == row[5]
    assert p['name'] == 'Blue Shirt' and p['type'] == 'simple'
    assert p['status'] == 'publish' and p['featured'] is False
    assert p['description'] == '<p>Soft &amp; &lt;warm&gt;</p>\n'
    assert p['short_description'] == ''
    assert p['categories'] == [{'id': cats['shirts'], 'name': 'Shirts',
                                'slug': 'shirts'}]
    assert p['tax_class'] == 'reduced-rate' and p['weight'] == '0.250'
    assert p['images'] == [] and p['variations'] == []
    assert p['attributes'] == [] and p['tags'] == []
    assert p['dimensions'] == {'length': '', 'width': '', 'height': ''}
    assert p['date_on_sale_from'] is None
    assert p['permalink'].endswith('/p/blue-shirt')
    assert by['red-shirt']['sale_price'] == ''
    assert by['red-shirt']['on_sale'] is False
    assert by['red-shirt']['stock_status'] == 'outofstock'
    assert by['draft-mug']['status'] == 'draft'
    mug = by['big-mug']
    assert len(mug['images']) == 1
    im = mug['images'][0]
    assert im['src'] == f'http://{api.host}/media/ab/cd/mug.jpg'
    assert im['alt'] == 'A big mug' and im['name'] == 'mug.jpg'
    tee = by['tee']
    vids = [int(v[0]) for v in stack.query(
        f"SELECT id FROM s{tid}_variants WHERE product_id = {tee['id']} "
        f"ORDER BY position")]
    assert tee['type'] == 'variable' and tee['variations'] == vids
    assert tee['manage_stock'] is False and tee['stock_quantity'] is None
    assert tee['stock_status'] == 'instock'
    # Its attribute, the values in order (a value without a name in
    # any language shows its slug).
    assert len(tee['attributes']) == 1
    at = tee['attributes'][0]
    assert at['name'] == 'Size' and at['options'] == ['s', 'Medium']
    assert at['variation'] is True and at['visible'] is True
    # One product.
    r = api.get(f'products/{ids["blue-shirt"]}')
    assert r.status == 200 and body(r) == p
    for bad in ('999999', '0', 'abc'):
        r = api.get(f'products/{bad}')
        assert r.status == 404, (bad, r.text)


def test_products_filters_and_order(stack):
    api, tid, ids, cats = _catalog(stack)
    assert _ids(api.get('products', {'search': 'shirt'})) == \
        [ids['red-shirt'], ids['blue-shirt']]
    assert _ids(api.get('products', {'sku': 'MU-1'})) == [ids['big-mug']]
    assert sorted(_ids(api.get('products', {'category': cats['mugs']}))) \
        == sorted([ids['big-mug'], ids['draft-mug']])
    assert _ids(api.get('products', {'status': 'draft'})) == \
        [ids['draft-mug']]
    assert len(_ids(api.get('products', {'status': 'publish'}))) == 4
    assert _ids(api.get('products', {'status': 'pending'})) == []
    assert _ids(api.get('products', {'stock_status': 'outofstock'})) == \
        [ids['red-shirt']]
    assert _ids(api.get('products', {'orderby': 'price',
                                     'order': 'asc'})) == \
        [ids[s] for s in ('draft-mug', 'big-mug', 'tee', 'blue-shirt',
                          'red-shirt')]
    assert _ids(api.get('products', {'orderby': 'title',
                                     'order': 'asc'}))[0] == ids['big-mug']
    assert _ids(api.get('products', {'orderby': 'id', 'order': 'asc'})) \
        == sorted(ids.values())
    for k, v in (('orderby', 'rand'), ('status', 'nope'),
                 ('order', 'up'), ('category', 'x')):
        r = api.get('products', {k: v})
        assert r.status == 400 and body(r)['code'] == 'rest_invalid_param'


def test_products_paging(stack):
    api, tid, ids, cats = _catalog(stack)
    r = api.get('products', {'per_page': '2', 'page': '2',
                             'orderby': 'id', 'order': 'asc'})
    assert _ids(r) == sorted(ids.values())[2:4]
    assert r.header('X-WP-Total') == '5'
    assert r.header('X-WP-TotalPages') == '3'
    links = r.header('Link')
    assert 'rel="prev"' in links and 'rel="next"' in links
    nxt = [l for l in links.split(', ') if 'rel="next"' in l][0]
    u = urllib.parse.urlparse(nxt[1:nxt.index('>')])
    qs = urllib.parse.parse_qs(u.query)
    assert qs['page'] == ['3'] and qs['per_page'] == ['2']
    assert qs['orderby'] == ['id'] and 'consumer_key' not in qs
    assert u.path == '/wp-json/wc/v3/products'
    r = api.get('products', {'per_page': '2', 'offset': '4',
                             'orderby': 'id', 'order': 'asc'})
    assert _ids(r) == sorted(ids.values())[4:]
    # Past the end: empty, the total still right.
    r = api.get('products', {'page': '9'})
    assert _ids(r) == [] and r.header('X-WP-Total') == '5'
    r = api.get('products', {'per_page': '100'})
    assert len(_ids(r)) == 5


def test_products_total_follows_the_catalog(stack):
    """The total of a page that is not the last is counted and kept by
    the worker a few seconds (shop/product_query.c); a product saved in
    the admin drops every worker's copy at once, so the next page's
    X-WP-Total counts it. One product by id is read alone."""
    from souk_client import create_product
    admin, tid, slug = shop(stack, 'wctotal')
    ck, cs, _ = make_key(admin, 'read')
    api = Api(stack, slug, ck, cs)
    made = [create_product(admin, {'name_en': f'Loaf {i}',
                                   'slug': f'loaf-{i}'}) for i in range(3)]
    # Asked of every worker (4), so each keeps its count.
    for _ in range(8):
        r = api.get('products', {'per_page': '2'})
        assert r.header('X-WP-Total') == '3', r.header('X-WP-Total')
        assert r.header('X-WP-TotalPages') == '2'
    # Newest first: the last made leads.
    assert _ids(r) == [made[2], made[1]]
    made.append(create_product(admin, {'name_en': 'Loaf 3',
                                       'slug': 'loaf-3'}))
    for _ in range(8):
        r = api.get('products', {'per_page': '2'})
        assert r.header('X-WP-Total') == '4', r.header('X-WP-Total')
    # The last page says its total itself; past it, the count.
    r = api.get('products', {'per_page': '3', 'page': '2'})
    assert _ids(r) == [made[0]] and r.header('X-WP-Total') == '4'
    r = api.get('products', {'per_page': '3', 'page': '3'})
    assert _ids(r) == [] and r.header('X-WP-Total') == '4'
    r = api.get(f'products/{made[1]}')
    assert r.status == 200 and body(r)['id'] == made[1]
    assert body(r)['name'] == 'Loaf 1'
