"""The operator's health endpoint warns when the stored exchange rates are
older than rates_max_age_days (4), and stops once fresh ones are stored;
soukctl rates show says the same."""
import datetime

from souk_client import Client
from rates_server import (RatesServer, ecb_feed, latest_date, next_date,
                          run_rates, today)


def test_health_warns_about_old_rates(stack):
    with RatesServer() as srv:
        last = latest_date(stack)
        if last is None:
            srv.serve(ecb_feed(next_date(stack)))
            assert run_rates(stack, srv.url)[0] == 0
            last = latest_date(stack)
        if (today() - last).days > 4:
            r = Client(stack.port).get('/_health')
            assert r.status == 200
            assert r.text.startswith('ok\n')
            assert (f'warning: exchange rates from {last.isoformat()} '
                    'are older than 4 days') in r.text, r.text
            r = stack.soukctl('rates', 'show')
            assert 'STALE' in r.stdout and 'warning' in r.stderr
        # Today's rates: the warning goes.
        srv.serve(ecb_feed(today().isoformat()))
        status, out = run_rates(stack, srv.url)
        assert status == 0, out
    r = Client(stack.port).get('/_health')
    # Fresh rates: no rates warning (a lagging job queue may add its
    # own line: test_health.py).
    assert r.status == 200 and r.text.startswith('ok\n'), r.text
    assert 'exchange rates' not in r.text, r.text
    r = stack.soukctl('rates', 'show')
    assert 'STALE' not in r.stdout and '(0 day(s) old)' in r.stdout
