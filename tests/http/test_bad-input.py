"""Hostile and broken input gets a clear 4xx and changes nothing."""
import re
import struct
import zlib
import urllib.parse

from souk_client import Client, signup, admin_login, create_product


def _png():
    """A valid 1 x 1 RGB PNG (souk decodes uploads: a broken one is
    refused)."""
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data +
                struct.pack('>I', zlib.crc32(kind + data)))
    return (b'\x89PNG\r\n\x1a\n' +
            chunk(b'IHDR', struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(b'\0\xff\x80\x00')) +
            chunk(b'IEND', b''))


PNG = _png()


def _admin(stack, slug='bad-input-shop'):
    email = f'owner@{slug}.test'
    try:
        return admin_login(stack.port, slug, email)
    except AssertionError:
        signup(stack.port, slug, email)
        return admin_login(stack.port, slug, email)


def test_bad_input_oversized_body_is_413(stack):
    c = Client(stack.port)
    r = c.request('POST', '/signup', body=b'x' * (9 * 1024 * 1024),
                  headers={'Content-Type':
                           'application/x-www-form-urlencoded'})
    assert r.status == 413


def test_bad_input_broken_urlencoding_is_400(stack):
    c = Client(stack.port)
    csrf = c.get('/').csrf()
    r = c.request('POST', '/signup',
                  body=f'csrf={csrf}&name=%zz&slug=%E0%A4%A',
                  headers={'Content-Type':
                           'application/x-www-form-urlencoded'})
    assert r.status == 400
    assert '<h1>' in r.text           # a page, in the shopper's language
    r = c.get('/search?q=%ZZ', host='bad-input-shop.localhost')
    assert r.status in (400, 404)


def test_bad_input_sql_metacharacters_are_just_text(stack):
    admin = _admin(stack)
    create_product(admin, {'name_en': 'Plain bread', 'slug': 'plain-bread'})
    create_product(admin, {'name_en': 'Rye 100% pure', 'slug': 'rye-pure'})
    create_product(admin, {'name_en': 'Snake_case cookie',
                           'slug': 'snake-cookie'})
    shop = Client(stack.port, 'bad-input-shop.localhost')
    for q in ["' OR 1=1 --", '"; DROP TABLE s1_products; --', '%', '_',
              '\\', 'bread*', '+bread -x', '((', '@@version']:
        r = shop.get('/search?q=' + urllib.parse.quote(q))
        assert r.status == 200, (q, r.status)
        # Nothing is an injection: no match for what no name holds.
        if q not in ('%', '_', 'bread*', '+bread -x'):
            assert 'Plain bread' not in r.text, q
    # LIKE's wildcards match themselves, not every product: in the
    # storefront search and in the admin's product filter.
    for where, get in (('search', lambda q: shop.get(
            '/search?q=' + urllib.parse.quote(q))),
                       ('admin', lambda q: admin.get(
            '/admin/products?q=' + urllib.parse.quote(q)))):
        r = get('%')
        assert r.status == 200, (where, r.status)
        assert 'Rye 100% pure' in r.text, where
        assert 'Plain bread' not in r.text, where
        assert 'Snake_case cookie' not in r.text, where
        r = get('_')
        assert r.status == 200, (where, r.status)
        assert 'Snake_case cookie' in r.text, where
        assert 'Plain bread' not in r.text, where
        assert 'Rye 100% pure' not in r.text, where
        # The admin's filter is a substring; search matches words by
        # their start (shop/search.h), "%" being no word.
        r = get('0%' if where == 'admin' else '100%')
        assert 'Rye 100% pure' in r.text and 'Plain bread' not in r.text
    assert shop.get("/p/plain-bread'--").status == 404
    assert shop.get('/p/plain-bread').status == 200


