"""A shop moved to another MariaDB server while it serves (issue 14, part
8; platform/shop_move.h), and back.

Beside the stack's MariaDB a second server, "big1", and a pool, nginx and
souk-worker whose souk.conf names it (db_shards): the "VM" that serves
the shop here. Shoppers browse and buy all through `soukctl shop move
SLUG --to big1`: every page is a 200, a write fails only with the 503 of
the read-only window, and every order the shop confirmed is on big1 with
its stock moved and its job queued there. Then the errors a move refuses,
and the move back to the main server (the tables set aside on each side,
then purged)."""
import os
import re
import subprocess
import threading
import time

from shop_setup import selling_shop, shopper
from souk_client import admin_login, create_product
from stack import MariaDB, Stack, Proc, wait_for, tail
from wait import wait_until

MOVING = 'moving to a new server'


class ShardVM:
    """A second MariaDB (big1) and a pool, nginx and souk-worker that
    know it, on the stack's main database and shared files."""

    def __init__(self, stack):
        self.stack = stack
        self.big1 = MariaDB(os.path.join(stack.dir, 'db-big1'), fast=True)
        self.vm = Stack(stack.bin, os.path.join(stack.dir, 'vm-shards'),
                        workers=3, conf={
                            'media_dir': stack.media_dir,
                            'upload_dir': stack.upload_dir,
                            'secret_key_file': stack.secret_key_file,
                            'db_shards': 'big1',
                            'db_shard_big1_socket': self.big1.socket,
                            'smtp_url': f'smtp://127.0.0.1:{stack.smtp_port}',
                            'backup_dir': os.path.join(stack.dir,
                                                       'backups')})
        self.vm.db = stack.db
        self.vm.media_dir = stack.media_dir
        self.vm.upload_dir = stack.upload_dir
        self.worker = None

    def __enter__(self):
        v = self.vm
        # big1 has souk's account with the main server's password.
        os.makedirs(self.big1.dir, exist_ok=True)
        with open(os.path.join(self.big1.dir, 'souk.password'), 'w') as f:
            f.write(self.stack.db.password + '\n')
        self.big1.install()
        self.big1.start()
        self.big1.ensure_user('souk')
        self.big1.create_database('souk', 'souk')
        for d in (v.dir, v.logs, v.nginx_dir,
                  os.path.dirname(v.meter_socket)):
            os.makedirs(d, exist_ok=True)
        try:
            v.write_conf()
            r = v.soukctl('migrate')
            assert 'server big1: 1 migration(s) applied' in r.stderr, \
                r.stderr
            v.start_pool()
            v.start_nginx()
            self.worker = Proc('souk-worker', [
                os.path.join(v.bin, 'souk-worker'), '--config',
                v.conf_path], v.log_files()['souk-worker'], env=v.env())
            wait_for('souk-worker', lambda: 'started' in tail(
                self.worker.log, 5), self.worker, timeout=15)
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        if self.worker is not None:
            self.worker.stop()
        self.vm.stop_nginx()
        self.vm.stop_pool()
        self.big1.stop()

    def q1(self, sql):
        """Rows of sql on big1's souk database."""
        return self.big1.query(sql, db='souk')


def _count(rows):
    return int(rows[0][0])


class HeldTx:
    """A client session on a MariaDB whose transaction stays open
    between run() calls (the mariadb client, unbuffered)."""

    def __init__(self, db, name='souk'):
        self.p = subprocess.Popen(
            ['mariadb', '--no-defaults', f'--socket={db.socket}', '-uroot',
             '--unbuffered', '--batch', '--skip-column-names', name],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)

    def run(self, sql):
        """Runs sql and waits until it is done."""
        self.p.stdin.write(f"{sql};\nSELECT 'done';\n")
        self.p.stdin.flush()
        while (line := self.p.stdout.readline()) != 'done\n':
            assert line, f'the held session ended: {self.p.stderr.read()}'

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.p.stdin.close()
        self.p.wait(timeout=30)


def _said(text):
    """What an answer's page says (its title and its main's words), to
    tell one 503 from another in a failure's message."""
    title = re.search(r'<title>(.*?)</title>', text, re.S)
    main = re.search(r'<main[^>]*>(.*?)</main>', text, re.S)
    words = re.sub(r'<[^>]+>|\\n|\s+', ' ', main.group(1) if main
                   else text)
    return (f"{text[:12]} {title.group(1) if title else ''}: "
            f"{' '.join(words.split())[:300]}")


