"""The cart and the checkout over HTTP: bad input on every form and
parameter is a clear 4xx with nothing written; another shop's ids are
nothing; a POST without the page's token (or, for the product page's
tokenless form, from another origin) is refused; the idempotency key
places one order per review; a tampered total is refused with the new
figures; the cart cookie lasts a year; pages with a cart or a session
are never cached, by souk or by nginx's microcache."""
import re

from souk_client import Client
from shop_setup import (add_to_cart, checkout_to_review, hidden, origin,
                        place_fields, selling_shop)


def _shop(stack, prefix='cart', stock=5):
    slug, tid, pid = selling_shop(stack, prefix, stock=stock)
    return slug, f's{tid}_', pid


def _count(stack, sql):
    return int(stack.query(sql)[0][0])


def _message(text):
    m = re.search(r'<p class="error" role="alert">([^<]*)</p>', text) or \
        re.search(r'<p class="message">([^<]*)</p>', text) or \
        re.search(r'<p>([^<]*)</p>', text)
    return m.group(1) if m else text[:2000]


def test_cart_bad_input_writes_nothing(stack):
    slug, p, pid = _shop(stack, 'cartbad')
    c = Client(stack.port, f'{slug}.localhost')
    bad = [
        ({'product_id': str(pid), 'qty': '-1'}, 422,
         'Enter a quantity from 1 to 999.'),
        ({'product_id': str(pid), 'qty': '0'}, 422,
         'Enter a quantity from 1 to 999.'),
        ({'product_id': str(pid), 'qty': '1000'}, 422,
         'Enter a quantity from 1 to 999.'),
        ({'product_id': str(pid), 'qty': '99999999999999999999999'}, 422,
         'Enter a quantity from 1 to 999.'),
        ({'product_id': str(pid), 'qty': 'two'}, 422,
         'Enter a quantity from 1 to 999.'),
        ({'product_id': str(pid), 'qty': '1.5'}, 422,
         'Enter a quantity from 1 to 999.'),
        ({'product_id': 'abc'}, 422, 'This product does not exist.'),
        ({'product_id': '-3'}, 422, 'This product does not exist.'),
        ({}, 422, 'This product does not exist.'),
        ({'product_id': str(pid + 1000)}, 404,
         'This product does not exist or is no longer sold.'),
        ({'product_id': str(pid), 'variant_id': '77'}, 422,
         'This option does not exist for this product.'),
        ({'product_id': str(pid), 'variant_id': 'x'}, 422,
         'This option does not exist for this product.'),
        # More than in stock (5).
        ({'product_id': str(pid), 'qty': '6'}, 409,
         'Sorry, only 5 of “Last loaf” are left. Lower the quantity and '
         'try again.'),
    ]
    for fields, status, msg in bad:
        r = add_to_cart(stack, c, fields)
        assert r.status == status, (fields, r.status, r.text[:2000])
        assert _message(r.text) == msg, (fields, _message(r.text))
        assert r.header('Cache-Control') == 'no-store', r.headers
    assert _count(stack, f"SELECT COUNT(*) FROM {p}cart_items") == 0
    # Another shop's product: that shop's id is nothing here.
    slug2, p2, pid2 = _shop(stack, 'cartother')
    c2 = Client(stack.port, f'{slug2}.localhost')
    assert add_to_cart(stack, c2, {'product_id': str(pid2),
                                   'qty': '1'}).status == 303
    r = add_to_cart(stack, c, {'product_id': str(pid2 + 500)})
    assert r.status == 404
    assert _count(stack, f"SELECT COUNT(*) FROM {p}cart_items") == 0

    # A good add; then updates out of range and of lines not there.
    r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': '2'})
    assert r.status == 303 and r.header('Location') == '/cart'
    cart = c.get('/cart')
    csrf = cart.csrf()
    for fields, status in [
            ({'product_id': str(pid), 'qty': '-2'}, 422),
            ({'product_id': str(pid), 'qty': '1000'}, 422),
            ({'product_id': str(pid), 'qty': 'lots'}, 422),
            ({'product_id': str(pid), 'qty': '6'}, 409),
            ({'product_id': str(pid), 'variant_id': '5', 'qty': '1'}, 404),
            ({'product_id': str(pid + 9), 'qty': '1'}, 404)]:
        r = c.post('/cart/update', dict(fields, csrf=csrf))
        assert r.status == status, (fields, r.status, _message(r.text))
    assert stack.query(f"SELECT product_id, variant_id, qty FROM "
                       f"{p}cart_items") == [[str(pid), '0', '2']]
    # A coupon that does not exist, or is too long: its message beside
    # the field, nothing stored.
    r = c.post('/cart/coupon', {'csrf': csrf, 'coupon': 'NOPE'})
    assert r.status == 422 and 'class="ferr"' in r.text, r.text[:2000]
    r = c.post('/cart/coupon', {'csrf': csrf, 'coupon': 'X' * 41})
    assert r.status == 422
    assert stack.query(f"SELECT coupon_code FROM {p}carts") == [['']]
    # Quantity set to 0 removes the line; remove is idempotent.
    r = c.post('/cart/update', {'csrf': csrf, 'product_id': str(pid),
                                'qty': '0'})
    assert r.status == 303
    r = c.post('/cart/remove', {'csrf': csrf, 'product_id': str(pid)})
    assert r.status == 303
    assert _count(stack, f"SELECT COUNT(*) FROM {p}cart_items") == 0


