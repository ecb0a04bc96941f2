"""Shops made ahead of sign-ups (fcgi-app/platform/shop_stock.h):
souk-worker keeps a stock of provisioned shops without owner, a sign-up
claims one in one transaction, concurrent sign-ups never share one, the
stock is invisible until claimed, and the worker refills, finishes and
drains it. The shared stack runs without stock (shop_stock = 0): each
test here runs its own souk-worker with a stock, and puts the shared one
back (which drains what is left) before it ends."""
import json
import re
import threading

from souk_client import Client, signup, admin_login, create_product
from wait import wait_until

PW = 'correct horse battery'


def _counts(stack, target):
    out = stack.soukctl('shop', 'stock', conf={'shop_stock': target}).stdout
    return {k: int(v) for k, v in re.findall(r'^(\w+) (\d+)$', out, re.M)}


def _settled(stack, target):
    def ok():
        c = _counts(stack, target)
        return c if c == {'ready': target, 'building': 0, 'dropping': 0,
                          'target': target} else None
    return wait_until(ok, 60, f'a stock of {target}')


def _stock_rows(stack):
    return stack.query("SELECT id, slug, owner_id, IFNULL(plan_id, 0), "
                       "schema_version FROM souk_tenants "
                       "WHERE status = 'stock' ORDER BY id")


def _tables_of(stack, tid):
    return int(stack.query(
        "SELECT COUNT(*) FROM information_schema.tables WHERE "
        f"table_schema = 'souk' AND table_name LIKE 's{tid}\\_%'")[0][0])


class _Stocked:
    """The shared souk-worker replaced by one that keeps target shops in
    stock; on exit the shared one is back and has drained them."""

    def __init__(self, stack, target):
        self.stack, self.target = stack, target

    def __enter__(self):
        self.stack.stop_mail()
        self.stack.start_mail(worker_conf={'shop_stock': self.target,
                                           'shop_stock_check_ms': 200})
        return self

    def restart(self, target):
        self.target = target
        self.__enter__()

    def __exit__(self, *exc):
        self.stack.stop_mail()
        self.stack.start_mail()
        # The shared worker keeps none: it drops what is left, so later
        # tests count only their own shops and tables.
        wait_until(lambda: not _stock_rows(self.stack), 60,
                   'the stock drained')
        return False


def _operator_key(stack):
    email = f"{stack.unique('ops')}@souk.test"
    stack.add_operator(email, PW)
    return stack.soukctl('operator', 'api-key', 'create', '--email',
                         email).stdout.strip()


def _api(stack, method, path, key, body=None):
    headers = {'Accept': 'application/json',
               'Authorization': f'Bearer {key}'}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers['Content-Type'] = 'application/json'
    r = stack.http(method, path, headers=headers, body=data)
    r.json = json.loads(r.body) if r.body else None
    return r


def test_signup_claims_a_stock_shop_and_the_worker_refills(stack):
    with _Stocked(stack, 3):
        _settled(stack, 3)
        before = _stock_rows(stack)
        assert len(before) == 3
        for tid, slug, owner, plan, _ in before:
            # Nobody's: no owner, no plan, a slug no one can type, and
            # every table made.
            assert slug.startswith('.stock-') and owner == '0' and \
                plan == '0', before
            assert _tables_of(stack, tid) > 30
        oldest = before[0][0]

        slug = stack.unique('stk')
        email = f'{slug}@owner.test'
        marks = stack.log_marks()
        c = signup(stack.port, slug, email, locale='de', currency='CHF')
        log = stack.log_since(marks, lines=200)
        m = re.search(rf"shop (\d+) '{slug}' provisioned in ([\d.]+) ms "
                      r"\(from stock\)", log)
        assert m, log
        # The oldest stock shop, named, with its owner, plan and
        # settings: a live shop.
        assert m.group(1) == oldest
        row = stack.query(
            "SELECT t.status, t.default_locale, t.currency, t.name, "
            "a.email, t.plan_id IS NOT NULL, t.created_at >= NOW() - "
            "INTERVAL 1 MINUTE FROM souk_tenants t JOIN souk_accounts a "
            f"ON a.id = t.owner_id WHERE t.slug = '{slug}'")
        assert row == [['ready', 'de', 'CHF', slug.title(), email, '1',
                        '1']], row
        assert stack.query("SELECT COUNT(*) FROM souk_plan_changes WHERE "
                           f"tenant_id = {oldest}") == [['1']]
        r = Client(stack.port, f'{slug}.localhost').get('/')
        assert r.status == 200 and slug.title() in r.text, r.status
        # The owner's staff row came with the claim: the admin works.
        admin = admin_login(stack.port, slug, email)
        pid = create_product(admin, {'name_de': 'Aus dem Vorrat',
                                     'slug': 'vorrat', 'sku': 'V-1'})
        assert pid > 0
        # Their account sees it among their shops.
        page = c.get('/')
        assert slug in page.text, page.text[:2000]

        # The worker makes another: three in stock again, none of them
        # the claimed one.
        _settled(stack, 3)
        after = [r[0] for r in _stock_rows(stack)]
        assert oldest not in after and len(after) == 3


