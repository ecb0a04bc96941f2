"""What the tests of the shop's WooCommerce-compatible API share: a
shop with an admin, API keys made on its admin page, and requests with
each kind of credentials, OAuth 1.0a signed here, apart from souk's
code (hmac, urllib.parse.quote with safe="-._~", which is PHP's
rawurlencode, as WooCommerce and the oauth-1.0a npm package sign)."""
import base64
import hashlib
import hmac
import html
import json
import re
import secrets
import time
import urllib.parse

from souk_client import Client, admin_login


def shop(stack, prefix):
    """A new shop: (admin client, tenant id, slug)."""
    slug = stack.unique(prefix)
    email = f'{slug}@api.test'
    stack.create_shop(slug, locale='en', currency='EUR', owner_email=email)
    tid = int(stack.query(
        f"SELECT id FROM souk_tenants WHERE slug = '{slug}'")[0][0])
    return admin_login(stack.port, slug, email), tid, slug


def make_key(admin, perm='read_write', description='test key'):
    """Creates a key on /admin/api-keys: (consumer key, secret, id)."""
    r = admin.submit('/admin/api-keys', '/admin/api-keys',
                     {'description': description, 'permission': perm})
    assert r.status == 201, f'{r.status}\n{r.text[:3000]}'
    t = html.unescape(r.text)
    ck = re.search(r'value="(ck_[0-9a-f]{40})"', t).group(1)
    cs = re.search(r'value="(cs_[0-9a-f]{40})"', t).group(1)
    rid = re.search(r'/admin/api-keys/(\d+)/revoke', t).group(1)
    return ck, cs, int(rid)


def enc(s):
    return urllib.parse.quote(str(s), safe='-._~')


def base_string(method, url, params):
    items = sorted(params.items(), key=lambda kv: kv[0].encode())
    return '&'.join([method.upper(), enc(url), '%26'.join(
        enc(enc(k) + '=' + enc(v)) for k, v in items)])


def oauth_params(method, url, params, ck, cs, algo='HMAC-SHA1',
                 ts=None, nonce=None):
    """params plus the oauth_* ones, signed."""
    p = dict(params)
    p.update({'oauth_consumer_key': ck,
              'oauth_timestamp': str(int(time.time()) if ts is None
                                     else ts),
              'oauth_nonce': nonce or secrets.token_hex(16),
              'oauth_signature_method': algo})
    h = hashlib.sha1 if algo == 'HMAC-SHA1' else hashlib.sha256
    base = base_string(method, url, p)
    p['oauth_signature'] = base64.b64encode(hmac.new(
        (cs + '&').encode(), base.encode(), h).digest()).decode()
    return p


class Api:
    """Requests to one shop's /wp-json/ with one key."""

    def __init__(self, stack, slug, ck=None, cs=None):
        self.c = Client(stack.port, f'{slug}.localhost')
        self.host = f'{slug}.localhost:{stack.port}'
        self.ck, self.cs = ck, cs

    def url(self, path):
        return f'http://{self.host}/wp-json/wc/v3/{path}'

    def req(self, method, path, params=None, how='basic', body=None,
            headers=None, **kw):
        params = dict(params or {})
        h = dict(headers or {})
        if how == 'basic':
            h['Authorization'] = 'Basic ' + base64.b64encode(
                f'{self.ck}:{self.cs}'.encode()).decode()
        elif how == 'query':
            params.update(consumer_key=self.ck, consumer_secret=self.cs)
        elif how in ('sha1', 'sha256'):
            params = oauth_params(method, self.url(path), params, self.ck,
                                  self.cs, 'HMAC-SHA1' if how == 'sha1'
                                  else 'HMAC-SHA256', **kw)
        q = urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
        full = f'/wp-json/wc/v3/{path}' + (f'?{q}' if q else '')
        if body is not None:
            body = json.dumps(body)
            h['Content-Type'] = 'application/json'
        return self.c.request(method, full, body=body, headers=h)

    def get(self, path, params=None, **kw):
        return self.req('GET', path, params, **kw)


def body(r):
    return json.loads(r.body)
