"""Search over the whole stack: the total counts every match across pages,
paging keeps the price filters, a word is only found in the texts of the
shopper's language (the default language standing in for products with no
text in it), and a shop's new base currency keeps its prices' value."""
import re

from souk_client import Client, signup, admin_login, create_product


def _settings(admin, currency='EUR'):
    r = admin.submit('/admin/settings', '/admin/settings', {
        'name': 'Suchladen', 'color_primary': '#336633',
        'color_accent': '#cc9933', 'locales': ['de', 'en'],
        'default_locale': 'de', 'currency': currency})
    assert r.status == 303, r.text[:3000]


def _shop(stack, n):
    slug = stack.unique('search')
    email = f'{slug}@x.test'
    signup(stack.port, slug, email, locale='de', currency='EUR')
    admin = admin_login(stack.port, slug, email)
    _settings(admin)
    for i in range(n):
        fields = {'name_de': f'Brot Nummer {i:02d}', 'slug': f'brot-{i:02d}',
                  'description_de': 'Ein gutes Brot.',
                  'price': f'{1 + i % 7},{i % 100:02d}', 'stock': '3',
                  'active': '1'}
        if i % 2:
            fields['name_en'] = f'Bread Number {i:02d}'
            fields['description_en'] = 'A good bread.'
        create_product(admin, fields)
    return slug, admin


def _prices(text):
    return [int(a) * 100 + int(b) for a, b in re.findall(
        r'<p class="price">(\d+),(\d\d)\s€</p>', text)]


def test_total_and_paging_keep_the_price_filters(stack):
    slug, _ = _shop(stack, 30)
    shop = Client(stack.port, f'{slug}.localhost')
    # Prices 1,xx to 7,xx; min 2 leaves out the five at 1,xx: 25 match,
    # one more than a page.
    r = shop.get('/search?q=Nummer&min=2&max=9,99&lang=de')
    assert r.status == 200
    assert '25 Produkte gefunden' in r.text, r.text[:3000]
    first = _prices(r.text)
    assert len(first) == 24 and all(p >= 200 for p in first), first
    m = re.search(r'href="(/search\?[^"]*page=1)"', r.text)
    assert m, r.text[:3000]
    nxt = m.group(1).replace('&amp;', '&')
    assert 'min=2' in nxt and 'max=9%2C99' in nxt, nxt
    r = shop.get(nxt + '&lang=de')
    assert r.status == 200
    assert '25 Produkte gefunden' in r.text, r.text[:3000]
    second = _prices(r.text)
    assert len(second) == 1 and second[0] >= 200, second
    m = re.search(r'href="(/search\?[^"]*page=0)"', r.text)
    assert m and 'min=2' in m.group(1) and 'max=9%2C99' in m.group(1)


def test_words_match_the_shoppers_language_only(stack):
    slug, _ = _shop(stack, 6)
    shop = Client(stack.port, f'{slug}.localhost')
    r = shop.get('/search?q=Nummer&lang=de')
    assert len(re.findall(r'<h3>Brot Nummer', r.text)) == 6, r.text[:3000]
    # In English the three with an English text are matched by it: the
    # German word finds only the three without one.
    r = shop.get('/search?q=Nummer&lang=en')
    assert r.status == 200
    found = re.findall(r'<h3>([^<]+)</h3>', r.text)
    assert sorted(found) == ['Brot Nummer 00', 'Brot Nummer 02',
                             'Brot Nummer 04'], found
    assert '3 products found' in r.text, r.text[:3000]
    r = shop.get('/search?q=Bread&lang=en')
    assert len(re.findall(r'<h3>Bread Number', r.text)) == 3
    r = shop.get('/search?q=Bread&lang=de')
    assert 'class="empty"' in r.text


def test_new_base_currency_keeps_the_prices_value(stack):
    slug = stack.unique('curr')
    email = f'{slug}@x.test'
    signup(stack.port, slug, email, locale='de', currency='EUR')
    admin = admin_login(stack.port, slug, email)
    _settings(admin)
    create_product(admin, {'name_de': 'Teuer', 'slug': 'teuer',
                           'price': '12,50', 'stock': '3', 'active': '1'})
    shop = Client(stack.port, f'{slug}.localhost')
    # Past nginx's microcache: this is about the stored amounts.
    shop.jars[f'{slug}.localhost'] = {'souk_cart': 'x'}
    r = shop.get('/p/teuer?lang=de')
    assert re.search(r'12,50\s€', r.text), r.text[:3000]
    _settings(admin, 'JPY')
    r = shop.get('/p/teuer?lang=de')
    assert re.search(r'>\s*13\s¥', r.text), r.text[:4000]
    assert '1.250' not in r.text