def test_cart_forms_need_the_token_or_the_origin(stack):
    slug, p, pid = _shop(stack, 'cartcsrf')
    host = f'{slug}.localhost'
    c = Client(stack.port, host)
    # The product page's form has no token: the browser's Origin (or
    # Referer) must be this shop's.
    assert c.post('/cart/add', {'product_id': str(pid)}).status == 403
    assert c.post('/cart/add', {'product_id': str(pid)}, headers={
        'Origin': 'http://evil.example'}).status == 403
    assert c.post('/cart/add', {'product_id': str(pid)}, headers={
        'Origin': f'http://other.localhost:{stack.port}'}).status == 403
    assert c.post('/cart/add', {'product_id': str(pid)}, headers={
        'Referer': f'http://{host}:{stack.port}/p/loaf'}).status == 303
    # A wrong token is refused even from the right origin.
    assert c.post('/cart/add', {'product_id': str(pid), 'csrf': 'f' * 32},
                  headers=origin(stack, host)).status == 403
    # Every other form needs the page's token.
    for path in ('/cart/update', '/cart/remove', '/cart/coupon',
                 '/checkout', '/checkout/shipping', '/checkout/place'):
        r = c.post(path, {'product_id': str(pid), 'qty': '3'},
                   headers=origin(stack, host))
        assert r.status in (403, 422), (path, r.status)
    assert stack.query(f"SELECT qty FROM {p}cart_items") == [['1']]


def test_cart_cookie_and_caching(stack):
    slug, p, pid = _shop(stack, 'cartcache')
    host = f'{slug}.localhost'
    anon = Client(stack.port, host)
    # Anonymous pages go through the microcache.
    r = anon.get('/p/loaf')
    assert r.header('Cache-Control') == 'public, max-age=5'
    assert anon.get('/p/loaf').header('X-Cache') == 'HIT'
    c = Client(stack.port, host)
    r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': '2'})
    cookie = [v for k, v in r.headers if k.lower() == 'set-cookie' and
              v.startswith('cart=')]
    assert len(cookie) == 1, r.headers
    assert re.match(r'cart=[0-9a-f]{64}; Path=/; Max-Age=31536000; '
                    r'HttpOnly; SameSite=Lax', cookie[0]), cookie
    token = c.jars[host]['cart']
    # Only its hash is stored.
    assert _count(stack, f"SELECT COUNT(*) FROM {p}carts WHERE "
                  f"token_hash = UNHEX(SHA2('{token}', 256))") == 1
    assert _count(stack, f"SELECT COUNT(*) FROM {p}carts WHERE "
                  f"HEX(token_hash) = '{token}'") == 0
    # With a cart, every storefront page is the shopper's own: counted
    # items in the header, no-store, and nginx neither serves it from
    # the cache nor stores it.
    for path in ('/', '/p/loaf', '/cart', '/search?q=loaf'):
        r = c.get(path)
        assert r.status == 200, (path, r.status)
        assert r.header('Cache-Control') == 'no-store', (path, r.headers)
        assert r.header('X-Cache') == 'BYPASS', (path, r.headers)
        assert 'class="cartcount">2<' in r.text, path
    # The anonymous copy was not replaced by the shopper's page.
    r = anon.get('/p/loaf')
    assert r.header('X-Cache') == 'HIT' and 'cartcount' not in r.text
    # A session cookie (cid) bypasses the cache as well, even one that
    # is no longer valid.
    r = anon.get('/p/loaf', raw_cookies='cid=' + 'a' * 64)
    assert r.header('X-Cache') == 'BYPASS', r.headers
    assert r.header('Cache-Control') == 'no-store', r.headers
    # A cookie whose name only ends in "cart" is no cart.
    r = anon.get('/p/loaf', raw_cookies='xcart=1')
    assert r.header('X-Cache') == 'HIT', r.headers
    # The cart survives a browser restart: the same cookie, a new
    # browser.
    again = Client(stack.port, host)
    r = again.get('/cart', raw_cookies=f'cart={token}')
    assert 'class="cartcount">2<' in r.text
    # Another shop does not know the cookie.
    slug2, _, _ = _shop(stack, 'cartcache2')
    r = Client(stack.port, f'{slug2}.localhost').get(
        '/cart', raw_cookies=f'cart={token}')
    assert r.status == 200 and 'Your cart is empty.' in r.text


