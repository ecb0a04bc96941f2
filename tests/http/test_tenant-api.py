"""The platform's tenant API (/api/v1/, web/tenant_api.c): operators with
an API key from soukctl, platform accounts with short-lived JWTs; every
body validated; an account sees only its own shops."""
import base64
import hashlib
import hmac
import json
import time

PW = 'correct horse battery'


def _b64(b):
    return base64.urlsafe_b64encode(b).rstrip(b'=').decode()


def _unb64(s):
    return base64.urlsafe_b64decode(s + '=' * (-len(s) % 4))


def _jwt_parts(tok):
    """(header, claims) of a JWT, unverified."""
    h, c, _ = tok.split('.')
    return json.loads(_unb64(h)), json.loads(_unb64(c))


def _jwt_sign(header, claims, key):
    """An HS256 JWT (RFC 7519) of header and claims under key."""
    msg = _b64(json.dumps(header).encode()) + '.' + \
        _b64(json.dumps(claims).encode())
    sig = hmac.new(key, msg.encode(), hashlib.sha256).digest()
    return msg + '.' + _b64(sig)


def _call(stack, method, path, token=None, body=None, raw=None):
    headers = {'Accept': 'application/json'}
    if token:
        headers['Authorization'] = f'Bearer {token}'
    data = raw
    if body is not None:
        data = json.dumps(body).encode()
    if data is not None:
        headers['Content-Type'] = 'application/json'
    r = stack.http(method, path, headers=headers, body=data)
    try:
        r.json = json.loads(r.body) if r.body else None
    except ValueError:
        r.json = None
    return r


def _error(r, status, code=None):
    assert r.status == status, (r.status, r.text[:500])
    assert r.headers.get('Cache-Control') == 'no-store'
    assert r.json['data']['status'] == status, r.json
    if code:
        assert r.json['code'] == code, r.json
    assert r.json['message'], r.json


def _operator_key(stack):
    email = f"{stack.unique('ops')}@souk.test"
    stack.add_operator(email, PW)
    out = stack.soukctl('operator', 'api-key', 'create', '--email', email,
                        '--description', 'tenant api test').stdout
    key = out.strip()
    assert key.startswith('souk_op_') and len(key) == 72, out
    return key


def _account_shop(stack, prefix='acct'):
    """A shop made by soukctl, so its owner is a platform account with a
    password: (slug, email)."""
    slug = stack.unique(prefix)
    email = f'{slug}@owner.test'
    stack.create_shop(slug, owner_email=email)
    return slug, email


def _login(stack, email, password=PW):
    return _call(stack, 'POST', '/api/v1/auth/token',
                 body={'email': email, 'password': password})


