"""A merchant connects the shop's Stripe account on the payment settings
page (web/admin_sales.c, shop/gateway.c), against tests/stripe_server.py:
the key is checked with Stripe (GET /v1/account, the pinned
Stripe-Version), then both secrets are stored sealed with the server's
key and never shown again; the page shows the account, the key's last
four characters and the mode, and the webhook address to give Stripe. A
key Stripe refuses, or one of the wrong shape, is a 422 with the message
beside the field and nothing stored. Disconnecting deletes the keys.
Another shop sees nothing of it and cannot disconnect it."""
import html
import json
import secrets
import urllib.request

from souk_client import admin_login, signup


def _shop(stack, prefix):
    slug = stack.unique(prefix)
    email = f'{slug}@stripe.test'
    signup(stack.port, slug, email)
    tid = int(stack.query(
        f"SELECT id FROM souk_tenants WHERE slug = '{slug}'")[0][0])
    return admin_login(stack.port, slug, email), tid, slug


def _control(stack, path, body=None):
    req = urllib.request.Request(
        stack.stripe_url + path, method='POST' if body is not None else
        'GET', data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def _key(stack, name='Surf GmbH'):
    """A test secret key the stand-in knows, and its account id."""
    key = 'sk_test_' + secrets.token_hex(12)
    acct = 'acct_' + secrets.token_hex(8)
    _control(stack, '/_test/keys', {'key': key, 'account': acct,
                                    'name': name})
    return key, acct


def _rows(stack, tid):
    return [tuple(r) for r in stack.query(
        f"SELECT account_id, key_last4, livemode, secret_key, "
        f"webhook_secret FROM s{tid}_gateways")]


def _connect(c, key, whsec):
    return c.submit('/admin/payments', '/admin/payments/stripe',
                    {'stripe_secret_key': key,
                     'stripe_webhook_secret': whsec})


def test_connect_shows_the_account_and_stores_only_sealed_text(stack):
    c, tid, slug = _shop(stack, 'stripea')
    page = c.get('/admin/payments')
    assert page.status == 200
    assert 'Card payments (Stripe)' in page.text
    assert f'http://{slug}.localhost:{stack.port}/_stripe/webhook' in \
        page.text, page.text[-3000:]
    assert 'Connected:' not in page.text
    key, acct = _key(stack)
    whsec = 'whsec_' + secrets.token_hex(16)
    seen = len(_control(stack, '/_test/requests'))
    r = _connect(c, key, whsec)
    assert r.status == 303, r.text[:3000]
    assert r.header('Location') == '/admin/payments?connected=1'
    # Stripe was asked, with the key and the pinned version.
    reqs = [q for q in _control(stack, '/_test/requests')[seen:]
            if q['path'] == '/v1/account']
    assert reqs and reqs[-1]['method'] == 'GET'
    h = {k.lower(): v for k, v in reqs[-1]['headers'].items()}
    assert h['authorization'] == f'Bearer {key}'
    assert h['stripe-version'] == '2024-06-20'
    page = c.get('/admin/payments?connected=1')
    t = html.unescape(page.text)
    assert f'Connected: account {acct}, key ending in …{key[-4:]}' in t, \
        t[-3000:]
    assert 'test mode' in t and 'Surf GmbH' in t
    assert 'Your Stripe account is connected.' in t
    assert 'Disconnect' in t
    # Neither secret is on the page, nor in the clear in the database.
    assert key not in t and key[8:] not in t and whsec not in t
    rows = _rows(stack, tid)
    assert len(rows) == 1, rows
    account, last4, live, sk, wh = rows[0]
    assert (account, last4, live) == (acct, key[-4:], '0')
    for sealed, clear in ((sk, key), (wh, whsec)):
        assert sealed.startswith('s1:') and clear not in sealed and \
            clear[8:] not in sealed, sealed
    assert sk != wh
    # Connecting again (other keys) replaces the row.
    key2, acct2 = _key(stack, 'Surf Two')
    r = _connect(c, key2, whsec)
    assert r.status == 303, r.text[:3000]
    rows = _rows(stack, tid)
    assert len(rows) == 1 and rows[0][0] == acct2 and rows[0][3] != sk


def test_a_key_stripe_refuses_is_shown_beside_the_field(stack):
    c, tid, _ = _shop(stack, 'stripeb')
    whsec = 'whsec_' + secrets.token_hex(16)
    bad = 'sk_test_' + secrets.token_hex(12)     # unknown to Stripe
    r = _connect(c, bad, whsec)
    assert r.status == 422, r.text[:2000]
    t = html.unescape(r.text)
    assert 'Stripe refused this key. Copy the secret key again from your ' \
        'Stripe dashboard (Developers, API keys).' in t, t[-3000:]
    assert 'Stripe says: Invalid API Key provided: sk_test_****' + \
        bad[-4:] in t
    assert bad not in t and whsec not in t
    assert 'name="stripe_secret_key"' in t
    # The settings form above shows the saved settings, not blanks.
    assert 'name="low_stock" value="3"' in r.text
    # Wrong shapes are refused before Stripe is asked.
    r = _connect(c, 'pk_test_' + secrets.token_hex(12), whsec)
    assert r.status == 422
    assert 'it starts with sk_live_ or sk_test_.' in html.unescape(r.text)
    r = _connect(c, bad, 'secret')
    assert r.status == 422
    assert 'it starts with whsec_.' in html.unescape(r.text)
    r = _connect(c, 'sk_test_"><script>', whsec)
    assert r.status == 422 and '<script>' not in r.text
    r = _connect(c, '', '')
    assert r.status == 422
    assert _rows(stack, tid) == []


def test_disconnect_and_another_shop_sees_nothing(stack):
    a, tid_a, _ = _shop(stack, 'stripec')
    b, tid_b, _ = _shop(stack, 'striped')
    key, acct = _key(stack)
    whsec = 'whsec_' + secrets.token_hex(16)
    assert _connect(a, key, whsec).status == 303
    # Shop B: not connected, no rows, and its disconnect leaves A's.
    page = b.get('/admin/payments')
    assert page.status == 200 and 'Connected:' not in page.text and \
        acct not in page.text
    assert _rows(stack, tid_b) == []
    r = b.submit('/admin/payments', '/admin/payments/stripe/disconnect', {})
    assert r.status == 303
    assert len(_rows(stack, tid_a)) == 1
    # Without the CSRF token nothing happens.
    r = a.post('/admin/payments/stripe/disconnect', {})
    assert r.status in (400, 403), r.status
    assert len(_rows(stack, tid_a)) == 1
    # A disconnects: the keys are gone.
    r = a.submit('/admin/payments', '/admin/payments/stripe/disconnect', {})
    assert r.status == 303
    assert r.header('Location') == '/admin/payments?disconnected=1'
    assert _rows(stack, tid_a) == []
    page = a.get('/admin/payments?disconnected=1')
    assert 'Connected:' not in page.text and acct not in page.text
    assert 'Your Stripe account is disconnected' in page.text


def test_soukctl_secret_key_create(stack):
    """soukctl secret-key create writes 32 random bytes, mode 0640, and
    never replaces an existing file (the stack's own key included)."""
    import os
    path = os.path.join(stack.dir, stack.unique('key') + '.key')
    r = stack.soukctl('secret-key', 'create', path)
    assert 'wrote ' + path in r.stdout
    st = os.stat(path)
    assert st.st_size == 32 and st.st_mode & 0o777 == 0o640, oct(st.st_mode)
    with open(path, 'rb') as f:
        first = f.read()
    r = stack.soukctl('secret-key', 'create', path, check=False)
    assert r.returncode == 1 and 'File exists' in r.stderr
    with open(path, 'rb') as f:
        assert f.read() == first
    with open(stack.secret_key_file, 'rb') as f:
        key = f.read()
    r = stack.soukctl('secret-key', 'create', check=False)
    assert r.returncode == 1
    with open(stack.secret_key_file, 'rb') as f:
        assert f.read() == key
    r = stack.soukctl('secret-key', 'create', 'a', 'b', check=False)
    assert r.returncode == 2


def _soukctl_with(stack, conf, *args):
    """soukctl with another souk.conf: the stack's, with its key lines
    replaced by conf (a dict)."""
    import os
    import subprocess
    path = os.path.join(stack.dir, stack.unique('conf') + '.conf')
    with open(stack.conf_path) as f:
        lines = [ln for ln in f if ln.split('=')[0].strip() not in conf]
    with open(path, 'w') as f:
        f.writelines(lines)
        for k, v in conf.items():
            f.write(f'{k} = {v}\n')
    env = stack.env()
    env['SOUK_CONFIG'] = path
    return subprocess.run(
        [os.path.join(stack.bin, 'soukctl'), '--config', path] +
        list(args), capture_output=True, text=True, env=env, timeout=120)


def test_soukctl_secret_key_reseal_rotates_the_key(stack):
    """Rotating the server's key: the old file is named in
    secret_old_key_files, a new key is created, and `soukctl secret-key
    reseal` seals every shop's stored secrets again under it; a secret
    sealed under a key that is neither is refused and left alone. The
    test rotates back at the end, so the running pool keeps its key."""
    import os
    c, tid, slug = _shop(stack, 'rotate')
    key, acct = _key(stack)
    whsec = 'whsec_' + secrets.token_hex(16)
    assert _connect(c, key, whsec).status == 303
    (_, _, _, sk1, wh1), = _rows(stack, tid)
    kid1 = sk1.split(':')[1]
    k1 = stack.secret_key_file
    k2 = os.path.join(stack.dir, stack.unique('new') + '.key')
    k3 = os.path.join(stack.dir, stack.unique('stray') + '.key')
    stack.soukctl('secret-key', 'create', k2)
    stack.soukctl('secret-key', 'create', k3)

    # Without the old key, the new one cannot open what is stored:
    # refused, exit 1, and nothing written.
    r = _soukctl_with(stack, {'secret_key_file': k2}, 'secret-key',
                      'reseal')
    assert r.returncode == 1, r.stderr
    assert f"'{slug}': keys not sealed again" in r.stderr
    assert 'secret_old_key_files' in r.stderr
    assert _rows(stack, tid)[0][3:] == (sk1, wh1)

    # With it: sealed again under the new key, the text unchanged.
    r = _soukctl_with(stack, {'secret_key_file': k2,
                              'secret_old_key_files': f'{k3}, {k1}'},
                      'secret-key', 'reseal')
    assert r.returncode == 0, r.stderr
    assert 'gateway rows sealed again, 0 shops failed' in r.stderr
    (_, _, _, sk2, wh2), = _rows(stack, tid)
    kid2 = sk2.split(':')[1]
    assert kid2 != kid1 and wh2.split(':')[1] == kid2
    assert sk2.startswith('s1:') and key not in sk2 and whsec not in wh2
    # Twice is a no-op for rows already under the current key.
    r = _soukctl_with(stack, {'secret_key_file': k2,
                              'secret_old_key_files': k1},
                      'secret-key', 'reseal')
    assert r.returncode == 0, r.stderr
    assert _rows(stack, tid)[0][3:] == (sk2, wh2)

    # Back under the stack's key, as the running pool reads it.
    r = _soukctl_with(stack, {'secret_key_file': k1,
                              'secret_old_key_files': k2},
                      'secret-key', 'reseal')
    assert r.returncode == 0, r.stderr
    (_, _, _, sk3, _), = _rows(stack, tid)
    assert sk3.split(':')[1] == kid1 and sk3 != sk1
    assert _connect(c, key, whsec).status == 303
