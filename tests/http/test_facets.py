"""Facets over the whole stack (issue 10, item 4): a category page and a
search filtered by attribute values and a price range, with the count of
each value; every link (sort, next page, first page) keeps the filter;
bad filter ids are a 400 with a message, too many values are capped, a
bad price is the page again with its message; the nginx microcache keeps
each filter's page under its own key (the URI is in it)."""
import http.client
import re

from souk_client import Client

_SHOP = {}

# Products 1..40 in category "shirts": size S (id 11) for odd ids, M
# (12) for even, L (13) for every third; colour Blue (21) below 20, Red
# (22) from 20; prices 1.00 .. 40.00 (id * 100 cents). Product 41 is in
# another category, 42 is a draft: never counted here.
SIZES = {11: 'S', 12: 'M', 13: 'L'}
COLOURS = {21: 'Blue', 22: 'Red'}


def _values(pid):
    v = {11 if pid % 2 else 12, 21 if pid < 20 else 22}
    if pid % 3 == 0:
        v.add(13)
    return v


def _shop(stack):
    if _SHOP.get('stack') is stack:
        return _SHOP['slug']
    slug = stack.unique('facets')
    stack.create_shop(slug, locale='en', currency='EUR',
                      owner_email=f'{slug}@x.test')
    tid = int(stack.query("SELECT id FROM souk_tenants WHERE slug = "
                          f"'{slug}'")[0][0])
    p = f's{tid}_'
    stack.query(f"INSERT INTO {p}categories (id, slug, position) VALUES "
                "(1, 'shirts', 0), (2, 'hats', 1)")
    stack.query(f"INSERT INTO {p}category_texts VALUES (1, 'en', 'Shirts'),"
                " (2, 'en', 'Hats')")
    stack.query(f"INSERT INTO {p}attributes (id, parent_id, slug, position)"
                " VALUES (1, 0, 'size', 0), (2, 0, 'colour', 1),"
                " (11, 1, 's', 0), (12, 1, 'm', 1), (13, 1, 'l', 2),"
                " (21, 2, 'blue', 0), (22, 2, 'red', 1)")
    names = {1: 'Size', 2: 'Colour', **SIZES, **COLOURS}
    stack.query(f"INSERT INTO {p}attribute_texts VALUES " + ", ".join(
        f"({i}, 'en', '{n}')" for i, n in names.items()))
    rows, texts, vals = [], [], []
    for pid in range(1, 43):
        cat = 2 if pid == 41 else 1
        status = 'draft' if pid == 42 else 'active'
        rows.append(f"({pid}, 'shirt-{pid}', 'SH{pid}', {cat}, {pid * 100},"
                    f" 5, '{status}')")
        texts.append(f"({pid}, 'en', 'Linen shirt {pid}', 'Soft.')")
        vals += [f"({pid}, {v})" for v in _values(pid)]
    stack.query(f"INSERT INTO {p}products (id, slug, sku, category_id,"
                " price, stock, status) VALUES " + ", ".join(rows))
    stack.query(f"INSERT INTO {p}product_texts (product_id, locale, name,"
                " description) VALUES " + ", ".join(texts))
    stack.query(f"INSERT INTO {p}product_values VALUES " + ", ".join(vals))
    # Written past souk: its search index made as after a restore.
    stack.soukctl('shop', 'reindex', slug)
    _SHOP.update(stack=stack, slug=slug)
    return slug


def _expect(sel, lo=None, hi=None, ids=range(1, 41)):
    """The products of "shirts" a selection gives (OR within size or
    colour, AND between them), by brute force."""
    out = []
    for pid in ids:
        v = _values(pid)
        ok = all(not (set(g) & sel) or (v & set(g) & sel)
                 for g in (SIZES, COLOURS))
        if ok and (lo is None or pid * 100 >= lo) and \
                (hi is None or pid * 100 <= hi):
            out.append(pid)
    return out


def _counts(text):
    """{value id: count} of the page's facet checkboxes."""
    return {int(i): int(n) for i, n in re.findall(
        r'name="v" value="(\d+)"[^>]*> <span>[^<]*</span> '
        r'<span class="n">(\d+)</span>', text)}


def _shown(text):
    return [int(x) for x in re.findall(r'href="/p/shirt-(\d+)"', text)]


def _get(stack, slug, path):
    shop = Client(stack.port, f'{slug}.localhost')
    return shop.get(path)


