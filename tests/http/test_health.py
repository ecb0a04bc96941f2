"""/_health (web/web.c): "ok" and 200 while MariaDB answers, plus a
warning line when the job queue lags: a job due for longer than
health_job_lag_secs (300) that no souk-worker holds (mail, webhooks
and imports wait). Old exchange rates are test_rates-health's."""
import re

from souk_client import Client


def _health(stack):
    r = Client(stack.port).get('/_health')
    assert r.status == 200, (r.status, r.text)
    lines = r.text.splitlines()
    assert lines[0] == 'ok', r.text
    assert all(ln.startswith('warning: ') for ln in lines[1:]), r.text
    return r.text


def test_health_job_queue_lag(stack):
    stack.stop_mail()       # nobody works the queue
    try:
        stack.query("INSERT INTO souk_jobs (kind, payload, due_at) VALUES "
                    "('test.lag', '{}', UTC_TIMESTAMP(3) - INTERVAL 1 DAY)")
        text = _health(stack)
        m = re.search(r'warning: (\d+) jobs waiting, the oldest due (\d+) s '
                      r'ago', text)
        assert m and int(m.group(1)) >= 1 and int(m.group(2)) >= 86400, text
        # A job a worker holds (due again when its lease ends) is no lag.
        stack.query("UPDATE souk_jobs SET due_at = UTC_TIMESTAMP(3) + "
                    "INTERVAL 5 MINUTE WHERE kind = 'test.lag'")
        m = re.search(r'the oldest due (\d+) s ago', _health(stack))
        assert not m or int(m.group(1)) < 86400, m
    finally:
        stack.query("DELETE FROM souk_jobs WHERE kind = 'test.lag'")
        stack.start_mail()
