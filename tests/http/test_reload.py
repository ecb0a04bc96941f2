"""A SIGHUP reload under load loses no request, and replaces every
worker."""
import time

from load import Load, product_shop


def test_reload_under_load_loses_no_request(stack):
    host, paths = product_shop(stack, 'reload')
    before = set(stack.wait_workers())
    with Load(stack.port, host, paths, threads=12) as load:
        load.wait_answers(40)
        stack.reload_pool()
        load.wait_answers(40, since=time.monotonic(), by='started')
        stack.reload_pool()
        after = set(stack.wait_workers(exclude=before, timeout=15))
        load.wait_answers(40, since=time.monotonic(), by='started')
    statuses = load.statuses()
    assert len(statuses) > 100, f'too little load: {len(statuses)}'
    bad = [s for s in statuses if s != 200]
    assert not bad, f'{len(bad)} of {len(statuses)} failed: {bad[:10]}'
    assert not (before & after), 'old workers still serving'
