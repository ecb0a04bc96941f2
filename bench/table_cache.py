#!/usr/bin/env python3
"""bench/table_cache.py: what MariaDB's table caches cost in memory.

    python3 bench/table_cache.py [--shops 300] [--dir build/table-cache]

Starts a private mariadbd with mariadb/60-souk.cnf's cache settings
(a small buffer pool), creates --shops shops' tables from sql/shop/,
restarts it (caches empty), then opens every table once and reports
the server's RSS before and after, per table opened (README.md,
"Database").
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests"))
import stack as stackmod  # noqa: E402

SETTINGS = {"table_open_cache": "50000", "table_definition_cache": "50000",
            "innodb_open_files": "50000", "open_files_limit": "150000",
            "innodb_buffer_pool_size": "128M"}


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def client(db, sql):
    subprocess.run(["mariadb", "--no-defaults", f"--socket={db.socket}",
                    "-uroot", "--force", "souk"], input=sql.encode(),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shops", type=int, default=300)
    ap.add_argument("--dir", default=os.path.join(stackmod.REPO, "build",
                                                  "table-cache"))
    args = ap.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    db = stackmod.MariaDB(args.dir, fast=True, settings=SETTINGS)
    db.install()
    db.start()
    try:
        db.query("CREATE DATABASE souk CHARACTER SET utf8mb4")
        schema = "".join(open(f).read() for f in
                         sorted(glob.glob(os.path.join(
                             stackmod.REPO, "sql", "shop", "*.sql"))))
        t0 = time.monotonic()
        client(db, "".join(schema.replace("{p}", f"s{i}_")
                           for i in range(1, args.shops + 1)))
        made = time.monotonic() - t0
        tables = [r[0] for r in db.query(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'souk'")]
        db.restart()
        time.sleep(2)
        before = rss_kb(db.pid())
        client(db, "".join(f"SELECT 1 FROM `{t}` LIMIT 1;\n"
                           for t in tables))
        time.sleep(1)
        after = rss_kb(db.pid())
        st = dict(db.query("SHOW GLOBAL STATUS WHERE Variable_name IN "
                           "('Open_tables', 'Open_table_definitions', "
                           "'Innodb_num_open_files', 'Open_files')"))
        print(f"{args.shops} shops, {len(tables)} tables "
              f"({len(tables) / args.shops:.0f} a shop), made in "
              f"{made:.0f} s")
        print(f"RSS after restart {before / 1024:.0f} MB, after opening "
              f"every table {after / 1024:.0f} MB: "
              f"{(after - before) / len(tables):.1f} KB a table, "
              f"{(after - before) / args.shops / 1024:.2f} MB a shop")
        print("status: " + ", ".join(f"{k} {v}" for k, v in
                                     sorted(st.items())))
    finally:
        db.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
