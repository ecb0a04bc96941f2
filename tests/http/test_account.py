"""Shoppers' accounts on a storefront, through nginx, the pool and
MariaDB: register (a known address answers exactly like a new one),
sign in and out, reset links (single use, expiring), profile, address
book, deleting the account; bad input on every form (empty, too long in
Japanese characters, bad e-mail, wrong CSRF) answered beside the field
with nothing written; a shop's session and accounts are nothing to
another shop; the merchant's customers pages.

Mail (the welcome, reset links) is read as a shopper would, from what
souk-worker sends to the SMTP stand-in (tests/smtp_server.py)."""
import html
import json
import re
import urllib.parse

from souk_client import (Client, admin_login, mail_names, mailbox,
                         wait_mail)

PW = 'correct horse battery'
LONG_JA = 'あ' * 201          # 201 characters, 603 bytes


def _shop(stack, prefix='acct'):
    """A new shop; returns (slug, tenant id, host)."""
    slug = stack.unique(prefix)
    stack.create_shop(slug)
    tid = int(stack.query(
        f"SELECT id FROM souk_tenants WHERE slug = '{slug}'")[0][0])
    return slug, tid, stack.shop_host(slug)


def _client(stack, host):
    return Client(stack.port, host)


def _register(c, email, password=PW, name='Ann Example', extra=None):
    f = {'name': name, 'email': email, 'password': password}
    f.update(extra or {})
    return c.submit('/account/register', '/account/register', f)


def _login(c, email, password=PW):
    return c.submit('/account/login', '/account/login',
                    {'email': email, 'password': password})


def _signed_in(stack, host, email, password=PW):
    c = _client(stack, host)
    r = _register(c, email, password)
    assert r.status == 303, (r.status, r.text[:2000])
    r = _login(c, email, password)
    assert r.status == 303 and r.header('Location') == '/account', \
        (r.status, r.header('Location'), r.text[:2000])
    return c


def _text(msg):
    """The plain text part of a mail."""
    part = msg.get_body(preferencelist=('plain',))
    return part.get_content() if part is not None else msg.get_content()


def _mail(email, seen):
    """The first new mail to email (after those in seen)."""
    _, msg = wait_mail(email, seen)
    return msg


def _reset_link(email, seen):
    """The path of the reset link mailed to email (in a mail not in
    seen)."""
    msg = _mail(email, seen)
    m = re.search(r'https?://\S+?/account/reset/[0-9a-f]{64}', _text(msg))
    assert m, 'no reset link in:\n' + _text(msg)
    return urllib.parse.urlsplit(m.group(0)).path


def _mails_to(email):
    return [m for _, m in mailbox() if m['To'] == email]


def _count(stack, sql):
    return int(stack.query(sql)[0][0])


def _same_page(a, b, *emails):
    """Two answers without what may differ: CSRF tokens and the e-mail
    echoed."""
    def norm(r):
        t = r.text
        for e in emails:
            t = t.replace(html.escape(e, quote=True), 'EMAIL')
        return re.sub(r'[0-9a-f]{32}', 'TOKEN', t)
    assert a.status == b.status, (a.status, b.status)
    assert a.header('Location') == b.header('Location')
    assert norm(a) == norm(b)


