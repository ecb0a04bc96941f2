#!/usr/bin/env python3
"""bench/search_engines.py: issue 15's search question, measured before
anything is built: InnoDB FULLTEXT (what souk runs today) against
Mroonga (mariadb-plugin-mroonga, Groonga inside MariaDB) and against a
term table in InnoDB that souk would write itself (words, and bigrams
for Japanese; its terms made here in Python), on the bench's
big shop (10,000 products, English texts of bench/load.py) and a
Japanese shop of 10,000 products, in one private MariaDB.

    python3 bench/search_engines.py [--dir build/search] [--runs 200]

Needs the Debian package mariadb-plugin-mroonga (the script says so when
it is missing). For each engine and query it reports the time a query
takes (RUNS queries in one client session, the server's wall time),
the matches it finds and the matches a plain substring scan in Python
finds (result quality), and for Mroonga whether the top-N was cut
inside the engine (Mroonga_fast_order_limit). Writes
bench/results/search-<date>.md."""
import argparse
import datetime
import os
import random
import subprocess
import sys
import time
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(REPO, "tests"))
sys.path.insert(0, HERE)

import load  # noqa: E402
from stack import MariaDB  # noqa: E402

N = 10000
def sql_str(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


def inserts(table, cols, rows, batch=500):
    out = []
    for k in range(0, len(rows), batch):
        vals = ",".join("(" + ",".join(
            str(v) if isinstance(v, int) else sql_str(v) for v in r) + ")"
            for r in rows[k:k + batch])
        out.append(f"INSERT INTO {table} ({','.join(cols)}) VALUES {vals};")
    return "\n".join(out)


SCHEMA = """
CREATE TABLE products (id BIGINT PRIMARY KEY, status VARCHAR(10) NOT NULL,
  featured TINYINT NOT NULL, price BIGINT NOT NULL) ENGINE=InnoDB;
CREATE TABLE ft_texts (product_id BIGINT NOT NULL, locale VARCHAR(8)
  NOT NULL, name VARCHAR(200) NOT NULL, description TEXT NOT NULL,
  PRIMARY KEY (product_id, locale), FULLTEXT KEY ft (name, description))
  ENGINE=InnoDB;
CREATE TABLE mr_texts (product_id BIGINT NOT NULL, locale VARCHAR(8)
  NOT NULL, name VARCHAR(200) NOT NULL, description TEXT NOT NULL,
  PRIMARY KEY (product_id, locale),
  FULLTEXT KEY ft (name, description) COMMENT 'tokenizer "TokenBigram",
  normalizer "NormalizerAuto"') ENGINE=Mroonga DEFAULT CHARSET=utf8mb4;
"""


def cjk(ch):
    """Whether ch is written without spaces between words (Han, kana):
    such runs are indexed as overlapping pairs (bigrams)."""
    o = ord(ch)
    return (0x3040 <= o <= 0x30ff or 0x3400 <= o <= 0x4dbf or
            0x4e00 <= o <= 0x9fff or 0xf900 <= o <= 0xfaff or
            0xff66 <= o <= 0xff9f)


def terms_of(text):
    """The terms of a text for the term table: NFKC and case folded,
    words of letters and digits, and each CJK run as its bigrams (a
    run of one character as itself). At most 64 bytes a term."""
    text = unicodedata.normalize("NFKC", text).casefold()
    out, word, run = set(), [], []

    def flush():
        if word:
            out.add("".join(word).encode()[:64])
            word.clear()
        if run:
            if len(run) == 1:
                out.add(run[0].encode())
            out.update((run[k] + run[k + 1]).encode()
                       for k in range(len(run) - 1))
            run.clear()
    for ch in text:
        if cjk(ch):
            if word:
                flush()
            run.append(ch)
        elif ch.isalnum():
            if run:
                flush()
            word.append(ch)
        else:
            flush()
    flush()
    return out


def timed(db, sql, runs):
    """Wall time of runs executions of sql in one session (the client's
    start-up measured alone and taken off), in ms a query."""
    def run(text):
        t = time.monotonic()
        subprocess.run(["mariadb", "--no-defaults", f"--socket={db.socket}",
                        "-uroot", "se", "--batch", "--skip-column-names"],
                       input=text, text=True, capture_output=True,
                       check=True)
        return time.monotonic() - t
    base = min(run("SELECT 1;\n") for _ in range(3))
    total = run((sql.rstrip(";") + ";\n") * runs)
    return max(total - base, 0) / runs * 1000


def status(db, name):
    r = db.query(f"SHOW GLOBAL STATUS LIKE '{name}'")
    return int(r[0][1]) if r else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", default=os.path.join(REPO, "build", "search"))
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--out", default=os.path.join(HERE, "results"))
    args = ap.parse_args()
    if not os.path.exists("/usr/lib/mysql/plugin/ha_mroonga.so"):
        sys.exit("search_engines.py: needs the Debian package "
                 "mariadb-plugin-mroonga (apt-get install "
                 "mariadb-plugin-mroonga)")
    subprocess.run(["rm", "-rf", args.dir])
    db = MariaDB(args.dir, fast=True)
    db.install()
    db.start()
    try:
        return measure(db, args)
    finally:
        db.stop()


def measure(db, args):
    db.query("INSTALL SONAME 'ha_mroonga'", quiet=True)
    db.query("CREATE DATABASE se CHARACTER SET utf8mb4")
    rnd = random.Random(7)
    en = [(i, "en", load.name_of(i, "en"), load.description_of(i, "en",
           rnd)) for i in range(1, N + 1)]
    ja = [(N + i, "ja", load.ja_name(i), load.ja_desc(i, rnd))
          for i in range(1, N + 1)]
    sql = SCHEMA + inserts("products", ["id", "status", "featured",
        "price"], [(r[0], "active", 1 if r[0] % 100 == 0 else 0,
                    100 + r[0] % 5000) for r in en + ja])
    t = {}
    for table in ("ft_texts", "mr_texts"):
        sql_t = inserts(table, ["product_id", "locale", "name",
            "description"], en + ja)
        t0 = time.monotonic()
        if table == "ft_texts":
            subprocess.run(["mariadb", "--no-defaults",
                f"--socket={db.socket}", "-uroot", "se"], input=sql,
                text=True, check=True)
            t0 = time.monotonic()
        subprocess.run(["mariadb", "--no-defaults", f"--socket={db.socket}",
            "-uroot", "se"], input=sql_t, text=True, check=True)
        t[table] = time.monotonic() - t0
    # The third: a term table in InnoDB, written by souk itself (rank:
    # featured first, then newest, so a term's rows come in souk's
    # order from its primary key).
    feat = {r[0]: r[0] % 100 == 0 for r in en + ja}
    trows = sorted({(tm, (10 ** 12 if feat[r[0]] else 0) + r[0])
                    for r in en + ja for tm in terms_of(r[2] + " " + r[3])})
    db.query("CREATE TABLE se.terms (term VARBINARY(64) NOT NULL, "
             "rank BIGINT NOT NULL, PRIMARY KEY (term, rank)) ENGINE=InnoDB")
    tsql = []
    for k in range(0, len(trows), 2000):
        tsql.append("INSERT INTO terms VALUES " + ",".join(
            f"(0x{tm.hex()},{rk})" for tm, rk in trows[k:k + 2000]) + ";")
    t0 = time.monotonic()
    subprocess.run(["mariadb", "--no-defaults", f"--socket={db.socket}",
        "-uroot", "se"], input="\n".join(tsql), text=True, check=True)
    t["terms"] = time.monotonic() - t0
    files = {}
    for kind, pat in (("InnoDB FULLTEXT", "ft_texts"),
                      ("Mroonga", "mr_texts")):
        files[kind] = sum(1 for f in os.listdir(os.path.join(
            db.datadir, "se")) if pat in f or (kind == "InnoDB FULLTEXT"
            and f.startswith("FTS_")))
    mr_files = sum(1 for f in os.listdir(os.path.join(db.datadir))
                   if f.startswith("se.mrn"))

    rows = []

    def case(label, engine, q, truth, runs=args.runs):
        before = status(db, "Mroonga_fast_order_limit")
        ms = timed(db, q, runs)
        fast = status(db, "Mroonga_fast_order_limit") - before
        got = db.query(q, db="se")
        rows.append((label, engine, ms, len(got), truth, fast))
        print(f"{label:40} {engine:34} {ms:8.2f} ms  {len(got)} rows "
              f"(truth {truth}) fast_order_limit {fast}", flush=True)

    def count(q):
        return int(db.query(q, db="se")[0][0])

    counts = []
    for word in ("linen", "workshop"):
        truth_en = sum(1 for r in en if word in (r[2] + " " + r[3]).lower())
        souk_ft = ("SELECT p.id FROM products p WHERE p.status = 'active' AND "
                   "p.id IN (SELECT x.product_id FROM ft_texts x WHERE "
                   f"MATCH(x.name, x.description) AGAINST ('{word}*' IN "
                   "BOOLEAN MODE) AND x.locale = 'en') ORDER BY p.featured "
                   "DESC, p.id DESC LIMIT 25")
        case(f"en '{word}': first page of 25", "InnoDB FULLTEXT (souk today)",
             souk_ft, truth_en)
        case(f"en '{word}': how many", "InnoDB FULLTEXT (souk today)",
             "SELECT COUNT(*) FROM ft_texts x WHERE MATCH(x.name, "
             f"x.description) AGAINST ('{word}*' IN BOOLEAN MODE) AND "
             "x.locale = 'en'", truth_en)
        n_ft = count("SELECT COUNT(*) FROM ft_texts x WHERE MATCH(x.name, "
                     f"x.description) AGAINST ('{word}*' IN BOOLEAN MODE) AND "
                     "x.locale = 'en'")
        mr_top = ("SELECT product_id FROM mr_texts WHERE MATCH(name, "
                  f"description) AGAINST ('+{word}' IN BOOLEAN MODE) ORDER BY "
                  f"MATCH(name, description) AGAINST ('+{word}' IN BOOLEAN "
                  "MODE) DESC LIMIT 25")
        case(f"en '{word}': first page of 25 by relevance", "Mroonga",
             mr_top, truth_en)
        mr_join = ("SELECT p.id FROM products p WHERE p.status = 'active' AND "
                   "p.id IN (SELECT x.product_id FROM mr_texts x WHERE "
                   f"MATCH(x.name, x.description) AGAINST ('+{word}' IN "
                   "BOOLEAN MODE)) ORDER BY p.featured DESC, p.id DESC "
                   "LIMIT 25")
        case(f"en '{word}': first page of 25, souk's order", "Mroonga",
             mr_join, truth_en)
        case(f"en '{word}': how many", "Mroonga",
             "SELECT COUNT(*) FROM mr_texts WHERE MATCH(name, description) "
             f"AGAINST ('+{word}' IN BOOLEAN MODE)", truth_en)
        n_mr = count("SELECT COUNT(*) FROM mr_texts WHERE MATCH(name, "
                     f"description) AGAINST ('+{word}' IN BOOLEAN MODE)")
        hx = word.encode().hex()
        case(f"en '{word}': first page of 25, souk's order",
             "InnoDB term table", "SELECT rank FROM terms WHERE term = "
             f"0x{hx} ORDER BY rank DESC LIMIT 25", truth_en)
        case(f"en '{word}': how many, capped at 1,025", "InnoDB term table",
             "SELECT COUNT(*) FROM (SELECT 1 FROM terms WHERE term = "
             f"0x{hx} LIMIT 1025) c", truth_en)
        case(f"en '{word}*' (prefix): first page of 25, souk's order",
             "InnoDB term table", "SELECT DISTINCT rank FROM terms WHERE "
             f"term >= 0x{hx} AND term < 0x{(word[:-1] + chr(ord(word[-1]) + 1)).encode().hex()} "
             "ORDER BY rank DESC LIMIT 25", truth_en)
        n_tt = count(f"SELECT COUNT(*) FROM terms WHERE term = 0x{hx}")
        counts.append((word, n_ft, n_mr, truth_en, n_tt))

    jw = "抹茶"
    truth_ja = sum(1 for r in ja if jw in r[2] + r[3])
    truth_ja_name = sum(1 for r in ja if jw in r[2])
    case(f"ja '{jw}': first page of 25", "InnoDB, LIKE on names (today)",
         "SELECT p.id FROM products p WHERE p.status = 'active' AND p.id "
         f"IN (SELECT x.product_id FROM ft_texts x WHERE x.name LIKE "
         f"'%{jw}%' AND x.locale = 'ja') ORDER BY p.featured DESC, p.id "
         "DESC LIMIT 25", truth_ja_name, runs=max(args.runs // 10, 5))
    case(f"ja '{jw}': first page of 25", "InnoDB FULLTEXT (no tokenizer)",
         "SELECT x.product_id FROM ft_texts x WHERE MATCH(x.name, "
         f"x.description) AGAINST ('{jw}*' IN BOOLEAN MODE) LIMIT 25",
         truth_ja)
    case(f"ja '{jw}': first page of 25 by relevance", "Mroonga (bigram)",
         "SELECT product_id FROM mr_texts WHERE MATCH(name, description) "
         f"AGAINST ('+{jw}' IN BOOLEAN MODE) ORDER BY MATCH(name, "
         f"description) AGAINST ('+{jw}' IN BOOLEAN MODE) DESC LIMIT 25",
         truth_ja)
    n_ja_mr = count("SELECT COUNT(*) FROM mr_texts WHERE MATCH(name, "
                    f"description) AGAINST ('+{jw}' IN BOOLEAN MODE)")
    n_ja_ft = count("SELECT COUNT(*) FROM ft_texts x WHERE MATCH(x.name, "
                    f"x.description) AGAINST ('{jw}*' IN BOOLEAN MODE)")
    hj = jw.encode().hex()
    case(f"ja '{jw}': first page of 25, souk's order", "InnoDB term table "
         "(bigram)", f"SELECT rank FROM terms WHERE term = 0x{hj} ORDER BY "
         "rank DESC LIMIT 25", truth_ja)
    n_ja_tt = count(f"SELECT COUNT(*) FROM terms WHERE term = 0x{hj}")
    j3 = "抹茶碗"
    truth_j3 = sum(1 for r in ja if j3 in r[2] + r[3])
    b1, b2 = (j3[:2].encode().hex(), j3[1:].encode().hex())
    case(f"ja '{j3}' (two bigrams): first page of 25, souk's order",
         "InnoDB term table (bigram)", "SELECT a.rank FROM terms a JOIN "
         f"terms b ON b.term = 0x{b2} AND b.rank = a.rank WHERE a.term = "
         f"0x{b1} ORDER BY a.rank DESC LIMIT 25", truth_j3)

    date = datetime.datetime.now().strftime("%Y-%m-%d")
    md = [f"# Search engines, {date}", "",
          "`python3 bench/search_engines.py` (issue 15, part 3): one "
          "private MariaDB "
          + db.query("SELECT VERSION()")[0][0] + f", {N:,} English "
          f"products (bench/load.py's texts) and {N:,} Japanese ones, "
          f"{args.runs} runs of each query in one client session "
          "(server wall time a query).", "",
          "| query | engine | ms a query | rows | substring truth | "
          "top-N cut in the engine |", "|---|---|---:|---:|---:|---:|"]
    for label, engine, ms, n, truth, fast in rows:
        md.append(f"| {label} | {engine} | {ms:.2f} | {n} | {truth} | "
                  f"{'yes' if fast else 'no'} |")
    md += ["", "- Matches counted: " + "; ".join(
           f"'{w}' InnoDB {a:,}, Mroonga {b:,}, term table {d:,}, "
           f"substring {c:,}"
           for w, a, b, c, d in counts) + f"; '{jw}' Mroonga "
           f"{n_ja_mr:,}, term table {n_ja_tt:,}, InnoDB FULLTEXT "
           f"{n_ja_ft:,}, substring in name "
           f"and description {truth_ja:,} (in names {truth_ja_name:,}).",
           f"- Loading the {2 * N:,} texts: InnoDB with its FULLTEXT "
           f"index {t['ft_texts']:.1f} s, Mroonga {t['mr_texts']:.1f} s; "
           f"the term table's {len(trows):,} rows (terms made in Python) "
           f"{t['terms']:.1f} s.",
           f"- Files: InnoDB's table and its FULLTEXT index "
           f"{files['InnoDB FULLTEXT']} files in the database's folder "
           f"(the index's hidden FTS_ tables: what a shop adds to "
           f"table_open_cache); Mroonga {files['Mroonga']} in the folder "
           f"plus {mr_files} files of the database's Groonga store "
           f"(se.mrn*), shared by every Mroonga table of the database."]
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"search-{date}.md")
    with open(path, "w") as f:
        f.write("\n".join(md) + "\n")
    print("wrote", path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
