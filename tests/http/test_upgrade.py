"""An upgrade without downtime (README "Upgrades"): a new release's shop
migration runs shop by shop while the old workers serve, then a reload
replaces the workers, all under constant load: storefront pages, cart
adds, whole checkouts and API reads over 20 shops. The reload executes
the souk-fcgi installed meanwhile (http/pool.h, exec_path) in the
master's place. No request fails,
every shop reaches the new version, new workers serve afterwards, and a
shop whose table another session holds (a long report) makes the
migration wait a little and try again (db/migrate.h), not stall the
shop behind its ALTER.

The migration is the test's own, in a copy of sql/ (SOUK_SQL_DIR for
that soukctl run only): additive and harmless (a nullable column, an
index), so the stack's later tests, whose code does not know it, keep
working, as the release before an upgrade must."""
import concurrent.futures
import os
import re
import shutil
import subprocess
import threading
import time

from shop_setup import add_to_cart, checkout_to_review, place_fields, \
    selling_shop
from souk_client import Client, admin_login
from stack import REPO, http_request
from wait import wait_until
from wc_setup import Api, make_key

MIGRATION = """-- tests/http/test_upgrade.py: an additive migration, written to run
-- while the release before it serves: a nullable column (INSTANT: no
-- table copy) and an index built in place without a write lock.
ALTER TABLE {p}products ADD COLUMN IF NOT EXISTS upgrade_note
	VARCHAR(64) NULL, ALGORITHM=INSTANT
;;
ALTER TABLE {p}orders ADD KEY IF NOT EXISTS upgrade_test (created_at),
	ALGORITHM=INPLACE, LOCK=NONE
;;
"""


class Shoppers:
    """Threads doing one kind of request each until stopped; every
    answer is recorded as (kind, started, seconds, ok, what)."""

    def __init__(self):
        self.results = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = []

    def add(self, kind, fn, pause=0.0, limit=None):
        def run():
            n = 0
            while not self.stop.is_set() and (limit is None or n < limit):
                n += 1
                t = time.monotonic()
                try:
                    ok, what = fn(n)
                except Exception as e:      # a refused connection, ...
                    ok, what = False, repr(e)
                with self.lock:
                    self.results.append((kind, t, time.monotonic() - t,
                                         ok, what))
                if pause:
                    self.stop.wait(pause)
        self.threads.append(threading.Thread(target=run, daemon=True))

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(60)

    def count(self, since=0.0):
        with self.lock:
            return len([r for r in self.results if r[1] >= since])

    def wait(self, n, since=0.0):
        wait_until(lambda: self.count(since) >= n, 120,
                   f'{n} answers under load')


def _shops(stack):
    """3 selling shops (product, shipping, tax) and 17 plain ones."""
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        sell = [ex.submit(selling_shop, stack, 'upsell', stock=100000)
                for _ in range(3)]
        plain = [stack.unique('upg') for _ in range(17)]
        for f in [ex.submit(stack.create_shop, s) for s in plain]:
            f.result()
        sell = [f.result() for f in sell]
    return sell, plain


def _load(stack, sell, plain, api):
    s = Shoppers()
    port = stack.port
    hosts = [stack.shop_host(p) for p in plain] + \
        [stack.shop_host(x[0]) for x in sell]
    nocache = {'souk_cart': 'test-nocache'}

    def home(n):
        r = stack.get('/', host=hosts[n % len(hosts)], cookies=nocache)
        return r.status == 200, r.status

    def product(n):
        slug = sell[n % len(sell)][0]
        r = stack.get('/p/loaf', host=stack.shop_host(slug), cookies=nocache)
        return r.status == 200, r.status

    def cart(n):
        slug, _, pid = sell[n % len(sell)]
        c = Client(port, f'{slug}.localhost')
        r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': '1'})
        return r.status == 303, r.status

    def order(n):
        slug, _, pid = sell[n % len(sell)]
        c = Client(port, f'{slug}.localhost')
        r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': '1'})
        if r.status != 303:
            return False, f'add {r.status}'
        r = c.post('/checkout/place', place_fields(checkout_to_review(c)))
        return r.status == 303, f'place {r.status}'

    def api_read(n):
        r = api.get('products', {'per_page': 5})
        return r.status == 200, r.status

    for i in range(3):
        s.add('home', home)
    s.add('product', product)
    s.add('product', product)
    s.add('cart', cart)
    s.add('order', order)
    # 100 requests a key in 15 minutes (api_rate_limit): paced under it.
    s.add('api', api_read, pause=0.25, limit=90)
    return s


def _sql_copy(stack):
    """A copy of sql/ with one more shop migration; (dir, its number)."""
    d = os.path.join(stack.dir, 'upgrade-sql')
    shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(os.path.join(REPO, 'sql'), d)
    nums = [int(m.group(1)) for f in os.listdir(os.path.join(d, 'shop'))
            if (m := re.match(r'(\d+)_.*\.sql$', f))]
    # Above every number an earlier run of this test left in the
    # database, too.
    top = stack.query('SELECT MAX(schema_version) FROM souk_tenants')
    n = max(nums + [int(top[0][0] or 0)]) + 1
    with open(os.path.join(d, 'shop', f'{n:03d}_test_upgrade.sql'),
              'w') as f:
        f.write(MIGRATION)
    return d, n