def test_account_register_sign_in_and_out(stack):
    slug, tid, host = _shop(stack)
    email = f'ann@{slug}.test'
    c = _client(stack, host)
    page = c.get('/account/register')
    assert page.status == 200 and page.header('Cache-Control') == 'no-store'
    assert 'name="email"' in page.text and 'name="password"' in page.text
    r = _register(c, email)
    assert r.status == 303, (r.status, r.text[:2000])
    assert r.header('Location') == '/account/login?registered=1'
    assert 'cid=' not in (r.header('Set-Cookie') or ''), 'not signed in'
    assert _count(stack, f"SELECT COUNT(*) FROM s{tid}_customers "
                  f"WHERE email = '{email}'") == 1
    welcome = _mail(email, ())
    assert 'Welcome' in welcome['Subject'], welcome['Subject']
    r = c.get('/account/login?registered=1')
    assert r.status == 200 and 'We sent you an e-mail' in r.text

    # Not signed in: /account goes to the sign-in form and back.
    r = c.get('/account')
    assert r.status == 302
    assert r.header('Location') == '/account/login?next=%2Faccount'
    r = c.get('/account/login?next=/account/addresses')
    f = {'email': email.upper(), 'password': PW, 'csrf': r.csrf(),
         'next': '/account/addresses'}
    r = c.post('/account/login', f)
    assert r.status == 303 and r.header('Location') == '/account/addresses'
    assert 'HttpOnly' in r.header('Set-Cookie')
    assert 'cid' in c.jars[host]
    r = c.get('/account')
    assert r.status == 200 and email in r.text
    assert r.header('Cache-Control') == 'no-store'
    assert 'Sign out' in r.text and 'My account' in r.text
    # The storefront header names the signed-in shopper's account, and
    # such a page is never cached.
    r = c.get(f'/?t={stack.unique()}')
    assert r.status == 200 and 'href="/account">My account' in r.text
    assert r.header('Cache-Control') == 'no-store'
    anon = _client(stack, host).get(f'/?t={stack.unique()}')
    assert 'href="/account/login">Sign in' in anon.text
    assert anon.header('Cache-Control') == 'public, max-age=5'
    # An off-site next is not followed.
    c2 = _client(stack, host)
    p = c2.get('/account/login')
    r = c2.post('/account/login', {'email': email, 'password': PW,
                                   'csrf': p.csrf(),
                                   'next': '//evil.example/'})
    assert r.status == 303 and r.header('Location') == '/account'

    # Sign out: the session ends on the server, the cookie goes.
    page = c.get('/account')
    token = c.jars[host]['cid']
    r = c.post('/account/logout', {'csrf': page.csrf()})
    assert r.status == 303 and r.header('Location') == '/'
    assert 'cid' not in c.jars[host]
    r = c.get('/account', raw_cookies=f'cid={token}')
    assert r.status == 302
    # Wrong password, unknown e-mail: the same 401.
    r1 = _login(c, email, 'wrong password')
    r2 = _login(c, f'nobody@{slug}.test', 'wrong password')
    assert r1.status == r2.status == 401
    assert 'Wrong e-mail or password' in r1.text


def test_account_duplicate_register_answers_like_a_new_one(stack):
    slug, tid, host = _shop(stack, 'dup')
    known = f'known@{slug}.test'
    c = _signed_in(stack, host, known)
    _mail(known, ())                    # the welcome, sent
    seen = mail_names()
    fresh = f'fresh@{slug}.test'
    a = _register(_client(stack, host), known, 'another password 1')
    b = _register(_client(stack, host), fresh, 'another password 1')
    assert a.status == b.status == 303
    assert a.header('Location') == b.header('Location') == \
        '/account/login?registered=1'
    assert a.body == b.body
    assert [k for k, _ in a.headers if k.lower() != 'date'] == \
        [k for k, _ in b.headers if k.lower() != 'date']
    # The account is untouched; its owner gets a link, not a welcome.
    assert _count(stack, f"SELECT COUNT(*) FROM s{tid}_customers WHERE "
                  f"email = '{known}'") == 1
    link = _reset_link(known, seen)
    assert 'Welcome' in _mail(fresh, seen)['Subject']
    assert len(_mails_to(known)) == 2, 'one welcome, one link'
    r = c.get('/account')
    assert r.status == 200, 'the session lives on'
    r = _login(_client(stack, host), known, 'another password 1')
    assert r.status == 401
    # The link works: the owner may choose a new password.
    r = c.get(link)
    assert r.status == 200 and 'name="password"' in r.text


