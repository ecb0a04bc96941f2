#!/usr/bin/env python3
"""tests/run.py: every souk test, one line each, then "N passed, N failed".

    python3 tests/run.py --bin build/san/bin --units build/san/tests/unit \\
        --fuzz build/fuzz [--only WORD] [--list] [--keep]

Builds nothing (make check did). Runs, in this order, each group sorted:

lint/<check>    each check of tests/lint.py (e.g. lint/snprintf: every
                snprintf() result is used), over the sources.
po/template     po/souk.pot holds exactly the strings of the code and the
                templates (regenerated into the run's directory, compared).
po/<lang>       each catalog of po/LINGUAS: every string translated, none
                fuzzy or missing, msgfmt --check clean.

unit/<path>     every executable under --units (two at a time, each on
                its own database; reported in order), e.g. unit/core/tmpl for
                build/san/tests/unit/core/tmpl. Exit 0 passes, 77 skips
                (its last output line is the reason), anything else fails.
                A private MariaDB (one per run) serves them: each binary gets
                a fresh database through SOUK_DB_SOCKET, SOUK_DB_USER,
                SOUK_DB_PASSWORD and SOUK_DB_NAME (user souk, not root,
                privileges on that database only), plus SOUK_SQL_DIR,
                SOUK_LOCALE_DIR, SOUK_THEMES_DIR, SOUK_MEDIA_DIR,
                SOUK_UPLOAD_DIR and TMPDIR (private), cwd = the repository. 5 minutes at most each.
fuzz/<name>     every executable in --fuzz: libFuzzer over its seed corpus
                tests/fuzz/corpus/<name>/ (every seed runs) and then 3 s of
                fuzzing (new inputs go to a scratch dir, never into the
                tree; a crashing input is kept in the run's directory).
http/<feature>/<function>
                every function test_*(stack) of every tests/http/test_*.py,
                in file order then definition order. <feature> is the file
                name without "test_" and ".py"; files are loaded by path, so
                hyphens are fine: tests/http/test_bad-input.py defines
                http/bad-input/test_...  One stack (tests/stack.py: MariaDB,
                soukctl migrate, souk-fcgi with 4 workers, nginx on a free
                loopback port) is started for all of them; `stack` is that
                Stack: stack.http()/get()/post()/raw()/session(),
                stack.create_shop(), stack.soukctl(), stack.query(),
                stack.pool_worker_pids(), stack.restart_db(), ... A test
                passes by returning, fails by raising (assert), skips by
                raising stack.Skip("reason"); 3 minutes at most each.
                Use stack.unique("shop") for names (slugs, e-mails) so
                tests never collide. A test may break the stack
                (kill a worker, restart the database) but must leave it
                working: a component found dead afterwards fails the test
                and is restarted for the next one. Sanitizer reports in the
                pool's log during a test fail it too. http/stack-stop
                checks that the stack then stops cleanly.

--only WORD keeps the tests whose name contains WORD, "-" and "_" alike
(`make check TESTS=isolation`). Failures print the reason and the logs'
new lines.
The run's files are in build/test-<pid>/, removed when everything passed
(unless --keep). Exit status 0 only when nothing failed. Ctrl-C stops
everything started, by PID.
"""

import argparse
import concurrent.futures
import importlib.util
import os
import subprocess
import re
import shutil
import signal
import sys
import threading
import time
import traceback

sys.dont_write_bytecode = True    # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# tests/http holds helpers the whole-stack tests import (souk_client).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
    "http"))
import stack as stackmod	# noqa: E402  (tests/stack.py)
import lint	# noqa: E402  (tests/lint.py)

REPO = stackmod.REPO
UNIT_TIMEOUT = 300
PARALLEL = 2       # unit tests run this many at a time
FUZZ_SECONDS = 3
HTTP_TIMEOUT = 180
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
    ": runtime error:")