def test_operator_key_manages_shops(stack):
    key = _operator_key(stack)
    owner = f"{stack.unique('own')}@owner.test"
    slugs = [stack.unique('api') for _ in range(3)]
    for i, slug in enumerate(slugs):
        r = _call(stack, 'POST', '/api/v1/shops', key, {
            'slug': slug, 'name': f'API Shop {i} – Grüße',
            'owner_email': owner, 'owner_password': PW,
            'locale': 'de', 'currency': 'CHF'})
        assert r.status == 201, (r.status, r.text)
        assert r.json['slug'] == slug and r.json['status'] == 'ready'
        assert r.json['currency'] == 'CHF'
        assert r.json['default_locale'] == 'de'
        assert r.headers.get('Location') == f'/api/v1/shops/{slug}'
    # The same request again is answered with the same shop (a retried
    # request creates nothing twice); for another owner the slug is
    # taken.
    r = _call(stack, 'POST', '/api/v1/shops', key, {
        'slug': slugs[0], 'name': 'API Shop 0 – Grüße',
        'owner_email': owner})
    assert r.status == 201 and r.json['slug'] == slugs[0]
    _, other = _account_shop(stack, 'other')
    r = _call(stack, 'POST', '/api/v1/shops', key, {
        'slug': slugs[0], 'name': 'Again', 'owner_email': other})
    _error(r, 409, 'souk_rest_slug_taken')
    r = _call(stack, 'POST', '/api/v1/shops', key, {
        'slug': 'admin', 'name': 'Reserved', 'owner_email': other})
    _error(r, 409, 'souk_rest_slug_taken')

    # Paged list: two per page, totals in the headers.
    r = _call(stack, 'GET', '/api/v1/shops?per_page=2&page=1', key)
    assert r.status == 200, r.text
    total = int(r.headers.get('X-WP-Total'))
    assert total >= 3
    assert int(r.headers.get('X-WP-TotalPages')) == (total + 1) // 2
    assert len(r.json) == 2
    seen = set()
    for page in range(1, (total + 1) // 2 + 1):
        r = _call(stack, 'GET', f'/api/v1/shops?per_page=2&page={page}', key)
        assert r.status == 200
        seen.update(s['slug'] for s in r.json)
    assert set(slugs) <= seen
    _error(_call(stack, 'GET', '/api/v1/shops?per_page=101', key), 400)
    _error(_call(stack, 'GET', '/api/v1/shops?page=0', key), 400)

    slug = slugs[0]
    r = _call(stack, 'GET', f'/api/v1/shops/{slug}', key)
    assert r.status == 200 and r.json['name'] == 'API Shop 0 – Grüße'

    r = _call(stack, 'PATCH', f'/api/v1/shops/{slug}', key, {
        'name': 'Renamed', 'locales': ['de', 'en'], 'default_locale': 'en',
        'display_currencies': ['EUR', 'USD'], 'currency': 'EUR'})
    assert r.status == 200, r.text
    assert r.json['name'] == 'Renamed' and r.json['currency'] == 'EUR'
    assert r.json['locales'] == ['de', 'en']
    assert r.json['default_locale'] == 'en'
    assert r.json['display_currencies'] == ['USD']

    r = _call(stack, 'GET', f'/api/v1/shops/{slug}/config', key)
    assert r.status == 200 and r.json['color_primary'].startswith('#')
    r = _call(stack, 'GET', f'/api/v1/shops/{slug}/usage', key)
    assert r.status == 200, r.text
    assert r.json['products'] == 0 and r.json['orders'] == 0
    assert r.json['orders_this_month'] == 0 and 'media_bytes' in r.json

    r = _call(stack, 'POST', f'/api/v1/shops/{slug}/suspend', key,
              {'reason': 'unpaid invoice'})
    assert r.status == 200, r.text
    assert r.json['status'] == 'suspended'
    assert r.json['status_reason'] == 'unpaid invoice'
    _error(_call(stack, 'POST', f'/api/v1/shops/{slug}/suspend', key,
                 {'why': 'x'}), 400, 'souk_rest_unknown_field')
    r = _call(stack, 'POST', f'/api/v1/shops/{slug}/resume', key)
    assert r.status == 200 and r.json['status'] == 'ready'
    _error(_call(stack, 'POST', f'/api/v1/shops/{slug}/resume', key), 409)

    _error(_call(stack, 'DELETE', f'/api/v1/shops/{slug}', key), 400,
           'souk_rest_confirm')
    _error(_call(stack, 'DELETE', f'/api/v1/shops/{slug}?confirm={slugs[1]}',
                 key), 400, 'souk_rest_confirm')
    r = _call(stack, 'DELETE', f'/api/v1/shops/{slug}?confirm={slug}', key)
    assert r.status == 200 and r.json['deleted'] is True
    _error(_call(stack, 'GET', f'/api/v1/shops/{slug}', key), 404)

    # soukctl lists the key with its last use; a revoked key is refused.
    listing = stack.soukctl('operator', 'api-key', 'list').stdout
    line = [ln for ln in listing.splitlines() if key[-4:] in ln][0]
    assert 'tenant api test' in line and ' - ' not in line
    stack.soukctl('operator', 'api-key', 'revoke', line.split()[0])
    _error(_call(stack, 'GET', '/api/v1/shops', key), 401,
           'souk_rest_unauthorized')


def test_account_jwt_sees_only_its_shops(stack):
    mine, email = _account_shop(stack, 'mine')
    theirs, _ = _account_shop(stack, 'theirs')
    r = _login(stack, email)
    assert r.status == 200, r.text
    assert r.json['token_type'] == 'Bearer'
    assert r.json['expires_in'] == 900
    access, refresh = r.json['access_token'], r.json['refresh_token']
    header, claims = _jwt_parts(access)
    assert set(claims) >= {'sub', 'exp', 'iat', 'jti'}
    assert claims['exp'] - claims['iat'] == 900
    assert header['alg'] == 'HS256'

    r = _call(stack, 'GET', '/api/v1/shops', access)
    assert r.status == 200
    assert [s['slug'] for s in r.json] == [mine]
    assert r.headers.get('X-WP-Total') == '1'
    assert _call(stack, 'GET', f'/api/v1/shops/{mine}', access).status == 200
    # Another account's shop is not there, for every verb.
    for method, path in (('GET', ''), ('PATCH', ''), ('GET', '/config'),
                         ('GET', '/usage'),
                         ('DELETE', f'?confirm={theirs}')):
        r = _call(stack, method, f'/api/v1/shops/{theirs}{path}', access,
                  {} if method == 'PATCH' else None)
        _error(r, 404, 'souk_rest_not_found')
    # Suspending is the operators'.
    _error(_call(stack, 'POST', f'/api/v1/shops/{mine}/suspend', access),
           403)

    # An account creates shops it owns, and only those.
    new = stack.unique('own')
    r = _call(stack, 'POST', '/api/v1/shops', access,
              {'slug': new, 'name': 'Second shop', 'currency': 'USD'})
    assert r.status == 201, r.text
    _error(_call(stack, 'POST', '/api/v1/shops', access,
                 {'slug': stack.unique('own'), 'name': 'Theirs',
                  'owner_email': 'someone@else.test'}), 400)
    r = _call(stack, 'GET', '/api/v1/shops', access)
    assert sorted(s['slug'] for s in r.json) == sorted([mine, new])

    # Refresh rotates: a new pair; the old refresh token is spent.
    time.sleep(1.1)
    r = _call(stack, 'POST', '/api/v1/auth/refresh',
              body={'refresh_token': refresh})
    assert r.status == 200, r.text
    access2, refresh2 = r.json['access_token'], r.json['refresh_token']
    assert refresh2 != refresh and access2 != access
    _error(_call(stack, 'POST', '/api/v1/auth/refresh',
                 body={'refresh_token': refresh}), 401,
           'souk_rest_invalid_token')
    assert _call(stack, 'GET', '/api/v1/shops', access2).status == 200

    # Revoke ends the refresh token and every access token issued before.
    r = _call(stack, 'POST', '/api/v1/auth/revoke', access2)
    assert r.status == 200, r.text
    _error(_call(stack, 'GET', '/api/v1/shops', access2), 401)
    _error(_call(stack, 'GET', '/api/v1/shops', access), 401)
    _error(_call(stack, 'POST', '/api/v1/auth/refresh',
                 body={'refresh_token': refresh2}), 401)
    # A login right after works again.
    r = _login(stack, email)
    assert r.status == 200
    assert _call(stack, 'GET', '/api/v1/shops',
                 r.json['access_token']).status == 200
    # Revoking with the refresh token alone (the access token expired).
    r2 = _call(stack, 'POST', '/api/v1/auth/revoke',
               body={'refresh_token': r.json['refresh_token']})
    assert r2.status == 200, r2.text
    _error(_call(stack, 'GET', '/api/v1/shops', r.json['access_token']),
           401)


def _jwt_key(stack):
    """The signing key, derived as platform/apitoken.c derives it: keyed
    BLAKE2b of the label under the server's key (core/secret.h)."""
    with open(stack.secret_key_file, 'rb') as f:
        server = f.read()
    return hashlib.blake2b(b'souk jwt v1', key=server, digest_size=32)\
        .digest()


def test_expired_and_tampered_tokens_401(stack):
    _, email = _account_shop(stack, 'tamper')
    r = _login(stack, email)
    access = r.json['access_token']
    header, claims = _jwt_parts(access)
    key = _jwt_key(stack)
    # The same key signs a token the server accepts ...
    good = _jwt_sign(header, claims, key)
    assert _call(stack, 'GET', '/api/v1/shops', good).status == 200
    # ... and refuses once expired.
    now = int(time.time())
    expired = _jwt_sign(header, dict(claims, iat=now - 2000,
                        exp=now - 1000), key)
    _error(_call(stack, 'GET', '/api/v1/shops', expired), 401,
           'souk_rest_unauthorized')
    # Another account's id in a token signed with another key.
    forged = _jwt_sign(header, dict(claims, sub='1'), b'x' * 32)
    _error(_call(stack, 'GET', '/api/v1/shops', forged), 401)
    # alg "none".
    head, body, _ = access.split('.')
    none = _b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())
    _error(_call(stack, 'GET', '/api/v1/shops', f'{none}.{body}.'), 401)
    # A changed claim under the original signature.
    other = _b64(json.dumps(dict(claims, sub='1')).encode())
    _error(_call(stack, 'GET', '/api/v1/shops',
                 f'{head}.{other}.{access.split(".")[2]}'), 401)
    # A flipped signature character.
    sig = access[-1]
    _error(_call(stack, 'GET', '/api/v1/shops',
                 access[:-2] + ('A' if access[-2] != 'A' else 'B') + sig),
           401)
    _error(_call(stack, 'GET', '/api/v1/shops', 'garbage'), 401)
    _error(_call(stack, 'GET', '/api/v1/shops'), 401)