def test_account_reset_by_link_single_use_and_expiring(stack):
    slug, tid, host = _shop(stack, 'reset')
    email = f'rose@{slug}.test'
    before = mail_names()
    old = _signed_in(stack, host, email)
    # The welcome mail first: souk-worker may deliver it late, and it
    # is no reset mail.
    _mail(email, before)
    c = _client(stack, host)
    seen = mail_names()
    # Known and unknown addresses get the same page.
    page = c.get('/account/reset')
    assert page.status == 200 and page.header('Cache-Control') == 'no-store'
    k = c.post('/account/reset', {'email': email, 'csrf': page.csrf()})
    u = c.post('/account/reset', {'email': f'nobody@{slug}.test',
                                  'csrf': page.csrf()})
    assert k.status == 200 and 'we sent it a link' in k.text
    _same_page(k, u, email, f'nobody@{slug}.test')
    link = _reset_link(email, seen)
    assert not _mails_to(f'nobody@{slug}.test')
    # Only its hash is stored.
    assert _count(stack, f"SELECT COUNT(*) FROM s{tid}_customers WHERE "
                  f"HEX(reset_hash) = UPPER(SHA2('{link[-64:]}', 256))") == 1

    r = c.get(link)
    assert r.status == 200 and r.header('Cache-Control') == 'no-store'
    csrf = r.csrf()
    r = c.post(link, {'password': 'new password 1', 'confirm': 'other',
                      'csrf': csrf})
    assert r.status == 422 and 'The two passwords differ' in r.text
    r = c.post(link, {'password': 'short', 'confirm': 'short',
                      'csrf': csrf})
    assert r.status == 422 and '8 to 1024 characters' in r.text
    r = c.post(link, {'password': 'new password 1',
                      'confirm': 'new password 1', 'csrf': 'f' * 32})
    assert r.status == 403
    r = c.post(link, {'password': 'new password 1',
                      'confirm': 'new password 1', 'csrf': csrf})
    assert r.status == 303 and r.header('Location') == '/account?saved=reset'
    r = c.get('/account?saved=reset')
    assert r.status == 200 and 'Your new password is set' in r.text
    # The other session ended; the old password is gone.
    assert old.get('/account').status == 302
    assert _login(_client(stack, host), email, PW).status == 401
    assert _login(_client(stack, host), email,
                  'new password 1').status == 303
    # Used: a clear message, nothing changes.
    r = _client(stack, host).get(link)
    assert r.status == 410 and 'has been used or has expired' in r.text
    c3 = _client(stack, host)
    p = c3.get('/account/reset')
    r = c3.post(link, {'password': 'third password',
                       'confirm': 'third password', 'csrf': p.csrf()})
    assert r.status == 410
    assert _login(_client(stack, host), email,
                  'new password 1').status == 303
    # Expired after an hour (moved back, not waited for).
    stack.query(f"UPDATE s{tid}_customers SET reset_expires = NULL "
                f"WHERE email = '{email}'")
    seen = mail_names()
    p = c.get('/account/reset')
    c.post('/account/reset', {'email': email, 'csrf': p.csrf()})
    link2 = _reset_link(email, seen)
    assert link2 != link and c.get(link2).status == 200
    stack.query(f"UPDATE s{tid}_customers SET reset_expires = "
                f"NOW() - INTERVAL 1 SECOND WHERE email = '{email}'")
    r = c.get(link2)
    assert r.status == 410 and 'has been used or has expired' in r.text
    # A malformed link: the same message.
    for bad in ('nothex', 'f' * 64, 'F' * 64, 'x' * 300):
        r = c.get('/account/reset/' + bad)
        assert r.status == 410 and 'has been used or has expired' in r.text


