"""What a shopper sees: categories with keyset pages and sorting, product
pages with variants and stock, search with filters, every text in the
shopper's language and money in the shop's format."""
import re

from souk_client import Client, signup, admin_login, create_product


def _catalog(stack, n=30):
    slug = stack.unique('store')
    email = f'{slug}@x.test'
    signup(stack.port, slug, email, locale='de', currency='EUR')
    admin = admin_login(stack.port, slug, email)
    r = admin.submit('/admin/categories', '/admin/categories',
                     {'name': 'Brot', 'slug': 'brot'})
    assert r.status == 303, r.text[:2000]
    page = admin.get('/admin/categories')
    cat = re.search(r'<option value="(\d+)">Brot</option>', page.text)
    assert cat, page.text[:3000]
    for i in range(n):
        create_product(admin, {
            'name_de': f'Brot Nummer {i:02d}', 'slug': f'brot-{i:02d}',
            'description_de': f'Ein gutes Brot. Sorte {i}.',
            'price': f'{1 + i % 7},{i % 100:02d}', 'stock': str(i % 4),
            'category_id': cat.group(1), 'active': '1'})
    return slug, admin


def test_category_keyset_pages_and_sorting(stack):
    slug, _ = _catalog(stack)
    shop = Client(stack.port, f'{slug}.localhost')
    seen, path = [], '/c/brot'
    for _ in range(5):
        r = shop.get(path)
        assert r.status == 200, (path, r.status)
        names = re.findall(r'<h3>(Brot Nummer \d+)</h3>', r.text)
        assert names, r.text[:2000]
        seen += names
        m = re.search(r'href="(/c/brot\?after=\d+)" rel="next"', r.text)
        if not m:
            break
        path = m.group(1)
    assert len(seen) == 30 and len(set(seen)) == 30, seen
    assert seen[0] == 'Brot Nummer 29'          # newest first
    # Price ascending, across pages, never goes down.
    prices, path = [], '/c/brot?sort=price-asc'
    for _ in range(5):
        r = shop.get(path)
        prices += [int(a) * 100 + int(b) for a, b in re.findall(
            r'<p class="price">(\d+),(\d\d)\s€</p>', r.text)]
        m = re.search(r'href="(/c/brot\?sort=price-asc&amp;after=[\d.]+)"',
                      r.text)
        if not m:
            break
        path = m.group(1).replace('&amp;', '&')
    assert len(prices) == 30 and prices == sorted(prices), prices
    assert shop.get('/c/brot?after=1.2.3').status == 400


def test_product_page_in_the_shoppers_language(stack):
    slug, admin = _catalog(stack, n=2)
    shop = Client(stack.port, f'{slug}.localhost')
    r = shop.get('/p/brot-01')
    assert r.status == 200
    assert 'Brot Nummer 01' in r.text and 'Ein gutes Brot. Sorte 1.' in r.text
    assert re.search(r'2,01\s€', r.text)
    assert 'Nur noch 1' in r.text            # German stock text
    assert '<html lang="de">' in r.text
    out = shop.get('/p/brot-00')
    assert 'Nicht vorrätig' in out.text or 'Ausverkauft' in out.text, \
        re.findall(r'class="stock[^"]*">([^<]*)<', out.text)
    # A draft is not sold.
    pid = create_product(admin, {'name_de': 'Geheim', 'slug': 'geheim',
                                 'price': '1'})
    page = admin.get(f'/admin/products/{pid}')
    r = admin.post(f'/admin/products/{pid}', {
        'csrf': page.csrf(), 'name_de': 'Geheim', 'slug': 'geheim',
        'price': '1', 'stock': '1'})            # no 'active': draft
    assert r.status == 303
    assert shop.get('/p/geheim').status == 404


def test_search_words_filters_and_languages(stack):
    slug, _ = _catalog(stack, n=12)
    shop = Client(stack.port, f'{slug}.localhost')
    r = shop.get('/search?q=Nummer')
    assert r.status == 200
    assert len(re.findall(r'<h3>Brot Nummer', r.text)) == 12
    r = shop.get('/search?q=Nummer&min=3&max=4,99&sort=price-asc')
    prices = [int(a) * 100 + int(b) for a, b in re.findall(
        r'<p class="price">(\d+),(\d\d)\s€</p>', r.text)]
    assert prices and all(300 <= p <= 499 for p in prices), prices
    assert prices == sorted(prices)
    r = shop.get('/search?q=Sorte+7')
    assert 'Brot Nummer 07' in r.text
    r = shop.get('/search?q=zzzzqqq')
    assert r.status == 200 and 'class="empty"' in r.text
    # The page chrome follows the shopper's language.
    assert 'Suche' in shop.get('/search?q=x&lang=de').text


def test_new_category_shows_at_once_on_every_worker(stack):
    # Workers cache a shop's categories; a change made in the admin must
    # reach all of them at once (a shared generation counter).
    slug = stack.unique('cats')
    email = f'{slug}@x.test'
    signup(stack.port, slug, email)
    admin = admin_login(stack.port, slug, email)
    shop = Client(stack.port, f'{slug}.localhost')
    # Past nginx's microcache (a shopper with a cart): this is about the
    # workers' cache; the microcache's own 5 s are its contract.
    shop.jars[f'{slug}.localhost'] = {'souk_cart': 'x'}
    for _ in range(16):
        assert shop.get('/c/kuchen').status == 404
        assert 'href="/c/kuchen"' not in shop.get('/').text
    r = admin.submit('/admin/categories', '/admin/categories',
                     {'name': 'Kuchen', 'slug': 'kuchen'})
    assert r.status == 303
    for i in range(16):
        assert shop.get('/c/kuchen').status == 200, i
        assert 'href="/c/kuchen"' in shop.get('/').text, i


def test_search_short_words_and_japanese_by_substring(stack):
    slug = stack.unique('ja')
    email = f'{slug}@x.test'
    signup(stack.port, slug, email, locale='ja', currency='JPY')
    admin = admin_login(stack.port, slug, email)
    create_product(admin, {'name_ja': '抹茶 (30g)', 'slug': 'matcha',
                           'price': '1200', 'stock': '3'})
    create_product(admin, {'name_ja': 'XL 茶碗', 'slug': 'bowl',
                           'price': '5400', 'stock': '1'})
    shop = Client(stack.port, f'{slug}.localhost')
    r = shop.get('/search?q=%E6%8A%B9%E8%8C%B6')          # 抹茶
    assert r.status == 200 and '抹茶 (30g)' in r.text and '茶碗' not in r.text
    assert '￥1,200' in r.text
    r = shop.get('/search?q=XL')                            # 2 letters
    assert 'XL 茶碗' in r.text and '抹茶 (30g)' not in r.text
    # A word inside a description's sentence is found too.
    create_product(admin, {'name_ja': '急須', 'slug': 'kyusu',
                           'description_ja': '緑茶や抹茶によく合います。',
                           'price': '3000', 'stock': '2'})
    # (Past nginx's microcache, which keeps the page asked above.)
    shop.jars[f'{slug}.localhost'] = {'souk_cart': 'x'}
    r = shop.get('/search?q=%E6%8A%B9%E8%8C%B6')          # 抹茶 again
    assert '抹茶 (30g)' in r.text and '急須' in r.text, r.text[:3000]
    assert '2件の商品が見つかりました' in r.text, r.text[:3000]
