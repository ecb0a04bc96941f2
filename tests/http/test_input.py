"""The input contract (web/form.h): each route's fields are checked before
its handler runs. Non-ASCII text never reaches an ASCII column (issue 8,
defect 11) and length limits count characters, not bytes (defect 13)."""
import re
import urllib.parse

from souk_client import Client, admin_login, signup, create_product

DEMO_PASSWORD = 'souk-demo-password'
_shops = {}


def _tea_shop(stack):
    """A Japanese shop with the tea demo catalogue (as tokyo-tea of
    `make run`), and its owner logged in to the admin."""
    if 'tea' not in _shops:
        slug = stack.unique('tea')
        email = f'owner@{slug}.example'
        stack.create_shop(slug, '東京茶舗', email, DEMO_PASSWORD, 'ja', 'JPY')
        stack.soukctl('demo', 'load', '--slug', slug, '--kind', 'tea')
        _shops['tea'] = (slug, email)
    slug, email = _shops['tea']
    return slug, admin_login(stack.port, slug, email, DEMO_PASSWORD)


def _en_shop(stack):
    if 'en' not in _shops:
        slug = stack.unique('input')
        signup(stack.port, slug, f'owner@{slug}.test')
        _shops['en'] = slug
    slug = _shops['en']
    return slug, admin_login(stack.port, slug, f'owner@{slug}.test')


def _pool_log_since(stack, marks):
    path = stack.log_files()['souk-fcgi']
    with open(path, 'rb') as f:
        f.seek(marks['souk-fcgi'])
        return f.read().decode('utf-8', 'replace')


def test_input_non_ascii_slug_is_404_not_503(stack):
    slug, _ = _tea_shop(stack)
    shop = Client(stack.port, f'{slug}.localhost')
    assert shop.get('/p/sencha').status == 200
    marks = stack.log_marks()
    for path in ['/p/%C3%A9', '/c/%C3%A9', '/p/%E8%8C%B6', '/c/%E7%B7%91',
                 '/p/sencha%C3%A9', '/p/SENCHA', '/c/-green', '/p/a%00b']:
        r = shop.get(path)
        assert r.status in (404, 400), (path, r.status)
        if '%00' not in path:
            assert r.status == 404, (path, r.status)
        assert '<h1>' in r.text, path
    log = _pool_log_since(stack, marks)
    assert 'Illegal mix of collations' not in log, log[-3000:]


def test_input_admin_filter_finds_japanese_names(stack):
    slug, admin = _tea_shop(stack)
    marks = stack.log_marks()
    r = admin.get('/admin/products?q=' + urllib.parse.quote('茶'))
    assert r.status == 200, r.text[:2000]
    for name in ['煎茶', 'ほうじ茶', '番茶', '玄米茶']:
        assert name in r.text, name
    # One word that is only in one name.
    r = admin.get('/admin/products?q=' + urllib.parse.quote('玄米'))
    assert r.status == 200
    assert '玄米茶' in r.text and '煎茶' not in r.text
    # ASCII still matches the slug.
    r = admin.get('/admin/products?q=genmai')
    assert r.status == 200 and '玄米茶' in r.text and '煎茶' not in r.text
    log = _pool_log_since(stack, marks)
    assert 'Illegal mix of collations' not in log, log[-3000:]


def _name_error(text, code):
    """The message shown beside the name field of language code."""
    m = re.search(r'name="name_%s"[^>]*></label>\s*<p class="ferr">([^<]*)'
                  % code, text)
    return m and m.group(1)


def test_input_japanese_names_count_characters(stack):
    slug, admin = _tea_shop(stack)
    shop = Client(stack.port, f'{slug}.localhost')
    seventy = '玉露' * 35                     # 70 characters, 210 bytes
    pid = create_product(admin, {'name_ja': seventy, 'slug': 'gyokuro-70',
                                 'price': '1500'})
    assert pid > 0
    r = shop.get('/p/gyokuro-70')
    assert r.status == 200 and seventy in r.text
    # 200 characters (600 bytes) is the limit, and fits the column.
    create_product(admin, {'name_ja': '茶' * 200, 'slug': 'tea-200',
                           'price': '1'})
    assert ('茶' * 200) in shop.get('/p/tea-200').text
    # 201 is refused, with the message beside the field, and not saved.
    page = admin.get('/admin/products/new')
    r = admin.post('/admin/products', {
        'csrf': page.csrf(), 'name_ja': '茶' * 201, 'slug': 'tea-201',
        'price': '1', 'stock': '1', 'active': '1'})
    assert r.status == 422, r.text[:2000]
    assert _name_error(r.text, 'ja') == '名前は200文字以内で入力してください。', \
        r.text[:4000]
    assert ('茶' * 201) in r.text          # shown again as typed
    assert shop.get('/p/tea-201').status == 404
    # A description counts characters too (20000).
    page = admin.get('/admin/products/new')
    r = admin.post('/admin/products', {
        'csrf': page.csrf(), 'name_ja': '長い説明', 'slug': 'long-desc',
        'description_ja': 'あ' * 20000, 'price': '1', 'stock': '1'})
    assert r.status == 303, r.text[:2000]