def _install_again(stack):
    """What `make install` does to the running program: a new file under
    the same name (install(1) writes a copy and renames it over the old
    one; the content here is the same)."""
    path = os.path.join(stack.bin, 'souk-fcgi')
    tmp = path + '.upgrade-test'
    shutil.copy2(path, tmp)
    os.replace(tmp, path)


def _exe(pid):
    return os.readlink(f'/proc/{pid}/exe')


def _hold_table(stack, table, seconds):
    """A session that reads table in a transaction and keeps it open
    seconds (a long report): it holds the table's metadata lock."""
    argv = ['mariadb', '--no-defaults', f'--socket={stack.db.socket}',
            '-uroot', stack.db_name, '-e',
            f'BEGIN; SELECT COUNT(*) FROM {table}; DO SLEEP({seconds}); '
            'COMMIT;']
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)

    def sleeping():
        rows = stack.query("SELECT COUNT(*) FROM information_schema."
                           "processlist WHERE info LIKE 'DO SLEEP%'")
        return int(rows[0][0]) > 0
    wait_until(sleeping, 30, 'the holding session')
    return p


HOLD_S = 30


def _migrate_releasing(stack, sql_dir, holder):
    """soukctl migrate with sql_dir; once it says it gives way to the
    held table, the holder lets go (its session is killed, so its
    transaction ends). Returns the migration's stderr."""
    argv = [os.path.join(stack.bin, 'soukctl'), '--config',
            stack.conf_path, 'migrate']
    env = stack.env()
    env['SOUK_SQL_DIR'] = sql_dir
    p = subprocess.Popen(argv, env=env, cwd=REPO, text=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines, released = [], None
    for line in p.stderr:
        lines.append(line)
        if released is None and 'trying again' in line:
            released = time.monotonic()
            # The queue behind the table goes on for a moment first.
            time.sleep(2)
            for (pid,) in stack.query(
                    "SELECT id FROM information_schema.processlist "
                    "WHERE info LIKE 'DO SLEEP%'"):
                stack.query(f"KILL {int(pid)}")
    assert p.wait(300) == 0, ''.join(lines)[-3000:]
    return ''.join(lines)


def test_migration_and_reload_under_load(stack):
    sell, plain = _shops(stack)
    admin = admin_login(stack.port, sell[0][0], f'{sell[0][0]}@x.test')
    ck, cs, _ = make_key(admin, 'read')
    api = Api(stack, sell[0][0], ck, cs)
    sql_dir, version = _sql_copy(stack)
    held = f's{sell[1][1]}_products'
    before = set(stack.wait_workers())

    with _load(stack, sell, plain, api) as load:
        load.wait(60)
        # The holder keeps the table until the migration has met it and
        # given way (its "trying again"), at most HOLD_S: on a busy
        # machine the shops before it can take longer than any fixed
        # hold.
        holder = _hold_table(stack, held, HOLD_S)
        t = time.monotonic()
        stderr = _migrate_releasing(stack, sql_dir, holder)
        migrate_s = time.monotonic() - t
        holder.wait(HOLD_S + 30)
        assert 'trying again' in stderr, stderr[-3000:]
        load.wait(60, since=time.monotonic())
        master = stack.pool_master_pid()
        _install_again(stack)
        assert _exe(master).endswith(' (deleted)'), _exe(master)
        stack.reload_pool()
        after = set(stack.wait_workers(exclude=before, timeout=30))
        wait_until(lambda: not (set(stack.pool_worker_pids()) & before),
                   30, 'old workers gone')
        load.wait(60, since=time.monotonic())

    res = load.results
    bad = [r for r in res if not r[3]]
    kinds = {k: len([r for r in res if r[0] == k]) for k in
             ('home', 'product', 'cart', 'order', 'api')}
    assert not bad, f'{len(bad)} of {len(res)} failed: {bad[:10]}'
    assert all(n > 0 for n in kinds.values()), kinds
    assert len(res) > 200, f'too little load: {len(res)}'
    # Every shop (those of the stack's other tests too) has the version.
    behind = stack.query('SELECT id, schema_version FROM souk_tenants '
                         "WHERE status IN ('ready', 'suspended') AND "
                         f'schema_version < {version}')
    assert not behind, behind
    cols = stack.query("SELECT COUNT(*) FROM information_schema.columns "
                       f"WHERE table_schema = '{stack.db_name}' AND "
                       "column_name = 'upgrade_note' AND table_name IN "
                       f"({','.join(repr(f's{x[1]}_products') for x in sell)})")
    assert int(cols[0][0]) == len(sell), cols
    assert not (before & after)
    # The release installed meanwhile serves: the master executed it in
    # its own place (systemd's MAINPID does not change), and its
    # workers run it.
    assert stack.pool_master_pid() == master
    for pid in [master] + sorted(after):
        assert not _exe(pid).endswith(' (deleted)'), (pid, _exe(pid))
    # The new program opened the master's metrics endpoint again.
    port = getattr(stack, 'metrics_port', None)
    if port:
        r = http_request(port, 'GET', '/metrics', host=f'127.0.0.1:{port}')
        assert r.status == 200, r.status
    # The product pages of the held shop waited behind the ALTER at most
    # migrate_lock_wait_secs (2) at a time, not the holder's 5 s.
    slowest = max(r[2] for r in res if r[0] == 'product')
    assert slowest < 4.5, slowest
    print(f'{len(res)} answers {kinds}, none failed; migrate {migrate_s:.1f} '
          f's; slowest answer {slowest:.2f} s')
