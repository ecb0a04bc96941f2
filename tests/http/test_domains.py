"""Custom domains from the admin (platform/domain.h): added, shown with
the DNS record to create, served only once souk's own check over HTTP
reached the shop through the name; the well-known URL answers only its
token; the plan's limit; removal. (The tests' DNS: every name resolves
to loopback, domain_verify_resolve in tests/stack.py.)"""
import re

from souk_client import Client
from wc_setup import shop


def test_domains_added_checked_served_removed(stack):
    admin, tid, slug = shop(stack, 'dom')
    host = f'www.{slug}-shop.example'
    r = admin.submit('/admin/domains', '/admin/domains', {'host': host.upper()})
    assert r.status == 303, r.text[:2000]
    page = admin.get('/admin/domains?done=added')
    assert page.status == 200
    assert f'{host}. CNAME {slug}.localhost.' in page.text, page.text[:3000]
    assert 'Waiting for its check' in page.text
    token = stack.query("SELECT verify_token FROM souk_domains WHERE "
                        f"host = '{host}'")[0][0]
    assert re.fullmatch(r'[0-9a-f]{32}', token)
    # Not the shop's yet: the name serves nothing but its check.
    other = Client(stack.port, host)
    assert other.get('/').status == 404
    r = other.get(f'/.well-known/souk-domain/{token}')
    assert r.status == 200 and r.text == token
    assert r.header('Cache-Control') == 'no-store'
    assert other.get('/.well-known/souk-domain/' + '0' * 32).status == 404
    assert other.get('/.well-known/souk-domain/x').status == 404
    assert Client(stack.port, 'nobody.example').get(
        f'/.well-known/souk-domain/{token}').status == 404
    # The check: souk fetches that URL through the name.
    page = admin.get('/admin/domains')
    r = admin.post('/admin/domains/verify', {'csrf': page.csrf(),
                                             'host': host})
    assert r.status == 303 and 'done=verified' in r.header('Location'), \
        r.text[:2000]
    page = admin.get('/admin/domains')
    assert 'Verified' in page.text
    r = Client(stack.port, host).get('/')
    assert r.status == 200 and slug.title() in r.text
    # Another shop cannot take the name; bad names are refused.
    admin_b, _, _ = shop(stack, 'domb')
    r = admin_b.submit('/admin/domains', '/admin/domains', {'host': host})
    assert r.status == 409
    for bad in ('localhost', f'{slug}.localhost', 'a..b', '1.2.3.4',
                'ex ample.com', 'ünï.example'):
        r = admin_b.submit('/admin/domains', '/admin/domains',
                           {'host': bad})
        assert r.status == 422, (bad, r.status)
    # The plan's limit.
    code = stack.unique('dplan')
    stack.soukctl('plan', 'create', code, '--name', 'One name',
                  '--price', '0', '--domains', '1')
    stack.soukctl('plan', 'assign', slug, code)
    r = admin.submit('/admin/domains', '/admin/domains',
                     {'host': f'two.{slug}-shop.example'})
    assert r.status == 403 and 'One name' in r.text
    # Removed: the name serves nothing again.
    page = admin.get('/admin/domains')
    r = admin.post('/admin/domains/remove', {'csrf': page.csrf(),
                                             'host': host})
    assert r.status == 303
    # (A shopper with a cart: nginx's 5 s microcache never answers.)
    c = Client(stack.port, host)
    c.jars[host] = {'souk_cart': 'x'}
    assert c.get('/').status == 404
    # The audit has the request and the removal.
    acts = [a[0] for a in stack.query(
        f"SELECT action FROM souk_audit WHERE tenant_id = {tid} AND "
        "action LIKE '%domain%' ORDER BY id")]
    assert acts[0] == 'domain.request', acts