def test_wrong_password_and_unknown_email_same_answer(stack):
    _, email = _account_shop(stack, 'same')
    t0 = time.monotonic()
    wrong = _login(stack, email, 'not the password')
    t1 = time.monotonic()
    unknown = _login(stack, f"{stack.unique('nobody')}@owner.test",
                     'not the password')
    t2 = time.monotonic()
    _error(wrong, 401, 'souk_rest_invalid_login')
    assert (unknown.status, unknown.json) == (wrong.status, wrong.json)
    # Both checked a password hash (argon2id, tens of milliseconds).
    assert t1 - t0 > 0.02 and t2 - t1 > 0.02, (t1 - t0, t2 - t1)
    # A good login clears nothing of the other; it still works.
    assert _login(stack, email).status == 200


def test_bad_bodies_400(stack):
    key = _operator_key(stack)
    slug, _ = _account_shop(stack, 'bad')
    cases = [
        (b'{"slug": ', 'rest_invalid_json'),
        (b'[1, 2]', 'souk_rest_invalid_body'),
        (b'{"slug": 5, "name": "x"}', 'souk_rest_invalid_type'),
        (b'{"name": "x"}', 'souk_rest_missing_field'),
        (json.dumps({'slug': 'Bad Slug!', 'name': 'x',
                     'owner_email': 'a@b.test'}).encode(),
         'souk_rest_invalid_value'),
        (json.dumps({'slug': stack.unique('ok'), 'name': 'x',
                     'owner_email': 'a@b.test', 'locale': 'xx'}).encode(),
         'souk_rest_invalid_value'),
        (json.dumps({'slug': stack.unique('ok'), 'name': 'x',
                     'owner_email': 'a@b.test', 'currency': 'ZZZ'}).encode(),
         'souk_rest_invalid_value'),
        (json.dumps({'slug': stack.unique('ok'), 'name': 'x',
                     'owner_email': 'a@b.test', 'colour': 'red'}).encode(),
         'souk_rest_unknown_field'),
        # 201 characters (of two bytes each): too long, counted in
        # characters.
        (json.dumps({'slug': stack.unique('ok'), 'name': 'é' * 201,
                     'owner_email': 'a@b.test'}).encode(),
         'souk_rest_too_long'),
        (b'[' * 40 + b']' * 40, 'rest_invalid_json'),
    ]
    for raw, code in cases:
        r = _call(stack, 'POST', '/api/v1/shops', key, raw=raw)
        _error(r, 400, code)
    # 200 characters of two bytes each are fine.
    ok = stack.unique('ok')
    r = _call(stack, 'POST', '/api/v1/shops', key, {
        'slug': ok, 'name': 'é' * 200, 'owner_email': f'{ok}@owner.test',
        'owner_password': PW})
    assert r.status == 201, r.text
    # An unknown owner without a password: nothing is created.
    ghost = stack.unique('ghost')
    _error(_call(stack, 'POST', '/api/v1/shops', key, {
        'slug': ghost, 'name': 'Ghost', 'owner_email': f'{ghost}@x.test'}),
        400, 'souk_rest_no_such_owner')
    _error(_call(stack, 'GET', f'/api/v1/shops/{ghost}', key), 404)
    # PATCH: wrong types, unknown languages, too many currencies.
    for body, code in (({'locales': 'de'}, 'souk_rest_invalid_type'),
                       ({'locales': [1]}, 'souk_rest_invalid_type'),
                       ({'locales': ['de', 'xx'], 'default_locale': 'de'},
                        'souk_rest_invalid_value'),
                       ({'currency': 'ZZZ'}, 'souk_rest_invalid_value'),
                       ({'name': ''}, 'souk_rest_invalid_value'),
                       ({'display_currencies': ['USD'] * 9},
                        'souk_rest_too_long'),
                       ({'theme': '../default'}, 'souk_rest_invalid_value'),
                       ({'theme': 'nope', 'name': 'Not saved'},
                        'souk_rest_invalid_value'),
                       ({'theme_colour': 'x'}, 'souk_rest_unknown_field')):
        _error(_call(stack, 'PATCH', f'/api/v1/shops/{slug}', key, body),
               400, code)
    got = _call(stack, 'GET', f'/api/v1/shops/{slug}', key).json
    assert got['currency'] == 'EUR' and got['name'] != 'Not saved'
    r = _call(stack, 'PATCH', f'/api/v1/shops/{slug}', key,
              {'theme': 'default'})
    assert r.status == 200 and r.json['theme'] == 'default'
    # Token bodies.
    _error(_call(stack, 'POST', '/api/v1/auth/token', body={'email': 1,
           'password': 'x'}), 400, 'souk_rest_invalid_type')
    _error(_call(stack, 'POST', '/api/v1/auth/token', body={'email': 'a'}),
           400, 'souk_rest_missing_field')
    _error(_call(stack, 'POST', '/api/v1/auth/refresh',
                 body={'refresh_token': 'x' * 65}), 400, 'souk_rest_too_long')
    _error(_call(stack, 'GET', '/api/v1/nothing', key), 404, 'rest_no_route')
    _error(_call(stack, 'PUT', '/api/v1/shops', key), 405)


