"""The nginx microcache (issue 8, defects 9, 10 and 16): a HEAD never
stores an empty page; an odd Cookie or Accept-Language header never puts
a page under another visitor's key (nginx and souk read the lang and cur
cookies the same way, or the request skips the cache); errors carry one
Cache-Control, no-store, and are never served from the cache."""
import http.client
import os
import re
import signal

import stack as stackmod
from souk_client import admin_login, create_product
from rates_server import RatesServer, ecb_feed, next_date, run_rates

_SHOP = {}


def _shop(stack):
    """One shop for the whole file: English (default) and German, base
    EUR with JPY offered, a product in both languages, rates stored."""
    if _SHOP.get('stack') is stack:
        return _SHOP['slug']
    slug = stack.unique('cache')
    email = f'{slug}@x.test'
    stack.create_shop(slug, locale='en', currency='EUR', owner_email=email)
    admin = admin_login(stack.port, slug, email)
    r = admin.submit('/admin/settings', '/admin/settings', {
        'name': 'Cache Bakery', 'color_primary': '#8a4b08',
        'color_accent': '#f2c14e', 'locales': ['en', 'de'],
        'default_locale': 'en', 'currency': 'EUR',
        'display_currencies': ['JPY']})
    assert r.status == 303, r.text[:3000]
    create_product(admin, {'name_en': 'Rye bread', 'name_de': 'Roggenbrot',
                           'price': '12.50', 'stock': '5', 'slug': 'rye'})
    with RatesServer() as srv:
        srv.serve(ecb_feed(next_date(stack)))
        status, out = run_rates(stack, srv.url)
        assert status == 0, out
    _SHOP.update(stack=stack, slug=slug)
    return slug


def _req(stack, method, path, host, headers=(), port=None):
    """One request to the stack's nginx (or to port) with headers as a
    list of (name, value) pairs, so a field may be sent twice (two
    Cookie lines). Returns (status, headers as an HTTPMessage, body)."""
    port = port or stack.port
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=15)
    try:
        conn.putrequest(method, path, skip_host=True,
                        skip_accept_encoding=True)
        conn.putheader('Host', f'{host}:{port}')
        for k, v in headers:
            conn.putheader(k, v)
        conn.endheaders()
        r = conn.getresponse()
        body = r.read()
        return r.status, r.headers, body
    finally:
        conn.close()


def _lang(body):
    m = re.search(rb'<html lang="([a-z]+)">', body)
    assert m, body[:2000]
    return m.group(1).decode()


def _currency(body):
    m = re.search(r'class="price big">([^<]*)<', body.decode())
    assert m, body[:3000]
    return 'JPY' if re.search('[￥¥]', m.group(1)) else \
        'EUR' if '€' in m.group(1) else m.group(1)


def test_head_never_empties_a_page(stack):
    slug = _shop(stack)
    host = f'{slug}.localhost'
    path = f'/p/rye?head={stack.unique("h")}'
    st, h, body = _req(stack, 'HEAD', path, host)
    assert st == 200 and body == b'', (st, body[:200])
    head_len = int(h['Content-Length'])
    assert head_len > 1000, h.items()
    assert h['Cache-Control'] == 'public, max-age=5', h.items()
    assert h['X-Cache'] == 'MISS', h.items()
    # The next shopper gets the whole page: the HEAD stored nothing.
    st, g, body = _req(stack, 'GET', path, host)
    assert st == 200 and len(body) == int(g['Content-Length']), \
        (st, len(body), g.items())
    assert g['X-Cache'] == 'MISS', g.items()
    assert b'Rye bread' in body
    # HEAD carries GET's header (same length, type, caching).
    assert len(body) == head_len
    for k in ('Content-Type', 'Cache-Control', 'Content-Security-Policy'):
        assert h[k] == g[k], (k, h[k], g[k])
    # GET stored it: a GET and a HEAD are served from it, whole.
    st, g2, body2 = _req(stack, 'GET', path, host)
    assert g2['X-Cache'] == 'HIT' and body2 == body, g2.items()
    st, h2, body3 = _req(stack, 'HEAD', path, host)
    assert st == 200 and body3 == b'' and h2['X-Cache'] == 'HIT'
    assert int(h2['Content-Length']) == len(body)
    # A HEAD on an expired or absent key does not store either.
    path2 = f'/?head={stack.unique("h")}'
    for _ in range(3):
        st, _h, _b = _req(stack, 'HEAD', path2, host)
        assert st == 200
    st, g3, body4 = _req(stack, 'GET', path2, host)
    assert g3['X-Cache'] == 'MISS' and len(body4) == \
        int(g3['Content-Length']) > 1000, (g3.items(), len(body4))


