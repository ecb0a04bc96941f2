"""One shop's session can never read or change another shop's data, by
any id, on any path."""
import re

from souk_client import Client, signup, admin_login, create_product


def _shop(stack, slug):
    signup(stack.port, slug, f'owner@{slug}.test')
    admin = admin_login(stack.port, slug, f'owner@{slug}.test')
    pid = create_product(admin, {'name_en': f'Secret of {slug}',
                                 'slug': 'secret', 'price': '9.99',
                                 'stock': '5'})
    return admin, pid


def test_isolation_admin_cannot_reach_other_shop_by_id(stack):
    a, a_pid = _shop(stack, 'iso-alpha')
    b, b_pid = _shop(stack, 'iso-beta')
    csrf = a.get('/admin/products').csrf()

    # Every id of B, seen from A's admin, is not found: A's tables only.
    r = a.get(f'/admin/products/{b_pid}')
    if b_pid != a_pid:
        assert r.status == 404, r.status
    else:
        assert 'Secret of iso-alpha' in r.text
        assert 'Secret of iso-beta' not in r.text
    r = a.post(f'/admin/products/{b_pid + 1000}',
               {'csrf': csrf, 'name_en': 'pwned', 'price': '0.01',
                'stock': '1'})
    assert r.status == 404
    r = a.post(f'/admin/products/{b_pid + 1000}/delete', {'csrf': csrf})
    assert r.status == 404

    # B's product is untouched, on B's storefront.
    page = Client(stack.port, 'iso-beta.localhost').get('/p/secret')
    assert page.status == 200 and 'Secret of iso-beta' in page.text
    assert '9.99' in page.text
    # A's storefront shows only A's.
    page = Client(stack.port, 'iso-alpha.localhost').get('/p/secret')
    assert 'Secret of iso-alpha' in page.text
    assert 'iso-beta' not in page.text


def test_isolation_session_cookie_of_one_shop_is_nothing_on_another(stack):
    a, _ = _shop(stack, 'iso-gamma')
    signup(stack.port, 'iso-delta', 'owner@iso-delta.test')
    token = a.jars['iso-gamma.localhost']['souk_admin']
    stranger = Client(stack.port, 'iso-delta.localhost')
    r = stranger.get('/admin/products', raw_cookies=f'souk_admin={token}')
    assert r.status == 302 and r.header('Location').endswith('/admin/login')
    csrf = a.get('/admin/products').csrf()
    r = stranger.post('/admin/products', {
        'csrf': csrf, 'name_en': 'Injected', 'price': '1', 'stock': '1'},
        raw_cookies=f'souk_admin={token}')
    assert r.status == 403
    # Nothing was created on delta.
    owner = admin_login(stack.port, 'iso-delta', 'owner@iso-delta.test')
    assert 'Injected' not in owner.get('/admin/products').text


def test_isolation_platform_session_is_not_a_shop_session(stack):
    plat = signup(stack.port, 'iso-eps', 'owner@iso-eps.test')
    token = plat.jars['localhost']['souk_account']
    r = Client(stack.port, 'iso-eps.localhost').get(
        '/admin/products', raw_cookies=f'souk_admin={token}')
    assert r.status == 302


def test_isolation_operator_console_needs_an_operator(stack):
    plat = signup(stack.port, 'iso-zeta', 'owner@iso-zeta.test')
    r = plat.get('/operator')
    assert r.status == 403
    csrf = plat.get('/dashboard').csrf()
    r = plat.post('/operator/shops/1/suspend', {'csrf': csrf})
    assert r.status == 403


