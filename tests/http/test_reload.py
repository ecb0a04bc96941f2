"""A SIGHUP reload under load loses no request, and replaces every
worker."""
from load import Load, product_shop


def test_reload_under_load_loses_no_request(stack):
    host, paths = product_shop(stack, 'reload')
    before = set(stack.wait_workers())
    with Load(stack.port, host, paths, threads=12) as load:
        load.wait(1.0)
        stack.reload_pool()
        load.wait(1.0)
        stack.reload_pool()
        after = set(stack.wait_workers(exclude=before, timeout=15))
        load.wait(1.0)
    statuses = load.statuses()
    assert len(statuses) > 100, f'too little load: {len(statuses)}'
    bad = [s for s in statuses if s != 200]
    assert not bad, f'{len(bad)} of {len(statuses)} failed: {bad[:10]}'
    assert not (before & after), 'old workers still serving'