def test_account_profile_and_address_book(stack):
    slug, tid, host = _shop(stack, 'prof')
    email = f'pat@{slug}.test'
    c = _signed_in(stack, host, email)
    r = c.submit('/account', '/account', {'name': '山田 花子',
                                          'phone': '+81 3-1234-5678'})
    assert r.status == 303 and r.header('Location') == '/account?saved=profile'
    r = c.get('/account?saved=profile')
    assert '山田 花子' in r.text and 'Your details were saved' in r.text
    # 200 Japanese characters are fine (600 bytes), 201 are not.
    r = c.submit('/account', '/account', {'name': 'あ' * 200, 'phone': ''})
    assert r.status == 303
    # E-mail change with the password, confirmed by the new address.
    # An address with an account gets the same answer; its mail tells
    # its owner, and nothing changes.
    new = f'pat2@{slug}.test'
    taken = f'taken@{slug}.test'
    _signed_in(stack, host, taken)
    r = c.submit('/account', '/account/email', {'email': new,
                                                'password': 'wrong'})
    assert r.status == 422 and 'This is not your password' in r.text
    seen = mail_names()
    answers = []
    for addr in (taken, new):
        r = c.submit('/account', '/account/email', {'email': addr,
                                                    'password': PW})
        assert r.status == 303, (r.status, r.text[:2000])
        answers.append(r)
        page = c.get(r.header('Location'))
        assert 'We sent a link to the new address' in page.text
        answers.append(page)
    _same_page(answers[0], answers[2], taken, new)
    _same_page(answers[1], answers[3], taken, new)
    assert _login(_client(stack, host), new, PW).status != 303
    told = _text(_mail(taken, seen))
    assert 'has an account there already' in told
    assert '/account/email/' not in told
    m = re.search(r'https?://\S+?(/account/email/[0-9a-f]{64})',
                  _text(_mail(new, seen)))
    assert m, 'no link in the mail to the new address'
    link = m.group(1)
    d = _client(stack, host)
    page = d.get(link)
    assert page.status == 200 and html.escape(new) in page.text
    assert page.header('Cache-Control') == 'no-store'
    r = d.post(link, {'csrf': page.csrf()})
    assert r.status == 200 and 'Your e-mail address is now' in r.text
    assert d.get(link).status == 410
    assert _login(_client(stack, host), new, PW).status == 303
    for bad in ('nothex', 'f' * 64, 'x' * 300):
        assert d.get('/account/email/' + bad).status == 410
    # Password change keeps this session.
    r = c.submit('/account', '/account/password', {
        'current_password': PW, 'password': 'second password',
        'confirm': 'second password'})
    assert r.status == 303 and c.get('/account').status == 200

    # Address book.
    r = c.get('/account/addresses')
    assert r.status == 200 and 'no saved addresses' in r.text
    assert r.header('Cache-Control') == 'no-store'
    addr = {'name': 'Pat Doe', 'line1': 'Hauptstr. 1', 'city': 'Berlin',
            'postcode': '10115', 'country': 'DE'}
    r = c.submit('/account/addresses/new', '/account/addresses', addr)
    assert r.status == 303, (r.status, r.text[:3000])
    r = c.submit('/account/addresses/new', '/account/addresses',
                 dict(addr, line1='Nebenstr. 2', country='FR'))
    assert r.status == 303
    rows = stack.query(f"SELECT a.id, a.line1, a.is_default FROM "
                       f"s{tid}_addresses a JOIN s{tid}_customers c ON "
                       f"c.id = a.customer_id WHERE c.email = '{new}' "
                       f"ORDER BY a.id")
    assert [(r[1], r[2]) for r in rows] == [('Hauptstr. 1', '1'),
                                            ('Nebenstr. 2', '0')]
    first, second = rows[0][0], rows[1][0]
    r = c.get('/account/addresses')
    assert 'Hauptstr. 1' in r.text and 'Germany' in r.text
    assert 'France' in r.text
    r = c.submit(f'/account/addresses/{second}',
                 f'/account/addresses/{second}',
                 dict(addr, line1='Nebenstr. 3', country='FR'))
    assert r.status == 303
    r = c.submit('/account/addresses', f'/account/addresses/{second}/default',
                 {})
    assert r.status == 303
    assert stack.query(f"SELECT line1 FROM s{tid}_addresses WHERE "
                       f"is_default = 1 AND id IN ({first}, {second})") == \
        [['Nebenstr. 3']]
    r = c.submit('/account/addresses', f'/account/addresses/{second}/delete',
                 {})
    assert r.status == 303
    assert stack.query(f"SELECT id FROM s{tid}_addresses WHERE "
                       f"is_default = 1 AND id IN ({first}, {second})") == \
        [[first]]
    # Someone else's address is not found.
    other = _signed_in(stack, host, f'other@{slug}.test')
    assert other.get(f'/account/addresses/{first}').status == 404
    r = other.submit('/account/addresses',
                     f'/account/addresses/{first}/delete', {})
    assert r.status == 404
    assert _count(stack, f"SELECT COUNT(*) FROM s{tid}_addresses "
                  f"WHERE id = {first}") == 1


def _check_422(r, message):
    assert r.status == 422, (r.status, r.text[:3000])
    assert message in r.text, r.text[:3000]
    assert 'class="ferr"' in r.text or 'class="error"' in r.text


