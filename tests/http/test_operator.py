"""The operator console and the soukctl shop commands: list every shop,
suspend and resume; a suspended shop shows shoppers a clear page."""
import re
import time

from souk_client import Client, signup
from wait import wait_until


def _eventually(fn, want):
    """soukctl runs outside the pool: every worker sees its changes once
    its tenant cache entry expires (TENANT_CACHE_TTL_MS, 3 s), not at
    once as for changes made through the pages. Past that, all agree."""
    # A fixed sleep on purpose: waiting out the cache lifetime is the
    # behaviour under test, and it holds however busy the machine is (an
    # entry older than 3 s on the monotonic clock is never served).
    time.sleep(3.5)
    got = [fn() for _ in range(12)]
    return want if all(g == want for g in got) else got


def _past_microcache(stack, slug):
    """A shopper with a cart: nginx's 5 s microcache never answers them,
    so what they see is what the workers answer now."""
    c = Client(stack.port, f'{slug}.localhost')
    c.jars[f'{slug}.localhost'] = {'souk_cart': 'x'}
    return c


def _operator(stack):
    email, pw = 'ops@souk.test', 'operator password'
    stack.add_operator(email, pw, check=False)
    c = Client(stack.port)
    r = c.submit('/login', '/login', {'email': email, 'password': pw})
    assert r.status == 303, r.text[:2000]
    return c


def test_operator_console_suspends_and_resumes_a_shop(stack):
    slug = stack.unique('op')
    signup(stack.port, slug, f'{slug}@x.test', name='Operated Shop')
    ops = _operator(stack)
    # The console lists 100 shops a page, by id: this one's page.
    before = int(stack.query(
        "SELECT COUNT(*) FROM souk_tenants WHERE id < (SELECT id FROM "
        f"souk_tenants WHERE slug = '{slug}')")[0][0])
    page = ops.get(f'/operator?page={before // 100}')
    assert page.status == 200, page
    assert 'Operated Shop' in page.text and f'{slug}@x.test' in page.text
    row = page.text[page.text.index('Operated Shop'):]
    shop_id = int(re.search(r'/operator/shops/(\d+)/suspend', row).group(1))
    shop = _past_microcache(stack, slug)
    anonymous = Client(stack.port, f'{slug}.localhost')
    assert shop.get('/').status == 200
    assert anonymous.get('/').status == 200

    r = ops.post(f'/operator/shops/{shop_id}/suspend', {'csrf': page.csrf()})
    assert r.status == 303, r.status
    closed = shop.get('/')
    assert closed.status == 503
    assert 'closed for the moment' in closed.text
    assert closed.header('Retry-After') == '3600'
    assert shop.get('/admin/login').status == 503
    # Anonymous shoppers may get nginx's microcached page for its 5 s
    # (nginx counts them in whole seconds), never longer.
    last = []

    def closed_for_all():
        last[:] = [anonymous.get('/')]
        return last[0].status == 503
    wait_until(closed_for_all, 10, 'the microcache to let the 503 through')
    r = last[0]
    assert r.status == 503, (r.status, r.header('X-Cache'))
    listing = stack.soukctl('shop', 'list').stdout
    assert re.search(rf'{slug}\s+suspended', listing), listing
    # Suspending twice is refused; resuming brings it back at once.
    r = ops.post(f'/operator/shops/{shop_id}/suspend', {'csrf': page.csrf()})
    assert r.status == 409
    r = ops.post(f'/operator/shops/{shop_id}/resume', {'csrf': page.csrf()})
    assert r.status == 303
    assert shop.get('/').status == 200
    # Without the form's token nothing happens.
    r = ops.post(f'/operator/shops/{shop_id}/suspend', {})
    assert r.status == 403
    assert shop.get('/').status == 200