def test_operator_console_api_keys(stack):
    from souk_client import Client
    import re
    email = f"{stack.unique('opc')}@souk.test"
    stack.add_operator(email, PW)
    ops = Client(stack.port)
    r = ops.submit('/login', '/login', {'email': email, 'password': PW})
    assert r.status == 303, r.text[:500]
    page = ops.get('/operator/api-keys')
    assert page.status == 200 and 'API keys' in page.text
    r = ops.post('/operator/api-keys', {'csrf': page.csrf(),
                                        'description': 'CI deploys'})
    assert r.status == 200, r.text[:500]
    key = re.search(r'souk_op_[0-9a-f]{64}', r.text).group(0)
    assert r.header('Cache-Control') == 'no-store'
    assert _call(stack, 'GET', '/api/v1/shops', key).status == 200
    page = ops.get('/operator/api-keys')
    assert key not in page.text
    row = page.text[page.text.index('CI deploys') - 400:]
    assert f'souk_op_…{key[-4:]}' in page.text
    assert email in row
    kid = re.search(r'/operator/api-keys/(\d+)/revoke', row).group(1)
    r = ops.post(f'/operator/api-keys/{kid}/revoke', {'csrf': page.csrf()})
    assert r.status == 303, r.status
    assert 'Revoked' in ops.get('/operator/api-keys').text
    _error(_call(stack, 'GET', '/api/v1/shops', key), 401)
    # 201 characters: refused beside the form, nothing made.
    r = ops.post('/operator/api-keys', {'csrf': page.csrf(),
                                        'description': 'é' * 201})
    assert r.status == 422 and 'at most 200 characters' in r.text
    # Not an operator: no page.
    _, owner = _account_shop(stack, 'noop')
    c = Client(stack.port)
    assert c.submit('/login', '/login', {'email': owner,
                                         'password': PW}).status == 303
    assert c.get('/operator/api-keys').status == 403


