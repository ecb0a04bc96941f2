#!/usr/bin/env python3
"""tests/lint.py: mechanical checks of the C sources that the compiler
does not make.

    python3 tests/lint.py [CHECK...]      (exit 0 clean, 1 findings)

snprintf   every snprintf()/vsnprintf() result is used (STYLE.md: check
           it for < 0 and >= size, or copy a view with str_copy(), or
           use str_errf() for an error buffer, strbuf_addf(),
           arena_printf()). A call that starts a statement, or is cast
           to void, is reported as file:line. Looks at fcgi-app/ and
           bench/.

primarykey every CREATE TABLE of sql/platform/ and sql/shop/ declares a
           PRIMARY KEY and no storage engine but InnoDB: Galera
           replicates InnoDB only, and a table without a primary key
           replicates slowly (every row event a table scan) or not at
           all (README "Galera"). Reported as file:line.

txrun      db_tx_begin()/db_tx_end() are called in fcgi-app/db/ only:
           every write transaction elsewhere runs through db_tx_run(),
           which retries deadlocks and Galera's certification failures
           (DESIGN.md). Reported as file:line.

The C is read with comments, strings and character constants blanked
(line numbers kept), which is enough for these patterns; it is not a
parser, so it errs towards reporting.
"""

import os
import re
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SNPRINTF_DIRS = ("fcgi-app", "bench")
CALL = re.compile(r"\b(v?snprintf)\s*\(")
# Words after which an expression statement begins.
STMT_WORDS = ("else", "do")
# Words whose parenthesised condition is followed by a statement.
COND_WORDS = ("if", "while", "for", "switch")


def blank(src):
    """src with comments, strings and char constants replaced by spaces,
    newlines kept, so offsets and line numbers still match."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
        elif src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and src[j] != c and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            j = min(j + 1, n)
        else:
            out.append(c)
            i += 1
            continue
        out.append("".join(ch if ch == "\n" else " " for ch in src[i:j]))
        i = j
    return "".join(out)


def open_paren(text, close):
    """Offset of the '(' matching the ')' at close, or -1."""
    depth = 0
    for k in range(close, -1, -1):
        if text[k] == ")":
            depth += 1
        elif text[k] == "(":
            depth -= 1
            if depth == 0:
                return k
    return -1


def word_before(text, k):
    m = re.search(r"(\w+)\s*$", text[:k])
    return m.group(1) if m else ""


def result_unused(text, start):
    """Whether the call at offset start is a statement of its own or is
    cast to void (its value thrown away)."""
    k = start - 1
    while k >= 0 and text[k].isspace():
        k -= 1
    if k < 0 or text[k] in ";{}":
        return True
    if text[k] == ":":
        # a label or case; "?:" would mean the value is used
        line_start = text.rfind("\n", 0, k) + 1
        return "?" not in text[line_start:k]
    if text[k] == ")":
        o = open_paren(text, k)
        if o < 0:
            return True
        inside = text[o + 1:k].strip()
        if inside == "void":
            return True
        return word_before(text, o) in COND_WORDS
    if text[k].isalnum() or text[k] == "_":
        return word_before(text, k + 1) in STMT_WORDS
    return False


def check_snprintf():
    found = []
    for top in SNPRINTF_DIRS:
        for dirpath, dirs, files in os.walk(os.path.join(REPO, top)):
            dirs.sort()
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, f)
                with open(path, encoding="utf-8", errors="replace") as fh:
                    text = blank(fh.read())
                for m in CALL.finditer(text):
                    if result_unused(text, m.start()):
                        line = text.count("\n", 0, m.start()) + 1
                        found.append(f"{os.path.relpath(path, REPO)}:"
                                     f"{line}: {m.group(1)}() result "
                                     f"unused")
    return found


SQL_DIRS = ("sql/platform", "sql/shop", "sql/shard")
CREATE = re.compile(r"\bCREATE\s+(?:TEMPORARY\s+)?TABLE\b", re.I)


def sql_statements(text):
    """(offset, statement) of each ';'-ended statement of text, with
    SQL comments blanked (offsets kept)."""
    text = re.sub(r"--[^\n]*|/\*.*?\*/",
                  lambda m: re.sub(r"[^\n]", " ", m.group(0)), text,
                  flags=re.S)
    start = 0
    for m in re.finditer(r";", text):
        yield start, text[start:m.end()]
        start = m.end()
    if text[start:].strip():
        yield start, text[start:]


def check_primarykey():
    found = []
    for top in SQL_DIRS:
        d = os.path.join(REPO, top)
        for f in sorted(os.listdir(d)):
            if not f.endswith(".sql"):
                continue
            path = os.path.join(d, f)
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            for off, stmt in sql_statements(text):
                m = CREATE.search(stmt)
                if not m:
                    continue
                line = text.count("\n", 0, off + m.start()) + 1
                where = f"{os.path.relpath(path, REPO)}:{line}"
                if not re.search(r"\bPRIMARY\s+KEY\b", stmt, re.I):
                    found.append(f"{where}: CREATE TABLE without a "
                                 f"PRIMARY KEY")
                eng = re.search(r"\bENGINE\s*=?\s*(\w+)", stmt, re.I)
                if eng and eng.group(1).lower() != "innodb":
                    found.append(f"{where}: ENGINE={eng.group(1)} (only "
                                 f"InnoDB replicates on Galera)")
    return found


TX_CALL = re.compile(r"\bdb_tx_(begin|end)\s*\(")


def check_txrun():
    found = []
    for dirpath, dirs, files in os.walk(os.path.join(REPO, "fcgi-app")):
        dirs.sort()
        if os.path.relpath(dirpath, REPO).startswith(
                os.path.join("fcgi-app", "db")):
            continue
        for f in sorted(files):
            if not f.endswith(".c"):
                continue
            path = os.path.join(dirpath, f)
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = blank(fh.read())
            for m in TX_CALL.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{os.path.relpath(path, REPO)}:{line}: "
                             f"db_tx_{m.group(1)}() outside db/")
    return found


CHECKS = {"snprintf": check_snprintf, "primarykey": check_primarykey,
          "txrun": check_txrun}
HINTS = {
    "snprintf": "check every snprintf() result for < 0 and >= size "
                "(STYLE.md), or use str_copy(), str_errf(), "
                "strbuf_addf(), arena_printf()",
    "primarykey": "give every table a PRIMARY KEY and InnoDB (Galera "
                  "replicates nothing else)",
    "txrun": "run the transaction with db_tx_run() and a callback "
             "(db/db.h)",
}


def main(argv):
    names = argv or sorted(CHECKS)
    bad = 0
    for name in names:
        if name not in CHECKS:
            print(f"lint: no check '{name}'", file=sys.stderr)
            return 2
        found = CHECKS[name]()
        for ln in found:
            print(ln)
        if found:
            print(f"{len(found)} finding(s): {HINTS[name]}")
        bad += len(found)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