class Result:
    """Counts and prints results; the fuzz targets report from their own
    thread (main()), hence the lock."""

    def __init__(self):
        self.passed = self.failed = self.skipped = 0
        self.lock = threading.Lock()

    def report(self, status, name, secs=None, detail=""):
        with self.lock:
            self._report(status, name, secs, detail)

    def _report(self, status, name, secs, detail):
        t = f" ({secs:.1f}s)" if secs is not None else ""
        if status == "ok":
            self.passed += 1
            print(f"ok   {name}{t}", flush=True)
        elif status == "skip":
            self.skipped += 1
            print(f"skip {name}{': ' + detail if detail else ''}",
                  flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}{t}", flush=True)
            if detail:
                print(indent(detail), flush=True)

    def summary(self):
        s = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            s += f", {self.skipped} skipped"
        return s


def indent(text, limit=120):
    lines = text.rstrip("\n").splitlines()
    if len(lines) > limit:
        lines = lines[:20] + [f"... ({len(lines) - limit} lines)"] + \
            lines[-(limit - 20):]
    return "\n".join("    " + ln for ln in lines)


def executables(top, recursive):
    """Executable regular files under top, as sorted relative paths."""
    out = []
    if not top or not os.path.isdir(top):
        return out
    for dirpath, dirs, files in os.walk(top):
        dirs.sort()
        for f in files:
            p = os.path.join(dirpath, f)
            if f.endswith((".o", ".d", ".a", ".so", ".txt", ".log")):
                continue
            if os.access(p, os.X_OK) and os.path.isfile(p):
                out.append(os.path.relpath(p, top))
        if not recursive:
            break
    return sorted(out)


def run_program(argv, log, env, timeout):
    """stack.run_group() in the repository, with a fresh log."""
    try:
        os.unlink(log)
    except FileNotFoundError:
        pass
    return stackmod.run_group(argv, log, env, timeout, REPO)


def clean_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOUK_")}
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1")
    return env


# ---------------------------------------------------------------- units

def unit_one(i, rel, units_dir, run_dir, db):
    """Runs unit/<rel> on its own database; (status, name, secs, detail)."""
    name = "unit/" + rel
    tmp = os.path.join(run_dir, "unit", rel.replace("/", "-"))
    os.makedirs(os.path.join(tmp, "media"), exist_ok=True)
    os.makedirs(os.path.join(tmp, "uploads"), exist_ok=True)
    dbname = f"souk_u{i}"
    env = clean_env()
    env.update({
        "SOUK_DB_SOCKET": db.socket,
        "SOUK_DB_USER": "souk",
        "SOUK_DB_PASSWORD": db.password,
        "SOUK_DB_NAME": dbname,
        "SOUK_SQL_DIR": os.path.join(REPO, "sql"),
        "SOUK_LOCALE_DIR": os.path.join(REPO, "build", "locale"),
        "SOUK_THEMES_DIR": os.path.join(REPO, "themes"),
        "SOUK_MEDIA_DIR": os.path.join(tmp, "media"),
        "SOUK_UPLOAD_DIR": os.path.join(tmp, "uploads"),
        "SOUK_PLATFORM_DOMAIN": "localhost",
        "TMPDIR": tmp,
    })
    try:
        db.create_database(dbname, "souk", fresh=True)
    except stackmod.StackError as e:
        return ("FAIL", name, None, str(e))
    log = os.path.join(tmp, "output.log")
    status, secs = run_program([os.path.join(units_dir, rel)], log, env,
                               UNIT_TIMEOUT)
    out = stackmod.tail(log, 40)
    if status == 0:
        db.drop_database(dbname)
        return ("ok", name, secs, "")
    if status == 77:
        last = out.strip().splitlines()[-1:] or [""]
        db.drop_database(dbname)
        return ("skip", name, None, last[0][:200])
    if status is None:
        return ("FAIL", name, secs, f"timed out after {UNIT_TIMEOUT}s\n{out}")
    why = f"exit status {status}" if status > 0 else \
        f"killed by {signal.Signals(-status).name}"
    return ("FAIL", name, secs, f"{why} ({log})\n{out}")


def run_units(res, units_dir, names, run_dir, db, db_error):
    """Two at a time (each on its own database and folder): the machine
    has two cores and a unit mostly waits on MariaDB. Reported in
    order."""
    if db_error:
        for rel in names:
            res.report("FAIL", "unit/" + rel,
                       detail=f"no database: {db_error}")
        return
    with concurrent.futures.ThreadPoolExecutor(PARALLEL) as ex:
        for status, name, secs, detail in ex.map(
                lambda a: unit_one(a[0], a[1], units_dir, run_dir, db),
                enumerate(names)):
            res.report(status, name, secs, detail)