def test_shop_api_keys(stack):
    """POST/GET/DELETE /api/v1/shops/{slug}/api-keys: a key for the
    shop's /wp-json/, its secret in the creating answer only; the owner's
    JWT may, another account's gets 404; a suspended shop's /wp-json/
    answers JSON 503."""
    from wc_setup import Api
    op = _operator_key(stack)
    mine, email = _account_shop(stack, 'keys')
    _, other_email = _account_shop(stack, 'keyso')
    access = _login(stack, email).json['access_token']
    other = _login(stack, other_email).json['access_token']
    base = f'/api/v1/shops/{mine}/api-keys'

    r = _call(stack, 'POST', base, op, {'description': 'ERP',
                                        'permission': 'read_write'})
    assert r.status == 201, r.text
    k = r.json
    assert k['consumer_key'].startswith('ck_') and len(k['consumer_key']) == 43
    assert k['consumer_secret'].startswith('cs_')
    assert k['permission'] == 'read_write' and k['description'] == 'ERP'
    assert k['truncated_key'] == k['consumer_key'][-7:]
    api = Api(stack, mine, k['consumer_key'], k['consumer_secret'])
    assert api.get('coupons').status == 200
    assert api.req('POST', 'coupons', body={'code': 'OPKEY',
                                            'amount': '1'}).status == 201

    # The owner's token; a read key by default.
    r = _call(stack, 'POST', base, access, {'description': 'Reports'})
    assert r.status == 201, r.text
    assert r.json['permission'] == 'read'
    rid = r.json['id']
    r = _call(stack, 'GET', base, access)
    assert r.status == 200
    assert [x['id'] for x in r.json] == [rid, k['id']]
    assert all('consumer_secret' not in x and 'consumer_key' not in x
               for x in r.json)
    assert r.json[1]['last_access'] is not None
    assert r.json[0]['last_access'] is None

    # Another account: as if the shop did not exist.
    _error(_call(stack, 'GET', base, other), 404, 'souk_rest_not_found')
    _error(_call(stack, 'POST', base, other, {'description': 'x'}), 404)
    _error(_call(stack, 'DELETE', f'{base}/{rid}', other), 404)
    _error(_call(stack, 'GET', base), 401)

    # Bad bodies.
    _error(_call(stack, 'POST', base, access, {}), 400,
           'souk_rest_missing_field')
    _error(_call(stack, 'POST', base, access, {'description': 'x',
                                               'permission': 'admin'}),
           400, 'souk_rest_invalid_value')
    _error(_call(stack, 'POST', base, access, {'description': 'x' * 201}),
           400, 'souk_rest_too_long')
    _error(_call(stack, 'POST', base, access, {'description': 5}), 400,
           'souk_rest_invalid_type')
    _error(_call(stack, 'POST', base, access, {'description': 'x',
                                               'secret': 'y'}), 400,
           'souk_rest_unknown_field')

    # Suspended: the shop's API answers JSON, 503 with Retry-After.
    assert _call(stack, 'POST', f'/api/v1/shops/{mine}/suspend', op,
                 {'reason': 'test'}).status == 200
    r = api.get('coupons')
    assert r.status == 503, r.text
    assert r.header('Content-Type').startswith('application/json')
    assert r.header('Retry-After') == '3600'
    e = json.loads(r.body)
    assert e['code'] == 'souk_shop_suspended' and e['data']['status'] == 503
    r = api.c.get('/wp-json/')
    assert r.status == 503 and json.loads(r.body)['code'] == \
        'souk_shop_suspended'
    assert _call(stack, 'POST', f'/api/v1/shops/{mine}/resume',
                 op).status == 200
    assert api.get('coupons').status == 200

    # Revoked: the key authenticates nothing.
    r = _call(stack, 'DELETE', f'{base}/{k["id"]}', access)
    assert r.status == 200 and r.json['deleted'] is True
    assert api.get('coupons').status == 401
    _error(_call(stack, 'DELETE', f'{base}/{k["id"]}', access), 404)
    _error(_call(stack, 'DELETE', f'{base}/abc', access), 404)
    r = _call(stack, 'GET', base, op)
    assert [x['id'] for x in r.json] == [rid]