def test_input_category_names_count_characters(stack):
    slug, admin = _tea_shop(stack)
    name = '和紅茶' * 25                       # 75 characters, 225 bytes
    page = admin.get('/admin/categories')
    r = admin.post('/admin/categories', {'csrf': page.csrf(), 'name': name,
                                         'slug': 'wakoucha'})
    assert r.status == 303, r.text[:3000]
    r = admin.post('/admin/categories', {'csrf': page.csrf(),
                                         'name': '茶' * 201,
                                         'slug': 'too-long'})
    assert r.status == 422
    assert 'class="ferr"' in r.text
    r = admin.post('/admin/categories', {'csrf': page.csrf(), 'name': 'x',
                                         'slug': 'Not A Slug'})
    assert r.status == 422 and 'class="ferr"' in r.text


def test_input_bad_query_fields_are_400_with_the_message(stack):
    slug, admin = _en_shop(stack)
    create_product(admin, {'name_en': 'Loaf', 'slug': 'loaf'})
    shop = Client(stack.port, f'{slug}.localhost')
    for path in ['/admin/products?after=abc', '/admin/products?after=0',
                 '/admin/products?after=-5']:
        r = admin.get(path)
        assert r.status == 400, (path, r.status)
        assert 'This page link is not valid.' in r.text
    r = admin.get('/admin/products?q=' + 'x' * 201)
    assert r.status == 400 and 'at most 200 characters' in r.text
    r = admin.get('/admin/products?q=%C3%28')       # broken UTF-8
    assert r.status == 400
    r = admin.get('/admin/products?q=' +
                  urllib.parse.quote('茶' * 200))  # 600 bytes: fine
    assert r.status == 200
    r = admin.get('/admin/products?q=loaf')
    assert r.status == 200 and 'Loaf' in r.text
    # Category pages: a sort or cursor that no link makes.
    cats = admin.get('/admin/categories')
    r = admin.post('/admin/categories', {'csrf': cats.csrf(), 'name': 'Bread',
                                         'slug': 'bread'})
    assert r.status == 303
    assert shop.get('/c/bread').status == 200
    assert shop.get('/c/bread?sort=price-asc').status == 200
    for q in ['sort=bogus', 'after=abc', 'after=%C3%A9', 'sort=price-asc&'
              'after=1.x']:
        r = shop.get('/c/bread?' + q)
        assert r.status == 400, (q, r.status)
        assert 'This page link is not valid.' in r.text, q
    # Route parameters that cannot be an id are 404 before any lookup.
    for path in ['/admin/products/0', '/admin/products/-1',
                 '/admin/products/%E8%8C%B6']:
        assert admin.get(path).status == 404, path


def test_input_login_is_a_route_before_login(stack):
    """The login form is exempt from the session's CSRF check by its
    route flag (ROUTE_ANON), and checks the anonymous token itself."""
    slug, _ = _en_shop(stack)
    c = Client(stack.port, f'{slug}.localhost')
    r = c.post('/admin/login', {'email': f'owner@{slug}.test',
                                'password': 'correct horse battery'})
    assert r.status == 403
    r = c.submit('/admin/login', '/admin/login', {
        'email': 'x' * 300 + '@example.test', 'password': 'whatever'})
    assert r.status == 401 and 'Wrong e-mail or password.' in r.text
    r = c.submit('/admin/login', '/admin/login', {
        'email': f'owner@{slug}.test', 'password': 'correct horse battery'})
    assert r.status == 303
    # Logged in, a form without the session's token is refused.
    r = c.post('/admin/categories', {'name': 'Nope', 'slug': 'nope'})
    assert r.status == 403
