"""Rules of platform accounts over the whole stack: password lengths
count characters, not bytes, and too long says so; names that browsers
and resolvers treat specially are no shop address; the platform login
answers unknown e-mails exactly like known ones."""
from souk_client import Client, signup

KEY = '\U0001F511'     # one character, four bytes in UTF-8


def _signup(stack, slug, password):
    return Client(stack.port).submit('/', '/signup', {
        'name': 'Rules', 'slug': slug, 'email': f'{slug}@rules.test',
        'password': password, 'locale': 'en', 'currency': 'EUR'})


def test_password_length_counts_characters(stack):
    # Two key emojis are 8 bytes but 2 characters: too short.
    r = _signup(stack, stack.unique('pw'), KEY * 2)
    assert r.status == 422, r.status
    assert 'at least 8 characters' in r.text
    # Over 1024 characters: refused with the right message.
    r = _signup(stack, stack.unique('pw'), 'a' * 1025)
    assert r.status == 422, r.status
    assert 'at most 1024 characters' in r.text
    assert 'at least 8' not in r.text
    # Eight emojis are eight characters: a password, and it works.
    slug = stack.unique('pw')
    signup(stack.port, slug, f'{slug}@rules.test', password=KEY * 8)
    c = Client(stack.port)
    r = c.submit('/login', '/login', {'email': f'{slug}@rules.test',
                                      'password': KEY * 8})
    assert r.status == 303 and r.header('Location').endswith('/dashboard')


def test_special_names_are_no_shop_address(stack):
    for slug in ('localhost', 'local', 'invalid', 'test', 'example',
                 'wpad', 'localdomain'):
        r = _signup(stack, slug, 'long enough pw')
        assert r.status == 422, (slug, r.status)
        assert 'reserved' in r.text, slug
    r = stack.query("SELECT COUNT(*) FROM souk_tenants WHERE slug IN "
                    "('localhost', 'local', 'invalid', 'wpad')")
    assert r[0][0] == '0'


def test_platform_login_unknown_email_locks_like_a_known_one(stack):
    slug = stack.unique('plat')
    known = f'{slug}@rules.test'
    signup(stack.port, slug, known)
    unknown = f'nobody-{slug}@rules.test'
    for i in range(6):
        want = 401 if i < 5 else 429
        for email in (known, unknown):
            r = Client(stack.port).submit('/login', '/login', {
                'email': email, 'password': f'wrong-{i}'})
            assert r.status == want, (email, i, r.status)
    r = Client(stack.port).submit('/login', '/login', {
        'email': known, 'password': 'correct horse battery'})
    assert r.status == 429
