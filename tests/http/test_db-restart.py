"""MariaDB restarted under load: 503 while it is down, and service resumes
by itself when it is back."""
import time

from load import NO_CACHE, Load, product_shop
from souk_client import Client


def test_db_restart_503_while_down_then_resumes(stack):
    host, paths = product_shop(stack, 'dbr')
    with Load(stack.port, host, paths, threads=6) as load:
        load.wait(0.8)
        stack.db.stop()
        stopped_at = time.monotonic()
        try:
            load.wait(1.5)
            # A shop whose tenant is cached still cannot render: 503 page.
            down = Client(stack.port, host).get('/p/loaf',
                                                raw_cookies=NO_CACHE)
            assert down.status == 503, down.status
            assert 'Retry-After' in dict(down.headers) or \
                'retry-after' in {k.lower() for k, _ in down.headers}
            assert '<h1>' in down.text
            health = Client(stack.port).get('/_health')
            assert health.status == 503, health.status
            assert 'database' in health.text
        finally:
            starting_at = time.monotonic()
            stack.db.start()
        started_at = time.monotonic()
        # Service resumes by itself: no restart of the pool.
        deadline = started_at + 20
        while time.monotonic() < deadline:
            if Client(stack.port, host).get(
                    '/p/loaf', raw_cookies=NO_CACHE).status == 200:
                break
            time.sleep(0.2)
        resumed_at = time.monotonic()
        load.wait(1.0)
    assert resumed_at < deadline, 'service did not resume within 20 s'
    # Judged by when a request was sent: one sent before the shutdown may
    # be answered (200) inside the window.
    # Until the restart began: a request sent while MariaDB was starting
    # may be answered 200 once it is up.
    while_down = load.statuses(stopped_at + 0.5, starting_at, by='started')
    assert while_down, 'no request while the database was down'
    assert set(while_down) <= {503}, sorted(set(while_down))
    after = load.statuses(resumed_at + 0.5, by='started')
    assert after and all(s == 200 for s in after), sorted(set(after))
    assert Client(stack.port).get('/_health').status == 200