def test_plans_through_the_api(stack):
    """Plans: listed to any caller, written by operators only; a body
    checked field by field; a shop moved by its owner (the trial runs
    on) or by an operator (with a trial); the shop and its usage name
    the plan and its limits."""
    key = _operator_key(stack)
    code = stack.unique('apip')
    r = _call(stack, 'POST', '/api/v1/plans', key, {
        'code': code, 'name': 'API plan', 'price': 1900,
        'max_products': 25, 'max_media_bytes': None, 'trial_days': 5})
    assert r.status == 201, r.text
    assert r.json['limits']['products'] == 25
    assert r.json['limits']['media_bytes'] is None
    assert r.json['price'] == 1900 and r.json['trial_days'] == 5
    for body, field, err in (
            ({'code': 'x', 'name': 'n', 'price': -1}, 'price',
             'souk_rest_invalid_value'),
            ({'code': 'x', 'name': 'n', 'price': '9'}, 'price',
             'souk_rest_invalid_type'),
            ({'code': 'x', 'name': 'n', 'price': 1.5}, 'price',
             'souk_rest_invalid_type'),
            ({'code': 'x', 'name': 'n', 'price': 1, 'max_staff': -2},
             'max_staff', 'souk_rest_invalid_value'),
            ({'code': 'x', 'name': 'n', 'price': 1, 'colour': 'red'},
             'colour', 'souk_rest_unknown_field'),
            ({'code': 'Bad Code', 'name': 'n', 'price': 1}, 'code',
             'souk_rest_invalid_value'),
            ({'code': 'x', 'name': '語' * 101, 'price': 1}, 'name',
             'souk_rest_too_long'),
            ({'name': 'n', 'price': 1}, 'code', 'souk_rest_missing_field')):
        r = _call(stack, 'POST', '/api/v1/plans', key, body)
        _error(r, 400, err)
        assert r.json['data'].get('field') == field, (body, r.json)
    r = _call(stack, 'POST', '/api/v1/plans', key, {
        'code': code, 'name': 'Again', 'price': 1})
    _error(r, 409, 'souk_rest_plan_exists')
    r = _call(stack, 'PATCH', f'/api/v1/plans/{code}', key, {
        'max_products': None, 'max_staff': 4})
    assert r.status == 200, r.text
    assert r.json['limits']['products'] is None
    assert r.json['limits']['staff'] == 4 and r.json['name'] == 'API plan'

    # An account lists plans, cannot write them, moves its own shop.
    slug, email = _account_shop(stack, 'apiplan')
    access = _login(stack, email).json['access_token']
    r = _call(stack, 'GET', '/api/v1/plans', access)
    assert r.status == 200 and code in [p['code'] for p in r.json]
    assert 'shops' not in r.json[0]
    _error(_call(stack, 'POST', '/api/v1/plans', access, {
        'code': 'mine', 'name': 'Mine', 'price': 0}), 403,
        'souk_rest_forbidden')
    _error(_call(stack, 'PUT', f'/api/v1/shops/{slug}/plan', access, {
        'plan': code, 'trial_ends_at': '2030-01-01'}), 403)
    r = _call(stack, 'PUT', f'/api/v1/shops/{slug}/plan', access,
              {'plan': code})
    assert r.status == 200, r.text
    assert r.json['plan']['code'] == code and r.json['trial_ends_at'] is None
    r = _call(stack, 'PUT', f'/api/v1/shops/{slug}/plan', key,
              {'plan': code, 'trial_ends_at': '2027-03-31'})
    assert r.status == 200 and r.json['trial_ends_at'] == '2027-03-31'
    _error(_call(stack, 'PUT', f'/api/v1/shops/{slug}/plan', key,
                 {'plan': code, 'trial_ends_at': '2027-02-30'}), 400)
    _error(_call(stack, 'PUT', f'/api/v1/shops/{slug}/plan', key,
                 {'plan': 'no-such-plan'}), 400)
    r = _call(stack, 'GET', f'/api/v1/shops/{slug}', access)
    assert r.json['plan'] == code and r.json['trial_ends_at'] == '2027-03-31'
    r = _call(stack, 'GET', f'/api/v1/shops/{slug}/usage', access)
    assert r.status == 200
    assert r.json['plan']['limits']['staff'] == 4
    assert r.json['staff'] == 0 and r.json['domains'] == 0
    # In use: not deleted; made default and back.
    _error(_call(stack, 'DELETE', f'/api/v1/plans/{code}', key), 409,
           'souk_rest_plan_in_use')
    old = stack.query("SELECT code FROM souk_plans WHERE is_default = 1")
    r = _call(stack, 'POST', f'/api/v1/plans/{code}/default', key)
    assert r.status == 200 and r.json['is_default'] is True
    r = _call(stack, 'POST', f'/api/v1/plans/{old[0][0]}/default', key)
    assert r.status == 200
    _error(_call(stack, 'GET', '/api/v1/plans/none/default', key), 405)
    _error(_call(stack, 'PATCH', '/api/v1/plans/no-such', key, {}), 404)