def test_soukctl_suspend_resume_delete(stack):
    slug = stack.unique('ctl')
    stack.create_shop(slug, name='CLI Shop', locale='fr', currency='EUR')
    shop = _past_microcache(stack, slug)
    home = shop.get('/')
    assert home.status == 200 and '<html lang="fr">' in home.text
    stack.soukctl('shop', 'suspend', slug)
    assert _eventually(lambda: shop.get('/').status, 503) == 503
    stack.soukctl('shop', 'resume', slug)
    assert _eventually(lambda: shop.get('/').status, 200) == 200
    # Creating it again is idempotent; delete needs its flag.
    stack.create_shop(slug, name='CLI Shop', locale='fr', currency='EUR')
    r = stack.soukctl('shop', 'delete', slug, check=False)
    assert r.returncode != 0
    got = shop.get('/')
    assert got.status == 200, (got.status, got.text[-800:],
                               stack.soukctl('shop', 'list').stdout)
    tid = stack.query(f"SELECT id FROM souk_tenants WHERE slug = '{slug}'")[0][0]
    tables = ("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
              f"TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 's{tid}\\_%'")
    assert int(stack.query(tables)[0][0]) > 0
    stack.soukctl('shop', 'delete', slug, '--yes-delete-all-data')
    assert _eventually(lambda: shop.get('/').status, 404) == 404
    assert slug not in stack.soukctl('shop', 'list').stdout
    # Nothing of it is left.
    assert int(stack.query(tables)[0][0]) == 0


def test_custom_domain_reaches_the_shop(stack):
    slug = stack.unique('dom')
    stack.create_shop(slug, name='Domain Shop')
    stack.soukctl('domain', 'add', slug, f'www.{slug}-shop.example')
    r = Client(stack.port, f'www.{slug}-shop.example').get('/')
    assert r.status == 200 and 'Domain Shop' in r.text
    r = Client(stack.port, f'WWW.{slug.upper()}-SHOP.EXAMPLE').get('/')
    assert r.status == 200


def test_operator_support_looks_and_changes_nothing(stack):
    """Operator roles: support sees every page of the console and the
    tenant API's reads, and is refused every change, in the console and
    through its key; an admin's changes go through."""
    email, pw = f"{stack.unique('support')}@souk.test", 'support password'
    pwf = stack.password_file(pw)
    try:
        stack.soukctl('operator', 'add', '--email', email, '--password-file',
                      pwf, '--role', 'support')
    finally:
        import os
        os.unlink(pwf)
    slug = stack.unique('sup')
    stack.create_shop(slug)
    tid = stack.query(f"SELECT id FROM souk_tenants WHERE slug = '{slug}'"
                      )[0][0]
    c = Client(stack.port)
    r = c.submit('/login', '/login', {'email': email, 'password': pw})
    assert r.status == 303
    for path in ('/operator', '/operator/plans', '/operator/audit',
                 '/operator/api-keys'):
        assert c.get(path).status == 200, path
    page = c.get('/operator/plans')
    for path, form in ((f'/operator/shops/{tid}/suspend', {}),
                       ('/operator/plans', {'code': 'x', 'name': 'X',
                                            'price': '1'}),
                       ('/operator/api-keys', {'description': 'k'})):
        form['csrf'] = page.csrf()
        r = c.post(path, form)
        assert r.status == 403, (path, r.status)
        assert 'change nothing' in r.text
    assert stack.query(f"SELECT status FROM souk_tenants WHERE id = {tid}"
                       ) == [['ready']]
    # Through the tenant API, with a support operator's key.
    key = stack.soukctl('operator', 'api-key', 'create', '--email',
                        email).stdout.strip()
    h = {'Authorization': f'Bearer {key}', 'Content-Type':
         'application/json'}
    assert stack.http('GET', '/api/v1/shops', headers=h).status == 200
    assert stack.http('GET', f'/api/v1/shops/{slug}/usage',
                      headers=h).status == 200
    r = stack.http('POST', f'/api/v1/shops/{slug}/suspend', headers=h,
                   body=b'{}')
    assert r.status == 403 and b'change nothing' in r.body
    r = stack.http('PATCH', f'/api/v1/shops/{slug}', headers=h,
                   body=b'{"name": "Nope"}')
    assert r.status == 403
    # Made an admin: the same change goes through.
    stack.soukctl('operator', 'add', '--email', email, '--role', 'admin')
    r = stack.http('POST', f'/api/v1/shops/{slug}/suspend', headers=h,
                   body=b'{}')
    assert r.status == 200, r.body[:300]
    assert stack.query("SELECT COUNT(*) FROM souk_audit WHERE action = "
                       "'operator.role' AND after_json LIKE '%support%'"
                       ) != [['0']]