# (Cookie lines, Accept-Language, odd): what a hostile client sends. odd:
# the request must skip the cache (BYPASS), its values being no plain
# token. Each case is followed by plain visitors on the same URI, who
# must get their own language and currency.
CASES = [
    (['\tlang=de'], 'en', False),
    (['a=1;\tlang=de'], 'en', False),
    (['LANG=de'], 'en', False),
    (['Lang=de; lang=en'], 'en', False),
    (['a=1,lang=de'], 'en', False),
    (['lang="de"'], 'en', True),
    ([' lang = de'], 'en', False),
    (['lang=de; lang=en'], 'en', False),
    (['lang=en; lang=de'], 'de', False),
    (['lang=de ;a=1'], 'en', True),
    (['lang=al=en'], 'de', True),
    (['lang=de|x'], 'en', True),
    (['a=1', 'lang=de'], 'en', False),
    (['a=1', 'LANG=de'], 'en', False),
    (['lang=xx'], 'de', False),
    ([], 'de', False),
    ([], 'en|x', True),
    ([], 'en\t', True),
    (['\tcur=JPY'], 'en', False),
    (['CUR=JPY'], 'en', False),
    (['cur="JPY"'], 'en', True),
    (['a=1', 'cur=JPY'], 'en', False),
    (['lang=de', 'CUR=JPY; lang=en'], 'en', False),
]

# The plain visitors: (Cookie lines, Accept-Language) -> (lang, currency).
VISITORS = [
    ([], 'en', ('en', 'EUR')),
    ([], 'de', ('de', 'EUR')),
    (['lang=de'], 'en', ('de', 'EUR')),
    (['cur=JPY'], 'en', ('en', 'JPY')),
    (['lang=de; cur=JPY'], 'en', ('de', 'JPY')),
]


def test_odd_cookies_never_poison_the_cache(stack):
    slug = _shop(stack)
    host = f'{slug}.localhost'
    for i, (cookies, al, odd) in enumerate(CASES):
        path = f'/p/rye?case={stack.unique(str(i))}'
        hdrs = [('Cookie', c) for c in cookies]
        hdrs.append(('Accept-Language', al))
        st, h, body = _req(stack, 'GET', path, host, hdrs)
        assert st == 200, (cookies, al, st)
        if odd:
            assert h['X-Cache'] == 'BYPASS', (cookies, al, h['X-Cache'])
        else:
            assert h['X-Cache'] == 'MISS', (cookies, al, h['X-Cache'])
        for vc, val, want in VISITORS:
            vh = [('Cookie', c) for c in vc] + [('Accept-Language', val)]
            st, h2, b2 = _req(stack, 'GET', path, host, vh)
            got = (_lang(b2), _currency(b2))
            assert st == 200 and got == want, (
                f'after {cookies!r} with Accept-Language {al!r}, a '
                f'visitor with {vc!r} {val!r} got {got} ({h2["X-Cache"]}), '
                f'wants {want}')