def test_isolation_carts_orders_coupons_customers(stack):
    """A cart, an order, a coupon or a customer of shop A is reachable
    from shop B by no id, and A's shopper session is nothing on B."""
    from shop_setup import ADDRESS, add_to_cart, checkout_to_review, \
        place_fields, selling_shop

    a_slug, a_tid, a_pid = selling_shop(stack, 'iso-sell-a')
    b_slug, b_tid, b_pid = selling_shop(stack, 'iso-sell-b')
    a_host, b_host = f'{a_slug}.localhost', f'{b_slug}.localhost'
    stack.query(f"INSERT INTO s{a_tid}_coupons (code, kind, amount) "
                "VALUES ('ONLYA', 'percent', 1000)")
    pw = 'correct horse battery'
    email = f'anna.{a_tid}@example.com'

    # On A: an account, signed in; an order placed; a guest's cart.
    ca = Client(stack.port, a_host)
    r = ca.submit('/account/register', '/account/register',
                  {'name': 'Anna A', 'email': email, 'password': pw})
    assert r.status == 303, r.text[:2000]
    r = ca.submit('/account/login', '/account/login',
                  {'email': email, 'password': pw})
    assert r.status == 303, r.text[:2000]
    assert add_to_cart(stack, ca, {'product_id': str(a_pid),
                                   'qty': '1'}).status == 303
    review = checkout_to_review(ca, dict(ADDRESS, email=email))
    r = ca.post('/checkout/place', place_fields(review))
    assert r.status == 303, r.text[:2000]
    m = re.match(r'/checkout/done/(\d+)\?key=([0-9a-f]{32})$',
                 r.header('Location'))
    assert m, r.header('Location')
    number, key = m.group(1), m.group(2)
    cid = ca.jars[a_host]['cid']
    guest = Client(stack.port, a_host)
    assert add_to_cart(stack, guest, {'product_id': str(a_pid),
                                      'qty': '2'}).status == 303
    cart = guest.jars[a_host]['cart']
    a_customer = stack.query(f"SELECT id FROM s{a_tid}_customers")[0][0]

    cb = Client(stack.port, b_host)
    # A's session on B: not signed in, no order of A's.
    r = cb.get('/account', raw_cookies=f'cid={cid}')
    assert r.status in (302, 303) and '/account/login' in \
        r.header('Location'), r.status
    r = cb.get(f'/account/orders/{number}', raw_cookies=f'cid={cid}')
    assert r.status in (302, 303, 404), r.status
    assert 'Anna A' not in r.text
    # A's account does not sign in on B (the answer for a wrong password).
    r = cb.submit('/account/login', '/account/login',
                  {'email': email, 'password': pw})
    assert r.status == 401, r.status
    # A's order by number and key: not on B.
    r = cb.get(f'/order/{number}?key={key}')
    assert r.status == 404, r.status
    # A's cart cookie on B: an empty cart.
    r = cb.get('/cart', raw_cookies=f'cart={cart}')
    assert r.status == 200 and 'class="cartcount"' not in r.text
    assert stack.query(f"SELECT COUNT(*) FROM s{b_tid}_cart_items") == \
        [['0']]
    # A's product id in B's cart: refused unless B has that id too.
    r = add_to_cart(stack, cb, {'product_id': str(a_pid + 1000),
                                'qty': '1'})
    assert r.status in (404, 422), r.status
    # A's coupon on B: unknown there, nothing stored.
    assert add_to_cart(stack, cb, {'product_id': str(b_pid),
                                   'qty': '1'}).status == 303
    page = cb.get('/cart')
    r = cb.post('/cart/coupon', {'csrf': page.csrf(), 'coupon': 'ONLYA'})
    assert r.status == 422 and 'class="ferr"' in r.text, r.status
    assert stack.query(f"SELECT coupon_code FROM s{b_tid}_carts") == \
        [['']]
    # B's merchant: no order, no customer of A's by any id.
    admin = admin_login(stack.port, b_slug, f'{b_slug}@x.test')
    assert admin.get(f'/admin/orders/{number}').status == 404
    assert admin.get(f'/admin/customers/{a_customer}').status == 404
    assert email not in admin.get('/admin/customers').text
    # A's order is untouched.
    assert stack.query(f"SELECT status FROM s{a_tid}_orders WHERE number "
                       f"= {number}") == [['on-hold']]