def test_checkout_bad_input_and_idempotency(stack):
    slug, p, pid = _shop(stack, 'checkbad')
    host = f'{slug}.localhost'
    c = Client(stack.port, host)
    # No cart: every step goes back to the cart.
    for path in ('/checkout', '/checkout/shipping', '/checkout/review'):
        r = c.get(path)
        assert r.status == 302 and r.header('Location') == '/cart', path
    assert add_to_cart(stack, c, {'product_id': str(pid),
                                  'qty': '2'}).status == 303
    # Before the address, the later steps go back to it.
    assert c.get('/checkout/review').header('Location') == '/checkout'
    # Every field at once, each message beside its field.
    r = c.submit('/checkout', '/checkout', {
        'email': 'not an address', 'ship_name': 'x' * 201,
        'ship_country': 'Deutschland', 'ship_postcode': '<script>',
        'ship_line1': '', 'ship_city': ''})
    assert r.status == 422, r.status
    errs = set(re.findall(r'name="([a-z_0-9]+)"[^>]*aria-invalid="true"',
                          r.text))
    for f in ('email', 'ship_name', 'ship_country', 'ship_postcode',
              'ship_line1', 'ship_city'):
        assert f in errs, (f, errs)
    assert r.text.count('class="ferr"') >= 6
    assert '&lt;script&gt;' in r.text and '<script>' not in r.text
    # A country outside every zone: the address is fine, but nothing
    # can be shipped there.
    r = c.submit('/checkout', '/checkout', {
        'email': 'a@example.com', 'ship_name': 'A', 'ship_line1': 'B 1',
        'ship_city': 'Paris', 'ship_postcode': '75001',
        'ship_country': 'FR', 'bill_same': '1'})
    assert r.status == 303
    page = c.get('/checkout/shipping')
    assert page.status == 200 and 'class="ferr"' in page.text
    r = c.post('/checkout/shipping', {'csrf': page.csrf(), 'method_id': '1',
                                      'payment': 'bacs'})
    assert r.status == 422, r.status
    # Unknown method and payment ids.
    review = checkout_to_review(c)
    page = c.get('/checkout/shipping')
    for fields in ({'method_id': '999', 'payment': 'bacs'},
                   {'method_id': 'x', 'payment': 'bacs'},
                   {'method_id': hidden(page.text, 'method_id'),
                    'payment': 'bitcoin'},
                   {'method_id': hidden(page.text, 'method_id'),
                    'payment': 'bäcs'}):
        r = c.post('/checkout/shipping', dict(fields, csrf=page.csrf()))
        assert r.status == 422, (fields, r.status)
    review = checkout_to_review(c)
    before = _count(stack, f"SELECT COUNT(*) FROM {p}orders")
    f = place_fields(review)
    # Tampered: the total, the key.
    for bad in ({'total': str(int(f['total']) - 100)},
                {'total': '-1'}, {'total': 'ten'},
                {'idem_key': 'x' * 32}, {'idem_key': 'abc'},
                {'idem_key': ''}):
        r = c.post('/checkout/place', dict(f, **bad))
        assert r.status in (409, 422), (bad, r.status)
    assert _count(stack, f"SELECT COUNT(*) FROM {p}orders") == before
    assert stack.query(f"SELECT stock FROM {p}products") == [['5']]
    r = c.post('/checkout/place', dict(f, total=str(int(f['total']) - 100)))
    assert r.status == 409 and 'Prices or costs changed' in r.text
    # The real one, then a double click and a resubmitted form: one
    # order.
    r1 = c.post('/checkout/place', f)
    assert r1.status == 303, (r1.status, _message(r1.text))
    r2 = c.post('/checkout/place', f)
    assert r2.status == 303 and r2.header('Location') == \
        r1.header('Location')
    assert _count(stack, f"SELECT COUNT(*) FROM {p}orders") == before + 1
    assert stack.query(f"SELECT stock FROM {p}products") == [['3']]
    loc = r1.header('Location')
    m = re.match(r'/checkout/done/(\d+)\?key=([0-9a-f]{32})$', loc)
    assert m, loc
    done = c.get(loc)
    assert done.status == 200 and m.group(1) in done.text
    assert done.header('Cache-Control') == 'no-store'
    # The confirmation needs its key; another shop has no such order.
    for bad in (f'/checkout/done/{m.group(1)}?key={"0" * 32}',
                f'/checkout/done/{m.group(1)}',
                f'/checkout/done/{int(m.group(1)) + 1}?key={m.group(2)}',
                f'/checkout/done/x?key={m.group(2)}'):
        r = c.get(bad)
        assert r.status in (400, 404), (bad, r.status)
    slug2, _, _ = _shop(stack, 'checkbad2')
    r = Client(stack.port, f'{slug2}.localhost').get(loc)
    assert r.status == 404


