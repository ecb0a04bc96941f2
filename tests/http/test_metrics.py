"""Metrics (core/metrics.h, http/scrape.h): the Prometheus endpoint the
pool's master serves on metrics_listen. After a scripted load (product
pages rendered and answered by nginx's cache, 404s, API requests, sign-up
mails) the counters moved by exactly what was sent; each histogram's
_count equals its requests and its +Inf bucket; a killed worker is one
death and one fork; the queue and plan gauges match the database; the
endpoint answers only /metrics, only GET/HEAD, and nginx never serves
it. The operator console's /operator/metrics draws the last day."""
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request

from souk_client import Client, create_product, mail_names, signup
from test_plans import OPERATOR, REPO, _operator
from wc_setup import Api, make_key, shop

LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def scrape(stack, path='/metrics', method='GET'):
    req = urllib.request.Request(
        f'http://127.0.0.1:{stack.metrics_port}{path}', method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def raw(stack, data):
    """Sends data to the endpoint; its whole answer."""
    with socket.create_connection(('127.0.0.1', stack.metrics_port),
                                  timeout=10) as s:
        s.sendall(data)
        out = b''
        while True:
            b = s.recv(65536)
            if not b:
                return out
            out += b


def parse(text):
    """{(name, frozenset(labels.items())): value}; checks the format."""
    out, typed = {}, set()
    for ln in text.splitlines():
        if ln.startswith('# TYPE '):
            name, kind = ln.split()[2:4]
            assert kind in ('counter', 'gauge', 'histogram'), ln
            typed.add(name)
            continue
        if ln.startswith('# HELP ') or not ln:
            continue
        m = LINE.match(ln)
        assert m, f'not a sample line: {ln!r}'
        labels = frozenset(LABEL.findall(m.group(3) or ''))
        key = (m.group(1), labels)
        assert key not in out, f'duplicate series {ln!r}'
        out[key] = float(m.group(4))
        base = re.sub(r'_(bucket|sum|count)$', '', m.group(1))
        assert m.group(1) in typed or base in typed, f'untyped {ln!r}'
    return out


def metrics(stack):
    st, headers, body = scrape(stack)
    assert st == 200, (st, body[:500])
    assert headers['Content-Type'].startswith(
        'text/plain; version=0.0.4'), headers
    return parse(body)


def val(m, name, **labels):
    return m.get((name, frozenset(labels.items())), 0)


def check_histograms(m):
    """Every histogram series: buckets grow, +Inf == _count ==
    souk_http_requests_total."""
    series = {}
    for (name, labels), v in m.items():
        if name == 'souk_http_request_duration_seconds_bucket':
            d = dict(labels)
            le = d.pop('le')
            series.setdefault(frozenset(d.items()), []).append(
                (float('inf') if le == '+Inf' else float(le), v))
    assert series, 'no histogram series'
    for labels, buckets in series.items():
        buckets.sort()
        counts = [v for _, v in buckets]
        assert counts == sorted(counts), (labels, buckets)
        n = m[('souk_http_request_duration_seconds_count', labels)]
        assert counts[-1] == n, (labels, counts[-1], n)
        assert m[('souk_http_requests_total', labels)] == n, labels
        assert m[('souk_http_request_duration_seconds_sum', labels)] > 0


def run(n_threads, jobs):
    out = [None] * len(jobs)
    it = iter(enumerate(jobs))
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                nxt = next(it, None)
            if nxt is None:
                return
            i, job = nxt
            out[i] = job()

    ts = [threading.Thread(target=work) for _ in range(n_threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    return out


def settle(stack, want, timeout=15):
    """Scrapes until want(m) holds (nginx's hits arrive as datagrams,
    souk-worker's gauges every second); returns the last scrape."""
    end = time.monotonic() + timeout
    while True:
        m = metrics(stack)
        if want(m) or time.monotonic() > end:
            return m
        time.sleep(0.3)


def test_metrics_counters_equal_the_load(stack):
    stack.start_mail()
    admin, tid, slug = shop(stack, 'metr')
    create_product(admin, {'name_en': 'Metric loaf', 'slug': 'loaf',
                           'price': '4.00', 'stock': '50'})
    ck, cs, _ = make_key(admin, 'read', 'metrics')
    api = Api(stack, slug, ck, cs)
    host = f'{slug}.localhost'
    time.sleep(1)
    before = metrics(stack)

    n_pages, n_again, n_404, n_api = 40, 12, 15, 25

    def get(path):
        def go():
            r = stack.http('GET', path, host=host)
            return r.status, r.headers.get('X-Cache')
        return go

    # Each ?m=i is a page of its own for nginx: rendered by souk.
    pages = [get(f'/p/loaf?m={i}') for i in range(n_pages)]
    missing = [get(f'/p/no-such-loaf-{i}') for i in range(n_404)]
    calls = [lambda: (api.req('GET', 'products').status, None)] * n_api
    res = run(8, pages + missing + calls)
    assert all(s == 200 for s, _ in res[:n_pages]), res[:n_pages]
    assert all(s == 404 for s, _ in res[n_pages:n_pages + n_404])
    assert all(s == 200 for s, _ in res[n_pages + n_404:])
    # The same page again within the microcache's 5 s: nginx answers.
    again = [get('/p/loaf?m=0')() for _ in range(n_again)]
    assert all(s == 200 for s, _ in again), again
    hits = sum(1 for _, c in again if c == 'HIT')
    assert hits >= n_again - 1, again
    rendered = n_pages + n_again - hits

    def d(m, name, **labels):
        return val(m, name, **labels) - val(before, name, **labels)

    after = settle(stack, lambda m: d(m, 'souk_cache_requests_total',
                   cache='nginx', result='hit') >= hits)
    got = {
        'product 200': d(after, 'souk_http_requests_total',
                         kind='product', status='200'),
        'product 404': d(after, 'souk_http_requests_total',
                         kind='product', status='404'),
        'api 200': d(after, 'souk_http_requests_total', kind='api',
                     status='200'),
        'nginx hits': d(after, 'souk_cache_requests_total',
                        cache='nginx', result='hit'),
        'nginx misses': d(after, 'souk_cache_requests_total',
                          cache='nginx', result='miss'),
    }
    want = {'product 200': rendered, 'product 404': n_404,
            'api 200': n_api, 'nginx hits': hits,
            'nginx misses': rendered}
    assert got == want, (got, want)
    # The histogram agrees with the counters it is made of.
    check_histograms(after)
    for kind, status, n in (('product', '200', rendered),
                            ('product', '404', n_404),
                            ('api', '200', n_api)):
        assert d(after, 'souk_http_request_duration_seconds_count',
                 kind=kind, status=status) == n, (kind, status)
    # Every rendered page asked the database or a cache something.
    assert d(after, 'souk_db_round_trips_total',
             program='souk-fcgi') >= n_404, after
    looked = sum(d(after, 'souk_cache_requests_total', cache=c, result=r)
                 for c in ('worker', 'shared') for r in ('hit', 'miss'))
    assert looked > 0
    # Nothing in flight now; the pool has its workers.
    assert val(after, 'souk_pool_workers_busy') == 0, after
    assert val(after, 'souk_pool_workers') == stack.workers


def test_metrics_mail_and_queue(stack):
    stack.start_mail()
    before = metrics(stack)
    seen = len(mail_names())
    for _ in range(2):
        slug = stack.unique('metm')
        signup(stack.port, slug, f'{slug}@mail.test')
    sent = len(mail_names()) - seen
    assert sent == 2, sent

    # The queue's gauge is souk-worker's, written every second: it may
    # still count the last mail's job just after the mail counter moved.
    def done(m):
        return val(m, 'souk_mail_sent_total') - val(
            before, 'souk_mail_sent_total') >= sent and \
            val(m, 'souk_jobs_waiting') == 0
    after = settle(stack, done)
    assert val(after, 'souk_mail_sent_total') - val(
        before, 'souk_mail_sent_total') == sent
    assert val(after, 'souk_mail_failed_total') == val(
        before, 'souk_mail_failed_total')
    # souk-worker's gauges: fresh, and the database's figures.
    waiting = int(stack.query(
        "SELECT COUNT(*) FROM souk_jobs WHERE dead_at IS NULL AND "
        "due_at <= UTC_TIMESTAMP(3)")[0][0])
    assert val(after, 'souk_jobs_waiting') == waiting == 0
    assert time.time() - val(after, 'souk_worker_last_seen_seconds') < 10
    rows = stack.query("SELECT p.code, COUNT(t.id) FROM souk_plans p "
                       "LEFT JOIN souk_tenants t ON t.plan_id = p.id "
                       "GROUP BY p.id, p.code")

    def plans_match(m):
        return all(val(m, 'souk_plan_shops', plan=code) == int(n)
                   for code, n in rows)
    after = settle(stack, plans_match)
    assert plans_match(after), (rows, [k for k in after
                                       if k[0] == 'souk_plan_shops'])


def test_metrics_worker_killed(stack):
    before = metrics(stack)
    pids = stack.wait_workers()
    os.kill(pids[0], signal.SIGKILL)
    stack.wait_workers(exclude=[pids[0]], timeout=15)
    after = settle(stack, lambda m: val(m, 'souk_pool_workers') ==
                   stack.workers)
    assert val(after, 'souk_pool_worker_deaths_total') - val(
        before, 'souk_pool_worker_deaths_total') == 1
    assert val(after, 'souk_pool_worker_forks_total') - val(
        before, 'souk_pool_worker_forks_total') == 1
    assert val(after, 'souk_pool_workers') == stack.workers
    assert val(after, 'souk_pool_workers_busy') == 0


def test_metrics_endpoint_is_narrow(stack):
    st, _, body = scrape(stack, '/')
    assert st == 404 and '/metrics' in body
    st, _, _ = scrape(stack, '/metrics', method='POST')
    assert st == 405
    st, headers, body = scrape(stack, '/metrics', method='HEAD')
    assert st == 200 and body == '' and int(headers['Content-Length']) > 0
    # Not HTTP at all, and a header that never ends.
    assert raw(stack, b'hello\r\n\r\n').startswith(
        b'HTTP/1.0 400')
    assert raw(stack, b'GET /metrics HTTP/1.1\r\n' +
                        b'X: ' + b'a' * (4096 - 26)).startswith(b'HTTP/1.0 400')
    # Idle connections beyond the table's size do not stop a scrape.
    idle = [socket.create_connection(('127.0.0.1', stack.metrics_port))
            for _ in range(12)]
    try:
        metrics(stack)
    finally:
        for s in idle:
            s.close()
    # nginx serves no metrics on any host.
    r = stack.http('GET', '/metrics')
    assert r.status == 404 and b'souk_http' not in r.body


def test_metrics_operator_console(stack):
    """/operator/metrics draws the last day from souk_metric_samples,
    which souk-worker writes (every 2 s on the test stack); operators
    only. Looked at in Chromium (tests/browser/metrics_shots.mjs), the
    PNG kept in build/screenshots/metrics/."""
    stack.start_mail()
    host = stack.shop_host(shop(stack, 'metc')[2])
    for i in range(5):
        stack.http('GET', f'/?c={i}', host=host)
    end = time.monotonic() + 20
    while int(stack.query("SELECT COUNT(*) FROM souk_metric_samples "
                          "WHERE requests > 0")[0][0]) == 0:
        assert time.monotonic() < end, 'souk-worker wrote no samples'
        time.sleep(0.5)
    ops = _operator(stack)
    r = ops.get('/operator/metrics')
    assert r.status == 200, r.text[:2000]
    for title in ('Requests every 5 minutes', 'Average response time',
                  'Workers', 'Job queue', 'E-mail every 5 minutes',
                  'Database every 5 minutes', 'Cache hit rate'):
        assert title in r.text, title
    assert r.text.count('<svg') >= 8
    assert 'No figures for the last 24 hours yet' not in r.text
    # A gauge is the busiest reading of a step, not the sum of its rows
    # (a row every 2 s here): the workers' figures never pass the pool.
    fig = re.search(r'>Workers</figcaption>.*?</table>', r.text, re.S)
    assert fig, r.text[:3000]
    nums = [int(x.replace(',', '')) for x in re.findall(
        r'<td[^>]*>([0-9,]+)</td>', fig.group(0))]
    assert nums and max(nums) <= stack.workers, nums
    code = stack.query("SELECT code FROM souk_plans ORDER BY code")[0][0]
    assert f'<code>{code}</code>' in r.text
    # The console links to it.
    assert '/operator/metrics' in ops.get('/operator').text
    # Not for anyone else.
    assert Client(stack.port).get('/operator/metrics').status == 302
    slug = stack.unique('metn')
    owner = signup(stack.port, slug, f'{slug}@mail.test')
    assert owner.get('/operator/metrics').status == 403
    # Old rows go as new ones are written.
    stack.query("INSERT INTO souk_metric_samples (host, taken_at, secs) "
                "VALUES ('old', UTC_TIMESTAMP() - INTERVAL 4 DAY, 300)")
    end = time.monotonic() + 20
    while stack.query("SELECT COUNT(*) FROM souk_metric_samples WHERE "
                      "host = 'old'")[0][0] != '0':
        assert time.monotonic() < end, 'old samples kept'
        time.sleep(0.5)
    if not os.path.isdir(os.path.join(REPO, 'tests', 'browser',
                                      'node_modules', 'playwright-core')):
        return
    out = os.path.join(REPO, 'build', 'screenshots', 'metrics')
    r = subprocess.run(
        ['node', os.path.join(REPO, 'tests', 'browser', 'metrics_shots.mjs'),
         f'http://localhost:{stack.port}', out, ':'.join(OPERATOR)],
        cwd=os.path.join(REPO, 'tests', 'browser'), capture_output=True,
        text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    assert os.path.getsize(os.path.join(out,
                                        'operator-metrics-1280.png')) > 5000
