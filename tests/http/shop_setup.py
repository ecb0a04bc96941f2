"""Helpers of the purchase tests (test_oversell, test_cart,
test_purchase): a shop that sells, and a shopper who checks out step by
step through the real pages, as a browser without JavaScript would."""
import re

from souk_client import Client, admin_login, create_product


def new_shop(stack, prefix, locale='en'):
    """A new empty shop (EUR), its owner slug@x.test. Returns (slug,
    tenant id)."""
    slug = stack.unique(prefix)
    stack.create_shop(slug, locale=locale, currency='EUR',
                      owner_email=f'{slug}@x.test')
    return slug, int(stack.query("SELECT id FROM souk_tenants WHERE "
                                 f"slug = '{slug}'")[0][0])


def selling_shop(stack, prefix, stock=10, price='4.00', locale='en'):
    """A new shop (English, EUR) shipping to Germany (flat 4.90) with
    German VAT, bank transfer on (the default), and one product "loaf"
    with stock units. Returns (slug, tenant id, product id)."""
    slug, tid = new_shop(stack, prefix, locale)
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    pid = create_product(admin, {f'name_{locale}': 'Last loaf',
                                 'slug': 'loaf', 'price': price,
                                 'stock': str(stock)})
    p = f's{tid}_'
    stack.query(f"INSERT INTO {p}ship_zones (name, countries) "
                "VALUES ('Germany', 'DE')")
    stack.query(f"INSERT INTO {p}ship_methods (zone_id, kind, name, cost) "
                f"SELECT id, 'flat', 'Post', 490 FROM {p}ship_zones")
    stack.query(f"INSERT INTO {p}tax_rates (class, country, rate, name) "
                "VALUES ('standard', 'DE', 190000, 'VAT')")
    return slug, tid, pid


def origin(stack, host):
    """The Origin header a browser sends with a form of host's pages."""
    return {'Origin': f'http://{host}:{stack.port}'}


def add_to_cart(stack, c, fields):
    """POSTs the product page's form (it carries no token: the page is
    shared in the microcache; the browser's Origin vouches for it)."""
    return c.post('/cart/add', fields, headers=origin(stack, c.host))


ADDRESS = {'email': 'kaethe@example.com', 'ship_name': 'Käthe Kruse',
           'ship_line1': 'Heidestraße 17', 'ship_postcode': '50667',
           'ship_city': 'Köln', 'ship_country': 'DE', 'bill_same': '1'}


def hidden(text, name):
    m = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), text)
    assert m, f'no {name} in the page:\n' + text[:3000]
    return m.group(1)


def checkout_to_review(c, address=None, payment='bacs', method=None):
    """The address and shipping steps; returns the review page."""
    r = c.submit('/checkout', '/checkout', address or ADDRESS)
    assert r.status == 303 and r.header('Location') == \
        '/checkout/shipping', (r.status, r.text[:3000])
    page = c.get('/checkout/shipping')
    assert page.status == 200, page.text[:3000]
    if method is None:
        method = hidden(page.text, 'method_id')
    r = c.post('/checkout/shipping', {'csrf': page.csrf(),
               'method_id': method, 'payment': payment})
    assert r.status == 303 and r.header('Location') == \
        '/checkout/review', (r.status, r.text[:3000])
    review = c.get('/checkout/review')
    assert review.status == 200, review.text[:3000]
    return review


def place_fields(review):
    """What the review page's "Place order" form sends."""
    return {'csrf': review.csrf(), 'idem_key': hidden(review.text,
            'idem_key'), 'total': hidden(review.text, 'total')}


def shopper(stack, slug, pid, qty=1):
    """A new browser with qty of pid in its cart, at the review page.
    Returns (client, place form fields)."""
    c = Client(stack.port, f'{slug}.localhost')
    r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': str(qty)})
    assert r.status == 303, (r.status, r.text[:2000])
    return c, place_fields(checkout_to_review(c))


def uncached_page(stack, slug, path):
    """The text of path on shop slug, asked with the cart cookie nginx's
    microcache never answers (so souk renders it); asserts a 200."""
    c = Client(stack.port, f'{slug}.localhost')
    c.jars[f'{slug}.localhost'] = {'souk_cart': 'x'}
    r = c.get(path)
    assert r.status == 200, (r.status, r.text[:500])
    return r.text


def statements(stack):
    """Prepared statements MariaDB has run so far (Com_stmt_execute)."""
    return int(stack.query("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'")
               [0][1])