# The cookie table of tests/unit/http/cookie.c, as nginx reads it: the
# unit test checks souk's reading against the same expected values.
NGINX_CASES = [
    ('sid=abc123; lang=de', 'de', ''),
    ('LANG=de', 'de', ''),
    ('Lang=de; lang=en', 'de', ''),
    ('\tlang=de', '', ''),
    ('a=1;\tlang=de', '', ''),
    ('a=1;   lang=de', 'de', ''),
    ('lang = de', 'de', ''),
    (' lang = de', 'de', ''),          # nginx strips the leading space
    ('lang\t=de', '', ''),
    ('lang=de; lang=en', 'de', ''),
    ('lang="de"', '"de"', ''),
    ('lang=de ; x=1', 'de ', ''),
    ('lang=de,en; x=1', 'de,en', ''),
    ('lang=d e', 'd e', ''),
    ('a=1,lang=de', 'de', ''),
    ('a=1, lang=de', 'de', ''),
    ('a="x,lang=de"', 'de"', ''),
    ('language=de; lang=en', 'en', ''),
    ('langx=de', '', ''),
    ('xlang=de', '', ''),
    ('lang de; lang=fr', 'fr', ''),
    ('lang;lang=fr', '', ''),           # nginx's quirk: ';' consumed
    ('lang,lang=fr; lang=de', 'de', ''),
    ('lang ;lang=fr', '', ''),
    ('x=lang=de', '', ''),
    ('cur=USD; lang=ja', 'ja', 'USD'),
    ('CUR=usd', '', 'usd'),
]


def test_nginx_reads_cookies_as_souk(stack):
    """A throwaway nginx (the same binary the stack runs) echoes
    $cookie_lang and $cookie_cur for each line of the table."""
    d = os.path.join(stack.dir, 'cookie-echo')
    os.makedirs(os.path.join(d, 'tmp'), exist_ok=True)
    port = stackmod.free_port()
    user = 'user root;\n' if os.geteuid() == 0 else ''
    temps = ''.join(f'{k}_temp_path {d}/tmp/{k};\n' for k in
                    ('client_body', 'fastcgi', 'proxy', 'uwsgi', 'scgi'))
    conf = os.path.join(d, 'nginx.conf')
    with open(conf, 'w') as f:
        f.write(f'{user}daemon off;\nworker_processes 1;\n'
                f'pid {d}/nginx.pid;\nerror_log {d}/error.log;\n'
                f'events {{ worker_connections 64; }}\n'
                f'http {{\naccess_log off;\n{temps}'
                f'server {{ listen 127.0.0.1:{port};\n'
                f'location / {{ return 200 "[$cookie_lang][$cookie_cur]"; }}'
                f'\n}}\n}}\n')
    proc = stackmod.Proc('nginx-echo', ['nginx', '-p', d, '-c', conf, '-e',
                         'stderr'], os.path.join(d, 'nginx.log'))
    try:
        # Polls (tests/wait.py) until the port answers; fails at once,
        # with nginx's log, if nginx exited.
        stackmod.wait_for('nginx-echo',
                          lambda: _req(stack, 'GET', '/', 'x', port=port),
                          proc, timeout=15)
        for line, lang, cur in NGINX_CASES:
            st, _h, body = _req(stack, 'GET', '/', 'x', [('Cookie', line)],
                                port=port)
            assert st == 200
            assert body.decode() == f'[{lang}][{cur}]', (line, body)
        st, _h, body = _req(stack, 'GET', '/', 'x',
                            [('Cookie', 'a=1'), ('Cookie', 'lang=de'),
                             ('Cookie', 'lang=en')], port=port)
        assert body == b'[de][]', body
    finally:
        proc.stop(signal.SIGTERM, timeout=15)


def test_errors_carry_no_store_and_are_never_cached(stack):
    """A storefront error says "no-store" once (the search's 400 and 422
    came after the page had said "public, max-age=5", and carried both),
    and the next request for it is answered by souk again."""
    slug = _shop(stack)
    host = f'{slug}.localhost'
    u = stack.unique('e')
    for path, status in ((f'/search?q=rye&page=abc&e={u}', 400),
                         (f'/search?q=rye&min=abc&e={u}', 422),
                         (f'/c/none?after=1.2.3&e={u}', 400),
                         (f'/p/no-such-{u}', 404),
                         (f'/c/no-such-{u}', 404)):
        for n in range(3):
            st, h, body = _req(stack, 'GET', path, host,
                               [('Accept-Language', 'en')])
            assert st == status, (path, st)
            cc = h.get_all('Cache-Control')
            assert cc == ['no-store'], (path, st, cc)
            assert h['X-Cache'] == 'MISS', (path, n, h['X-Cache'])
            assert b'<html' in body, (path, st)
            st, h, body = _req(stack, 'HEAD', path, host,
                               [('Accept-Language', 'en')])
            assert st == status and body == b'', (path, st)
            assert h.get_all('Cache-Control') == ['no-store']
