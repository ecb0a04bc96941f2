"""The restore drill (issue 14): backups, then one shop brought back to a
second of the past while another shop's later orders stay.

Two shops take orders through the storefront; the test notes the time;
shop A is then damaged (products deleted, orders changed, its name
changed, a media file lost) while shop B takes more orders; `soukctl
shop restore A --to <the noted second>` must bring every table of A
back to what it held at that second (CHECKSUM TABLE of each) and leave
B exactly as it is now. Also: backup list and verify, the errors of a
restore that cannot be done, and --purge."""
import os
import re
import threading
import time

from shop_setup import selling_shop, shopper


def _place(stack, slug, pid):
    c, fields = shopper(stack, slug, pid)
    r = c.post('/checkout/place', fields)
    assert r.status == 303, (r.status, r.text[:2000])
    return r


def _tables(stack, tid):
    return [r[0] for r in stack.query(
        "SELECT table_name FROM information_schema.tables WHERE "
        f"table_schema = DATABASE() AND table_name LIKE 's{tid}\\_%' "
        "ORDER BY table_name", db=stack.db_name)]


def _checksums(stack, tid):
    names = _tables(stack, tid)
    rows = stack.query("CHECKSUM TABLE " + ", ".join(names),
                       db=stack.db_name)
    return {r[0].split('.', 1)[1]: r[1] for r in rows}


def _settled_state(stack, tid):
    """A's checksums at a whole second T: taken before and after the
    second turns, equal (nothing wrote in between), so they are the
    state at T. Returns (T as soukctl takes it, checksums)."""
    for _ in range(10):
        before = _checksums(stack, tid)
        time.sleep(1.05 - time.time() % 1)          # just past a second
        when = time.strftime('%Y-%m-%d %H:%M:%S')
        after = _checksums(stack, tid)
        if before == after:
            return when, after
    raise AssertionError('shop A never held still for a second')