def test_cart_purge_by_souk_worker(stack):
    """souk-worker purges every shop's guest carts untouched for
    CART_PURGE_DAYS (60) when it starts, then hourly: a forgotten cart
    and its lines go; a fresh one, a customer's old one and another
    shop's fresh one stay."""
    from wait import wait_until
    shops = []
    for prefix in ('purge', 'purgeb'):
        slug, tid, pid = selling_shop(stack, prefix, stock=50)
        c = Client(stack.port, f'{slug}.localhost')
        r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': '1'})
        assert r.status == 303, (r.status, r.text[:2000])
        shops.append((tid, c))
    tid, _ = shops[0]
    p = f's{tid}_'
    q = stack.query
    # A second guest of shop A forgot their cart 61 days ago; a
    # customer's cart is as old (accounts keep theirs).
    c2 = Client(stack.port, shops[0][1].host)
    r = add_to_cart(stack, c2, {'product_id': q(
        f"SELECT MIN(id) FROM {p}products")[0][0], 'qty': '1'})
    assert r.status == 303
    old = q(f"SELECT MAX(id) FROM {p}carts")[0][0]
    q(f"UPDATE {p}carts SET updated_at = NOW() - INTERVAL 61 DAY "
      f"WHERE id = {old}")
    q(f"UPDATE {p}cart_items SET added_at = NOW() - INTERVAL 61 DAY "
      f"WHERE cart_id = {old}")
    q(f"INSERT INTO {p}carts (customer_id, updated_at) VALUES "
      "(424242, NOW() - INTERVAL 61 DAY)")
    before = int(q(f"SELECT COUNT(*) FROM {p}carts")[0][0])
    stack.stop_mail()
    stack.start_mail()
    wait_until(lambda: int(q(f"SELECT COUNT(*) FROM {p}carts WHERE "
               f"id = {old}")[0][0]) == 0, timeout=20,
               what='the forgotten cart purged')
    assert int(q(f"SELECT COUNT(*) FROM {p}carts")[0][0]) == before - 1
    assert int(q(f"SELECT COUNT(*) FROM {p}cart_items WHERE "
                 f"cart_id = {old}")[0][0]) == 0
    # The fresh carts still work.
    for tid_, c in shops:
        r = c.get('/cart')
        assert r.status == 200 and 'Last loaf' in r.text, r.text[:2000]