def test_bad_input_missing_or_wrong_csrf_is_403_and_changes_nothing(stack):
    admin = _admin(stack)
    pid = create_product(admin, {'name_en': 'Guarded', 'slug': 'guarded',
                                 'price': '5.00'})
    r = admin.post(f'/admin/products/{pid}', {'name_en': 'Changed',
                                              'price': '0.01', 'stock': '1'})
    assert r.status == 403
    r = admin.post(f'/admin/products/{pid}', {
        'csrf': '0' * 32, 'name_en': 'Changed', 'price': '0.01',
        'stock': '1'})
    assert r.status == 403
    r = admin.post(f'/admin/products/{pid}/delete', {})
    assert r.status == 403
    page = Client(stack.port, 'bad-input-shop.localhost').get('/p/guarded')
    assert page.status == 200 and 'Guarded' in page.text
    assert '5.00' in page.text
    # The sign-up form without its token creates nothing.
    c = Client(stack.port)
    r = c.post('/signup', {'name': 'No token', 'slug': 'no-token-shop',
                           'email': 'nt@x.test', 'password': 'long enough',
                           'locale': 'en', 'currency': 'EUR'})
    assert r.status == 403
    assert Client(stack.port, 'no-token-shop.localhost').get('/').status \
        == 404


def test_bad_input_invalid_product_fields_are_422_with_messages(stack):
    admin = _admin(stack)
    csrf = admin.get('/admin/products/new').csrf()
    r = admin.post('/admin/products', {
        'csrf': csrf, 'name_en': '', 'price': '12.345', 'stock': '-1',
        'slug': 'Not A Slug', 'category_id': '999999'})
    assert r.status == 422
    for field_msg in ['Enter a price', 'whole number', 'lower-case',
                      'Choose a category', 'default language']:
        assert field_msg in r.text, field_msg
    # The values sent are shown again, escaped.
    r = admin.post('/admin/products', {
        'csrf': csrf, 'name_en': '<script>alert(1)</script>',
        'price': 'x', 'stock': '1'})
    assert r.status == 422
    assert '<script>alert(1)' not in r.text
    assert '&lt;script&gt;' in r.text


def test_bad_input_upload_checks_content_not_name(stack):
    admin = _admin(stack)
    pid = create_product(admin, {'name_en': 'With image',
                                 'slug': 'with-image'})
    csrf = admin.get(f'/admin/products/{pid}').csrf()
    r = admin.post_multipart(f'/admin/products/{pid}/image', {'csrf': csrf},
                             {'image': ('evil.png', 'image/png',
                                        b'<html><script>x</script>')})
    assert r.status == 415
    r = admin.post_multipart(f'/admin/products/{pid}/image', {'csrf': csrf},
                             {'image': ('ok.png', 'image/png', PNG)})
    assert r.status == 303, r.text[:2000]
    page = Client(stack.port, 'bad-input-shop.localhost').get('/p/with-image')
    # The page shows a resized copy and links to the original.
    m = re.search(r'href="/media/(s\d+/[0-9a-f]+\.png)"', page.text)
    assert m, page.text[:3000]
    img = Client(stack.port, 'bad-input-shop.localhost').get(
        '/media/' + m.group(1))
    assert img.status == 200 and img.body == PNG


def test_bad_input_bad_links_are_400_not_500(stack):
    shop = Client(stack.port, 'bad-input-shop.localhost')
    _admin(stack)
    for path in ['/c/nope', '/p/nope']:
        assert shop.get(path).status == 404
    assert shop.get('/search?q=x&page=abc').status == 400
    # Links past the last page, to no category, in no order: the search
    # route's field table answers them before any work, with a message.
    for query in ('page=41', 'page=-1', 'category=0', 'category=x', 'sort=cheapest'):
        r = shop.get('/search?q=x&' + query)
        assert r.status == 400, (query, r.status)
        assert 'This search link is not valid.' in r.text, query
    r = shop.get('/search?q=x&min=abc')
    assert r.status == 422 and 'Enter prices such as 12.50.' in r.text
    admin = _admin(stack)
    assert admin.get('/admin/products?after=abc').status == 400
    assert admin.get('/admin/products/abc').status == 404
    assert admin.get('/admin/products/99999999999999999999').status == 404
