"""MariaDB restarted under load: 503 while it is down, and service resumes
by itself when it is back."""
import time

from load import NO_CACHE, Load, product_shop
from souk_client import Client
from wait import wait_until


def test_db_restart_503_while_down_then_resumes(stack):
    host, paths = product_shop(stack, 'dbr')
    # A product page, a list and its cards read a moment ago are served
    # from the pool's shared copies (shop/product_page_cache.h,
    # list_cache.h, card_cache.h) while MariaDB is down, for at most
    # their lifetime: the load asks for searches nobody asked for before,
    # which need the database, and so does the one checked below.
    paths = ['/search?q=loaf+x{n}']
    with Load(stack.port, host, paths, threads=6) as load:
        load.wait_answers(20)
        stack.db.stop()
        stopped_at = time.monotonic()
        try:
            load.wait_answers(10, since=stopped_at + 0.5, by='started')
            # A shop whose tenant is cached still cannot search for a
            # word nobody asked for: 503 page.
            down = Client(stack.port, host).get('/search?q=crust',
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
        # Service resumes by itself: no restart of the pool.
        wait_until(lambda: Client(stack.port, host).get(
            '/p/loaf', raw_cookies=NO_CACHE).status == 200, 20,
            'service resumed after the database restart')
        resumed_at = time.monotonic()
        load.wait_answers(10, since=resumed_at + 0.5, by='started')
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