def test_stock_shops_are_invisible(stack):
    with _Stocked(stack, 2):
        _settled(stack, 2)
        rows = _stock_rows(stack)
        listing = stack.soukctl('shop', 'list').stdout
        assert '.stock-' not in listing
        key = _operator_key(stack)
        r = _api(stack, 'GET', '/api/v1/shops?per_page=100', key)
        assert r.status == 200, r.text[:500]
        assert not [s for s in r.json if s['slug'].startswith('.stock')]
        for tid, slug, *_ in rows:
            # Not by slug, not by id, not by host.
            r = stack.soukctl('shop', 'suspend', slug, check=False)
            assert r.returncode != 0 and 'no shop' in r.stderr, r.stderr
            r = _api(stack, 'GET', f'/api/v1/shops/{slug}', key)
            assert r.status in (400, 404), (r.status, r.text[:300])
            r = Client(stack.port, f'{slug[1:]}.localhost').get('/')
            assert r.status == 404, r.status
        ops = Client(stack.port)
        stack.add_operator('stock-ops@souk.test', PW, check=False)
        r = ops.submit('/login', '/login', {'email': 'stock-ops@souk.test',
                                            'password': PW})
        assert r.status == 303
        for path in ('/operator', '/operator/usage', '/operator/plans'):
            page = ops.get(path)
            assert page.status == 200 and '.stock-' not in page.text, path
        # A restore of a shop to a time when it was still in stock: the
        # shop did not exist yet (platform/restore.c reads the status).
        assert stack.query(
            "SELECT COUNT(*) FROM souk_tenants WHERE status <> 'stock' AND "
            "slug LIKE '.stock-%'") == [['0']]


def test_concurrent_signups_never_share_a_stock_shop(stack):
    with _Stocked(stack, 3):
        _settled(stack, 3)
        key = _operator_key(stack)
        slugs = [stack.unique('race') for _ in range(8)]
        owners = [f'{s}@owner.test' for s in slugs]
        results = {}
        marks = stack.log_marks()

        def create(i):
            results[i] = _api(stack, 'POST', '/api/v1/shops', key, {
                'slug': slugs[i], 'name': f'Race {i}',
                'owner_email': owners[i], 'owner_password': PW})
        ts = [threading.Thread(target=create, args=(i,)) for i in range(8)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(120)
        assert all(results[i].status == 201 for i in range(8)), \
            [(results[i].status, results[i].text[:200]) for i in results]
        rows = stack.query(
            "SELECT t.id, t.slug, a.email FROM souk_tenants t JOIN "
            "souk_accounts a ON a.id = t.owner_id WHERE t.slug IN (" +
            ",".join(f"'{s}'" for s in slugs) + ")")
        assert len(rows) == 8 and len({r[0] for r in rows}) == 8, rows
        # The three in stock went to three of them (the worker may have
        # made more meanwhile); the rest had their tables made.
        log = stack.log_since(marks, lines=400)
        claimed = re.findall(r"shop (\d+) '(race[^']*)' provisioned in "
                             r"[\d.]+ ms \(from stock\)", log)
        assert len(claimed) >= 3, log
        for tid, slug, email in rows:
            assert email == f'{slug}@owner.test'
            # One owner on its staff, its own.
            staff = stack.query(f"SELECT email, role FROM s{tid}_staff")
            assert staff == [[email, 'owner']], (slug, staff)
        # Concurrent sign-ups for one address: one shop, the others are
        # told it is taken; no stock shop is lost or half-claimed.
        slug = stack.unique('same')
        res = []

        def same(i):
            res.append(_api(stack, 'POST', '/api/v1/shops', key, {
                'slug': slug, 'name': f'Same {i}',
                'owner_email': f'{slug}-{i}@owner.test',
                'owner_password': PW}))
        ts = [threading.Thread(target=same, args=(i,)) for i in range(4)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(120)
        assert sorted(r.status for r in res) == [201, 409, 409, 409], \
            [(r.status, r.text[:200]) for r in res]
        for tid, s, owner, plan, v in _stock_rows(stack):
            assert owner == '0' and plan == '0' and s.startswith('.stock-')
        _settled(stack, 3)


def test_worker_finishes_and_drains_the_stock(stack):
    with _Stocked(stack, 3) as w:
        _settled(stack, 3)
        rows = _stock_rows(stack)
        # One left behind by an older release (or cut short): the worker
        # runs its migrations again, and it can be claimed.
        behind = rows[0][0]
        stack.query("UPDATE souk_tenants SET schema_version = 5 WHERE "
                    f"id = {behind}")
        wait_until(lambda: stack.query(
            "SELECT schema_version FROM souk_tenants WHERE "
            f"id = {behind}")[0][0] != '5', 30, 'the behind shop finished')
        _settled(stack, 3)
        assert behind in [r[0] for r in _stock_rows(stack)]
        # soukctl migrate brings stock shops along as well.
        stack.query("UPDATE souk_tenants SET schema_version = 17 WHERE "
                    f"id = {behind}")
        stack.soukctl('migrate')
        assert stack.query("SELECT schema_version FROM souk_tenants "
                           f"WHERE id = {behind}")[0][0] != '17'
        # A smaller stock: the newest go, tables and rows.
        w.restart(1)
        _settled(stack, 1)
        left = [r[0] for r in _stock_rows(stack)]
        assert left == [rows[0][0]], (left, rows)
        for tid, *_ in rows[1:]:
            assert _tables_of(stack, tid) == 0, tid
            assert stack.query("SELECT COUNT(*) FROM souk_tenants WHERE "
                               f"id = {tid}") == [['0']]
        # With the stock empty, sign-up works as before: the tables are
        # made for it.
        w.restart(0)
        wait_until(lambda: not _stock_rows(stack), 60, 'no stock')
        slug = stack.unique('nostock')
        marks = stack.log_marks()
        r = stack.create_shop(slug)
        log = stack.log_since(marks, lines=200)
        assert re.search(rf"'{slug}' provisioned in [\d.]+ ms\"", log), log
        assert '(from stock)' not in log
        assert Client(stack.port, f'{slug}.localhost').get('/').status == \
            200
