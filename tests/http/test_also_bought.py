""""Customers also bought" and the best sellers (issue 11, part 8;
shop/also_bought.c, `soukctl shop also-bought`): three orders placed
over HTTP (loaf with croissant twice, loaf with roll once), the
command run, then the loaf's page shows the croissant before the roll,
the croissant's page shows the loaf, an unsold product's page shows no
section, and the home page lists the best sellers, the loaf first. A
shop without orders shows neither section. The dashboard draws its
charts from the same orders: SVG with the figures in a table."""
import re

from souk_client import Client, admin_login, create_product
from shop_setup import add_to_cart, checkout_to_review, place_fields, \
    selling_shop


def _buy(stack, slug, pids):
    c = Client(stack.port, f'{slug}.localhost')
    for pid in pids:
        r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': '1'})
        assert r.status == 303, (r.status, r.text[:2000])
    r = c.post('/checkout/place', place_fields(checkout_to_review(c)))
    assert r.status == 303, (r.status, r.text[:2000])


def _section(text, cls):
    """The slugs of the cards in the section of class cls, in order, or
    None when the page has no such section."""
    m = re.search(r'<section class="%s">(.*?)</section>' % cls, text, re.S)
    if not m:
        return None
    return re.findall(r'<a href="/p/([a-z0-9-]+)">', m.group(1))


def test_also_bought_and_best_sellers(stack):
    slug, tid, loaf = selling_shop(stack, 'alsob', stock=50)
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    croissant = create_product(admin, {'name_en': 'Butter croissant',
                                       'slug': 'croissant', 'price': '2.00',
                                       'stock': '50'})
    roll = create_product(admin, {'name_en': 'Rye roll', 'slug': 'roll',
                                  'price': '1.00', 'stock': '50'})
    create_product(admin, {'name_en': 'Unsold <cake>', 'slug': 'cake',
                           'price': '9.00', 'stock': '5'})
    _buy(stack, slug, [loaf, croissant])
    _buy(stack, slug, [roll, loaf])
    _buy(stack, slug, [croissant, loaf])
    r = stack.soukctl('shop', 'also-bought', slug)
    assert "product pairs" in r.stderr, r.stderr
    p = f's{tid}_'
    assert stack.query(f"SELECT product_id, pos, other_id, score FROM "
                       f"{p}also_bought WHERE product_id = {loaf} "
                       "ORDER BY pos") == \
        [[str(loaf), '1', str(croissant), '2'],
         [str(loaf), '2', str(roll), '1']]

    host = f'{slug}.localhost'
    c = Client(stack.port, host)
    page = c.get('/p/loaf')
    assert page.status == 200
    assert 'Customers also bought' in page.text
    assert _section(page.text, 'also-bought') == ['croissant', 'roll']
    page = c.get('/p/croissant')
    assert _section(page.text, 'also-bought') == ['loaf']
    page = c.get('/p/cake')
    assert page.status == 200
    assert _section(page.text, 'also-bought') is None
    assert 'Customers also bought' not in page.text
    home = c.get('/')
    assert home.status == 200
    assert 'Best sellers' in home.text
    assert _section(home.text, 'best-sellers') == \
        ['loaf', 'croissant', 'roll']

    # The dashboard: three charts, SVG with a title, the figures in a
    # table; today's three orders in the orders chart's last row.
    dash = admin.get('/admin')
    assert dash.status == 200
    assert dash.text.count('<figure class="chart">') == 3
    assert dash.text.count('role="img"') == 3
    assert 'Revenue per day' in dash.text
    assert 'Best sellers this month' in dash.text
    m = re.search(r'id="chart-orders-d">([^<]*)</desc>', dash.text)
    assert m and m.group(1).endswith(': 3'), m and m.group(1)
    assert 'Last loaf' in dash.text

    # Unknown shop: an error, nothing else.
    r = stack.soukctl('shop', 'also-bought', 'no-such-shop', check=False)
    assert r.returncode == 1


def test_a_shop_without_orders_shows_neither(stack):
    slug, tid, loaf = selling_shop(stack, 'alsonone', stock=5)
    r = stack.soukctl('shop', 'also-bought', slug)
    assert '0 product pairs, 0 best sellers' in r.stderr, r.stderr
    c = Client(stack.port, f'{slug}.localhost')
    home = c.get('/')
    assert home.status == 200
    assert 'Best sellers' not in home.text
    assert _section(home.text, 'best-sellers') is None
    page = c.get('/p/loaf')
    assert page.status == 200
    assert 'Customers also bought' not in page.text
    # Its dashboard: every chart says there is nothing to draw.
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    dash = admin.get('/admin')
    assert dash.status == 200
    assert dash.text.count('No data for this period') >= 3