# ---------------------------------------------------------------- lint

def run_lint(res, names):
    """lint/<check>: tests/lint.py <check> finds nothing."""
    for name in names:
        t0 = time.monotonic()
        r = subprocess.run([sys.executable, os.path.join(REPO, "tests",
                            "lint.py"), name[len("lint/"):]],
                           cwd=REPO, capture_output=True, text=True)
        if r.returncode == 0:
            res.report("ok", name, time.monotonic() - t0)
        else:
            res.report("FAIL", name, time.monotonic() - t0,
                       (r.stdout + r.stderr).strip())


# ---------------------------------------------------------------- fuzz

def po_tests():
    """po/template and po/<lang> for every language in po/LINGUAS."""
    with open(os.path.join(REPO, "po", "LINGUAS")) as f:
        langs = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    return ["po/template"] + ["po/" + l for l in langs]


def msgids(path):
    """The msgids of a PO/POT file (msgid + plural), via msgcat."""
    out = subprocess.run(["msgcat", "--no-wrap", "--sort-output", path],
                         capture_output=True, text=True, check=True).stdout
    return set(re.findall(r'^msgid "(.+)"$', out, re.M))


def run_po(res, names, run_dir):
    """The shipped template holds every string of the code and templates;
    every catalog translates all of them: no untranslated, no fuzzy, no
    missing entry, and msgfmt --check passes (format strings match)."""
    pot = os.path.join(REPO, "po", "souk.pot")
    for name in names:
        t0 = time.monotonic()
        try:
            if name == "po/template":
                fresh = os.path.join(run_dir, "check.pot")
                subprocess.run(["make", "-s", "--no-print-directory", "pot",
                                f"POT={fresh}"], cwd=REPO, check=True,
                               capture_output=True, text=True)
                missing = msgids(fresh) - msgids(pot)
                stale = msgids(pot) - msgids(fresh)
                if missing or stale:
                    raise AssertionError(
                        "po/souk.pot is out of date: run `make po` and "
                        f"translate.\nnew: {sorted(missing)[:10]}\n"
                        f"gone: {sorted(stale)[:10]}")
            else:
                po = os.path.join(REPO, name + ".po")
                r = subprocess.run(["msgfmt", "--check", "--statistics",
                                    "-o", "/dev/null", po],
                                   capture_output=True, text=True)
                stats = (r.stdout + r.stderr).strip()
                if r.returncode != 0:
                    raise AssertionError(stats)
                if "untranslated" in stats or "fuzzy" in stats:
                    raise AssertionError(stats)
                missing = msgids(pot) - msgids(po)
                if missing:
                    raise AssertionError(
                        f"{len(missing)} strings of po/souk.pot missing: "
                        f"{sorted(missing)[:10]}")
            res.report("ok", name, time.monotonic() - t0)
        except (AssertionError, subprocess.CalledProcessError) as e:
            detail = str(e)
            if isinstance(e, subprocess.CalledProcessError):
                detail += "\n" + (e.stderr or "")
            res.report("FAIL", name, time.monotonic() - t0, detail=detail)


def fuzz_one(rel, fuzz_dir, run_dir):
    """Fuzzes fuzz/<rel>; (status, name, secs, detail)."""
    name = "fuzz/" + rel
    work = os.path.join(run_dir, "fuzz", rel)
    scratch = os.path.join(work, "new")
    os.makedirs(scratch, exist_ok=True)
    seeds = os.path.join(REPO, "tests", "fuzz", "corpus", rel)
    argv = [os.path.join(fuzz_dir, rel),
            f"-max_total_time={FUZZ_SECONDS}", "-rss_limit_mb=2048",
            "-timeout=10", f"-artifact_prefix={work}/",
            "-print_final_stats=1", scratch]
    note = ""
    if os.path.isdir(seeds):
        argv.append(seeds)
    else:
        note = f" (no seed corpus {os.path.relpath(seeds, REPO)})"
    log = os.path.join(work, "output.log")
    status, secs = run_program(argv, log, clean_env(),
                               FUZZ_SECONDS * 4 + 120)
    if status == 0:
        return ("ok", name + note, secs, "")
    why = "timed out" if status is None else f"exit status {status}"
    return ("FAIL", name, secs, f"{why} ({log}; crashing input in {work}/)"
            f"\n{stackmod.tail(log, 40)}")


