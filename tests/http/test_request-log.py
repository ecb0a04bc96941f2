"""The request log (http/pool.c, log_requests): one line per request in
the pool's log, carrying the X-Request-Id nginx sent the client, the
shop's id, the method, the route, the status, the body's bytes and the
time in microseconds; none when log_requests = 0."""
import os
import re

from load import NO_CACHE
from wait import wait_until

LINE = re.compile(r'^<6>level=info prog=souk-fcgi req=(?P<req>[0-9a-f]{32})'
                  r'(?: tenant=(?P<tenant>\d+))? msg="request" '
                  r'method="(?P<method>[A-Z]+)" route="(?P<route>[^"]*)" '
                  r'status=(?P<status>\d+) bytes=(?P<bytes>\d+) '
                  r'us=(?P<us>\d+)$')


def _lines_for(stack, rid, since):
    path = stack.log_files()['souk-fcgi']
    with open(path, 'rb') as f:
        f.seek(since)
        text = f.read().decode(errors='replace')
    return [ln for ln in text.splitlines() if f'req={rid}' in ln]


def _request(stack, method, path, host, **kw):
    r = stack.http(method, path, host=host, cookies=dict([NO_CACHE.split('=', 1)]), **kw)
    rid = r.headers.get('X-Request-Id')
    assert rid and re.fullmatch(r'[0-9a-f]{32}', rid), r.headers
    return r, rid


def _one_line(stack, rid, since):
    """The one request line of rid (the pool writes it before the answer
    is complete, so it is there once the client has the answer)."""
    lines = [ln for ln in _lines_for(stack, rid, since)
             if 'msg="request"' in ln]
    assert len(lines) == 1, lines
    m = LINE.match(lines[0])
    assert m, lines[0]
    return m


def test_one_line_per_request(stack):
    slug = stack.unique('rlog')
    stack.create_shop(slug)
    tid = stack.query(f"SELECT id FROM souk_tenants WHERE slug = '{slug}'")
    tid = tid[0][0]
    host = stack.shop_host(slug)
    since = os.path.getsize(stack.log_files()['souk-fcgi'])

    r, rid = _request(stack, 'GET', '/', host)
    assert r.status == 200, r.status
    m = _one_line(stack, rid, since)
    assert m['tenant'] == tid, (m['tenant'], tid)
    assert (m['method'], m['route'], m['status']) == ('GET', '/', '200')
    assert int(m['bytes']) == len(r.body), (m['bytes'], len(r.body))
    assert 0 < int(m['us']) < 60_000_000, m['us']

    r, rid = _request(stack, 'GET', '/p/no-such-product', host)
    assert r.status == 404, r.status
    m = _one_line(stack, rid, since)
    assert m['tenant'] == tid and m['status'] == '404', m.groupdict()
    assert m['route'] == '/p/:slug', m['route']

    # A HEAD is logged as the client sent it (nginx asks it as a GET
    # and drops the body souk sends: bytes counts what souk sent).
    r, rid = _request(stack, 'HEAD', '/', host)
    assert r.status == 200 and r.body == b'', r.status
    m = _one_line(stack, rid, since)
    assert (m['method'], m['status']) == ('HEAD', '200'), m.groupdict()

    # The platform's own pages have no shop.
    r, rid = _request(stack, 'GET', '/_health', None)
    assert r.status == 200, r.status
    m = _one_line(stack, rid, since)
    assert m['tenant'] is None and m['route'] == '/_health', m.groupdict()

    # A shop nobody has: 404, no shop id, no route.
    r, rid = _request(stack, 'GET', '/', stack.shop_host(stack.unique('no')))
    assert r.status == 404, r.status
    m = _one_line(stack, rid, since)
    assert m['tenant'] is None and m['route'] == '-', m.groupdict()


def test_log_requests_off(stack):
    slug = stack.unique('rlogoff')
    stack.create_shop(slug)
    host = stack.shop_host(slug)
    before = set(stack.wait_workers())
    stack.extra_conf['log_requests'] = 0
    try:
        stack.write_conf()
        stack.reload_pool()
        stack.wait_workers(exclude=before, timeout=15)
        wait_until(lambda: not (set(stack.pool_worker_pids()) & before),
                   15, 'old workers gone')
        since = os.path.getsize(stack.log_files()['souk-fcgi'])
        r, rid = _request(stack, 'GET', '/', host)
        assert r.status == 200, r.status
        # Another line of the same request would be there by now: the
        # next request's answer comes after it.
        _request(stack, 'GET', '/_health', None)
        assert not [ln for ln in _lines_for(stack, rid, since)
                    if 'msg="request"' in ln]
    finally:
        before = set(stack.pool_worker_pids())
        del stack.extra_conf['log_requests']
        stack.write_conf()
        stack.reload_pool()
        stack.wait_workers(exclude=before, timeout=15)
