"""The shop's own search index (fcgi-app/shop/search_index.h) over the
whole stack: every word must match, each as the start of a word; Japanese
found by its characters and their pairs; a query typed in full-width or
half-width forms finds the same; an edit, featuring a product and a
deletion rewrite its rows in the same transaction; and a shop whose index
is not built (one made before it, or restored) searches as before until
souk-worker has built it."""
import re
import time

from souk_client import Client, signup, admin_login, create_product, \
    edit_product


def _shop(stack, name):
    slug = stack.unique(name)
    email = f'{slug}@x.test'
    signup(stack.port, slug, email, locale='en', currency='EUR')
    admin = admin_login(stack.port, slug, email)
    tid = int(stack.query("SELECT id FROM souk_tenants WHERE slug = "
                          f"'{slug}'")[0][0])
    return slug, tid, admin


def _client(slug, stack):
    c = Client(stack.port, f'{slug}.localhost')
    # A cart cookie: past nginx's page cache, to souk each time.
    c.jars[f'{slug}.localhost'] = {'souk_cart': 'x'}
    return c


def _names(c, q):
    r = c.get('/search?q=' + q)
    assert r.status == 200, (r.status, r.text[:500])
    return re.findall(r'<h3>([^<]+)</h3>', r.text)


def _add(admin, name, slug, desc='', **extra):
    f = {'name_en': name, 'slug': slug, 'description_en': desc,
         'price': '3.00', 'stock': '5', 'active': '1'}
    f.update(extra)
    return create_product(admin, f)


def test_every_word_must_match_each_as_a_word_start(stack):
    slug, tid, admin = _shop(stack, 'sidx')
    _add(admin, 'Blue linen shirt', 'a', 'Soft and light.')
    _add(admin, 'Blue wool scarf', 'b', 'Warm.')
    _add(admin, 'Linen towel', 'c', 'For the kitchen.')
    c = _client(slug, stack)
    assert sorted(_names(c, 'blue')) == ['Blue linen shirt',
                                         'Blue wool scarf']
    assert _names(c, 'blue+linen') == ['Blue linen shirt']
    # A word's start finds it, in names and descriptions alike; the
    # middle of a word does not.
    assert sorted(_names(c, 'lin')) == ['Blue linen shirt', 'Linen towel']
    assert _names(c, 'kitch') == ['Linen towel']
    assert _names(c, 'inen') == []
    # Case and full-width letters are the same words.
    assert sorted(_names(c, '%EF%BC%AC%EF%BC%A9%EF%BC%AE%EF%BC%A5%EF%BC%AE'))\
        == ['Blue linen shirt', 'Linen towel']                  # ＬＩＮＥＮ
    # Nothing that could be a word: no match, not an error.
    r = c.get('/search?q=%21%21%21')
    assert r.status == 200 and '<h3>' not in r.text


def test_japanese_by_characters_and_pairs(stack):
    slug, tid, admin = _shop(stack, 'sidxja')
    _add(admin, '抹茶ラテ', 'latte', '京都の宇治抹茶を使ったラテです。')
    _add(admin, '緑茶', 'green', '静岡の茶葉。')
    _add(admin, '茶碗', 'bowl', '手作りの陶器。')
    c = _client(slug, stack)
    q = lambda s: _names(c, s.encode().hex('%').upper().join(['%', '']))
    assert q('抹茶') == ['抹茶ラテ']
    assert sorted(q('茶')) == sorted(['抹茶ラテ', '緑茶', '茶碗'])
    # Inside a longer word of the description: 宇治抹茶 holds 治抹.
    assert q('宇治') == ['抹茶ラテ']
    assert q('陶器') == ['茶碗']
    # Half-width katakana is the same word.
    assert q('ﾗﾃ') == ['抹茶ラテ']
    # All pairs must be there: 抹茶碗 is in no text.
    assert q('抹茶碗') == []


def test_writes_keep_the_index(stack):
    slug, tid, admin = _shop(stack, 'sidxw')
    a = _add(admin, 'Oak table', 'oak-table')
    b = _add(admin, 'Oak chair', 'oak-chair')
    c = _client(slug, stack)
    # Newest first; featured before all.
    assert _names(c, 'oak') == ['Oak chair', 'Oak table']
    edit_product(admin, a, {'featured': '1', 'active': '1'})
    assert _names(c, 'oak') == ['Oak table', 'Oak chair']
    rows = stack.query(f"SELECT DISTINCT featured FROM s{tid}_search_terms "
                       f"WHERE product_id = {a}")
    assert rows == [['1']], rows
    # A price alone writes no term: the rows stay as they were.
    before = stack.query(f"SELECT COUNT(*) FROM s{tid}_search_terms "
                         f"WHERE product_id = {b}")
    edit_product(admin, b, {'price': '9.00', 'active': '1'})
    assert stack.query(f"SELECT COUNT(*) FROM s{tid}_search_terms WHERE "
                       f"product_id = {b}") == before
    edit_product(admin, b, {'name_en': 'Walnut chair', 'active': '1'})
    assert _names(c, 'oak') == ['Oak table']
    assert _names(c, 'walnut') == ['Walnut chair']
    page = admin.get(f'/admin/products/{b}')
    r = admin.post(f'/admin/products/{b}/delete', {'csrf': page.csrf()})
    assert r.status == 303, r.text[:2000]
    assert stack.query(f"SELECT COUNT(*) FROM s{tid}_search_terms WHERE "
                       f"product_id = {b}") == [['0']]
    assert _names(c, 'walnut') == []


def test_a_shop_without_its_index_searches_until_the_worker_built_it(stack):
    stack.start_mail()
    marks = stack.log_marks()
    slug, tid, admin = _shop(stack, 'sidxb')
    for i in range(3):
        _add(admin, f'Copper kettle {i}', f'kettle-{i}', 'Hammered copper.')
    # As a shop made before the index: no rows, search_version 0.
    stack.query(f"DELETE FROM s{tid}_search_terms")
    stack.query(f"UPDATE souk_tenants SET search_version = 0 WHERE id = {tid}")
    time.sleep(3.5)     # the pool's copy of the shop's row (3 s)
    c = _client(slug, stack)
    want = ['Copper kettle 2', 'Copper kettle 1', 'Copper kettle 0']
    # InnoDB's FULLTEXT answers meanwhile.
    assert _names(c, 'kettle') == want
    t0 = time.monotonic()
    while time.monotonic() - t0 < 20:
        v = stack.query("SELECT search_version FROM souk_tenants WHERE "
                        f"id = {tid}")[0][0]
        if int(v) == 1:
            break
        time.sleep(0.2)
    assert int(v) == 1, 'souk-worker did not build the index'
    n = int(stack.query(f"SELECT COUNT(DISTINCT product_id) FROM "
                        f"s{tid}_search_terms")[0][0])
    assert n == 3, n
    assert f'shop {tid}: search index built' in stack.log_since(marks)
    time.sleep(3.5)
    assert _names(c, 'hammer') == want