def run_fuzz(res, fuzz_dir, names, run_dir):
    """One target at a time: this runs in a thread beside the units and
    the whole-stack tests, and a target keeps a core busy."""
    for rel in names:
        res.report(*fuzz_one(rel, fuzz_dir, run_dir))


# ---------------------------------------------------------------- http

def http_tests(http_dir):
    """[(name, function or None, error text)] of every tests/http module,
    sorted by file, functions in definition order."""
    out = []
    if not os.path.isdir(http_dir):
        return out
    for f in sorted(os.listdir(http_dir)):
        if not (f.startswith("test_") and f.endswith(".py")):
            continue
        feature = f[len("test_"):-len(".py")]
        modname = "souk_http_" + "".join(
            c if c.isalnum() else "_" for c in feature)
        try:
            spec = importlib.util.spec_from_file_location(
                modname, os.path.join(http_dir, f))
            mod = importlib.util.module_from_spec(spec)
            sys.modules[modname] = mod
            spec.loader.exec_module(mod)
        except Exception:
            out.append((f"http/{feature}", None, traceback.format_exc()))
            continue
        funcs = [v for k, v in vars(mod).items()
                 if k.startswith("test_") and callable(v)
                 and getattr(v, "__module__", None) == modname]
        funcs.sort(key=lambda v: v.__code__.co_firstlineno)
        for fn in funcs:
            out.append((f"http/{feature}/{fn.__name__}", fn, None))
    return out


class TestTimeout(Exception):
    pass


def on_alarm(sig, frame):
    raise TestTimeout(f"no end after {HTTP_TIMEOUT}s")


def sanitizer_lines(text):
    return [ln for ln in text.splitlines()
            if any(m in ln for m in SANITIZER_MARKS)]


def run_http(res, tests, st, start_error):
    if start_error:
        for name, _, _ in tests:
            res.report("FAIL", name, detail="the stack did not start "
                       "(see above)")
        return
    for name, fn, err in tests:
        if fn is None:
            res.report("FAIL", name, detail=f"cannot load:\n{err}")
            continue
        marks = st.log_marks()
        t0 = time.monotonic()
        status, detail = "ok", ""
        signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(HTTP_TIMEOUT)
        try:
            fn(st)
        except stackmod.Skip as e:
            status, detail = "skip", str(e)
        except KeyboardInterrupt:
            raise
        except BaseException:
            status = "FAIL"
            detail = "".join(traceback.format_exc().splitlines(True)[-40:])
        finally:
            signal.alarm(0)
        secs = time.monotonic() - t0
        try:
            gone = st.repair()
        except stackmod.StackError as e:
            gone = [f"(could not restart: {e})"]
        if gone:
            status = "FAIL"
            detail += (f"\nleft the stack broken: {', '.join(gone)} not "
                       f"running (restarted for the next test)")
        pool_log = stackmod.tail(st.log_files()["souk-fcgi"], 10000,
                                 marks["souk-fcgi"])
        san = sanitizer_lines(pool_log)
        if san:
            status = "FAIL"
            detail += "\nsanitizer reports in souk-fcgi.log:\n" + \
                "\n".join(san[:10])
        if status == "FAIL":
            detail += "\n" + st.log_since(marks)
        res.report(status, name, secs, detail.strip("\n"))


