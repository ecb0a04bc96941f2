"""Sign-up to a live shop: the walking skeleton's main path, over HTTP
through nginx, the pool and MariaDB."""
import re

from souk_client import Client, signup, admin_login, create_product


def test_signup_shop_live_product_in_two_languages(stack):
    email = 'anna@bakery.test'
    plat = signup(stack.port, 'annas-bakery', email, name='Annas Bäckerei',
                  locale='de', currency='EUR')
    dash = plat.get('/dashboard')
    assert dash.status == 200, dash
    assert 'annas-bakery.localhost' in dash.text
    assert 'status ready' in dash.text, dash.text

    shop = Client(stack.port, 'annas-bakery.localhost')
    home = shop.get('/')
    assert home.status == 200, home
    assert 'Annas Bäckerei' in home.text
    assert '<html lang="de">' in home.text

    admin = admin_login(stack.port, 'annas-bakery', email)
    # Offer English too, then create a product with texts in both.
    r = admin.submit('/admin/settings', '/admin/settings', {
        'name': 'Annas Bäckerei', 'color_primary': '#8a4b08',
        'color_accent': '#f2c14e', 'locales': ['de', 'en'],
        'default_locale': 'de', 'currency': 'EUR'})
    assert r.status == 303, r.text[:3000]
    pid = create_product(admin, {
        'name_de': 'Roggenbrot', 'description_de': 'Mit Sauerteig.',
        'name_en': 'Rye bread', 'description_en': 'With sourdough.',
        'price': '4,20', 'stock': '12', 'slug': 'roggenbrot'})
    assert pid > 0

    de = shop.get('/p/roggenbrot', headers={'Accept-Language': 'de'})
    assert de.status == 200, de
    assert 'Roggenbrot' in de.text and 'Mit Sauerteig.' in de.text
    assert re.search(r'4,20\s€', de.text), de.text
    en = shop.get('/p/roggenbrot?lang=en')
    assert en.status == 200
    assert 'Rye bread' in en.text and 'With sourdough.' in en.text
    assert '€4.20' in en.text
    # The choice sticks in a cookie.
    again = shop.get('/p/roggenbrot')
    assert 'Rye bread' in again.text
    # And the home page lists it.
    assert 'Rye bread' in shop.get('/').text


def test_signup_refuses_bad_slugs_and_creates_nothing(stack):
    for slug, why in [('ab', 'short'), ('www', 'reserved'),
                      ('admin', 'reserved'), ('Bad_Slug', 'charset'),
                      ("x'; DROP TABLE souk_tenants; --", 'sql'),
                      ('-lead', 'hyphen'), ('a' * 41, 'long')]:
        c = Client(stack.port)
        r = c.submit('/', '/signup', {
            'name': 'Shop', 'slug': slug, 'email': f'{why}@x.test',
            'password': 'long enough pw', 'locale': 'en',
            'currency': 'EUR'})
        assert r.status == 422, (slug, r.status)
        assert 'class="error"' in r.text, slug
    # Nothing was created for any of them, and the platform still works.
    assert Client(stack.port, 'ab.localhost').get('/').status == 404
    assert Client(stack.port).get('/').status == 200


def test_signup_weak_password_and_taken_slug(stack):
    c = Client(stack.port)
    r = c.submit('/', '/signup', {
        'name': 'Weak', 'slug': 'weak-pw-shop', 'email': 'weak@x.test',
        'password': 'short', 'locale': 'en', 'currency': 'EUR'})
    assert r.status == 422
    assert '8' in r.text
    signup(stack.port, 'taken-shop', 'first@x.test')
    r = Client(stack.port).submit('/', '/signup', {
        'name': 'Again', 'slug': 'taken-shop', 'email': 'second@x.test',
        'password': 'long enough pw', 'locale': 'en', 'currency': 'EUR'})
    assert r.status == 422 and 'taken' in r.text


def test_second_shop_from_dashboard(stack):
    plat = signup(stack.port, 'first-of-two', 'two@x.test')
    page = plat.get('/')
    assert page.status == 200 and 'name="email"' not in page.text
    r = plat.post('/signup', {'name': 'Second', 'slug': 'second-of-two',
                              'locale': 'fr', 'currency': 'EUR',
                              'csrf': page.csrf()})
    assert r.status == 303, r.text[:2000]
    dash = plat.get('/dashboard').text
    assert 'first-of-two.localhost' in dash and 'second-of-two' in dash


def test_platform_login_logout_and_lockout(stack):
    signup(stack.port, 'lock-shop', 'lock@x.test')
    c = Client(stack.port)
    for i in range(5):
        r = c.submit('/login', '/login', {'email': 'lock@x.test',
                                          'password': f'wrong-{i}'})
        assert r.status == 401, r.status
    r = c.submit('/login', '/login', {'email': 'lock@x.test',
                                      'password': 'correct horse battery'})
    assert r.status == 429, 'locked out even with the right password'


def test_unknown_host_is_a_clear_404(stack):
    r = Client(stack.port, 'no-such-shop.localhost').get('/')
    assert r.status == 404
    assert 'no shop at this address' in r.text.lower()


def test_health(stack):
    r = Client(stack.port).get('/_health')
    assert r.status == 200 and r.text.strip() == 'ok'


def test_new_shop_is_live_at_once_on_every_worker(stack):
    # Every worker first learns that the host is unknown (and caches it),
    # then the shop is created: no worker may still answer 404.
    slug = stack.unique('live')
    shop = Client(stack.port, f'{slug}.localhost')
    for _ in range(24):
        assert shop.get('/').status == 404
    signup(stack.port, slug, f'{slug}@x.test')
    for i in range(24):
        r = shop.get('/')
        assert r.status == 200, f'request {i} after sign-up: {r.status}'


def test_branding_logo_and_colours_show_on_the_storefront(stack):
    slug = stack.unique('brand')
    email = f'{slug}@x.test'
    signup(stack.port, slug, email, name='Brand Shop')
    admin = admin_login(stack.port, slug, email)
    csrf = admin.get('/admin/settings').csrf()
    r = admin.post_multipart('/admin/settings/logo', {'csrf': csrf},
                             {'logo': ('logo.gif', 'image/gif', b'GIF89a..')})
    assert r.status == 303, r.text[:2000]
    r = admin.post_multipart('/admin/settings/logo', {'csrf': csrf},
                             {'logo': ('logo.png', 'image/png',
                                       b'<svg onload=alert(1)>')})
    assert r.status == 415
    r = admin.submit('/admin/settings', '/admin/settings', {
        'name': 'Brand Shop', 'color_primary': '#112233',
        'color_accent': '#445566', 'locales': ['en'],
        'default_locale': 'en', 'currency': 'EUR'})
    assert r.status == 303
    home = Client(stack.port, f'{slug}.localhost').get('/').text
    assert re.search(r'<img src="/media/s\d+/[0-9a-f]{32}\.gif"', home)
    assert '--primary:#112233;--accent:#445566' in home
    r = admin.submit('/admin/settings', '/admin/settings', {
        'name': 'Brand Shop', 'color_primary': 'red;}</style><script>',
        'color_accent': '#445566', 'locales': ['en'],
        'default_locale': 'en', 'currency': 'EUR'})
    assert r.status == 422 and '<script>' not in r.text