def test_counts_and_products_of_two_facets(stack):
    slug = _shop(stack)
    r = _get(stack, slug, '/c/shirts?v=12&v=13&v=22')
    assert r.status == 200, r.text[:2000]
    sel = {12, 13, 22}
    want = _expect(sel)
    assert sorted(_shown(r.text)) == sorted(want)
    got = _counts(r.text)
    # A value's count: the products with it that pass the other
    # attribute's selection.
    for v in list(SIZES) + list(COLOURS):
        other = sel - (set(SIZES) if v in SIZES else set(COLOURS))
        n = sum(1 for pid in _expect(other) if v in _values(pid))
        assert got.get(v, 0) == n, (v, got, n)
    for v in sel:
        assert re.search(rf'name="v" value="{v}" checked', r.text)
    assert 'Size' in r.text and 'Colour' in r.text
    # The sort form keeps the filter in hidden fields; the filter form
    # keeps the sort.
    assert '<input type="hidden" name="v" value="13">' in r.text
    assert 'href="/c/shirts"' in r.text   # clear the filters


def test_price_range_and_paging_keep_the_filter(stack):
    slug = _shop(stack)
    # Blue or Red (every product), sizes S or M (every product), 5.00 to
    # 38.00: 34 products, two pages.
    path = '/c/shirts?sort=price-asc&v=11&v=12&v=21&v=22&min=5&max=38.00'
    r = _get(stack, slug, path)
    assert r.status == 200, r.text[:2000]
    first = _shown(r.text)
    assert first == list(range(5, 29)), first
    m = re.search(r'href="([^"]*after=[^"]*)" rel="next"', r.text)
    assert m, r.text[-3000:]
    nxt = m.group(1).replace('&amp;', '&')
    for part in ('v=11', 'v=12', 'v=21', 'v=22', 'min=5', 'max=38.00',
                 'sort=price-asc'):
        assert part in nxt, (part, nxt)
    r = _get(stack, slug, nxt)
    assert r.status == 200
    assert _shown(r.text) == list(range(29, 39)), _shown(r.text)
    m = re.search(r'href="([^"]*)">First page', r.text)
    assert m and 'v=22' in m.group(1) and 'min=5' in m.group(1), m
    # Counts follow the price range too.
    assert _counts(r.text)[21] == len(_expect({21}, 500, 3800))


def test_search_with_facets(stack):
    slug = _shop(stack)
    r = _get(stack, slug, '/search?q=linen&v=21&v=13')
    assert r.status == 200, r.text[:2000]
    want = _expect({21, 13})
    assert sorted(_shown(r.text)) == sorted(want)
    got = _counts(r.text)
    # The hat (41) is found by the words too (any category), but it is
    # red: sizes counted over blue leave it out.
    for v in SIZES:
        n = sum(1 for pid in _expect({21}, ids=range(1, 42))
                if v in _values(pid))
        assert got.get(v, 0) == n, (v, got, n)
    # S or M: all 41 found, two pages; the next keeps both.
    r = _get(stack, slug, '/search?q=linen&v=11&v=12')
    m = re.search(r'href="(/search\?[^"]*page=1)"', r.text)
    assert m and 'v=11' in m.group(1) and 'v=12' in m.group(1), \
        r.text[-2000:]


def test_bad_filters(stack):
    slug = _shop(stack)
    for bad in ('v=abc', 'v=0', 'v=-3', 'v=1e5', 'v=%C3%A9'):
        r = _get(stack, slug, '/c/shirts?' + bad)
        assert r.status == 400, (bad, r.status)
        assert 'This filter link is not valid.' in r.text, bad
        r = _get(stack, slug, '/search?q=linen&' + bad)
        assert r.status == 400, (bad, r.status)
    # Unknown ids, an attribute instead of a value, another shop's
    # id: no filter, every product.
    r = _get(stack, slug, '/c/shirts?v=999999&v=1')
    assert r.status == 200 and len(_shown(r.text)) == 24
    assert 'checked' not in r.text
    # Many values: capped (the page still shows), never an error
    # below the form's limit.
    many = '&'.join(f'v={12 if i % 2 else 22}' for i in range(40))
    r = _get(stack, slug, '/c/shirts?' + many)
    assert r.status == 200
    assert sorted(_shown(r.text)) == sorted(_expect({12, 22}))
    many = '&'.join(f'v={1000 + i}' for i in range(30)) + '&v=12'
    r = _get(stack, slug, '/c/shirts?' + many)
    assert r.status == 200   # the 17th value on is dropped
    # A price typed wrong: the page again, the message beside it.
    r = _get(stack, slug, '/c/shirts?min=abc&v=12')
    assert r.status == 422
    assert 'Enter prices such as 12.50.' in r.text