def test_account_bad_input_on_every_form(stack):
    slug, tid, host = _shop(stack, 'bad')
    email = f'bo@{slug}.test'
    c = _client(stack, host)
    before = _count(stack, f"SELECT COUNT(*) FROM s{tid}_customers")

    # Register: empty, bad e-mail, too short, too long (characters).
    _check_422(_register(c, '', PW), 'Enter a valid e-mail address')
    _check_422(_register(c, 'not-an-address', PW),
               'Enter a valid e-mail address')
    _check_422(_register(c, email, 'short'), '8 to 1024 characters')
    _check_422(_register(c, email, ''), '8 to 1024 characters')
    _check_422(_register(c, email, 'あ' * 1025),
               '8 to 1024 characters')
    r = _register(c, email, 'あ' * 8)     # 8 characters, 24 bytes
    assert r.status == 303
    _check_422(_register(c, f'x@{slug}.test', PW, name=LONG_JA),
               'A name has at most 200 characters')
    _check_422(_register(c, 'ｘ' * 250 + '@example.com', PW),
               'Enter a valid e-mail address')
    r = c.post('/account/register', {'email': f'y@{slug}.test',
                                     'password': PW, 'csrf': 'f' * 32})
    assert r.status == 403 and 'Your form expired' in r.text
    r = c.post('/account/register', {'email': f'y@{slug}.test',
                                     'password': PW})
    assert r.status == 403
    # The bad forms show what was typed, beside the messages.
    r = _register(c, 'not-an-address', PW, name='Bo')
    assert 'value="not-an-address"' in r.text and 'value="Bo"' in r.text
    assert _count(stack, f"SELECT COUNT(*) FROM s{tid}_customers") == \
        before + 1

    # Sign in: empty, too long, wrong CSRF.
    r = _login(c, '', '')
    assert r.status == 401 and 'Wrong e-mail or password' in r.text
    r = _login(c, 'あ' * 255, PW)
    assert r.status == 401
    r = c.post('/account/login', {'email': email, 'password': 'あ' * 8,
                                  'csrf': 'f' * 32})
    assert r.status == 403 and 'cid' not in c.jars.get(host, {})

    # Reset: empty, bad e-mail, wrong CSRF; token: malformed.
    r = c.submit('/account/reset', '/account/reset', {'email': ''})
    _check_422(r, 'Enter a valid e-mail address')
    r = c.submit('/account/reset', '/account/reset', {'email': LONG_JA})
    _check_422(r, 'Enter a valid e-mail address')
    r = c.post('/account/reset', {'email': email, 'csrf': 'f' * 32})
    assert r.status == 403
    assert stack.query(f"SELECT reset_hash IS NULL FROM s{tid}_customers "
                       f"WHERE email = '{email}'") == [['1']], \
        'no link was made'

    # Signed in: every form of the account.
    c = _client(stack, host)
    assert _login(c, email, 'あ' * 8).status == 303
    r = c.submit('/account', '/account', {'name': LONG_JA, 'phone': ''})
    _check_422(r, 'A name has at most 200 characters')
    assert LONG_JA in r.text, 'what was typed is shown again'
    r = c.submit('/account', '/account', {'name': 'Bo', 'phone': 'call me'})
    _check_422(r, 'A phone number has at most 40 digits')
    r = c.submit('/account', '/account', {'name': 'Bo', 'phone': '１' * 41})
    _check_422(r, 'A phone number has at most 40 digits')
    r = c.submit('/account', '/account/email', {'email': 'bad',
                                                'password': 'あ' * 8})
    _check_422(r, 'Enter a valid e-mail address')
    r = c.submit('/account', '/account/email', {'email': '',
                                                'password': ''})
    _check_422(r, 'Enter your password')
    r = c.submit('/account', '/account/password', {
        'current_password': 'あ' * 8, 'password': 'short',
        'confirm': 'short'})
    _check_422(r, '8 to 1024 characters')
    r = c.submit('/account', '/account/password', {
        'current_password': 'wrong one', 'password': 'long enough 1',
        'confirm': 'long enough 1'})
    _check_422(r, 'This is not your password')
    r = c.submit('/account/addresses/new', '/account/addresses', {})
    _check_422(r, 'Choose a country from the list')
    for f in ('name', 'line1', 'city'):
        assert f'name="{f}"' in r.text
    r = c.submit('/account/addresses/new', '/account/addresses', {
        'name': LONG_JA, 'line1': 'x', 'city': 'y', 'country': 'DE'})
    _check_422(r, 'Enter a name of at most 200 characters')
    r = c.submit('/account/addresses/new', '/account/addresses', {
        'name': 'Bo', 'line1': 'x', 'city': 'y', 'country': 'ZZ'})
    assert r.status == 422
    r = c.submit('/account/addresses/new', '/account/addresses', {
        'name': 'Bo', 'line1': 'x', 'city': 'y', 'country': 'DEU'})
    _check_422(r, 'Choose a country from the list')
    r = c.submit('/account/delete', '/account/delete', {'password': ''})
    _check_422(r, 'Enter your password')
    r = c.submit('/account/delete', '/account/delete',
                 {'password': 'wrong one'})
    _check_422(r, 'This is not your password')
    assert c.get('/account/addresses/abc').status == 404
    assert c.get('/account?saved=nonsense').status == 400
    # Wrong CSRF on every signed-in form: 403, nothing written.
    for path, fields in (('/account', {'name': 'Changed'}),
                         ('/account/email', {'email': 'z@z.test',
                                             'password': 'あ' * 8}),
                         ('/account/password', {
                             'current_password': 'あ' * 8,
                             'password': 'long enough 2',
                             'confirm': 'long enough 2'}),
                         ('/account/addresses', {
                             'name': 'Bo', 'line1': 'x', 'city': 'y',
                             'country': 'DE'}),
                         ('/account/delete', {'password': 'あ' * 8}),
                         ('/account/logout', {})):
        f = dict(fields, csrf='f' * 32)
        r = c.post(path, f)
        assert r.status == 403, (path, r.status)
    assert _count(stack, f"SELECT COUNT(*) FROM s{tid}_addresses") == 0
    assert stack.query(f"SELECT name, email FROM s{tid}_customers WHERE "
                       f"email = '{email}'") == [['Ann Example', email]]
    assert c.get('/account').status == 200
    # Signed out: the account's POSTs are refused.
    anon = _client(stack, host)
    p = anon.get('/account/login')
    r = anon.post('/account', {'name': 'x', 'csrf': p.csrf()})
    assert r.status == 403


