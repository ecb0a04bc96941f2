"""What a search found, kept in the pool's shared memory
(fcgi-app/shop/list_cache.h): the same search again reads its cards by
id instead of matching the words, yet an admin's edit shows at once, a
change made outside the pool (another VM, a direct write) within
LIST_CACHE_TTL_MS (10 s), and every part of the question (the words,
the sort, the price range, the page, the language) has its own answer.
Every page is asked with the cart cookie nginx's microcache never
answers."""
import re
import time

from souk_client import Client, admin_login, create_product, \
    edit_product
from shop_setup import selling_shop

TTL_S = 10


def _client(stack, slug):
    c = Client(stack.port, f'{slug}.localhost')
    c.jars[f'{slug}.localhost'] = {'souk_cart': 'x'}
    return c


def _names(c, path):
    r = c.get(path)
    assert r.status == 200, (r.status, r.text[:500])
    return re.findall(r'<h3>([^<]+)</h3>', r.text)


def test_an_edit_shows_at_once(stack):
    slug, tid, pid = selling_shop(stack, 'scache')
    c = _client(stack, slug)
    assert _names(c, '/search?q=loaf') == ['Last loaf']
    assert _names(c, '/search?q=loaf') == ['Last loaf']
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    edit_product(admin, pid, {'name_en': 'Crusty roll', 'active': '1'})
    assert _names(c, '/search?q=loaf') == []
    assert _names(c, '/search?q=crusty') == ['Crusty roll']
    # Taken off sale: gone from the answer kept a moment ago.
    edit_product(admin, pid, {}, drop=('active',))
    assert _names(c, '/search?q=crusty') == []


def test_outside_changes_show_within_the_lifetime(stack):
    slug, tid, pid = selling_shop(stack, 'scout')
    c = _client(stack, slug)
    assert _names(c, '/search?q=loaf') == ['Last loaf']
    # Written past the pool, as another VM or soukctl would (the text,
    # then its search index): the answer kept still names the product
    # (its card read now, by id), and the words are matched again once
    # it expired.
    t0 = time.monotonic()
    stack.query(f"UPDATE s{tid}_product_texts SET name = 'Round bun' "
                f"WHERE product_id = {pid}")
    stack.soukctl('shop', 'reindex', slug)
    assert _names(c, '/search?q=loaf') == ['Round bun']
    gone = None
    while time.monotonic() - t0 < TTL_S + 5:
        if _names(c, '/search?q=loaf') == []:
            gone = time.monotonic() - t0
            break
        time.sleep(0.5)
    assert gone is not None and gone <= TTL_S + 1, gone
    assert _names(c, '/search?q=bun') == ['Round bun']


def test_each_question_has_its_own_answer(stack):
    slug, tid, pid = selling_shop(stack, 'skey', price='4.00')
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    for i in range(27):
        create_product(admin, {'name_en': f'Mug number {i:02d}',
                               'slug': f'mug-{i:02d}',
                               'price': f'{1 + i}.00', 'stock': '3',
                               'active': '1'})
    c = _client(stack, slug)
    asc = _names(c, '/search?q=mug&sort=price-asc')
    desc = _names(c, '/search?q=mug&sort=price-desc')
    assert asc[0] == 'Mug number 00' and desc[0] == 'Mug number 26', \
        (asc, desc)
    assert len(asc) == 24 and len(desc) == 24
    page1 = _names(c, '/search?q=mug&sort=price-asc&page=1')
    assert page1 == ['Mug number 24', 'Mug number 25', 'Mug number 26'], \
        page1
    cheap = _names(c, '/search?q=mug&sort=price-asc&max=3.00')
    assert cheap == ['Mug number 00', 'Mug number 01', 'Mug number 02'], \
        cheap
    # A longer query: every word must match.
    assert _names(c, '/search?q=mug+number+26&sort=price-asc') == \
        ['Mug number 26']
    r = c.get('/search?q=mug&sort=price-asc')
    assert '27 products found' in r.text, r.text[:2000]
    # Asked again, each gives the same.
    assert _names(c, '/search?q=mug&sort=price-desc') == desc
    assert _names(c, '/search?q=mug&sort=price-asc&max=3.00') == cheap
