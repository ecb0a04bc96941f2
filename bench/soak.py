#!/usr/bin/env python3
"""bench/soak.py: `make soak [SHOPS=10000] [MINUTES=10]`: many shops on one
MariaDB, random-shop traffic, and what it costs. Not part of make check.

    python3 bench/soak.py --bin build/dev/bin [--shops 10000] [--minutes 10]
        [--dir build/soak] [--connections 32] [--parallel 3]
        [--products 20] [--buffer-pool SIZE] [--keep]

What it does, all under --dir (deleted at the end unless --keep; tens of
GB with 10,000 shops):
 1. a private stack (tests/stack.py: MariaDB, souk.conf, soukctl
    migrate, the pool, nginx, souk-worker) whose mariadbd runs with the
    [mariadbd] settings of mariadb/60-souk.cnf, read from the file as a
    server would (durable commits, binary logs, the table and file
    caches); log_bin is moved into the private datadir, and
    --buffer-pool overrides innodb_buffer_pool_size when given. The
    file limit is raised to souk-limits.conf's LimitNOFILE first (what
    systemd gives the real server), so open_files_limit and
    table_open_cache are not lowered: checked, and reported.
 2. provisioning: the first 20 shops with `soukctl shop create`, one
    after the other (timed: the real path); shop 1 is the template of
    the rest, which are provisioned in bulk: per shop, the same rows and
    tables provision_shop() makes (platform/provision.c: the owner's
    account, the souk_tenants row 'provisioning', the plan's first
    change, every sql/shop/*.sql file with the shop's prefix, the
    owner's staff row, then 'ready' at the schema version), as SQL
    streamed to --parallel mariadb clients. The account and staff rows
    are copies of the template's (same argon2id hash: 10,000 hashes
    would be 10,000 x ~70 ms of CPU by design, and measure nothing
    about many shops). Each shop also gets a small catalog
    (bench/load.py's small shop: 5 categories, --products products,
    2 variants each) in the same stream, one transaction a shop.
    Shops sampled afterwards must have the template's tables and
    answer 200. Free disk is watched throughout: the soak stops
    provisioning (and says so) before it would fall under 10 GB.
 3. MariaDB and the pool restarted (caches empty, as after a restart
    of the server), then traffic for --minutes: wrk (bench/wrk/
    _soak.lua, --connections connections) alternating 60 s of random
    shops (a random shop of all, then a random product, home or
    category page) with 20 s of the same pages of ONE shop, so both
    see the same machine; every request carries the cookie that
    bypasses nginx's microcache (as bench/run.py's "no cache").
    At every boundary: SHOW GLOBAL STATUS (open tables, opened tables,
    files, table cache hits and misses, buffer pool), the RSS of
    mariadbd, the pool's workers and souk-worker.
 4. writes bench/results/soak-<date>-<shops>.md and .json.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests"))
sys.path.insert(0, HERE)

import load  # noqa: E402
import run as benchrun  # noqa: E402
from stack import (FAST_DURABILITY, Stack, StackError,  # noqa: E402
                   install_signal_handlers)

SLUG_FMT = "soak-%05d"
PASSWORD = "soak password 1234"
NOCACHE_COOKIE = benchrun.NOCACHE_COOKIE
REAL_SHOPS = 20             # made by soukctl shop create, timed
MIN_FREE = 10 << 30         # bytes of free disk the soak never goes under
SEG_RANDOM = 60             # seconds of random shops a cycle
SEG_ONE = 20                # seconds of one shop a cycle
CNF = os.path.join(REPO, "mariadb", "60-souk.cnf")
LIMITS = os.path.join(REPO, "mariadb", "souk-limits.conf")
STATUS = ("Open_tables", "Opened_tables", "Open_table_definitions",
          "Opened_table_definitions", "Open_files", "Opened_files",
          "Table_open_cache_hits", "Table_open_cache_misses",
          "Table_open_cache_overflows", "Innodb_num_open_files",
          "Innodb_buffer_pool_pages_data", "Innodb_buffer_pool_pages_free",
          "Innodb_buffer_pool_pages_total", "Innodb_buffer_pool_bytes_data",
          "Innodb_buffer_pool_read_requests", "Innodb_buffer_pool_reads",
          "Questions", "Threads_connected", "Memory_used", "Uptime")
VARIABLES = ("table_open_cache", "table_open_cache_instances",
             "table_definition_cache", "innodb_open_files",
             "open_files_limit", "innodb_buffer_pool_size",
             "innodb_log_file_size", "innodb_flush_log_at_trx_commit",
             "sync_binlog", "log_bin", "binlog_format", "max_connections",
             "innodb_stats_on_metadata", "innodb_file_per_table")

log = benchrun.log


# ---------------------------------------------------------------- settings

def read_cnf(path, section="mariadbd"):
    """The key = value lines of [section] of a MariaDB option file."""
    out, cur = {}, None
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            m = re.fullmatch(r"\[(\S+)\]", line)
            if m:
                cur = m.group(1)
                continue
            if cur != section:
                continue
            k, _, v = line.partition("=")
            out[k.strip().replace("-", "_")] = v.strip()
    return out


def limit_nofile(path):
    with open(path) as f:
        m = re.search(r"^LimitNOFILE=(\d+)", f.read(), re.M)
    return int(m.group(1)) if m else None


def raise_nofile(want):
    """The file limit of this process and so of mariadbd (as systemd's
    LimitNOFILE does for the real one); what it got."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(want, hard)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