def test_account_delete_erases_the_person_keeps_the_orders(stack):
    slug, tid, host = _shop(stack, 'del')
    email = f'dee@{slug}.test'
    c = _signed_in(stack, host, email)
    cid = stack.query(f"SELECT id FROM s{tid}_customers WHERE "
                      f"email = '{email}'")[0][0]
    c.submit('/account/addresses/new', '/account/addresses', {
        'name': 'Dee', 'line1': 'Main St 1', 'city': 'Springfield',
        'postcode': '12345', 'country': 'US', 'region': 'IL'})
    stack.query(
        f"INSERT INTO s{tid}_orders (number, status, customer_id, email, "
        f"locale, idem_key, access_key, currency, prices_include_tax, "
        f"subtotal, discount, shipping, shipping_tax, tax, total, "
        f"display_currency, fx_rate, display_total, payment_method, "
        f"bill_name, bill_line1, bill_city, bill_postcode, bill_country, "
        f"bill_phone, ship_name, ship_line1, ship_city, ship_postcode, "
        f"ship_country, ship_region) VALUES (1001, 'on-hold', {cid}, "
        f"'{email}', 'en', MD5(RAND()), MD5(RAND()), 'USD', 0, 1000, 0, "
        f"500, 0, 100, 1600, 'USD', 100000000, 1600, 'cheque', 'Dee', "
        f"'Main St 1', 'Springfield', '12345', 'US', '555', 'Dee', "
        f"'Main St 1', 'Springfield', '12345', 'US', 'IL')")
    r = c.submit('/account/delete', '/account/delete', {'password': PW})
    assert r.status == 303
    assert r.header('Location') == '/account/login?deleted=1'
    assert 'cid' not in c.jars[host]
    assert 'Your account was deleted' in c.get(r.header('Location')).text
    assert _count(stack, f"SELECT COUNT(*) FROM s{tid}_customers "
                  f"WHERE id = {cid}") == 0
    assert _count(stack, f"SELECT COUNT(*) FROM s{tid}_addresses "
                  f"WHERE customer_id = {cid}") == 0
    assert _count(stack, f"SELECT COUNT(*) FROM s{tid}_customer_sessions "
                  f"WHERE customer_id = {cid}") == 0
    rows = stack.query(
        f"SELECT number, total, customer_id, email, bill_name, bill_line1,"
        f" bill_city, bill_phone, ship_name, ship_line1, ship_city,"
        f" bill_country, ship_postcode, ship_region FROM s{tid}_orders")
    assert rows == [['1001', '1600', None, '', '', '', '', '', '', '', '',
                     'US', '12345', 'IL']], rows
    rows = stack.query(f"SELECT e.actor, e.kind, e.note FROM "
                       f"s{tid}_order_events e JOIN s{tid}_orders o ON "
                       f"o.id = e.order_id WHERE o.number = 1001")
    assert len(rows) == 1 and rows[0][0] == 'system'
    assert 'erased' in rows[0][2]
    assert _login(_client(stack, host), email, PW).status == 401


def test_account_guest_order_joins_the_new_account(stack):
    slug, tid, host = _shop(stack, 'guest')
    email = f'gus@{slug}.test'
    key = 'a1' * 16
    stack.query(
        f"INSERT INTO s{tid}_orders (number, status, email, locale, "
        f"idem_key, access_key, currency, prices_include_tax, subtotal, "
        f"discount, shipping, shipping_tax, tax, total, display_currency, "
        f"fx_rate, display_total, payment_method) VALUES (1001, 'on-hold', "
        f"'{email}', 'en', MD5(RAND()), '{key}', 'EUR', 1, 1000, 0, 0, 0, "
        f"160, 1000, 'EUR', 100000000, 1000, 'bacs')")
    c = _client(stack, host)
    page = c.get(f'/account/register?order=1001&key={key}')
    assert 'name="order" value="1001"' in page.text
    assert f'name="key" value="{key}"' in page.text
    # Someone else's e-mail with the key attaches nothing.
    r = _register(c, f'other@{slug}.test', extra={'order': '1001',
                                                  'key': key})
    assert r.status == 303
    assert stack.query(f"SELECT customer_id FROM s{tid}_orders") == [[None]]
    # A tampered key neither (and is no error for the shopper).
    r = _register(_client(stack, host), email,
                  extra={'order': '1001', 'key': 'zz'})
    assert r.status == 303
    assert stack.query(f"SELECT customer_id FROM s{tid}_orders") == [[None]]
    stack.query(f"DELETE FROM s{tid}_customers WHERE email = '{email}'")
    r = _register(_client(stack, host), email,
                  extra={'order': '1001', 'key': key})
    assert r.status == 303
    assert stack.query(
        f"SELECT o.customer_id = c.id FROM s{tid}_orders o JOIN "
        f"s{tid}_customers c ON c.email = '{email}'") == [['1']]