def test_team_through_the_api(stack):
    """A shop's custom domains (requested, checked over HTTP, removed),
    staff (an invitation made and withdrawn, roles refused as they are
    in the admin) and audit log, by the owner's token; another account
    sees none of it."""
    stack.start_mail()
    slug, email = _account_shop(stack, 'team')
    tok = _login(stack, email).json['access_token']
    host = f"{stack.unique('www')}.team.test"
    r = _call(stack, 'POST', f'/api/v1/shops/{slug}/domains', tok,
              {'host': host.upper() + '.'})
    assert r.status == 201, r.text
    assert r.json['host'] == host and r.json['verified'] is False
    assert r.json['dns_record'].startswith(host + '. CNAME ')
    assert r.json['check_url'].endswith('/' + r.json['token'])
    for bad in ({'host': 'not a host'}, {'host': 'x.localhost'}, {},
                {'host': host, 'more': 1}):
        r = _call(stack, 'POST', f'/api/v1/shops/{slug}/domains', tok, bad)
        assert r.status == 400, (bad, r.status, r.text)
    # The check reaches this nginx (domain_verify_resolve), which
    # answers the token: verified.
    r = _call(stack, 'POST', f'/api/v1/shops/{slug}/domains/{host}/verify',
              tok)
    assert r.status == 200 and r.json['verified'] is True, r.text
    r = _call(stack, 'GET', f'/api/v1/shops/{slug}/domains', tok)
    assert [d['host'] for d in r.json] == [host]
    r = _call(stack, 'DELETE', f'/api/v1/shops/{slug}/domains/{host}', tok)
    assert r.status == 200
    assert _call(stack, 'GET', f'/api/v1/shops/{slug}/domains',
                 tok).json == []
    r = _call(stack, 'POST', f'/api/v1/shops/{slug}/domains/{host}/verify',
              tok)
    assert r.status == 404

    # Staff: an invitation, its mail, withdrawn; bad roles refused.
    who = f"{stack.unique('clerk')}@team.test"
    r = _call(stack, 'POST', f'/api/v1/shops/{slug}/staff/invitations',
              tok, {'email': who, 'role': 'clerk'})
    assert r.status == 201, r.text
    r = _call(stack, 'GET', f'/api/v1/shops/{slug}/staff', tok)
    assert [s['role'] for s in r.json['staff']] == ['owner']
    inv = [i for i in r.json['invitations'] if i['email'] == who]
    assert len(inv) == 1 and inv[0]['role'] == 'clerk'
    for bad in ({'email': who, 'role': 'owner'}, {'email': 'nope',
                'role': 'clerk'}, {'role': 'clerk'}):
        r = _call(stack, 'POST', f'/api/v1/shops/{slug}/staff/invitations',
                  tok, bad)
        assert r.status == 400, (bad, r.status)
    owner_id = _call(stack, 'GET', f'/api/v1/shops/{slug}/staff',
                     tok).json['staff'][0]['id']
    r = _call(stack, 'PATCH', f'/api/v1/shops/{slug}/staff/{owner_id}', tok,
              {'role': 'clerk'})
    assert r.status == 404
    r = _call(stack, 'PATCH', f'/api/v1/shops/{slug}/staff/{owner_id}', tok,
              {'role': 'king'})
    assert r.status == 400
    r = _call(stack, 'DELETE', f'/api/v1/shops/{slug}/staff/{owner_id}', tok)
    assert r.status == 404
    r = _call(stack, 'DELETE',
              f"/api/v1/shops/{slug}/staff/invitations/{inv[0]['id']}", tok)
    assert r.status == 200
    assert _call(stack, 'GET', f'/api/v1/shops/{slug}/staff',
                 tok).json['invitations'] == []

    # The audit log names the API's changes, newest first.
    r = _call(stack, 'GET', f'/api/v1/shops/{slug}/audit', tok)
    assert r.status == 200, r.text
    assert r.json and r.json[0]['id'] > r.json[-1]['id']
    assert any(e['actor'] == 'account' for e in r.json), r.json[:3]
    r = _call(stack, 'GET', f'/api/v1/shops/{slug}/audit?before=x', tok)
    assert r.status == 400

    # Another account: every one of these is a 404.
    other, oemail = _account_shop(stack, 'team2')
    otok = _login(stack, oemail).json['access_token']
    for m, p in (('GET', 'domains'), ('GET', 'staff'), ('GET', 'audit')):
        r = _call(stack, m, f'/api/v1/shops/{slug}/{p}', otok)
        assert r.status == 404, (p, r.status)
