"""A worker killed with SIGKILL under load is replaced, and the requests
that follow succeed."""
import os
import signal
import time

from load import Load, product_shop
from souk_client import Client


def test_kill_worker_under_load_is_replaced(stack):
    host, paths = product_shop(stack, 'kill')
    before = stack.wait_workers()
    with Load(stack.port, host, paths) as load:
        load.wait_answers(30)
        victim = before[0]
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        after = stack.wait_workers(exclude=[victim], timeout=15)
        replaced_at = time.monotonic()
        load.wait_answers(30, since=replaced_at, by='started')
    assert victim not in after and len(after) == len(before)
    total = load.statuses()
    assert len(total) > 50, f'too little load: {len(total)} requests'
    # Only a request the victim was serving may fail, answered by nginx.
    during = [s for s in load.statuses(killed_at - 0.1) if s != 200]
    assert len(during) <= 2, f'failures around the kill: {during}'
    assert all(s == 200 for s in load.statuses(until=killed_at - 0.1))
    late = load.statuses(since=replaced_at, by='started')
    assert late and all(s == 200 for s in late), late[:20]
    # And the next requests, one by one, all succeed.
    c = Client(stack.port, host)
    for i in range(40):
        r = c.get(paths[i % len(paths)])
        assert r.status == 200, (i, r.status)
