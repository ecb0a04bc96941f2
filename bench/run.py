#!/usr/bin/env python3
"""bench/run.py: `make bench`: where souk stands against this machine's
own limits, measured in one run.

    python3 bench/run.py --bin build/dev/bin --hello build/dev/bench/hello
        [--quick] [--duration S] [--warmup S] [--workers N]
        [--connections 10,100] [--only WORD] [--profile] [--shops N]

What it does, all under build/bench/ (nothing outside it is written but
the result files):
 1. starts a fresh private MariaDB (durable, as production), souk.conf,
    `soukctl migrate`, the souk-fcgi pool on its unix socket and nginx
    with the shipped site (tests/stack.py), plus bench/nginx-bench.conf's
    two baseline servers on the same nginx and port: a static file the
    size of a product page (the real page, saved) and bench/hello.c, a
    minimal libfcgi responder run with the pool's settings;
 2. provisioning: 20 `soukctl shop create` one after the other (median,
    p95), then the big shop and 1,000 small shops (100 with --quick) with
    a few soukctl in parallel (total time), MariaDB's RSS and table count
    after them; then 20 sign-up links confirmed with shops in stock and
    20 with none (the confirming POST's time);
 3. bulk-loads the catalogs (bench/load.py: multi-row INSERTs piped to
    the mariadb client), restarts the pool (fresh workers: idle memory);
    imports a WooCommerce CSV of 10,000 products with 40,000 variants
    (bench/gen_woo_csv.py, no images) into a fresh shop with `soukctl
    shop import`, timed against its target (IMPORT_TARGET_S);
 4. runs every scenario bench/wrk/*.lua with wrk at each connection
    count: a warm-up, then the measured run; the baselines before and
    after the scenarios (their mean is the reference); errors are wrk's
    socket errors plus the answers whose status (nginx's access log) is
    not the scenario's "expect";
    souk-worker and the SMTP stand-in do not run meanwhile: an order
    queues its mails; afterwards souk-worker is timed sending them;
 5. memory of the pool master and workers, idle and after the run;
 6. with --profile, `perf record -g` system-wide during the product and
    home pages: CPU by process, and the pool workers' top symbols;
 7. writes bench/results/<date>.md and .json and stops everything.

A scenario is one file, bench/wrk/<name>.lua, whose header lines say:
    -- title: what it measures
    -- order: where it runs (baselines first)
    -- expect: the HTTP status every answer must have
    -- baseline: static|hello         (it is a baseline)
    -- target: static|hello|<scenario> RATIO   (req/s at least RATIO times
                                        that figure, at the same connections)
    -- p99: MS_AT_10 [MS_AT_100]      (p99 latency targets; one figure:
                                        at 10 connections only)
"""

import argparse
import base64
import concurrent.futures
import csv
import datetime
import hashlib
import json
import os
import platform
import re
import secrets
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests"))
sys.path.insert(0, HERE)

import gen_woo_csv  # noqa: E402
import load  # noqa: E402
from stack import (Proc, Session, Stack, StackError,  # noqa: E402
                   form_field, install_signal_handlers, wait_for)

PASSWORD = "bench password 1234"
BIG = "big"
SHOP_FMT = "shop-%04d"
NOCACHE_COOKIE = "souk_cart=bench-nocache"
PLACE_SHIPPING = 490
STATIC_HOST = "static.bench"
HELLO_HOST = "hello.bench"
IMPORT_SHOP = "import"
IMPORT_PRODUCTS = 10000
IMPORT_TARGET_S = 60    # issue 10: 10,000 products, 40,000 variants


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# ---------------------------------------------------------------- stack

