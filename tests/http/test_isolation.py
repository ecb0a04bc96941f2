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