# ---------------------------------------------------------------- measures

def rss_kb(pid):
    return benchrun.rss_kb(pid) or 0


def tree_rss_kb(pid):
    """RSS of pid and its children (a pool: master + workers)."""
    from stack import children_of
    if not pid:
        return None
    return rss_kb(pid) + sum(rss_kb(c) for c in children_of(pid))


def free_bytes(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def du_bytes(path):
    r = subprocess.run(["du", "-sb", path], capture_output=True, text=True)
    try:
        return int(r.stdout.split()[0])
    except (IndexError, ValueError):
        return None


def status(stack):
    names = ",".join(f"'{n}'" for n in STATUS)
    rows = stack.db.query(f"SHOW GLOBAL STATUS WHERE Variable_name IN "
                          f"({names})")
    return {k: int(v) if v.lstrip("-").isdigit() else v for k, v in rows}


def variables(stack):
    names = ",".join(f"'{n}'" for n in VARIABLES)
    return dict(stack.db.query(f"SHOW GLOBAL VARIABLES WHERE Variable_name "
                               f"IN ({names})"))


def snapshot(stack):
    from stack import children_of
    m = stack.pool_master_pid()
    w = stack.worker.pid if getattr(stack, "worker", None) else None
    return {"t": time.monotonic(), "status": status(stack),
            "mariadb_kb": rss_kb(stack.db.pid()),
            "pool_master_kb": rss_kb(m) if m else None,
            "pool_workers_kb": [rss_kb(p) for p in children_of(m)]
            if m else [],
            "souk_worker_kb": tree_rss_kb(w),
            "free_bytes": free_bytes(stack.dir)}


def files_in(datadir, db="souk"):
    """Tables (.frm) and InnoDB files (.ibd) of the database."""
    frm = ibd = 0
    with os.scandir(os.path.join(datadir, db)) as it:
        for e in it:
            if e.name.endswith(".frm"):
                frm += 1
            elif e.name.endswith(".ibd"):
                ibd += 1
    return frm, ibd


# ---------------------------------------------------------------- shops

def columns(stack, table):
    return [r[0] for r in stack.query(f"SHOW COLUMNS FROM `{table}`")]


def q(s):
    return load.q(s)


def has_sql(text):
    """Whether a statement of sql/shop/ holds more than blanks and
    comments (db/migrate.c skips those too)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return any(line.strip() and not line.strip().startswith("--")
               for line in text.splitlines())


class Provisioner:
    """The bulk half of provisioning: SQL per shop, as provision_shop()
    leaves it, from the template shop's rows."""

    def __init__(self, stack, tmpl_id, products):
        self.products = products
        t = stack.query(f"SELECT owner_id, schema_version FROM "
                        f"souk_tenants WHERE id = {tmpl_id}")[0]
        self.tmpl, self.owner, self.version = tmpl_id, int(t[0]), int(t[1])
        skip = {"id", "created_at", "updated_at"}
        self.acols = [c for c in columns(stack, "souk_accounts")
                      if c not in skip]
        self.tcols = [c for c in columns(stack, "souk_tenants")
                      if c not in skip]
        self.scols = [c for c in columns(stack, f"s{tmpl_id}_staff")
                      if c not in skip]
        # The files' statements end at lines of ";;" (db/migrate.c),
        # as the client's DELIMITER ;; reads them; a file's last one
        # has none.
        stmts = []
        d = os.path.join(REPO, "sql", "shop")
        for f in sorted(os.listdir(d)):
            if f.endswith(".sql"):
                with open(os.path.join(d, f)) as fh:
                    stmts += re.split(r"(?m)^;;[ \t]*$", fh.read())
        self.schema = "DELIMITER ;;\n" + "".join(
            x.strip() + "\n;;\n" for x in stmts if has_sql(x)) + \
            "DELIMITER ;\n"

    def shop_sql(self, tid, slug):
        email = f"owner@{slug}.example"
        sub = {"email": q(email), "slug": q(slug),
               "name": q(f"Soak shop {tid}"), "owner_id": "@a",
               "status": "'provisioning'", "schema_version": "0"}

        def sel(cols):
            return ", ".join(sub.get(c, f"`{c}`") for c in cols)
        p = f"s{tid}_"
        out = [
            f"INSERT INTO souk_accounts ({', '.join(self.acols)}) SELECT "
            f"{sel(self.acols)} FROM souk_accounts WHERE id = {self.owner};",
            "SET @a = LAST_INSERT_ID();",
            f"INSERT INTO souk_tenants (id, {', '.join(self.tcols)}) SELECT "
            f"{tid}, {sel(self.tcols)} FROM souk_tenants WHERE id = "
            f"{self.tmpl};",
            "INSERT INTO souk_plan_changes (tenant_id, from_plan_id, "
            "to_plan_id, trial_ends_at, changed_at) SELECT id, NULL, "
            "plan_id, trial_ends_at, created_at FROM souk_tenants WHERE id "
            f"= {tid} AND plan_id IS NOT NULL;",
            self.schema.replace("{p}", p),
            f"INSERT INTO {p}staff ({', '.join(self.scols)}) SELECT "
            f"{sel(self.scols)} FROM s{self.tmpl}_staff WHERE role = "
            "'owner';",
            f"UPDATE souk_tenants SET status = 'ready', status_reason = '', "
            f"schema_version = {self.version} WHERE id = {tid};",
        ]
        return "\n".join(out) + "\n" + self.catalog_sql(tid)

    def catalog_sql(self, tid):
        return ("START TRANSACTION;\n" + "\n".join(
            load.small_shop_sql(tid, products=self.products)) +
            "\nCOMMIT;\n")


def create_real(stack, n):
    """Shops 1..n through soukctl shop create, one after the other."""
    times = []
    for i in range(1, n + 1):
        slug = SLUG_FMT % i
        t = time.monotonic()
        stack.create_shop(slug, name=f"Soak shop {i}",
                          owner_email=f"owner@{slug}.example",
                          password=PASSWORD)
        times.append(time.monotonic() - t)
    return times


def provision_bulk(stack, prov, ids, parallel, stop, progress):
    """ids: [(tenant id, slug, full)] (full: the shop's rows and tables,
    else only its catalog) streamed to parallel mariadb clients, shop by
    shop. stop() true: no more shops. Returns the ids done."""
    done = []
    lock = threading.Lock()

    def stream(part):
        p = subprocess.Popen(["mariadb", "--no-defaults",
            f"--socket={stack.db.socket}", "-uroot",
            "--default-character-set=utf8mb4", stack.db_name],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        try:
            p.stdin.write(b"SET unique_checks = 0;\n")
            for tid, slug, full in part:
                if stop():
                    break
                sql = prov.shop_sql(tid, slug) if full else \
                    prov.catalog_sql(tid)
                try:
                    p.stdin.write(sql.encode())
                    p.stdin.flush()
                except BrokenPipeError:
                    break
                with lock:
                    done.append(tid)
                    progress(len(done))
            p.stdin.close()
        finally:
            err = p.stderr.read().decode(errors="replace")
            rc = p.wait()
        if rc != 0:
            raise StackError(f"bulk provisioning failed ({rc}): "
                             f"{err[-2000:]}")

    parts = [ids[k::parallel] for k in range(parallel)]
    abort = threading.Event()
    user_stop = stop

    def stop():
        return abort.is_set() or user_stop()
    with concurrent.futures.ThreadPoolExecutor(parallel) as ex:
        try:
            for f in [ex.submit(stream, part) for part in parts]:
                f.result()
        except BaseException:
            # Ctrl-C, SIGTERM, a failed stream: the others stop at
            # their next shop (the executor waits for them).
            abort.set()
            raise
    return sorted(done)


# ---------------------------------------------------------------- traffic

def wrk_run(stack, conns, seconds, env):
    sc = {"name": "soak", "path": os.path.join(HERE, "wrk", "_soak.lua")}
    access = stack.log_files()["nginx-access"]
    mark = os.path.getsize(access)
    w = benchrun.wrk(stack, sc, conns, seconds, env, timeout_s=5)
    time.sleep(0.2)
    st = benchrun.statuses_since(access, mark)
    bad = sum(n for s, n in st.items() if s not in (200, 499))
    sock = w["connect"] + w["read"] + w["write"] + w["timeout"]
    secs = w["duration_us"] / 1e6
    return {"requests": w["requests"], "seconds": round(secs, 2),
            "rps": round(w["requests"] / secs, 1),
            "p50_ms": round(w["p50_us"] / 1000, 2),
            "p90_ms": round(w["p90_us"] / 1000, 2),
            "p99_ms": round(w["p99_us"] / 1000, 2),
            "max_ms": round(w["max_us"] / 1000, 1),
            "non_200": bad, "timeouts": w["timeout"],
            "socket_errors": sock,
            "statuses": {str(k): v for k, v in sorted(st.items())}}


def delta(a, b, key):
    return b["status"][key] - a["status"][key]


def summarize(segs):
    """The segments of one kind: req/s over all of them; latency as the
    request-weighted mean of the segments' percentiles, and the worst."""
    n = sum(s["requests"] for s in segs)
    secs = sum(s["seconds"] for s in segs)

    def wmean(k):
        return round(sum(s[k] * s["requests"] for s in segs) / max(1, n), 2)
    return {"segments": len(segs), "requests": n,
            "seconds": round(secs, 1), "rps": round(n / secs, 1),
            "p50_ms": wmean("p50_ms"), "p90_ms": wmean("p90_ms"),
            "p99_ms": wmean("p99_ms"),
            "p99_worst_ms": max(s["p99_ms"] for s in segs),
            "max_ms": max(s["max_ms"] for s in segs),
            "non_200": sum(s["non_200"] for s in segs),
            "timeouts": sum(s["timeouts"] for s in segs),
            "socket_errors": sum(s["socket_errors"] for s in segs),
            "opened_tables_per_s": round(sum(s["opened_tables"]
                for s in segs) / secs, 1),
            "table_cache_misses_per_s": round(sum(s["cache_misses"]
                for s in segs) / secs, 1),
            "queries_per_request": round(sum(s.get("questions", 0)
                for s in segs) / max(1, n), 2),
            "disk_reads_per_request": round(sum(s.get("disk_reads", 0)
                for s in segs) / max(1, n), 3),
            "table_cache_hit_ratio": round(sum(s["cache_hits"]
                for s in segs) / max(1, sum(s["cache_hits"] +
                s["cache_misses"] for s in segs)), 4)}


def traffic(stack, shops, minutes, conns, env, guard):
    segs = []
    snaps = [snapshot(stack)]
    one_env = dict(env, SOAK_FIRST="1", SOAK_SHOPS="1")
    all_env = dict(env, SOAK_FIRST="1", SOAK_SHOPS=str(shops))
    log("warm-up: 5 s of one shop")
    wrk_run(stack, conns, 5, one_env)
    snaps.append(snapshot(stack))
    for cycle in range(minutes):
        for kind, secs, e in (("one", SEG_ONE, one_env),
                              ("random", SEG_RANDOM, all_env)):
            if guard():
                log("free disk under the limit: traffic stopped")
                return segs, snaps
            r = wrk_run(stack, conns, secs, e)
            snaps.append(snapshot(stack))
            a, b = snaps[-2], snaps[-1]
            r.update(kind=kind, cycle=cycle,
                     opened_tables=delta(a, b, "Opened_tables"),
                     opened_defs=delta(a, b, "Opened_table_definitions"),
                     cache_hits=delta(a, b, "Table_open_cache_hits"),
                     cache_misses=delta(a, b, "Table_open_cache_misses"),
                     questions=delta(a, b, "Questions"),
                     disk_reads=delta(a, b, "Innodb_buffer_pool_reads"),
                     open_tables=b["status"]["Open_tables"],
                     open_files=b["status"]["Open_files"],
                     innodb_open_files=b["status"]["Innodb_num_open_files"],
                     mariadb_mb=round(b["mariadb_kb"] / 1024, 1))
            segs.append(r)
            log(f"  {kind:<6} {r['rps']:>7.0f} req/s p50 {r['p50_ms']:.1f}"
                f" p99 {r['p99_ms']:.1f} ms, non-200 {r['non_200']}, "
                f"timeouts {r['timeouts']}; opened tables "
                f"{r['opened_tables'] / r['seconds']:.0f}/s, open "
                f"{r['open_tables']}, mariadbd {r['mariadb_mb']} MB")
    return segs, snaps


# ---------------------------------------------------------------- report

def mb(kb):
    return f"{kb / 1024:,.0f} MB" if kb is not None else "?"


def gb(b):
    return f"{b / (1 << 30):.1f} GB" if b is not None else "?"


def markdown(doc):
    m, p, s = doc["machine"], doc["provisioning"], doc["settings"]
    r, o = doc["random"], doc["one"]
    dbm = doc["mariadb"]
    out = [f"# souk soak: {doc['shops']:,} shops, {doc['date']}", ""]
    if doc["shops"] != doc["shops_asked"]:
        out += [f"**{doc['shops_asked']:,} shops were asked for; "
                f"{doc['shops']:,} were provisioned** "
                f"({doc['short_reason']}).", ""]
    out += [
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, "
        f"Linux {m['kernel']}; {m['nginx']}; {m['mariadb']}; {m['wrk']}. "
        "A shared development VM: other engineers' builds and tests ran "
        "meanwhile, and the whole soak ran under `nice -n 15 ionice -c3`, "
        "so absolute figures are low and noisy; the ratio of the two "
        "loads, alternated minute by minute, is the figure to read.", "",
        f"Run: `{doc['command']}`, commit {doc['commit']}, pool of "
        f"{doc['workers']} workers, wrk -t2 -c{doc['connections']}, "
        f"{doc['elapsed_min']} minutes in all.", "",
        "## MariaDB settings", "",
        "mariadbd ran with the `[mariadbd]` section of "
        "`mariadb/60-souk.cnf`, read from the file" +
        (f", except `innodb_buffer_pool_size` = {s['buffer_pool_override']}"
         " (scaled down for this machine)" if s["buffer_pool_override"]
         else " (`innodb_buffer_pool_size` as shipped, not scaled down)") +
        "; `log_bin` points into the private datadir. File limit "
        f"(souk-limits.conf's LimitNOFILE {s['limit_nofile_wanted']:,}): "
        f"{s['limit_nofile']:,}. What the server reported:", "",
        "| variable | value |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in sorted(s["effective"].items())]
    out += ["", "## Provisioning", "",
        f"- {p['real_shops']} shops with `soukctl shop create`, one after "
        f"the other (process, argon2id hash of the owner's password, "
        f"{p['tables_per_shop']} tables): median **{p['real_median_ms']} "
        f"ms**, p95 {p['real_p95_ms']} ms: {p['real_rate_per_min']:.0f} "
        "shops a minute, so 10,000 shops would take "
        f"{10000 * p['real_median_ms'] / 1000 / 60:.0f} minutes this way.",
        f"- The other {p['bulk_shops']:,} in bulk (the same rows and "
        f"tables, SQL streamed to {p['parallel']} mariadb clients, with "
        f"each shop's catalog of {p['products']} products): "
        f"**{p['bulk_s']:,.0f} s, {p['bulk_rate_per_s']:.1f} shops a "
        f"second** ({p['bulk_ms_per_shop']:.0f} ms a shop, binary logs "
        "on).",
        "- Durability while provisioning: " + ("60-souk.cnf's (durable)"
        if s["durable_provisioning"] else "innodb_flush_log_at_trx_commit"
        " = 2 and sync_binlog = 0 (MariaDB was then restarted with the "
        "file's durable settings for the traffic)") + ".",
        "- Rate along the way (shops a second, each ~10% of the run): " +
        ", ".join(f"{x:.1f}" for x in p["rate_timeline"]) + ".",
        f"- Checked: {p['checked']}.", "",
        "## Tables, files, disk", "",
        f"- {doc['tables']['frm']:,} tables (`.frm` files of the souk "
        f"database: {p['tables_per_shop']} a shop), "
        f"{doc['tables']['ibd']:,} `.ibd` files (with InnoDB's hidden "
        "FULLTEXT tables).",
        f"- Datadir {gb(doc['disk']['datadir_bytes'])} after provisioning "
        f"({doc['disk']['per_shop_kb']:,.0f} KB a shop), of which binary "
        f"logs {gb(doc['disk']['binlog_bytes'])}; free disk "
        f"{gb(doc['disk']['free_before'])} before, "
        f"{gb(doc['disk']['free_min'])} at the lowest.", "",
        "## Traffic", "",
        f"{doc['minutes']} cycles of {SEG_ONE} s of one shop "
        f"({SLUG_FMT % 1}) and {SEG_RANDOM} s of a random shop of "
        f"{doc['shops']:,}; each request a random page of its shop: 60% "
        f"product (of {p['products']}), 20% home, 20% category (of 5), "
        "with the cookie that bypasses the microcache. MariaDB and the "
        "pool were restarted after provisioning: the first random minute "
        "starts with empty caches. Latency: the request-weighted mean of "
        "the segments' percentiles (wrk's), and the worst segment's p99.",
        "",
        "| load | requests | req/s | p50 ms | p90 ms | p99 ms | worst p99 "
        "| max ms | non-200 | timeouts | opened tables/s | table cache "
        "hit ratio | queries a request | buffer pool misses a request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        "---:|---:|"]
    for name, x in ((f"one shop", o), (f"random of {doc['shops']:,}", r)):
        out.append(f"| {name} | {x['requests']:,} | {x['rps']:,.0f} | "
                   f"{x['p50_ms']} | {x['p90_ms']} | {x['p99_ms']} | "
                   f"{x['p99_worst_ms']} | {x['max_ms']} | {x['non_200']} "
                   f"| {x['timeouts']} | {x['opened_tables_per_s']} | "
                   f"{x['table_cache_hit_ratio']:.1%} | "
                   f"{x.get('queries_per_request', '?')} | "
                   f"{x.get('disk_reads_per_request', '?')} |")
    out += ["", f"**Random of {doc['shops']:,} shops: {doc['ratio']:.0%} "
            "of one shop's req/s** (issue 15's target: a random product "
            "of 1,000 shops at 85% or more of one shop; this mixes "
            "product, home and category pages, over 10 times the shops).",
            "", "Segment by segment:", "",
            "| # | load | req/s | p99 ms | non-200 | opened tables/s | "
            "cache misses/s | queries a request | Open_tables | Open_files "
            "| InnoDB open files | mariadbd MB |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for i, g in enumerate(doc["segments"]):
        out.append(f"| {i + 1} | {g['kind']} | {g['rps']:,.0f} | "
                   f"{g['p99_ms']} | {g['non_200']} | "
                   f"{g['opened_tables'] / g['seconds']:,.0f} | "
                   f"{g['cache_misses'] / g['seconds']:,.0f} | "
                   f"{g.get('questions', 0) / max(1, g['requests']):.2f} | "
                   f"{g['open_tables']:,} | {g['open_files']:,} | "
                   f"{g['innodb_open_files']:,} | {g['mariadb_mb']:,} |")
    st0, st1 = dbm["before"]["status"], dbm["after"]["status"]
    out += ["", "## Memory and MariaDB", "",
        f"- mariadbd RSS: {mb(dbm['after_provisioning_kb'])} right after "
        f"provisioning; {mb(dbm['before']['mariadb_kb'])} after the "
        f"restart, before traffic; **{mb(dbm['after']['mariadb_kb'])} "
        "after the traffic**.",
        f"- After the traffic: Open_tables {st1['Open_tables']:,}, "
        f"Open_table_definitions {st1['Open_table_definitions']:,}, "
        f"Open_files {st1['Open_files']:,}, Innodb_num_open_files "
        f"{st1['Innodb_num_open_files']:,}; Opened_tables "
        f"{st1['Opened_tables'] - st0['Opened_tables']:,} during the "
        f"traffic, Table_open_cache_hits "
        f"{st1['Table_open_cache_hits'] - st0['Table_open_cache_hits']:,}, "
        f"misses {st1['Table_open_cache_misses'] - st0['Table_open_cache_misses']:,}, "
        f"overflows {st1['Table_open_cache_overflows'] - st0['Table_open_cache_overflows']:,}.",
        f"- Buffer pool: {st1['Innodb_buffer_pool_pages_data']:,} pages "
        f"of data of {st1['Innodb_buffer_pool_pages_total']:,} "
        f"({st1['Innodb_buffer_pool_bytes_data'] / (1 << 20):,.0f} MB), "
        f"{st1['Innodb_buffer_pool_reads'] - st0['Innodb_buffer_pool_reads']:,} "
        "reads from disk of "
        f"{st1['Innodb_buffer_pool_read_requests'] - st0['Innodb_buffer_pool_read_requests']:,} "
        "requests during the traffic.",
        f"- Pool: master {mb(dbm['after']['pool_master_kb'])}; workers "
        "before the traffic " + ", ".join(f"{x / 1024:.1f}" for x in
        dbm["before"]["pool_workers_kb"]) + " MB; after " +
        ", ".join(f"{x / 1024:.1f}" for x in dbm["after"]["pool_workers_kb"])
        + " MB (RSS counts the shared pages each touched).",
        f"- souk-worker (master and children): "
        f"{mb(dbm['before']['souk_worker_kb'])} before, "
        f"{mb(dbm['after']['souk_worker_kb'])} after.", "",
        "## Analysis", ""]
    out += doc.get("analysis", ["(written after the run)"])
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- main

def rerender(path, analysis):
    """--report: the .md again from the .json (with the segments'
    queries and buffer pool misses from the snapshots when the run did
    not count them), the analysis from a text file."""
    with open(path) as f:
        doc = json.load(f)
    snaps = doc["snapshots"]
    for i, g in enumerate(doc["segments"]):
        a, b = snaps[i + 1], snaps[i + 2]
        g.setdefault("questions", delta(a, b, "Questions"))
        g.setdefault("disk_reads", delta(a, b, "Innodb_buffer_pool_reads"))
    for kind in ("one", "random"):
        doc[kind] = summarize([g for g in doc["segments"]
                               if g["kind"] == kind])
    if analysis:
        with open(analysis) as f:
            doc["analysis"] = f.read().rstrip("\n").split("\n")
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    with open(path[:-len(".json")] + ".md", "w") as f:
        f.write(markdown(doc))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--report", metavar="JSON",
                    help="only write JSON's .md again (see --analysis)")
    ap.add_argument("--analysis", metavar="FILE",
                    help="with --report: the analysis section's text")
    ap.add_argument("--bin")
    ap.add_argument("--shops", type=int, default=10000)
    ap.add_argument("--minutes", type=int, default=10)
    ap.add_argument("--dir", default=os.path.join(REPO, "build", "soak"))
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--parallel", type=int, default=3,
                    help="mariadb clients provisioning in bulk")
    ap.add_argument("--products", type=int, default=20,
                    help="products a shop")
    ap.add_argument("--buffer-pool",
                    help="innodb_buffer_pool_size instead of 60-souk.cnf's")
    ap.add_argument("--durable-provisioning", action="store_true",
                    help="provision with 60-souk.cnf's durable commits "
                    "(default: innodb_flush_log_at_trx_commit=2, "
                    "sync_binlog=0 while provisioning; the traffic always "
                    "runs with the file's settings)")
    ap.add_argument("--provision-minutes", type=float, default=0,
                    help="stop provisioning after this long and soak "
                    "the shops made (0: no limit)")
    ap.add_argument("--keep", action="store_true",
                    help="leave --dir (the datadir) in place")
    args = ap.parse_args()
    if args.report:
        return rerender(args.report, args.analysis)
    if not args.bin:
        ap.error("--bin is required")
    started = time.monotonic()
    shops_asked = args.shops
    if args.shops < REAL_SHOPS + 1:
        ap.error(f"--shops: at least {REAL_SHOPS + 1}")

    settings = read_cnf(CNF)
    settings["log_bin"] = "binlog"      # inside the private datadir
    if args.buffer_pool:
        settings["innodb_buffer_pool_size"] = args.buffer_pool
    want_nofile = limit_nofile(LIMITS) or 150000
    nofile = raise_nofile(want_nofile)

    shutil.rmtree(args.dir, ignore_errors=True)
    os.makedirs(args.dir)
    free0 = free_bytes(args.dir)
    free_min = [free0]
    if free0 < MIN_FREE + (2 << 30):
        print(f"soak: {gb(free0)} free, under the {gb(MIN_FREE)} kept "
              "free plus 2 GB", file=sys.stderr)
        return 1

    def guard():
        f = free_bytes(args.dir)
        free_min[0] = min(free_min[0], f)
        return f < MIN_FREE

    prov_settings = dict(settings)
    if not args.durable_provisioning:
        prov_settings.update(FAST_DURABILITY)
    stack = Stack(args.bin, os.path.join(args.dir, "stack"),
                  workers=args.workers, db_settings=prov_settings)
    install_signal_handlers()
    short_reason = ""
    try:
        log(f"starting the stack in {stack.dir} (MariaDB with {CNF}; "
            f"file limit {nofile})")
        stack.start()
        stack.stop_stripe()
        effective = variables(stack)
        log("MariaDB: " + ", ".join(f"{k} {v}" for k, v in
                                    sorted(effective.items())))

        # -- provisioning
        log(f"provisioning: {REAL_SHOPS} shops with soukctl shop create")
        real = create_real(stack, REAL_SHOPS)
        ids = {slug: int(i) for i, slug in stack.query(
            "SELECT id, slug FROM souk_tenants")}
        tmpl = ids[SLUG_FMT % 1]
        prov = Provisioner(stack, tmpl, args.products)
        tables_per_shop = len(stack.query(
            f"SHOW TABLES LIKE 's{tmpl}\\_%'"))
        next_id = int(stack.query("SELECT MAX(id) FROM souk_tenants")[0][0])
        plan = [(ids[SLUG_FMT % i], SLUG_FMT % i, False)
                for i in range(1, REAL_SHOPS + 1)]
        plan += [(next_id + i - REAL_SHOPS, SLUG_FMT % i, True)
                 for i in range(REAL_SHOPS + 1, args.shops + 1)]
        datadir = stack.db.datadir
        used0 = du_bytes(datadir)
        timeline = []
        state = {"cap": args.shops, "t0": time.monotonic(), "last": 0,
                 "checked_at": 0}

        def progress(n):
            now = time.monotonic()
            if now - state["last"] >= 5:
                state["last"] = now
                timeline.append((now - state["t0"], n))
                log(f"  {n:,} shops' SQL sent, "
                    f"{n / (now - state['t0']):.1f}/s, free "
                    f"{gb(free_bytes(args.dir))}")
            # After 300 shops: will the rest fit in the disk?
            if n >= 300 and not state["checked_at"]:
                state["checked_at"] = n
                used = du_bytes(datadir) - used0
                per = used / n
                room = free_bytes(args.dir) - MIN_FREE - (2 << 30)
                fits = n + int(room / per) if per > 0 else args.shops
                log(f"  {per / 1024:.0f} KB a shop so far; room for "
                    f"{fits:,} shops")
                if fits < args.shops:
                    state["cap"] = fits

        progress_count = [0]

        def stop():
            if args.provision_minutes and time.monotonic() - \
                    state["t0"] > args.provision_minutes * 60:
                state["timed_out"] = True
                return True
            return progress_count[0] >= state["cap"] or guard()

        def progress2(n):
            progress_count[0] = n
            progress(n)
        log(f"provisioning: {args.shops - REAL_SHOPS:,} shops in bulk "
            f"({args.parallel} clients), and every shop's catalog")
        t0 = time.monotonic()
        state["t0"] = t0
        done = provision_bulk(stack, prov, plan, args.parallel, stop,
                              progress2)
        bulk_s = time.monotonic() - t0
        timeline.append((bulk_s, len(done)))
        made = stack.query("SELECT COUNT(*) FROM souk_tenants WHERE status "
                           "= 'ready' AND slug LIKE 'soak-%'")[0][0]
        nshops = int(made)
        # The shops are numbered 1..nshops only if no gap: the streams
        # go in step, so cut to the longest run from 1.
        have = {int(r[0]) for r in stack.query(
            "SELECT SUBSTRING(slug, 6) FROM souk_tenants WHERE status = "
            "'ready' AND slug LIKE 'soak-%'")}
        contiguous = 0
        while contiguous + 1 in have:
            contiguous += 1
        if nshops < args.shops:
            short_reason = (
                f"provisioning stopped after --provision-minutes "
                f"{args.provision_minutes:g}, to fit the time of the run"
                if state.get("timed_out") else
                f"free disk would have fallen under {gb(MIN_FREE)}"
                if state["cap"] < args.shops or guard() else "stopped")
            log(f"only {nshops:,} of {args.shops:,} shops: {short_reason}")
        nshops = contiguous
        done_set = set(done)
        bulk_n = len([1 for tid, slug, full in plan if full and tid in
                      done_set])
        db_after_prov = rss_kb(stack.db.pid())
        frm, ibd = files_in(datadir)
        used = du_bytes(datadir)
        binlogs = sum(os.path.getsize(os.path.join(datadir, f))
                      for f in os.listdir(datadir) if f.startswith("binlog."))
        log(f"provisioned {nshops:,} shops; {frm:,} tables, {ibd:,} .ibd; "
            f"datadir {gb(used)}; mariadbd {mb(db_after_prov)}")

        # -- checks: sampled shops are whole and answer
        checks = []
        samples = sorted({1, 2, REAL_SHOPS, REAL_SHOPS + 1, nshops // 2,
                          nshops})
        tmpl_tables = sorted(r[0][len(f"s{tmpl}_"):] for r in stack.query(
            f"SHOW TABLES LIKE 's{tmpl}\\_%'"))
        for i in samples:
            slug = SLUG_FMT % i
            tid = int(stack.query(f"SELECT id FROM souk_tenants WHERE slug "
                                  f"= '{slug}'")[0][0])
            t = sorted(r[0][len(f"s{tid}_"):] for r in stack.query(
                f"SHOW TABLES LIKE 's{tid}\\_%'"))
            host = stack.shop_host(slug)
            codes = [stack.get(path, host=host, headers={
                "Cookie": NOCACHE_COOKIE}).status
                for path in ("/", "/p/p-1", "/c/c-1")]
            ok = t == tmpl_tables and codes == [200, 200, 200]
            checks.append({"shop": slug, "tables_as_template": t ==
                           tmpl_tables, "status": codes, "ok": ok})
        xc = stack.get("/p/p-1", host=stack.shop_host(SLUG_FMT % 1),
                       headers={"Cookie": NOCACHE_COOKIE}).headers.get(
                           "X-Cache")
        log(f"checks: {checks}; X-Cache with the cookie: {xc}")
        if not all(c["ok"] for c in checks) or xc != "BYPASS":
            raise StackError(f"checks failed: {checks}, X-Cache {xc}")

        # -- restart: empty caches, as after a server restart
        log("restarting MariaDB and the pool")
        stack.stop_mail()
        stack.stop_pool()
        stack.db.stop()
        stack.db.settings.update({k: settings[k] for k in FAST_DURABILITY})
        stack.db.start()
        effective = variables(stack)
        stack.start_pool()
        stack.wait_workers()
        stack.start_mail()
        time.sleep(2)
        before = snapshot(stack)

        env = dict(os.environ, BENCH_LIB=os.path.join(HERE, "wrk",
                                                      "_lib.lua"),
                   BENCH_SHOP_HOST_FORMAT=stack.shop_host(SLUG_FMT),
                   BENCH_SHOP_PRODUCTS=str(args.products),
                   BENCH_NOCACHE_COOKIE=NOCACHE_COOKIE)
        log(f"traffic: {args.minutes} cycles of {SEG_ONE} s one shop + "
            f"{SEG_RANDOM} s random of {nshops:,}, {args.connections} "
            "connections")
        segs, snaps = traffic(stack, nshops, args.minutes,
                              args.connections, env, guard)
        after = snapshot(stack)
        free_end = free_bytes(args.dir)
    except StackError as e:
        print(f"soak: {e}\n{getattr(e, 'logs', '')}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("soak: interrupted", file=sys.stderr)
        return 130
    finally:
        stack.stop()
        if not args.keep:
            shutil.rmtree(args.dir, ignore_errors=True)

    one = summarize([s for s in segs if s["kind"] == "one"])
    rnd = summarize([s for s in segs if s["kind"] == "random"])
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short",
                             "HEAD"], capture_output=True,
                            text=True).stdout.strip() or "?"
    now = datetime.datetime.now()
    rate_tl = []
    if len(timeline) >= 2:
        step = max(1, len(timeline) // 10)
        pts = [(0.0, 0)] + timeline[step - 1::step]
        if pts[-1] != timeline[-1]:
            pts.append(timeline[-1])
        rate_tl = [(b[1] - a[1]) / (b[0] - a[0]) for a, b in
                   zip(pts, pts[1:]) if b[0] > a[0]]
    doc = {
        "date": now.strftime("%Y-%m-%d %H:%M"),
        "command": f"make soak SHOPS={shops_asked} MINUTES={args.minutes}"
        + (f" PROVISION_MINUTES={args.provision_minutes:g}"
           if args.provision_minutes else ""),
        "commit": commit, "machine": benchrun.machine(),
        "shops_asked": shops_asked, "shops": nshops,
        "short_reason": short_reason, "minutes": args.minutes,
        "connections": args.connections, "workers": args.workers,
        "settings": {"file": "mariadb/60-souk.cnf", "passed": settings,
                     "provisioning": prov_settings,
                     "durable_provisioning": args.durable_provisioning,
                     "buffer_pool_override": args.buffer_pool,
                     "limit_nofile_wanted": want_nofile,
                     "limit_nofile": nofile, "effective": effective},
        "provisioning": {
            "real_shops": REAL_SHOPS,
            "real_ms": [round(x * 1000, 1) for x in real],
            "real_median_ms": round(statistics.median(real) * 1000, 1),
            "real_p95_ms": round(benchrun.pct(real, 95) * 1000, 1),
            "real_rate_per_min": 60 / statistics.median(real),
            "tables_per_shop": tables_per_shop,
            "bulk_shops": bulk_n, "parallel": args.parallel,
            "products": args.products, "bulk_s": round(bulk_s, 1),
            "bulk_rate_per_s": round(bulk_n / bulk_s, 2),
            "bulk_ms_per_shop": round(bulk_s / max(1, bulk_n) * 1000, 1),
            "rate_timeline": [round(x, 2) for x in rate_tl],
            "timeline": [(round(a, 1), b) for a, b in timeline],
            "checked": "; ".join(
                f"{c['shop']}: tables as the template's "
                f"{'yes' if c['tables_as_template'] else 'NO'}, "
                f"/ /p/p-1 /c/c-1 {c['status']}" for c in checks),
            "checks": checks},
        "tables": {"frm": frm, "ibd": ibd},
        "disk": {"datadir_bytes": used, "binlog_bytes": binlogs,
                 "per_shop_kb": (used - used0) / max(1, nshops) / 1024,
                 "free_before": free0, "free_min": free_min[0],
                 "free_end": free_end},
        "mariadb": {"after_provisioning_kb": db_after_prov,
                    "before": before, "after": after},
        "segments": segs, "snapshots": snaps,
        "one": one, "random": rnd,
        "ratio": round(rnd["rps"] / one["rps"], 3) if one["rps"] else None,
        "elapsed_min": round((time.monotonic() - started) / 60, 1),
    }
    os.makedirs(args.out, exist_ok=True)
    base = os.path.join(args.out, f"soak-{now.strftime('%Y-%m-%d')}-"
                        f"{nshops}")
    with open(base + ".json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    md = markdown(doc)
    with open(base + ".md", "w") as f:
        f.write(md)
    print("\n" + md)
    log(f"wrote {base}.md and .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