class BenchStack(Stack):
    """The shipped stack plus the baselines' servers on the same nginx."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.www = os.path.join(self.dir, "www")
        self.hello_socket = os.path.join(self.dir, "hello.sock")

    def write_nginx_conf(self):
        path = super().write_nginx_conf()
        with open(os.path.join(HERE, "nginx-bench.conf")) as f:
            text = f.read()
        values = dict(self.nginx_values(), WWW=self.www,
            HELLO_SOCKET=self.hello_socket, STATIC_HOST=STATIC_HOST,
            HELLO_HOST=HELLO_HOST)
        text = re.sub(r"@([A-Z_]+)@", lambda m: str(values[m.group(1)]),
            text)
        bench = os.path.join(self.nginx_dir, "bench.conf")
        with open(bench, "w") as f:
            f.write(text)
        with open(path) as f:
            conf = f.read()
        site = f"\tinclude {self.nginx_dir}/souk-site.conf;\n"
        assert site in conf, "tests/stack.py's nginx.conf changed"
        conf = conf.replace(site, site + f"\tinclude {bench};\n")
        with open(path, "w") as f:
            f.write(conf)
        return path


# The shipped MariaDB settings that size its caches for many shops
# (mariadb/60-souk.cnf): the bench's server runs with them, not the
# test stack's small ones, so the many-shops scenario measures what a
# sysadmin gets. mariadbd lowers table_open_cache and innodb_open_files
# to what its open_files_limit allows (the machine's `ulimit -Hn`; the
# report's MariaDB line says what it got).
SHIPPED_CACHES = ("table_open_cache", "table_open_cache_instances",
                  "table_definition_cache", "innodb_open_files",
                  "open_files_limit", "max_prepared_stmt_count")


def shipped_db_settings():
    out = {}
    with open(os.path.join(REPO, "mariadb", "60-souk.cnf")) as f:
        for line in f:
            k, sep, v = line.partition("=")
            if sep and k.strip() in SHIPPED_CACHES:
                out[k.strip()] = v.split("#")[0].strip()
    return out


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def pool_memory(stack):
    m = stack.pool_master_pid()
    return {"master_kb": rss_kb(m),
            "workers_kb": [rss_kb(p) for p in stack.pool_worker_pids()]}


# ---------------------------------------------------------------- data

def create_shop(stack, slug, locale="en"):
    t = time.monotonic()
    stack.create_shop(slug, name=f"Shop {slug}",
        owner_email=f"owner@{slug}.example", password=PASSWORD,
        locale=locale, currency="EUR")
    return time.monotonic() - t


def pct(values, p):
    v = sorted(values)
    k = (len(v) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def provision(stack, nshops, parallel):
    log("provisioning: 20 shops one after the other")
    times = [create_shop(stack, f"prov-{i:02d}") for i in range(1, 21)]
    create_shop(stack, BIG)
    log(f"provisioning: {nshops} shops, {parallel} soukctl at a time")
    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(parallel) as ex:
        list(ex.map(lambda i: create_shop(stack, SHOP_FMT % i),
            range(1, nshops + 1)))
    total = time.monotonic() - t0
    db_rss = rss_kb(stack.db.pid())
    t = time.monotonic()
    tables = int(stack.query("SELECT COUNT(*) FROM information_schema."
        "tables WHERE table_schema = DATABASE()")[0][0])
    is_ms = (time.monotonic() - t) * 1000
    return {
        "single_ms": [round(x * 1000, 1) for x in times],
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p95_ms": round(pct(times, 95) * 1000, 1),
        "shops": nshops, "parallel": parallel,
        "total_s": round(total, 1),
        "per_shop_ms": round(total / nshops * 1000, 1),
        "mariadb_rss_kb": db_rss, "tables": tables,
        "information_schema_ms": round(is_ms, 1),
    }


SIGNUPS = 20


def signup_rows(stack, n, tag):
    """n pending sign-ups as signup_start() leaves them (the owner's
    argon2id hash made once, as the sign-up form did): their tokens."""
    pw = stack.query("SELECT pw_hash FROM souk_accounts ORDER BY id "
        "LIMIT 1")[0][0]
    toks = []
    for i in range(n):
        tok = secrets.token_hex(32)
        h = hashlib.sha256(tok.encode()).hexdigest()
        slug = f"su-{tag}-{i:02d}"
        stack.query("INSERT INTO souk_signups (kind, token_hash, email, "
            "pw_hash, shop_name, slug, locale, currency, expires_at) "
            f"VALUES ('new', UNHEX('{h}'), '{slug}@signup.example', "
            f"'{pw}', 'Shop {slug}', '{slug}', 'en', 'EUR', "
            "NOW() + INTERVAL 1 DAY)")
        toks.append(tok)
    return toks


def confirm_ms(stack, tok):
    """Opens a sign-up link and confirms it (the link's page is a form):
    the confirming POST's round trip on loopback, through nginx: the
    account, the shop, the session and the redirect to it."""
    c = Session(stack)
    path = f"/signup/confirm/{tok}"
    page = c.get(path)
    csrf = form_field(page.text, "csrf")
    t = time.monotonic()
    r = c.post(path, {"csrf": csrf} if csrf else {})
    ms = (time.monotonic() - t) * 1000
    if r.status != 303:
        raise StackError(f"sign-up confirm: {r.status} {r.text[:500]}")
    return ms


def signups(stack):
    """Sign-up to a live shop, server side (issue 15: median under
    10 ms): SIGNUPS links confirmed with shops in stock
    (platform/shop_stock.h), then SIGNUPS with the stock empty (the
    tables made for each)."""
    out = {}
    for kind in ("stock", "none"):
        toks = signup_rows(stack, SIGNUPS, kind)
        if kind == "stock":
            stack.soukctl("shop", "stock", "--fill",
                conf={"shop_stock": SIGNUPS})
        times = [confirm_ms(stack, t) for t in toks]
        out[kind] = {"ms": [round(x, 1) for x in times],
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(pct(times, 95), 1)}
    return out


def tenant_ids(stack):
    return {slug: int(i) for i, slug in
            stack.query("SELECT id, slug FROM souk_tenants")}


def load_data(stack, nshops, products, shop_products):
    ids = tenant_ids(stack)
    path = os.path.join(stack.dir, "load.sql")
    t0 = time.monotonic()
    with open(path, "w") as f:
        f.write("SET unique_checks = 0; SET foreign_key_checks = 0;\n")
        # One transaction a shop: one durable commit, not one a batch.
        f.write("START TRANSACTION;\n")
        for stmt in load.big_shop_sql(ids[BIG], products=products):
            f.write(stmt + "\n")
        f.write("COMMIT;\n")
        for i in range(1, nshops + 1):
            f.write("START TRANSACTION;\n")
            for stmt in load.small_shop_sql(ids[SHOP_FMT % i],
                    products=shop_products):
                f.write(stmt + "\n")
            f.write("COMMIT;\n")
        f.write(f"UPDATE souk_tenants SET locales = 'en,de,ja' "
            f"WHERE id = {ids[BIG]};\n")
    gen = time.monotonic() - t0
    log(f"loading {os.path.getsize(path) >> 20} MB of SQL")
    t1 = time.monotonic()
    with open(path, "rb") as f:
        r = subprocess.run(["mariadb", "--no-defaults",
            f"--socket={stack.db.socket}", "-uroot",
            "--default-character-set=utf8mb4", stack.db_name], stdin=f,
            capture_output=True)
    if r.returncode != 0:
        raise StackError("loading the data failed: " +
            r.stderr.decode(errors="replace")[-2000:])
    os.unlink(path)
    load_s = time.monotonic() - t1
    # Texts written past souk have no search index: built as an operator
    # does after such a load (`soukctl shop reindex`), the big shop's
    # timed, the small ones' 4 at a time (left to souk-worker, it would
    # be building them while the bench times its mail).
    t2 = time.monotonic()
    stack.soukctl("shop", "reindex", BIG)
    index_s = time.monotonic() - t2
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        list(ex.map(lambda i: stack.soukctl("shop", "reindex",
            SHOP_FMT % i), range(1, nshops + 1)))
    return {"generate_s": round(gen, 1),
            "load_s": round(load_s, 1),
            "index_s": round(index_s, 1),
            "big_products": products, "big_variants": products * 4,
            "small_shops": nshops, "small_products": nshops * shop_products}


def import_csv(stack, products):
    """Times `soukctl shop import` of a generated WooCommerce file into
    a fresh shop; the report's counts with it."""
    create_shop(stack, IMPORT_SHOP)
    path = os.path.join(stack.dir, "import.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, gen_woo_csv.HEADER, lineterminator="\r\n")
        w.writeheader()
        for row in gen_woo_csv.rows(products):
            w.writerow(row)
    size = os.path.getsize(path)
    log(f"importing {products:,} products ({size / 1e6:.1f} MB of CSV)")
    t0 = time.monotonic()
    r = stack.soukctl("shop", "import", IMPORT_SHOP, path)
    took = time.monotonic() - t0
    os.unlink(path)
    m = re.search(r"^products new (\d+).*\nvariants new (\d+)", r.stdout,
                  re.M)
    if not m:
        raise StackError(f"import: no report in {r.stdout[-2000:]}")
    return {"products": int(m.group(1)), "variants": int(m.group(2)),
            "csv_bytes": size, "seconds": round(took, 1),
            "target_s": IMPORT_TARGET_S, "ok": took < IMPORT_TARGET_S}


def found(stack, host, word, lang="en"):
    """Whether a search for word in lang on host lists products."""
    r = stack.get(f"/search?lang={lang}&q=" + urllib.parse.quote(word),
                  host=host,
                  headers={"Cookie": NOCACHE_COOKIE})
    return r.status == 200 and b'href="/p/' in r.body


def admin_login(stack, host):
    s = stack.session(host)
    r = s.get("/admin/login")
    csrf = form_field(r.text, "csrf")
    r = s.post("/admin/login", {"email": f"owner@{BIG}.example",
        "password": PASSWORD, "csrf": csrf})
    if r.status != 303 or "souk_admin" not in s.cookies:
        raise StackError(f"admin login: {r.status} {r.text[:300]}")
    r = s.get("/admin/products")
    csrf = form_field(r.text, "csrf")
    if r.status != 200 or not csrf:
        raise StackError(f"admin products: {r.status}, csrf {csrf!r}")
    return f"souk_admin={s.cookies['souk_admin']}", csrf


def hold(stack, env):
    """--hold: the stack stays up for a look (mariadb -S its socket,
    curl its port, wrk with bench.env) until Enter or a signal."""
    path = os.path.join(stack.dir, "bench.env")
    with open(path, "w") as f:
        for k, v in sorted(env.items()):
            if k.startswith("BENCH_"):
                f.write(f"export {k}={shlex.quote(v)}\n")
        f.write(f"export BENCH_PORT={stack.port}\n")
        f.write(f"export BENCH_DB_SOCKET={stack.db.socket}\n")
    log(f"holding: port {stack.port}, MariaDB {stack.db.socket}, "
        f"environment in {path}; Enter or SIGTERM ends it")
    try:
        sys.stdin.readline() if sys.stdin.isatty() else signal.pause()
    except KeyboardInterrupt:
        pass


def api_key(stack, host):
    """A read key of the big shop, made on its admin page: the
    Authorization header of the API scenarios (HTTP Basic, as
    integrations over HTTPS send it)."""
    s = stack.session(host)
    r = s.get("/admin/login")
    r = s.post("/admin/login", {"email": f"owner@{BIG}.example",
        "password": PASSWORD, "csrf": form_field(r.text, "csrf")})
    r = s.get("/admin/api-keys")
    r = s.post("/admin/api-keys", {"description": "bench",
        "permission": "read", "csrf": form_field(r.text, "csrf")})
    ck = re.search(r'value="(ck_[0-9a-f]{40})"', r.text)
    cs = re.search(r'value="(cs_[0-9a-f]{40})"', r.text)
    if r.status != 201 or not ck or not cs:
        raise StackError(f"api key: {r.status} {r.text[:300]}")
    raw = f"{ck.group(1)}:{cs.group(1)}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def cart_setup(stack, ncarts):
    """What the cart and order scenarios need in the big shop: shipping
    to Germany (flat 4.90) with German VAT, plenty of stock for the
    first variant of products 1..1000, and ncarts carts ready to order
    (bench/wrk/cart-place-order.lua): cart k's cookie is "9" and k in 63
    digits, its line one unit of product k % 1000 + 1's first variant,
    its checkout filled in (address, flat shipping, bank transfer).
    MariaDB's sequence engine makes them in a few statements."""
    p = f"s{tenant_ids(stack)[BIG]}_"
    q = stack.query
    q(f"INSERT INTO {p}ship_zones (name, countries) VALUES ('Germany', 'DE')")
    q(f"INSERT INTO {p}ship_methods (zone_id, kind, name, cost) SELECT id, "
      f"'flat', 'Post', {PLACE_SHIPPING} FROM {p}ship_zones")
    q(f"INSERT INTO {p}tax_rates (class, country, rate, name) VALUES "
      "('standard', 'DE', 190000, 'VAT')")
    method = q(f"SELECT MIN(id) FROM {p}ship_methods")[0][0]
    q(f"UPDATE {p}variants SET stock = 100000000 WHERE product_id <= 1000 "
      "AND position = 0")
    address = ('{"name": "Bench Shopper", "company": "", "line1": '
               '"Street 1", "line2": "", "city": "Berlin", "region": "", '
               '"postcode": "10115", "country": "DE", "phone": ""}')
    checkout = ('{"email": "bench@example.com", "ship": %s, "bill": %s, '
                '"bill_same": true, "method_id": %s, "payment": "bacs", '
                '"step": 1}' % (address, address, method))
    token = "UNHEX(SHA2(CONCAT('9', LPAD(s.seq, 63, '0')), 256))"
    q(f"INSERT INTO {p}carts (token_hash, checkout) SELECT {token}, "
      f"'{checkout}' FROM seq_0_to_{ncarts - 1} s")
    q(f"INSERT INTO {p}cart_items (cart_id, product_id, variant_id, qty) "
      f"SELECT c.id, s.seq % 1000 + 1, (s.seq % 1000) * 4 + 1, 1 FROM "
      f"seq_0_to_{ncarts - 1} s JOIN {p}carts c ON c.token_hash = {token}")


# ---------------------------------------------------------------- wrk

def scenarios(only=None):
    out = []
    for name in sorted(os.listdir(os.path.join(HERE, "wrk"))):
        if not name.endswith(".lua") or name.startswith("_"):
            continue
        meta = {"name": name[:-4], "path": os.path.join(HERE, "wrk", name),
                "order": 500, "expect": 200}
        with open(meta["path"]) as f:
            for line in f:
                m = re.match(r"--\s*(\w+):\s*(.*\S)", line)
                if not m:
                    if line.startswith("--"):
                        continue
                    break
                k, v = m.group(1), m.group(2)
                if k in ("order", "expect"):
                    v = int(v)
                elif k == "target":
                    ref, ratio = v.split()
                    v = (ref, float(ratio))
                elif k == "p99":
                    v = [float(x) for x in v.split()]
                meta[k] = v
        if only and "baseline" not in meta and only not in meta["name"]:
            continue
        out.append(meta)
    return sorted(out, key=lambda m: (m["order"], m["name"]))


STATUS_RE = re.compile(rb'^\S+ - \[[^\]]*\] "[^"]*" "[^"]*" (\d{3}) ')


def statuses_since(path, mark):
    counts = {}
    with open(path, "rb") as f:
        f.seek(mark)
        for line in f:
            m = STATUS_RE.match(line)
            k = int(m.group(1)) if m else 0
            counts[k] = counts.get(k, 0) + 1
    return counts


def wrk(stack, sc, conns, seconds, env, timeout_s=5):
    argv = ["wrk", "-t2", f"-c{conns}", f"-d{seconds}s",
            f"--timeout={timeout_s}s", "-s", sc["path"],
            f"http://127.0.0.1:{stack.port}"]
    r = subprocess.run(argv, env=env, capture_output=True, text=True,
        timeout=seconds + 60)
    for line in r.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line[len("BENCH_JSON "):])
    raise StackError(f"wrk {sc['name']}: no result ({r.returncode})\n"
        f"{r.stdout[-1500:]}{r.stderr[-1500:]}")


def cpu_ticks(pids):
    t = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                st = f.read()
            v = st[st.rindex(")") + 2:].split()
            t += int(v[11]) + int(v[12])
        except (OSError, ValueError, IndexError):
            pass
    return t


def drain(stack, limit=120):
    """Waits until the pool and MariaDB are idle: requests nginx gave up
    on (wrk stopped, timeouts) may still wait in the pool's backlog, and
    would slow the next run down."""
    pids = stack.pool_worker_pids() + [stack.db.pid()]
    deadline = time.monotonic() + limit
    last = cpu_ticks(pids)
    while time.monotonic() < deadline:
        time.sleep(0.3)
        now = cpu_ticks(pids)
        if now - last <= 3:     # 10 ms ticks: under 10% of a core
            return
        last = now
    log(f"  (the pool was still busy after {limit} s)")


def measure(stack, sc, conns, args, env):
    drain(stack)
    if args.warmup > 0:
        wrk(stack, sc, conns, args.warmup, env)
    access = stack.log_files()["nginx-access"]
    drain(stack)
    mark = os.path.getsize(access)
    w = wrk(stack, sc, conns, args.duration, env)
    time.sleep(0.2)
    st = statuses_since(access, mark)
    # 499: wrk stopped with the request in flight (the end of the run).
    bad = sum(n for s, n in st.items() if s not in (sc["expect"], 499))
    sock = w["connect"] + w["read"] + w["write"] + w["timeout"]
    if w["requests"] == 0:
        sock = max(sock, 1)     # nothing came back in time: an error
    secs = w["duration_us"] / 1e6
    res = {
        "scenario": sc["name"], "connections": conns,
        "rps": round(w["requests"] / secs, 1),
        "p50_ms": round(w["p50_us"] / 1000, 2),
        "p90_ms": round(w["p90_us"] / 1000, 2),
        "p99_ms": round(w["p99_us"] / 1000, 2),
        "max_ms": round(w["max_us"] / 1000, 1),
        "requests": w["requests"],
        "bytes_per_response": round(w["bytes"] / max(1, w["requests"])),
        "errors": bad + sock, "socket_errors": sock,
        "statuses": {str(k): v for k, v in sorted(st.items())},
    }
    log(f"  {sc['name']:<16} c={conns:<3} {res['rps']:>9.0f} req/s  "
        f"p50 {res['p50_ms']:.2f} ms  p99 {res['p99_ms']:.2f} ms  "
        f"errors {res['errors']}")
    return res


def queued_jobs(stack):
    return int(stack.db.query("SELECT COUNT(*) FROM souk_jobs WHERE "
        "dead_at IS NULL", db=stack.db_name)[0][0])


def mail_drain(stack, seconds):
    """souk-worker started on the jobs the runs queued (the orders'
    mails), sending to the SMTP stand-in: how many it did in at most
    seconds. None when nothing was queued."""
    queued = queued_jobs(stack)
    if queued == 0:
        return None
    t0 = time.monotonic()
    stack.start_mail()
    left = queued
    while left > 0 and time.monotonic() - t0 < seconds:
        time.sleep(0.5)
        left = queued_jobs(stack)
    took = time.monotonic() - t0
    stack.stop_mail()
    return {"queued": queued, "sent": queued - left,
        "seconds": round(took, 1),
        "per_s": round((queued - left) / took)}


def perf_profile(stack, sc, conns, seconds, env, outdir):
    """perf record -g system-wide while sc runs; CPU by process and the
    pool workers' top symbols (self time)."""
    data = os.path.join(outdir, f"perf-{sc['name']}.data")
    p = subprocess.Popen(["wrk", "-t2", f"-c{conns}",
        f"-d{seconds + 2}s", "-s", sc["path"],
        f"http://127.0.0.1:{stack.port}"], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1)
        subprocess.run(["perf", "record", "-g", "-a", "-F", "999", "-o",
            data, "--", "sleep", str(seconds)], capture_output=True,
            check=True)
    finally:
        p.wait()

    def report(*extra):
        r = subprocess.run(["perf", "report", "-i", data, "--stdio",
            "--no-children", "--percent-limit", "0.5", "-g", "none"] +
            list(extra), capture_output=True, text=True)
        rows = []
        for line in r.stdout.splitlines():
            m = re.match(r"\s+([\d.]+)%\s+(.*\S)", line)
            if m:
                name = " ".join(m.group(2).split())
                rows.append([float(m.group(1)),
                    re.sub(r"( -)+$", "", name)])
        return rows
    workers = ",".join(str(p) for p in stack.pool_worker_pids())
    db = str(stack.db.pid())
    rel = ["--percentage", "relative"]
    return {
        "scenario": sc["name"], "connections": conns, "seconds": seconds,
        "by_process": report("--sort", "comm")[:10],
        "worker_by_dso": report("--pid", workers, "--sort", "dso",
            *rel)[:12],
        "worker_symbols": report("--pid", workers, "--sort",
            "dso,symbol", *rel)[:30],
        "mariadb_by_dso": report("--pid", db, "--sort", "dso", *rel)[:8],
        "mariadb_symbols": report("--pid", db, "--sort", "dso,symbol",
            *rel)[:12],
    }


# ---------------------------------------------------------------- report

def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1])

    def ver(argv):
        try:
            r = subprocess.run(argv, capture_output=True, text=True)
            return (r.stdout + r.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "?"
    return {"nproc": os.cpu_count(), "cpu": model,
            "ram_gb": round(mem / 1024 / 1024, 1),
            "kernel": platform.release(),
            "nginx": ver(["nginx", "-v"]),
            "mariadb": ver(["mariadbd", "--version"]),
            "wrk": ver(["wrk", "-v"])}


def evaluate(results, scs, shops):
    """Ratios to the baselines and the targets' verdicts."""
    by = {}
    for r in results:
        by.setdefault((r["scenario"], r["connections"]), []).append(r)
    base = {}
    for sc in scs:
        if "baseline" in sc:
            for (name, c), rs in by.items():
                if name == sc["name"]:
                    base[(sc["baseline"], c)] = statistics.mean(
                        x["rps"] for x in rs)
    rows = []
    for sc in scs:
        for (name, c), rs in sorted(by.items(), key=lambda x: x[0][1]):
            if name != sc["name"]:
                continue
            r = dict(rs[-1]) if "baseline" not in sc else dict(rs[0])
            if "baseline" in sc:
                r["rps"] = round(base[(sc["baseline"], c)], 1)
                r["runs_rps"] = [x["rps"] for x in rs]
                r["errors"] = sum(x["errors"] for x in rs)
            r["title"] = sc.get("title", name).replace("{shops}",
                f"{shops:,}")
            r["vs_static"] = round(r["rps"] / base[("static", c)], 3) \
                if ("static", c) in base else None
            r["vs_hello"] = round(r["rps"] / base[("hello", c)], 3) \
                if ("hello", c) in base else None
            verdicts = []
            if "target" in sc:
                ref, want = sc["target"]
                if ("static" if ref == "static" else ref, c) in base:
                    have = r["vs_" + ref]
                else:
                    refr = by.get((ref, c))
                    have = round(r["rps"] / refr[-1]["rps"], 3) \
                        if refr else None
                    r["vs_" + ref] = have
                verdicts.append({"what": f"req/s >= {want:.0%} of {ref}",
                    "have": f"{have:.0%}" if have is not None else "?",
                    "ok": have is not None and have >= want})
            # "p99: A B": A at 10 connections, B at 100; "p99: A": a
            # target at 10 connections only.
            lim = None
            if "p99" in sc:
                lim = sc["p99"][0] if c <= 10 else \
                    (sc["p99"][1] if len(sc["p99"]) > 1 else None)
            if lim is not None:
                verdicts.append({"what": f"p99 < {lim:g} ms",
                    "have": f"{r['p99_ms']:.1f} ms",
                    "ok": r["p99_ms"] < lim})
            if r["errors"]:
                verdicts.append({"what": "no errors",
                    "have": str(r["errors"]), "ok": False})
            r["verdicts"] = verdicts
            rows.append(r)
    return rows


def markdown(doc):
    m = doc["machine"]
    out = [f"# souk benchmark, {doc['date']}", "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, "
        f"Linux {m['kernel']}; {m['nginx']}; {m['mariadb']}; "
        f"{m['wrk']}.", "",
        f"Run: `{doc['command']}`: {doc['warmup_s']} s warm-up + "
        f"{doc['duration_s']} s per run, wrk -t2, pool of "
        f"{doc['workers']} workers, commit {doc['commit']}. Baselines "
        "ran before and after the scenarios; their mean is the "
        "reference (both runs in the JSON).", "",
        "MariaDB's caches (mariadb/60-souk.cnf's, as far as the "
        "machine's open files allow): " + ", ".join(
            f"{k} {v}" for k, v in doc.get("mariadb_caches", {}).items())
        + ".", "",
        "| scenario | conns | req/s | p50 ms | p99 ms | errors | "
        "vs static | vs hello | targets |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in doc["table"]:
        tg = "; ".join(f"{v['what']}: {v['have']} "
            f"{'ok' if v['ok'] else '**missed**'}" for v in r["verdicts"])
        vs = lambda x: f"{x:.0%}" if x is not None else ""  # noqa: E731
        out.append(f"| {r['title']} | {r['connections']} | "
            f"{r['rps']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
            f"{r['errors']} | {vs(r['vs_static'])} | {vs(r['vs_hello'])} "
            f"| {tg} |")
    p = doc["provisioning"]
    out += ["", "## Provisioning", "",
        f"- `soukctl shop create` (process start, owner account with its "
        f"argon2id hash, 8 tables, staff row), 20 one after the other: "
        f"median **{p['median_ms']} ms**, p95 {p['p95_ms']} ms "
        f"(target: median under 100 ms: "
        f"{'ok' if p['median_ms'] < 100 else 'missed'}).",
        ] + ([
        f"- Sign-up to a live shop, server side (the sign-up link's "
        f"confirming POST through nginx: account, shop, session, "
        f"redirect), {SIGNUPS} one after the other: from the stock of "
        f"shops made ahead, median **{p['signup']['stock']['median_ms']}"
        f" ms**, p95 {p['signup']['stock']['p95_ms']} ms (target: median "
        f"under 10 ms: "
        f"{'ok' if p['signup']['stock']['median_ms'] < 10 else 'missed'}"
        f"); with the stock empty (tables made for it), median "
        f"{p['signup']['none']['median_ms']} ms, p95 "
        f"{p['signup']['none']['p95_ms']} ms."] if "signup" in p else []) + [
        f"- {p['shops']} shops, {p['parallel']} soukctl at a time: "
        f"{p['total_s']} s ({p['per_shop_ms']} ms a shop).",
        f"- After them: MariaDB RSS {p['mariadb_rss_kb'] / 1024:.0f} MB, "
        f"{p['tables']} tables (information_schema count: "
        f"{p['information_schema_ms']} ms)."]
    d = doc["data"]
    out += ["", "## Data", "",
        f"Big shop: {d['big_products']:,} products, {d['big_variants']:,} "
        f"variants, 300 categories in 3 levels, texts in en and de; "
        f"{d['small_shops']:,} small shops with "
        f"{d['small_products']:,} products in all. SQL generated in "
        f"{d['generate_s']} s, loaded in {d['load_s']} s."]
    imp = doc["import"]
    quick = doc["command"].endswith("QUICK=1")
    m = doc.get("mail")
    if m:
        out += ["", "## Mail", "",
            f"The runs queued {m['queued']:,} jobs (the orders' mails); "
            f"`souk-worker` then did {m['sent']:,} of them in "
            f"{m['seconds']} s (**{m['per_s']}/s**), rendering each mail "
            "and sending it over SMTP to the Python stand-in on the same "
            "cores. Neither ran during the measured runs."]
    out += ["", "## CSV import", "",
        f"`soukctl shop import` of a WooCommerce CSV "
        f"(bench/gen_woo_csv.py, {imp['csv_bytes'] / 1e6:.1f} MB, "
        f"no images) "
        f"into a fresh shop: **{imp['products']:,} products with "
        f"{imp['variants']:,} variants in {imp['seconds']} s** (target: "
        f"10,000 products with 40,000 variants under "
        f"{imp['target_s']} s: "
        f"{'ok' if imp['ok'] else 'missed'}"
        f"{'; a tenth of it with QUICK=1' if quick else ''})."]
    mem = doc["memory"]
    out += ["", "## Memory (VmRSS)", "",
        "| | master | workers |", "|---|---:|---|"]
    for k in ("idle", "after"):
        w = ", ".join(f"{x / 1024:.1f}" for x in mem[k]["workers_kb"]
            if x)
        out.append(f"| {k} | {mem[k]['master_kb'] / 1024:.1f} MB | "
            f"{w} MB |")
    out.append(f"\nMariaDB at the end: "
        f"{mem['mariadb_end_kb'] / 1024:.0f} MB.")
    for pr in doc.get("profiles", []):
        out += ["", f"## Profile: {pr['scenario']}, {pr['connections']} "
            f"connections, {pr['seconds']} s (perf record -g -a, self time)",
            "", "CPU by process: " + ", ".join(f"{n} {p:.1f}%"
                for p, n in pr["by_process"]), "",
            "Pool workers by object (% of the workers' samples): " +
            ", ".join(f"{n} {p:.1f}%" for p, n in pr["worker_by_dso"]),
            "", "Top symbols in the workers (% of the workers' samples):",
            ""]
        out += [f"- {p:.1f}% {n}" for p, n in pr["worker_symbols"][:20]]
        out += ["", "mariadbd by object: " + ", ".join(f"{n} {p:.1f}%"
            for p, n in pr["mariadb_by_dso"]), "",
            "Top symbols in mariadbd (% of its samples):", ""]
        out += [f"- {p:.1f}% {n}" for p, n in pr["mariadb_symbols"][:10]]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--hello", required=True)
    ap.add_argument("--dir", default=os.path.join(REPO, "build", "bench"))
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--quick", action="store_true",
        help="a few seconds a run: a smoke check, not a measurement")
    ap.add_argument("--duration", type=int)
    ap.add_argument("--warmup", type=int)
    # As the README's souk.conf: requests that wait on a redo-log flush
    # (add to cart, place order) leave a core idle with 4.
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--connections", default="10,100")
    ap.add_argument("--shops", type=int,
        help="small shops (default 1000; 100 with --quick)")
    ap.add_argument("--products", type=int, default=10000)
    ap.add_argument("--parallel", type=int, default=4,
        help="soukctl processes creating the shops")
    ap.add_argument("--only", help="only scenarios whose name has this")
    ap.add_argument("--conf", action="append", default=[],
        metavar="KEY=VALUE", help="a souk.conf key for the bench's stack "
        "(repeatable), e.g. log_requests=0 for an A/B")
    ap.add_argument("--hold", action="store_true",
        help="after the runs, keep the stack up until Enter or SIGTERM "
        "(its environment in DIR/stack/bench.env): to look into it")
    ap.add_argument("--profile", action="store_true",
        help="perf record the product and home pages")
    args = ap.parse_args()
    args.duration = args.duration or (2 if args.quick else 20)
    args.shops = args.shops or (100 if args.quick else 1000)
    args.warmup = args.warmup if args.warmup is not None else \
        (1 if args.quick else 5)
    conns = [int(c) for c in args.connections.split(",")]
    started = time.monotonic()

    shutil.rmtree(args.dir, ignore_errors=True)
    os.makedirs(args.dir)
    # The API scenarios send one key's requests by the thousand: its
    # rate limit (100 per 15 minutes by default) raised out of the way,
    # still counted as in production.
    conf = {"api_rate_limit": 1000000000}
    for kv in args.conf:
        k, sep, v = kv.partition("=")
        if not sep or not k.strip():
            ap.error(f"--conf {kv!r}: want KEY=VALUE")
        conf[k.strip()] = v.strip()
    stack = BenchStack(args.bin, os.path.join(args.dir, "stack"),
        workers=args.workers, conf=conf, db_settings=shipped_db_settings())
    os.makedirs(stack.www, exist_ok=True)
    hello = None
    caches = {}
    install_signal_handlers()
    try:
        log(f"starting MariaDB, souk-fcgi ({args.workers} workers) and "
            f"nginx in {stack.dir}")
        stack.start()
        # Off while measuring: an order queues its mails (as the issue
        # defines the scenario), and the SMTP stand-in is a Python
        # program standing for a relay on another machine, not a part
        # of souk to load these cores with. Mail is timed on its own
        # after the runs (mail_drain()).
        stack.stop_mail()
        caches = {k: stack.query(f"SELECT @@{k}")[0][0]
                  for k in SHIPPED_CACHES}
        prov = provision(stack, args.shops, args.parallel)
        prov["signup"] = signups(stack)
        log(f"sign-up to live shop: median "
            f"{prov['signup']['stock']['median_ms']} ms from stock, "
            f"{prov['signup']['none']['median_ms']} ms without")
        log(f"provisioning: median {prov['median_ms']} ms, p95 "
            f"{prov['p95_ms']} ms; {args.shops} shops in "
            f"{prov['total_s']} s; {prov['tables']} tables")
        data = load_data(stack, args.shops, args.products, 50)
        log(f"data loaded in {data['load_s']} s, the big shop's search "
            f"index built in {data['index_s']} s")
        imp = import_csv(stack, IMPORT_PRODUCTS // 10 if args.quick
                         else IMPORT_PRODUCTS)
        log(f"import: {imp['products']:,} products, {imp['variants']:,} "
            f"variants in {imp['seconds']} s (target {IMPORT_TARGET_S} s"
            f" for {IMPORT_PRODUCTS:,}: "
            f"{'ok' if imp['ok'] else 'missed'})")
        stack.restart_pool()
        stack.wait_workers()
        time.sleep(0.5)
        idle = pool_memory(stack)

        host = stack.shop_host(BIG)
        cookie, csrf = admin_login(stack, host)
        api_auth = api_key(stack, host)
        hot = "p-1"
        r = stack.get(f"/p/{hot}", host=host)
        if r.status != 200 or r.headers.get("X-Cache") not in ("MISS",
                "EXPIRED", "HIT"):
            raise StackError(f"product page: {r.status} "
                f"X-Cache {r.headers.get('X-Cache')}")
        with open(os.path.join(stack.www, "product.html"), "wb") as f:
            f.write(r.body)
        page_bytes = len(r.body)
        hello = Proc("hello", [os.path.abspath(args.hello),
            stack.hello_socket, str(args.workers), str(page_bytes)],
            os.path.join(stack.logs, "hello.log"))
        wait_for("hello", lambda: os.path.exists(stack.hello_socket),
            hello)
        checks = {
            "cached": stack.get(f"/p/{hot}", host=host).headers.get(
                "X-Cache"),
            "bypass": stack.get(f"/p/{hot}", host=host, headers={
                "Cookie": NOCACHE_COOKIE}).headers.get("X-Cache"),
            "admin": stack.get("/admin/products", host=host, headers={
                "Cookie": cookie}).headers.get("X-Cache"),
            "small_shop": stack.get("/p/p-7", host=stack.shop_host(
                SHOP_FMT % args.shops), headers={"Cookie":
                NOCACHE_COOKIE}).status,
            "static": stack.get("/product.html", host=STATIC_HOST).status,
            "hello": len(stack.get("/", host=HELLO_HOST).body),
            # The search scenarios measure searches that find products.
            "search": found(stack, host, load.SEARCH_WORDS[0]),
            "search_ja": found(stack, host, load.JA_SEARCH_WORDS[0], "ja"),
        }
        log(f"checks: {checks}")
        if checks != {"cached": "HIT", "bypass": "BYPASS",
                "admin": "BYPASS", "small_shop": 200, "static": 200,
                "hello": page_bytes, "search": True, "search_ja": True}:
            raise StackError(f"checks failed: {checks}")

        # Carts to order from: a thread of a run takes chunk of them
        # (cart-place-order.lua); each run moves the reserved offset on
        # by 2 to 4 chunks, so 4 runs (a warm-up and a measure at each
        # connection count) stay under 20.
        # enough for 1,500 orders a second a thread (place order was
        # at ~900 a second in all).
        chunk = 1500 * max(args.duration, args.warmup)
        ncarts = chunk * (10 * len(conns) + (4 if args.profile else 0))
        log(f"preparing {ncarts} carts to order from")
        cart_setup(stack, ncarts)
        offset_file = os.path.join(stack.dir, "place-offset")
        env = dict(os.environ,
            BENCH_PLACE_CHUNK=str(chunk), BENCH_PLACE_CARTS=str(ncarts),
            BENCH_PLACE_SHIPPING=str(PLACE_SHIPPING),
            BENCH_PLACE_OFFSET_FILE=offset_file,
            BENCH_LIB=os.path.join(HERE, "wrk", "_lib.lua"),
            BENCH_BIG_HOST=host, BENCH_HOT_SLUG=hot,
            BENCH_NOCACHE_COOKIE=NOCACHE_COOKIE,
            BENCH_PRODUCTS=str(args.products),
            BENCH_CATEGORY=f"c-{load.LEAF_FIRST}",
            BENCH_DEEP_AFTER=str(load.BIG_CAT_PRODUCTS // 2),
            BENCH_FACET_QUERY=load.FACET_QUERY,
            BENCH_SEARCH_WORDS=",".join(load.SEARCH_WORDS),
            BENCH_JA_SEARCH_WORDS=",".join(load.JA_SEARCH_WORDS),
            BENCH_ADMIN_COOKIE=cookie, BENCH_CSRF=csrf, BENCH_LANGS="en,de",
            BENCH_API_AUTH=api_auth,
            BENCH_SHOP_HOST_FORMAT=stack.shop_host(SHOP_FMT),
            BENCH_SHOPS=str(args.shops), BENCH_SHOP_PRODUCTS="50",
            BENCH_STATIC_HOST=STATIC_HOST, BENCH_HELLO_HOST=HELLO_HOST)

        scs = scenarios(args.only)
        bases = [s for s in scs if "baseline" in s]
        plan = bases + [s for s in scs if "baseline" not in s] + bases
        log(f"{len(plan) * len(conns)} runs of {args.warmup} + "
            f"{args.duration} s")
        results = []
        for sc in plan:
            for c in conns:
                results.append(measure(stack, sc, c, args, env))
        after = pool_memory(stack)
        if args.hold:
            hold(stack, env)
        profiles = []
        if args.profile:
            # --only names what to profile; else the two hot pages.
            names = ([s["name"] for s in scs if "baseline" not in s]
                     if args.only else ("product", "home"))
            for name in names:
                sc = [s for s in scs if s["name"] == name]
                if sc:
                    log(f"perf: {name}")
                    profiles.append(perf_profile(stack, sc[0], max(conns),
                        10 if not args.quick else 3, env, args.dir))
        mail = mail_drain(stack, 10 if args.quick else 30)
        if mail:
            log(f"mail: {mail['sent']} of {mail['queued']} queued jobs "
                f"done in {mail['seconds']} s ({mail['per_s']}/s)")
        mem = {"idle": idle, "after": after,
               "mariadb_end_kb": rss_kb(stack.db.pid())}
    except StackError as e:
        print(f"bench: {e}\n{getattr(e, 'logs', '')}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    finally:
        if hello is not None:
            hello.stop(signal.SIGTERM, timeout=10)
        stack.stop()

    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short",
        "HEAD"], capture_output=True, text=True).stdout.strip() or "?"
    now = datetime.datetime.now()
    doc = {
        "date": now.strftime("%Y-%m-%d %H:%M"),
        "command": "make bench" + (" QUICK=1" if args.quick else ""),
        "commit": commit, "machine": machine(), "workers": args.workers,
        "duration_s": args.duration, "warmup_s": args.warmup,
        "page_bytes": page_bytes, "checks": checks,
        "provisioning": prov, "data": data, "import": imp, "memory": mem,
        "mail": mail, "mariadb_caches": caches,
        "table": evaluate(results, scs, args.shops), "runs": results,
        "profiles": profiles,
        "elapsed_s": round(time.monotonic() - started, 1),
    }
    os.makedirs(args.out, exist_ok=True)
    base = os.path.join(args.out, now.strftime("%Y-%m-%d") +
        ("-quick" if args.quick else ""))
    with open(base + ".json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    md = markdown(doc)
    with open(base + ".md", "w") as f:
        f.write(md)
    print("\n" + md)
    log(f"wrote {base}.md and .json in {doc['elapsed_s']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