class Load:
    """Shoppers on the VM: one browses (past the microcache), two buy,
    each step a real page. Records every answer."""

    def __init__(self, vm, slug, pid):
        self.vm, self.slug, self.pid = vm, slug, pid
        self.stop = threading.Event()
        self.pages = []          # statuses of GETs
        self.orders = 0          # orders the shop confirmed
        self.refused = []        # (time, status, moving message?) of writes
        self.errors = []         # anything else
        self.lock = threading.Lock()

    def browse(self):
        n = 0
        while not self.stop.is_set():
            for path in ('/', '/p/loaf'):
                n += 1
                r = self.vm.get(f'{path}?b={n}',
                                host=f'{self.slug}.localhost')
                with self.lock:
                    self.pages.append(r.status)

    def buy(self):
        while not self.stop.is_set():
            try:
                c, fields = shopper(self.vm, self.slug, self.pid)
                r = c.post('/checkout/place', fields)
            except AssertionError as e:
                # A step refused: the window's 503, or a failure.
                text = str(e)
                with self.lock:
                    if '503' in text[:20] and MOVING in text:
                        self.refused.append(time.monotonic())
                    else:
                        # The page's words, not its head: which 503.
                        self.errors.append(_said(text))
                time.sleep(0.2)
                continue
            with self.lock:
                if r.status == 303:
                    self.orders += 1
                elif r.status == 503 and MOVING in r.text:
                    self.refused.append(time.monotonic())
                else:
                    self.errors.append(f'place: {r.status} '
                                       f'{_said(r.text)}')

    def __enter__(self):
        self.threads = [threading.Thread(target=f) for f in
                        (self.browse, self.buy, self.buy)]
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join()


def _failed(vm):
    """The VM pool's errors and warnings, then its last failed requests
    (the window's refusals are many: they must not push the errors
    out)."""
    with open(vm.log_files()['souk-fcgi'], errors='replace') as f:
        lines = f.readlines()
    return ([ln for ln in lines if 'level=err' in ln or
             'level=warn' in ln][-20:] +
            [ln for ln in lines if 'status=5' in ln][-5:])