def test_account_isolation_between_shops(stack):
    slug_a, tid_a, host_a = _shop(stack, 'isoa')
    slug_b, tid_b, host_b = _shop(stack, 'isob')
    email = f'iso@{slug_a}.test'
    a = _signed_in(stack, host_a, email)
    token = a.jars[host_a]['cid']
    # A's session cookie is nothing on B (and B forgets it).
    b = _client(stack, host_b)
    r = b.get('/account', raw_cookies=f'cid={token}')
    assert r.status == 302
    assert 'cid=;' in (r.header('Set-Cookie') or '') or \
        'Max-Age=0' in (r.header('Set-Cookie') or '')
    r = b.get(f'/?t={stack.unique()}', raw_cookies=f'cid={token}')
    assert 'My account' not in r.text
    # A's account does not sign in on B.
    assert _login(_client(stack, host_b), email, PW).status == 401
    # B's address ids are not A's.
    a.submit('/account/addresses/new', '/account/addresses', {
        'name': 'Iso', 'line1': 'x 1', 'city': 'y', 'country': 'DE'})
    aid = stack.query(f"SELECT MAX(id) FROM s{tid_a}_addresses")[0][0]
    bb = _signed_in(stack, host_b, f'iso@{slug_b}.test')
    assert bb.get(f'/account/addresses/{aid}').status == 404
    # A's customer is not in B's admin.
    cid = stack.query(f"SELECT id FROM s{tid_a}_customers")[0][0]
    adm = admin_login(stack.port, slug_b, f'owner@{slug_b}.example')
    r = adm.get(f'/admin/customers/{cid}')
    assert r.status in (200, 404) and email not in r.text
    assert email not in adm.get('/admin/customers').text


def test_account_admin_customers_list_and_page(stack):
    slug, tid, host = _shop(stack, 'adm')
    for i in range(3):
        _register(_client(stack, host), f'c{i}@{slug}.test',
                  name=f'Customer {i}')
    adm = admin_login(stack.port, slug, f'owner@{slug}.example')
    r = adm.get('/admin/customers')
    assert r.status == 200 and r.header('Cache-Control') == 'no-store'
    for i in range(3):
        assert f'c{i}@{slug}.test' in r.text
    assert 'href="/admin/customers"' in r.text     # the nav link
    r = adm.get('/admin/customers?q=Customer%201')
    assert f'c1@{slug}.test' in r.text and f'c2@{slug}.test' not in r.text
    r = adm.get('/admin/customers?q=c2%40')
    assert f'c2@{slug}.test' in r.text and f'c1@{slug}.test' not in r.text
    r = adm.get('/admin/customers?q=%25')
    assert 'No customer matches' in r.text
    assert adm.get('/admin/customers?after=x').status == 400
    assert adm.get('/admin/customers?q=' + urllib.parse.quote('あ' * 201)
                   ).status == 400
    r = adm.get('/admin/customers?q=' + urllib.parse.quote('あ' * 200))
    assert r.status == 200 and 'No customer matches' in r.text
    cid = stack.query(f"SELECT id FROM s{tid}_customers WHERE email = "
                      f"'c1@{slug}.test'")[0][0]
    r = adm.get(f'/admin/customers/{cid}')
    assert r.status == 200 and 'Customer 1' in r.text
    assert 'No orders yet' in r.text
    # Their orders (shop/order_list.h), not another customer's.
    for number, who in ((1001, cid), (1002, 'NULL')):
        stack.query(
            f"INSERT INTO s{tid}_orders (number, status, customer_id, email,"
            f" locale, idem_key, access_key, currency, prices_include_tax,"
            f" subtotal, discount, shipping, shipping_tax, tax, total,"
            f" display_currency, fx_rate, display_total, payment_method)"
            f" VALUES ({number}, 'on-hold', {who}, 'c1@{slug}.test', 'en',"
            f" MD5(RAND()), MD5(RAND()), 'EUR', 1, 1234, 0, 0, 0, 0, 1234,"
            f" 'EUR', 100000000, 1234, 'bacs')")
    r = adm.get(f'/admin/customers/{cid}')
    assert r.status == 200
    assert 'href="/admin/orders/1001"' in r.text
    assert 'href="/admin/orders/1002"' not in r.text
    assert adm.get('/admin/customers/999999').status == 404
    # Keyset pages: 51 customers make two pages.
    stack.query(f"INSERT INTO s{tid}_customers (email, pw_hash, locale) "
                f"SELECT CONCAT('bulk', seq, '@{slug}.test'), 'x', 'en' "
                f"FROM seq_1_to_50")
    r = adm.get('/admin/customers')
    m = re.search(r'href="(/admin/customers\?after=\d+)"', r.text)
    assert m, 'a next page link'
    r2 = adm.get(html.unescape(m.group(1)))
    assert r2.status == 200
    assert len(re.findall(r'<tr>', r.text)) == 50 + 1
    assert len(re.findall(r'<tr>', r2.text)) == 3 + 1
    # Not for the signed-out.
    r = Client(stack.port, host).get('/admin/customers')
    assert r.status == 302