def stop_stack(res, st, report):
    """Stops the stack; when report, as the test http/stack-stop: the pool
    exits 0 on SIGTERM, no sanitizer report, nothing left running."""
    marks = st.log_marks()
    t0 = time.monotonic()
    pool = st.pool
    pids = set(st.pool_worker_pids()) if pool else set()
    if pool:
        pids.add(pool.pid)
    st.stop()
    if not report:
        return
    problems = []
    if pool and pool.popen.returncode != 0:
        problems.append(f"souk-fcgi exited with status "
                        f"{pool.popen.returncode} on SIGTERM")
    left = [p for p in pids if stackmod.pid_alive(p)]
    if left:
        problems.append(f"pool processes still running: {left}")
    san = sanitizer_lines(stackmod.tail(st.log_files()["souk-fcgi"], 10000,
                                        marks["souk-fcgi"]))
    if san:
        problems.append("sanitizer reports:\n" + "\n".join(san[:10]))
    if problems:
        res.report("FAIL", "http/stack-stop", time.monotonic() - t0,
                   "\n".join(problems) + "\n" + st.log_since(marks))
    else:
        res.report("ok", "http/stack-stop", time.monotonic() - t0)


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(
        description="run every souk test",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__)
    ap.add_argument("--bin", required=True, help="souk-fcgi, soukctl")
    ap.add_argument("--units", help="unit test binaries (recursive)")
    ap.add_argument("--fuzz", help="libFuzzer targets")
    ap.add_argument("--http", default=os.path.join(REPO, "tests", "http"))
    ap.add_argument("--only", default="", help="names containing this")
    ap.add_argument("--list", action="store_true", help="names only")
    ap.add_argument("--keep", action="store_true",
                    help="keep build/test-<pid>/ even when all passed")
    args = ap.parse_args()

    # "-" and "_" are one: TESTS=payment-webhooks finds the file
    # test_payment_webhooks.py, TESTS=admin_orders test_admin-orders.py.
    only = args.only.replace("-", "_")

    def wanted(name):
        return only in name.replace("-", "_")

    units = [u for u in executables(args.units, True)
             if wanted("unit/" + u)]
    fuzz = [f for f in executables(args.fuzz, False)
            if wanted("fuzz/" + f)]
    lints = [n for n in ("lint/" + c for c in sorted(lint.CHECKS))
             if wanted(n)]
    po = [p for p in po_tests() if wanted(p)]
    http = [t for t in http_tests(args.http) if wanted(t[0])]
    if args.list:
        for n in (lints + po + ["unit/" + u for u in units] +
                  ["fuzz/" + f for f in fuzz] + [t[0] for t in http]):
            print(n)
        return 0

    res = Result()
    run_dir = os.path.join(REPO, "build", f"test-{os.getpid()}")
    os.makedirs(run_dir, exist_ok=True)
    stackmod.install_signal_handlers()
    st = stackmod.Stack(args.bin, os.path.join(run_dir, "stack"), fast=True,
                        private_themes=True)
    t0 = time.monotonic()
    interrupted = False
    try:
        run_lint(res, lints)
        run_po(res, po, run_dir)
        db_error = None
        if units or http:
            try:
                st.start_db()
            except stackmod.StackError as e:
                db_error = str(e)
                res.report("FAIL", "setup/mariadb", detail=db_error)
        # The fuzz targets (one CPU each, ~6 s a target) run beside the
        # unit and whole-stack tests, which wait on processes and
        # sockets more than they compute and must pass under CPU load
        # anyway (make check-stress): minutes off make check.
        fuzzing = threading.Thread(target=run_fuzz, daemon=True,
                                   args=(res, args.fuzz, fuzz, run_dir))
        fuzzing.start()
        run_units(res, args.units, units, run_dir, st.db, db_error)
        if http:
            start_error = db_error
            if not start_error:
                try:
                    st.start()
                except stackmod.StackError as e:
                    start_error = str(e)
                    res.report("FAIL", "setup/stack",
                               detail=f"{e}\n{getattr(e, 'logs', '')}")
            run_http(res, http, st, start_error)
            stop_stack(res, st, not start_error)
        fuzzing.join()
    except KeyboardInterrupt:
        interrupted = True
        print("\ninterrupted; stopping", flush=True)
    finally:
        st.stop()
    print(f"# {time.monotonic() - t0:.0f}s; files in "
          f"{os.path.relpath(run_dir, os.getcwd())}/"
          if res.failed or args.keep or interrupted else
          f"# {time.monotonic() - t0:.0f}s", flush=True)
    if not (res.failed or args.keep or interrupted):
        shutil.rmtree(run_dir, ignore_errors=True)
    print(res.summary(), flush=True)
    if interrupted:
        return 130
    return 1 if res.failed else 0


if __name__ == "__main__":
    sys.exit(main())
