"""souk-rates against a local feed server: a good feed is stored whole; a
malformed, stale, future or jumping feed is refused with exit status 3 and
changes nothing; a failing or absent server gives exit status 1 after the
configured retries; soukctl rates fetch and rates show."""
import datetime
import time

from rates_server import (RatesServer, ecb_feed, next_date, real_rates,
                          run_rates, stored, today)


def test_fetch_stores_the_feed(stack):
    date = next_date(stack)
    with RatesServer() as srv:
        srv.serve(ecb_feed(date))
        status, out = run_rates(stack, srv.url)
        assert status == 0, out
        assert f'exchange rates of {date} stored (30 currencies' in out
        assert srv.requests == 1
        d, rates = stored(stack)
        assert d == date
        assert len(rates) == 30
        assert rates['USD'] == '1.08120000'
        assert rates['JPY'] == '162.49000000'
        assert rates['IDR'] == '17183.52000000'
        rows = stack.query("SELECT DISTINCT base FROM souk_exchange_rates")
        assert rows == [['EUR']]
        # The same day again: nothing to do, still a success.
        status, out = run_rates(stack, srv.url)
        assert status == 0 and 'already stored' in out, out
    r = stack.soukctl('rates', 'show')
    assert f'date {date}' in r.stdout
    assert 'USD 1.0812\n' in r.stdout and 'JPY 162.4900\n' in r.stdout


def _refused(stack, srv, body, why, **conf):
    before = stored(stack)
    srv.serve(body)
    status, out = run_rates(stack, srv.url, **conf)
    assert status == 3, (why, status, out)
    assert why in out, (why, out)
    assert 'previous rates kept' in out
    assert stored(stack) == before, why


def test_bad_feeds_change_nothing(stack):
    feed = ecb_feed(next_date(stack)).decode()
    with RatesServer() as srv:
        if not stored(stack)[1]:
            srv.serve(feed.encode())
            assert run_rates(stack, srv.url)[0] == 0
            feed = ecb_feed(next_date(stack)).decode()
        _refused(stack, srv, feed[:len(feed) // 2].encode(), 'well-formed')
        _refused(stack, srv, b'', 'empty document')
        _refused(stack, srv, feed.replace('2002-08-01/eurofxref',
                 '2099/eurofxref').encode(), 'no outer cube')
        _refused(stack, srv, feed.replace("rate='162.49'",
                 "rate='-162.49'").encode(), 'invalid rate for JPY')
        _refused(stack, srv, feed.replace("rate='162.49'",
                 "rate='0'").encode(), 'invalid rate for JPY')
        _refused(stack, srv, feed.replace("currency='JPY'",
                 "currency='USD'").encode(), 'duplicate currency USD')
        _refused(stack, srv, ecb_feed(next_date(stack), {}),
                 'no rates')
        # 10 MB of junk: refused by size while downloading.
        before = stored(stack)
        srv.junk(10 * 1024 * 1024)
        status, out = run_rates(stack, srv.url)
        assert status == 3 and 'larger than' in out, out
        assert stored(stack) == before


def test_stale_future_and_jumping_feeds_are_refused(stack):
    with RatesServer() as srv:
        if not stored(stack)[1]:
            srv.serve(ecb_feed(next_date(stack)))
            assert run_rates(stack, srv.url)[0] == 0
        last = datetime.date.fromisoformat(stored(stack)[0])
        older = (last - datetime.timedelta(days=1)).isoformat()
        _refused(stack, srv, ecb_feed(older), 'older than the stored')
        future = (today() + datetime.timedelta(days=3)).isoformat()
        _refused(stack, srv, ecb_feed(future), 'after tomorrow')
        # JPY doubled overnight: beyond rates_max_change (1.5).
        rates = dict(stored(stack)[1])
        rates['JPY'] = str(float(rates['JPY']) * 2)[:12]
        _refused(stack, srv, ecb_feed(next_date(stack), rates),
                 'JPY moves from')
        # A wider limit lets the same feed through.
        srv.serve(ecb_feed(next_date(stack), rates))
        status, out = run_rates(stack, srv.url, rates_max_change='2.5')
        assert status == 0, out
        # Back to the real rates (within 2.5 again).
        srv.serve(ecb_feed(next_date(stack), real_rates()))
        status, out = run_rates(stack, srv.url, rates_max_change='2.5')
        assert status == 0, out


def test_server_failing_or_down(stack):
    with RatesServer() as srv:
        before = stored(stack)
        srv.error(500)
        status, out = run_rates(stack, srv.url, rates_retries=2)
        assert status == 1, out
        assert 'after 3 attempt(s)' in out and 'HTTP status 500' in out
        assert srv.requests == 3
        srv.error(404)
        status, out = run_rates(stack, srv.url, rates_retries=2)
        assert status == 1 and srv.requests == 1, out
        # Slower than rates_timeout: given up in time.
        srv.slow(6, ecb_feed(next_date(stack)))
        t0 = time.monotonic()
        status, out = run_rates(stack, srv.url, rates_timeout=1,
                                rates_retries=0)
        assert status == 1, out
        assert time.monotonic() - t0 < 5
        assert stored(stack) == before
        srv.down()
        status, out = run_rates(stack, srv.url, rates_retries=1)
        assert status == 1 and 'cannot fetch' in out, out
        assert stored(stack) == before


def test_soukctl_rates_fetch(stack):
    with RatesServer() as srv:
        date = next_date(stack)
        srv.serve(ecb_feed(date))
        r = stack.soukctl('rates', 'fetch', '--url', srv.url)
        assert f'exchange rates of {date} stored' in r.stderr
        assert stored(stack)[0] == date
        srv.serve(b'junk')
        r = stack.soukctl('rates', 'fetch', '--url', srv.url, check=False)
        assert r.returncode == 1 and 'previous rates kept' in r.stderr
        assert stored(stack)[0] == date
    r = stack.soukctl('rates', 'show')
    assert f'date {date}' in r.stdout