def test_account_from_the_order_confirmation_page(stack):
    """A guest buys, then creates an account from the confirmation page:
    the order joins it (its number and key came with the form), and the
    new account signs in."""
    from shop_setup import selling_shop, shopper
    slug, tid, pid = selling_shop(stack, 'conf')
    c, fields = shopper(stack, slug, pid)
    r = c.post('/checkout/place', fields)
    assert r.status == 303, (r.status, r.text[:3000])
    done = c.get(r.header('Location'))
    assert done.status == 200
    assert 'action="/account/register"' in done.text, done.text[:4000]
    number = re.search(r'name="order" value="(\d+)"', done.text).group(1)
    key = re.search(r'name="key" value="([0-9a-f]{32})"',
                    done.text).group(1)
    email = re.search(r'name="email" value="([^"]+)"', done.text).group(1)
    r = c.post('/account/register', {'csrf': done.csrf(), 'order': number,
                                     'key': key, 'email': email,
                                     'password': PW})
    assert r.status == 303, (r.status, r.text[:3000])
    assert r.header('Location') == '/account/login?registered=1'
    assert stack.query(
        f"SELECT o.customer_id = c.id FROM s{tid}_orders o JOIN "
        f"s{tid}_customers c ON c.email = o.email WHERE o.number = "
        f"{number}") == [['1']]
    r = _login(c, email)
    assert r.status == 303
    assert c.get('/account').status == 200


def test_checkout_offers_the_address_book(stack):
    """A signed-in customer's checkout lists their saved addresses: the
    default fills the empty form, ?address=ID fills another; an id of
    another customer's address fills nothing; the list shows to its
    owner only."""
    from shop_setup import add_to_cart, selling_shop
    slug, tid, pid = selling_shop(stack, 'book', stock=20)
    host = f'{slug}.localhost'
    c = _signed_in(stack, host, f'book@{slug}.test')
    home = {'name': 'Käthe Kruse', 'line1': 'Heidestraße 17',
            'city': 'Köln', 'postcode': '50667', 'country': 'DE'}
    work = {'name': 'Käthe Kruse', 'company': 'Puppen GmbH',
            'line1': 'Marktplatz 1', 'city': 'Bad Kösen',
            'postcode': '06628', 'country': 'DE'}
    for a in (home, work):
        r = c.submit('/account/addresses/new', '/account/addresses', a)
        assert r.status == 303, (r.status, r.text[:2000])
    ids = [int(x[0]) for x in stack.query(
        f"SELECT id FROM s{tid}_addresses ORDER BY id")]
    r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': '1'})
    assert r.status == 303
    page = c.get('/checkout')
    assert page.status == 200
    assert 'From your address book' in page.text
    assert 'value="Heidestraße 17"' in page.text      # the default
    assert f'href="/checkout?address={ids[1]}"' in page.text, page.text[page.text.find('address book') - 200:][:1500]
    page = c.get(f'/checkout?address={ids[1]}')
    assert 'value="Marktplatz 1"' in page.text
    assert 'value="Puppen GmbH"' in page.text
    # Another customer's address: not theirs, nothing filled.
    d = _signed_in(stack, host, f'other@{slug}.test')
    r = add_to_cart(stack, d, {'product_id': str(pid), 'qty': '1'})
    page = d.get(f'/checkout?address={ids[1]}')
    assert page.status == 200
    assert 'Marktplatz 1' not in page.text
    assert 'From your address book' not in page.text
    assert d.get('/checkout?address=abc').status == 400