def test_shop_move(stack):
    slug, tid, pid = selling_shop(stack, 'mover', stock=100000)
    with ShardVM(stack) as s:
        vm = s.vm
        host = f'{slug}.localhost'
        assert vm.get('/p/loaf', host=host).status == 200

        # Refused, with the reason, and nothing changed.
        r = vm.soukctl('shop', 'move', slug, '--to', 'nowhere', check=False)
        assert r.returncode == 1 and "no server 'nowhere'" in r.stderr, \
            r.stderr
        r = vm.soukctl('shop', 'move', slug, '--to', 'default',
                       check=False)
        assert r.returncode == 1 and "on 'default' already" in r.stderr, \
            r.stderr

        with Load(vm, slug, pid) as load:
            time.sleep(2)                       # business as usual
            before = load.orders
            t0 = time.monotonic()
            r = vm.soukctl('shop', 'move', slug, '--to', 'big1')
            t1 = time.monotonic()
            time.sleep(2)                       # and after
        print(f'move under load:\n{r.stdout}'
              f'{len(load.pages)} pages, {load.orders} orders '
              f'({before} before the move), {len(load.refused)} writes '
              f'refused in the window')
        m = re.search(r'took ([\d.]+) s: copy ([\d.]+) s, catch-up '
                      r'([\d.]+) s; writes paused ([\d.]+) s', r.stdout)
        assert m, r.stdout
        assert float(m.group(4)) < 20, r.stdout
        assert not load.errors, (load.errors[:5], _failed(vm))
        assert load.pages and set(load.pages) == {200}, \
            sorted(set(load.pages))
        assert load.orders > before, 'no order during the move'
        assert all(t0 <= t <= t1 + 1 for t in load.refused), \
            'a write refused outside the move'

        # The shop is on big1, whole: every confirmed order, the stock
        # they took, their jobs queued beside them.
        assert stack.query(f"SELECT shard, read_only_until FROM "
                           f"souk_tenants WHERE id = {tid}") == \
            [['big1', None]]
        orders = _count(s.q1(f"SELECT COUNT(*) FROM s{tid}_orders"))
        assert orders == load.orders, (orders, load.orders)
        stock = _count(s.q1(f"SELECT stock FROM s{tid}_products "
                            f"WHERE id = {pid}"))
        assert stock == 100000 - orders, stock
        m2 = re.search(r'old tables are (moved_\d{14}_)s%d_\* on default'
                       % tid, r.stdout)
        assert m2, r.stdout
        main_tables = stack.query(
            "SELECT table_name FROM information_schema.tables WHERE "
            f"table_schema = 'souk' AND table_name LIKE 's{tid}\\_%'")
        assert main_tables == [], main_tables
        ntables = int(re.search(r'(\d+) tables', r.stdout).group(1))
        assert _count(stack.query(
            "SELECT COUNT(*) FROM information_schema.tables WHERE "
            f"table_name LIKE '{m2.group(1)}s{tid}\\_%'")) == ntables
        assert stack.query("SELECT action FROM souk_audit WHERE tenant_id = "
                           f"{tid} ORDER BY id DESC LIMIT 1") == \
            [['shop.move']]
        assert stack.query("SELECT COUNT(*) FROM information_schema."
                           "triggers WHERE trigger_name LIKE "
                           f"'souk\\_move\\_{tid}\\_%'") == [['0']]

        # It sells on big1; its mail job is queued there and sent by the
        # worker that knows big1.
        c, fields = shopper(vm, slug, pid)
        assert c.post('/checkout/place', fields).status == 303
        deadline = time.time() + 30
        while _count(s.q1(f"SELECT COUNT(*) FROM souk_jobs WHERE "
                          f"tenant_id = {tid} AND dead_at IS NULL")):
            assert time.time() < deadline, s.q1(
                "SELECT kind, attempts, last_error FROM souk_jobs")
            time.sleep(0.3)
        # The admin works there too: a new product is a write on big1
        # with its plan's quota read on the main server.
        admin = admin_login(vm.port, slug, f'{slug}@x.test')
        create_product(admin, {'name_en': 'Rye', 'slug': 'rye',
                               'price': '3.00', 'stock': '5'})
        assert _count(s.q1(f"SELECT COUNT(*) FROM s{tid}_products")) == 2
        # What works on the main server's shops only says so.
        r = vm.soukctl('shop', 'restore', slug, '--purge', check=False)
        assert r.returncode == 1 and "is on server 'big1'" in r.stderr, \
            r.stderr

        # And back to the main server, with a write that commits late:
        # its log row has a lower number than one carried before it
        # committed, and is carried all the same. The tables set aside
        # on each side are purged.
        stock = _count(s.q1(f"SELECT stock FROM s{tid}_products "
                            f"WHERE id = {pid}"))
        back = {}
        mover = threading.Thread(target=lambda: back.update(r=vm.soukctl(
            'shop', 'move', slug, '--to', 'default', check=False)))
        def moving(cond):
            """cond, failing at once if the move ended."""
            def check():
                assert mover.is_alive(), back
                return cond()
            return check

        with HeldTx(s.big1) as held:
            mover.start()
            triggers = ("SELECT COUNT(*) FROM information_schema.triggers "
                        f"WHERE trigger_name LIKE 'souk\\_move\\_{tid}\\_%'")
            wait_until(moving(lambda: _count(s.q1(triggers)) >=
                              3 * ntables), 60, 'the move\'s triggers')
            held.run(f"BEGIN; UPDATE s{tid}_products SET stock = stock - 1 "
                     f"WHERE id = {pid}")
            s.q1(f"UPDATE s{tid}_products SET stock = stock - 2 "
                 "WHERE slug = 'rye'")
            # committed in the window, before the lock it holds up
            wait_until(moving(lambda: stack.query(
                f"SELECT read_only_until IS NOT NULL FROM souk_tenants "
                f"WHERE id = {tid}") == [['1']]), 60, 'the window')
            held.run("COMMIT")
        mover.join()
        r = back['r']
        assert r.returncode == 0 and 'moved from big1 to default' in \
            r.stdout, r.stdout + r.stderr
        assert stack.query(f"SELECT shard FROM souk_tenants WHERE id = "
                           f"{tid}") == [['default']]
        assert stack.query(f"SELECT slug, stock FROM s{tid}_products "
                           "ORDER BY id") == [['loaf', str(stock - 1)],
                                              ['rye', '3']]
        assert _count(stack.query(f"SELECT COUNT(*) FROM s{tid}_orders")) \
            == orders + 1
        assert vm.get('/p/loaf?back=1', host=host).status == 200
        assert stack.get('/p/loaf?back=1', host=host).status == 200
        r = vm.soukctl('shop', 'move', slug, '--purge')
        n = int(re.match(r'(\d+) set-aside tables', r.stdout).group(1))
        assert n == 2 * ntables, (n, ntables, r.stdout)
        assert _count(stack.query(
            "SELECT COUNT(*) FROM information_schema.tables WHERE "
            f"table_name LIKE 'moved\\_%\\_s{tid}\\_%'")) == 0
        assert _count(s.q1(
            "SELECT COUNT(*) FROM information_schema.tables WHERE "
            f"table_name LIKE '%s{tid}\\_%'")) == 0

        # /_health names a server of shops that is down, and stays 200:
        # the VM serves the other servers' shops.
        r = vm.get('/_health')
        assert r.status == 200 and 'big1' not in r.text, r.text
        s.big1.stop()
        r = vm.get('/_health')
        assert r.status == 200 and 'warning: server big1 unavailable' \
            in r.text, r.text
        assert vm.get('/p/loaf?down=1', host=host).status == 200