def _raw(stack, host, path):
    conn = http.client.HTTPConnection('127.0.0.1', stack.port, timeout=15)
    try:
        conn.putrequest('GET', path, skip_host=True,
                        skip_accept_encoding=True)
        conn.putheader('Host', f'{host}:{stack.port}')
        conn.endheaders()
        r = conn.getresponse()
        return r.status, r.headers, r.read()
    finally:
        conn.close()


def test_microcache_keys_each_filter(stack):
    slug = _shop(stack)
    host = stack.shop_host(slug) if hasattr(stack, 'shop_host') else \
        f'{slug}.localhost'
    a = '/c/shirts?v=11&cache=1'
    b = '/c/shirts?v=12&cache=1'
    st, h, body_a = _raw(stack, host, a)
    assert st == 200 and h['X-Cache'] == 'MISS', h.items()
    st, h, body_a2 = _raw(stack, host, a)
    assert h['X-Cache'] == 'HIT' and body_a2 == body_a
    # Another filter is another page, never the cached one.
    st, h, body_b = _raw(stack, host, b)
    assert st == 200 and h['X-Cache'] == 'MISS', h.items()
    assert body_b != body_a
    assert b'value="12" checked' in body_b
    assert b'value="12" checked' not in body_a
    # An error is never stored.
    st, h, _ = _raw(stack, host, '/c/shirts?v=x&cache=1')
    assert st == 400
    st, h, _ = _raw(stack, host, '/c/shirts?v=x&cache=1')
    assert st == 400 and h['X-Cache'] != 'HIT'


def test_price_sorts_are_by_the_sale_price_while_it_runs(stack):
    """A product on sale sorts by the price the shopper pays, on the
    category page (sorted by the worker) and in the search (sorted by
    MariaDB); the keyset pages across it give every product once. A
    sale to come does not move its product."""
    slug = stack.unique('salesort')
    stack.create_shop(slug, locale='en', currency='EUR',
                      owner_email=f'{slug}@x.test')
    tid = int(stack.query("SELECT id FROM souk_tenants WHERE slug = "
                          f"'{slug}'")[0][0])
    p = f's{tid}_'
    stack.query(f"INSERT INTO {p}categories (id, slug, position) VALUES "
                "(1, 'sale', 0)")
    stack.query(f"INSERT INTO {p}category_texts VALUES (1, 'en', 'Sale')")
    rows, texts = [], []
    for pid in range(1, 31):
        rows.append(f"({pid}, 'sale-{pid}', 'SA{pid}', 1, {pid * 100},"
                    " 5, 'active')")
        texts.append(f"({pid}, 'en', 'Linen sale {pid}', 'Soft.')")
    stack.query(f"INSERT INTO {p}products (id, slug, sku, category_id,"
                " price, stock, status) VALUES " + ", ".join(rows))
    stack.query(f"INSERT INTO {p}product_texts (product_id, locale, name,"
                " description) VALUES " + ", ".join(texts))
    # 25.00 on sale at 1.50 (running, open); 3.00 at 0.10 from tomorrow.
    stack.query(f"UPDATE {p}products SET sale_price = 150 WHERE id = 25")
    stack.query(f"UPDATE {p}products SET sale_price = 10, sale_from ="
                " UTC_TIMESTAMP() + INTERVAL 1 DAY WHERE id = 3")
    stack.soukctl('shop', 'reindex', slug)
    asc = [1, 25] + [i for i in range(2, 31) if i != 25]

    def shown(text):
        return [int(x) for x in re.findall(r'href="/p/sale-(\d+)"', text)]

    def walk(path):
        out, pages = [], 0
        while path and pages < 5:
            r = _get(stack, slug, path)
            assert r.status == 200, r.text[:2000]
            out += shown(r.text)
            m = re.search(r'href="([^"]*)" rel="next"', r.text)
            path = m.group(1).replace('&amp;', '&') if m else None
            pages += 1
        return out, pages

    got, pages = walk('/c/sale?sort=price-asc')
    assert got == asc and pages == 2, got
    got, pages = walk('/c/sale?sort=price-desc')
    assert got == asc[::-1] and pages == 2, got
    r = _get(stack, slug, '/search?q=linen&sort=price-asc')
    assert r.status == 200
    assert shown(r.text) == asc[:24], shown(r.text)