def test_restore_drill(stack):
    slug_a, tid_a, pid_a = selling_shop(stack, 'drilla', stock=50)
    slug_b, tid_b, pid_b = selling_shop(stack, 'drillb', stock=50)
    media_a = os.path.join(stack.media_dir, f's{tid_a}')
    os.makedirs(media_a, exist_ok=True)
    with open(os.path.join(media_a, 'drill.png'), 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n' + os.urandom(64))
    _place(stack, slug_a, pid_a)
    _place(stack, slug_b, pid_b)

    r = stack.soukctl('backup', 'run')
    assert re.search(r'^backup \d{8}T\d{6}Z: .* media files', r.stdout), \
        r.stdout
    listed = stack.soukctl('backup', 'list').stdout
    assert re.search(r'^\d{8}T\d{6}Z +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC',
                     listed, re.M), listed
    assert 'restorable from' in listed, listed
    r = stack.soukctl('backup', 'verify')
    assert re.search(r'is good: prepared in [\d.]+ s, served \d+ shops',
                     r.stdout), r.stdout

    # Orders after the backup: replayed from the binary logs.
    for _ in range(3):
        _place(stack, slug_a, pid_a)
        _place(stack, slug_b, pid_b)
    name_a = stack.query(f"SELECT name FROM souk_tenants WHERE id = {tid_a}",
                         db=stack.db_name)[0][0]
    when, sums_a = _settled_state(stack, tid_a)
    orders_a = stack.query(f"SELECT COUNT(*) FROM s{tid_a}_orders",
                           db=stack.db_name)[0][0]
    assert orders_a == '4', orders_a
    time.sleep(1.1)

    # The damage, and B's business going on.
    q = lambda sql: stack.query(sql, db=stack.db_name)
    q(f"DELETE FROM s{tid_a}_products")
    q(f"UPDATE s{tid_a}_orders SET status = 'cancelled', total = 0")
    q(f"UPDATE souk_tenants SET name = 'Oops' WHERE id = {tid_a}")
    os.unlink(os.path.join(media_a, 'drill.png'))
    assert stack.get('/', host=f'{slug_a}.localhost').status == 200
    assert stack.get('/p/loaf', host=f'{slug_a}.localhost').status == 404
    _place(stack, slug_b, pid_b)
    _place(stack, slug_b, pid_b)
    sums_b = _checksums(stack, tid_b)
    assert stack.query(f"SELECT COUNT(*) FROM s{tid_b}_orders",
                       db=stack.db_name) == [['6']]

    # A restore that cannot be: clear errors, nothing touched.
    r = stack.soukctl('shop', 'restore', slug_a, '--to', '2001-01-01 00:00',
                      check=False)
    assert r.returncode == 1 and 'no backup finished before 2001-01-01 ' \
        '00:00:00 UTC' in r.stderr, (r.returncode, r.stderr)
    r = stack.soukctl('shop', 'restore', slug_a, '--to', '2999-01-01 00:00',
                      check=False)
    assert r.returncode == 1 and 'not in the past' in r.stderr, r.stderr
    r = stack.soukctl('shop', 'restore', slug_a, '--to', 'yesterday',
                      check=False)
    assert r.returncode == 2, (r.returncode, r.stderr)
    r = stack.soukctl('shop', 'restore', 'no-such-shop', '--to', when,
                      check=False)
    assert r.returncode == 1 and "no shop 'no-such-shop'" in r.stderr

    # B's shoppers browse all through A's restore: never an error.
    stop = threading.Event()
    seen = []

    def browse():
        while not stop.is_set():
            for path in ('/', '/p/loaf'):
                # A query of its own: past nginx's microcache, to souk.
                seen.append(stack.get(f'{path}?n={len(seen)}',
                                      host=f'{slug_b}.localhost').status)
    browser = threading.Thread(target=browse)
    browser.start()
    t0 = time.monotonic()
    try:
        r = stack.soukctl('shop', 'restore', slug_a, '--to', when)
    finally:
        took = time.monotonic() - t0
        stop.set()
        browser.join()
    assert seen and set(seen) == {200}, sorted(set(seen))
    print(f'drill: restore took {took:.1f} s while shop B served '
          f'{len(seen)} pages, all 200\n{r.stdout}')
    m = re.search(r'(\d+) tables swapped in; the replaced ones are '
                  r'(pre_restore_\d{8}_\d{6}_)s%d_\*' % tid_a, r.stdout)
    assert m, r.stdout
    old_prefix = m.group(2)
    assert int(m.group(1)) == len(sums_a), (m.group(1), len(sums_a))
    assert '0 orders placed after that time' in r.stdout, r.stdout
    assert '1 media files copied back' in r.stdout, r.stdout

    # A is what it was at that second, table by table; B as it is now.
    assert _checksums(stack, tid_a) == sums_a
    assert _checksums(stack, tid_b) == sums_b
    assert q(f"SELECT name FROM souk_tenants WHERE id = {tid_a}") == \
        [[name_a]]
    assert os.path.exists(os.path.join(media_a, 'drill.png'))
    # The damaged tables are kept aside, whole.
    assert q(f"SELECT COUNT(*) FROM {old_prefix}s{tid_a}_products") == \
        [['0']]
    assert q("SELECT COUNT(*) FROM information_schema.tables WHERE "
             "table_name LIKE 'restoring\\_%'") == [['0']]
    assert q(f"SELECT action FROM souk_audit WHERE tenant_id = {tid_a} "
             "ORDER BY id DESC LIMIT 1") == [['shop.restore']]

    # The restored shop serves and sells (its cache forgets the old
    # rows within its lifetime).
    host_a = f'{slug_a}.localhost'

    def product_back():
        return stack.get('/p/loaf', host=host_a,
                         headers={'Cache-Control': 'no-cache'}).status == 200
    deadline = time.time() + 30
    while not product_back():
        assert time.time() < deadline, 'the restored product never served'
        time.sleep(0.5)
    _place(stack, slug_a, pid_a)
    assert q(f"SELECT COUNT(*), SUM(status = 'cancelled') FROM "
             f"s{tid_a}_orders") == [['5', '0']]

    # --purge drops what was set aside, and only A's.
    r = stack.soukctl('shop', 'restore', slug_a, '--purge')
    assert re.match(r'%d set-aside tables' % len(sums_a), r.stdout), \
        r.stdout
    assert q("SELECT COUNT(*) FROM information_schema.tables WHERE "
             f"table_name LIKE '{old_prefix}%'") == [['0']]


# Each takes backups of the whole run's database: about 500 MB in a
# full make check, which took 84-114 s a backup on a loaded machine.
test_restore_drill.timeout = 480


def test_restore_later_orders_counted(stack):
    """Orders placed after the second restored to are set aside, and the
    report says how many."""
    slug, tid, pid = selling_shop(stack, 'drillc', stock=20)
    _place(stack, slug, pid)
    stack.soukctl('backup', 'run')
    when, sums = _settled_state(stack, tid)
    time.sleep(1.1)
    _place(stack, slug, pid)
    _place(stack, slug, pid)
    r = stack.soukctl('shop', 'restore', slug, '--to', when)
    assert '2 orders placed after that time are in the replaced tables' \
        in r.stdout, r.stdout
    assert _checksums(stack, tid) == sums
    stack.soukctl('shop', 'restore', slug, '--purge')


test_restore_later_orders_counted.timeout = 480
