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
                http/bad-input/test_...  A stack (tests/stack.py: MariaDB,
                soukctl migrate, souk-fcgi with 4 workers, nginx on a free
                loopback port) runs them; `stack` is that
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
                With more than SHARD_MIN_FILES files, two stacks run at
                once, each about half of the files by time (SLOW_FILES),
                a file's tests always on one stack, in file order: the
                second (build/test-<pid>/stack2, a child run.py --shard 2;
                its checks http/stack-stop-2) from the start, beside the
                unit tests; the first after them. Results are reported
                as they come, so the two shards' lines interleave. Which
                files share a stack depends on the selection: a file
                sets up what it needs and never relies on what another
                file left behind.

long/<feature>/<function>
                only with --long DIR (make check-long; make check never
                runs them): every function test_*(ctx) of every
                DIR/test_*.py, after everything else, each building what
                it needs (a Galera cluster and two stacks: long/galera)
                in ctx.dir, a directory of its own under the run's;
                ctx.bin is --bin, ctx.log(text) prints a "# " line.
                LONG_TIMEOUT at most each.

--only WORD keeps the tests whose name contains WORD, "-" and "_" alike
(`make check TESTS=isolation`). Failures print the reason and the logs'
new lines.
The run's files are in build/test-<pid>/, removed when everything passed
(unless --keep). Exit status 0 only when nothing failed. Ctrl-C stops
everything started (the second shard's run.py and its stack too), by PID.
"""

import argparse
import concurrent.futures
import importlib.util
import json
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
LONG_TIMEOUT = 1200
# More whole-stack files than this run on two stacks at once (shards);
# fewer do not pay for a second stack's start.
SHARD_MIN_FILES = 8
# The shards are balanced by these weights: the seconds a file took in a
# full run (sanitized build, 2 cores), for the files of 10 s and more;
# any other file counts TEST_SECONDS a test. Shard 1 starts after the
# unit tests, UNIT_SECONDS of wall time each (two at a time, fuzzing
# beside). A wrong or missing entry only makes the shards less even.
SLOW_FILES = {
    "admin-orders": 49, "themes": 30, "wc-webhooks": 30,
    "payment_webhooks": 26, "signup": 26, "mail-outage": 24,
    "operator": 23, "import-roundtrip": 21, "export": 20, "returns": 19,
    "import-admin": 19, "wc-catalog": 19, "account": 18, "plans": 17,
    "browser-card": 16, "tenant-api": 14, "purchase": 14, "reports": 14,
    "browser-import": 13, "quotas": 13, "stripe_connect": 12,
    "staff-login": 12, "wc-orders": 12, "wc-webhooks-api": 11,
    "billing": 22, "metering": 20, "restore-drill": 40, "shop-archive": 30,
    "metrics": 25, "upgrade": 28,
}
TEST_SECONDS = 1.5
UNIT_SECONDS = 1.0
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


class ShardResult(Result):
    """The results of a shard run by run.py --shard: one JSON list a line
    on stdout, which the parent's Shard reports as its own."""

    def _report(self, status, name, secs, detail):
        if status == "ok":
            self.passed += 1
        elif status == "skip":
            self.skipped += 1
        else:
            self.failed += 1
        print(json.dumps([status, name, secs, detail]), flush=True)


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

def http_tests(http_dir, kind="http"):
    """[(name, function or None, error text)] of every tests/http module
    (kind "long": of tests/long), sorted by file, functions in
    definition order."""
    out = []
    if not http_dir or not os.path.isdir(http_dir):
        return out
    for f in sorted(os.listdir(http_dir)):
        if not (f.startswith("test_") and f.endswith(".py")):
            continue
        feature = f[len("test_"):-len(".py")]
        modname = f"souk_{kind}_" + "".join(
            c if c.isalnum() else "_" for c in feature)
        try:
            spec = importlib.util.spec_from_file_location(
                modname, os.path.join(http_dir, f))
            mod = importlib.util.module_from_spec(spec)
            sys.modules[modname] = mod
            spec.loader.exec_module(mod)
        except Exception:
            out.append((f"{kind}/{feature}", None, traceback.format_exc()))
            continue
        funcs = [v for k, v in vars(mod).items()
                 if k.startswith("test_") and callable(v)
                 and getattr(v, "__module__", None) == modname]
        funcs.sort(key=lambda v: v.__code__.co_firstlineno)
        for fn in funcs:
            out.append((f"{kind}/{feature}/{fn.__name__}", fn, None))
    return out


class TestTimeout(Exception):
    pass


def on_alarm(sig, frame):
    raise TestTimeout(f"no end after {HTTP_TIMEOUT}s")


def on_long_alarm(sig, frame):
    raise TestTimeout(f"no end after {LONG_TIMEOUT}s")


def sanitizer_lines(text):
    return [ln for ln in text.splitlines()
            if any(m in ln for m in SANITIZER_MARKS)]


class LongContext:
    """What a long test gets: the programs, a directory of its own and
    a way to report figures (printed as "# " lines)."""

    def __init__(self, bin_dir, dir):
        self.bin = bin_dir
        self.dir = dir
        os.makedirs(dir, exist_ok=True)

    def log(self, text):
        print(f"# {text}", flush=True)


def run_long(res, tests, bin_dir, run_dir):
    """long/<feature>/<function>: each in its own directory, at most
    LONG_TIMEOUT seconds; what it started it stops itself."""
    for name, fn, err in tests:
        if fn is None:
            res.report("FAIL", name, detail=f"cannot load:\n{err}")
            continue
        ctx = LongContext(bin_dir, os.path.join(run_dir, name.replace(
            "/", "-")))
        t0 = time.monotonic()
        status, detail = "ok", ""
        signal.signal(signal.SIGALRM, on_long_alarm)
        signal.alarm(LONG_TIMEOUT)
        try:
            fn(ctx)
        except stackmod.Skip as e:
            status, detail = "skip", str(e)
        except KeyboardInterrupt:
            raise
        except BaseException as e:
            status = "FAIL"
            detail = "".join(traceback.format_exc().splitlines(True)[-40:])
            detail += "\n" + getattr(e, "logs", "")
        finally:
            signal.alarm(0)
        res.report(status, name, time.monotonic() - t0, detail.strip("\n"))


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
        # A test may ask for longer (fn.timeout = seconds): one whose
        # work grows with the whole run's database (a backup of it).
        signal.alarm(getattr(fn, 'timeout', HTTP_TIMEOUT))
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


def stop_stack(res, st, report, name="http/stack-stop"):
    """Stops the stack; when report, as the test name: the pool exits 0
    on SIGTERM, no sanitizer report, nothing left running."""
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
        res.report("FAIL", name, time.monotonic() - t0,
                   "\n".join(problems) + "\n" + st.log_since(marks))
    else:
        res.report("ok", name, time.monotonic() - t0)


def run_stack(res, tests, st, db_error, shard=1):
    """Starts st (unless db_error says its database could not), runs
    tests on it and stops it. Shard n > 1 names its setup and stop tests
    setup/stack-n and http/stack-stop-n."""
    suffix = f"-{shard}" if shard > 1 else ""
    start_error = db_error
    if not start_error:
        try:
            st.start()
        except stackmod.StackError as e:
            start_error = str(e)
            res.report("FAIL", "setup/stack" + suffix,
                       detail=f"{e}\n{getattr(e, 'logs', '')}")
    run_http(res, tests, st, start_error)
    stop_stack(res, st, not start_error, "http/stack-stop" + suffix)


# ---------------------------------------------------------------- shards

def feature(name):
    """The file part of a test name: http/<feature>/... -> <feature>."""
    return name.split("/")[1]


def split_http(tests, head):
    """The whole-stack tests as two shards of whole files (a file's tests
    may depend on each other), each in file order: files heaviest first
    (SLOW_FILES) to the shard with less to do, shard 1 starting with head
    seconds (the unit tests it runs first)."""
    files = {}
    for t in tests:
        files.setdefault(feature(t[0]), []).append(t)

    def weight(f):
        return SLOW_FILES.get(f, TEST_SECONDS * len(files[f]))
    load = [head, 0.0]
    shard_of = {}
    for f in sorted(files, key=weight, reverse=True):
        shard_of[f] = 0 if load[0] <= load[1] else 1
        load[shard_of[f]] += weight(f)
    return [[t for t in tests if shard_of[feature(t[0])] == i]
            for i in (0, 1)]


class Shard:
    """Shard n of the whole-stack tests in a child run.py (--shard n), on
    its own stack in <run_dir>/stack<n>: the per-test timeout is
    SIGALRM, which only the main thread of a process gets. Its results
    arrive as JSON lines and are reported into res as they come. The
    child has its own process group (a terminal's Ctrl-C reaches only
    this runner, which then stops it) and gets SIGTERM when the runner
    dies; on SIGTERM it stops its stack."""

    def __init__(self, n, tests, args, run_dir, res):
        self.n = n
        self.res = res
        self.waiting = [t[0] for t in tests]
        files = sorted({feature(t[0]) for t in tests})
        argv = [sys.executable, os.path.abspath(__file__), "--bin",
                args.bin, "--http", args.http, "--only", args.only,
                "--shard", str(n), "--files", ",".join(files),
                "--run-dir", run_dir]
        self.popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, text=True,
                                      cwd=REPO, preexec_fn=stackmod._preexec)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.popen.stdout:
            try:
                status, name, secs, detail = json.loads(line)
            except (ValueError, TypeError):  # a test's own print()
                print(line, end="", flush=True)
                continue
            if name in self.waiting:
                self.waiting.remove(name)
            self.res.report(status, name, secs, detail)

    def finish(self):
        """Waits for the shard's end; a test it did not report fails."""
        status = self.popen.wait()
        self.reader.join()
        why = f"shard {self.n} ended (exit status {status}) without it"
        for name in self.waiting:
            self.res.report("FAIL", name, detail=why)
        if status not in (0, 1) and not self.waiting:
            self.res.report("FAIL", f"http/shard-{self.n}",
                            detail=f"exit status {status}")
        self.waiting = []

    def terminate(self):
        """SIGTERM, on which the child stops its stack and exits."""
        if self.popen.poll() is None:
            self.popen.terminate()

    def stop(self):
        """terminate(), then SIGKILL after two minutes; returns at once
        when the child has ended already."""
        if self.popen.poll() is None:
            self.terminate()
            try:
                self.popen.wait(120)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        stackmod.kill_group(self.popen.pid)
        self.reader.join(5)


def run_shard(args, wanted):
    """run.py --shard n: the whole-stack tests of --files on a stack of
    their own, reported as JSON lines (ShardResult) to the parent."""
    files = set(args.files.split(","))
    tests = [t for t in http_tests(args.http)
             if feature(t[0]) in files and wanted(t[0])]
    res = ShardResult()
    stackmod.install_signal_handlers()
    st = stackmod.Stack(args.bin, os.path.join(args.run_dir,
                                               f"stack{args.shard}"),
                        fast=True, private_themes=True)
    try:
        run_stack(res, tests, st, None, args.shard)
    except KeyboardInterrupt:
        return 130
    finally:
        st.stop()
    return 1 if res.failed else 0


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
    ap.add_argument("--long", help="the long tests (make check-long)")
    ap.add_argument("--only", default="", help="names containing this")
    ap.add_argument("--list", action="store_true", help="names only")
    ap.add_argument("--keep", action="store_true",
                    help="keep build/test-<pid>/ even when all passed")
    # A shard of the whole-stack tests (class Shard), for run.py itself.
    ap.add_argument("--shard", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--files", help=argparse.SUPPRESS)
    ap.add_argument("--run-dir", help=argparse.SUPPRESS)
    args = ap.parse_args()

    # "-" and "_" are one: TESTS=payment-webhooks finds the file
    # test_payment_webhooks.py, TESTS=admin_orders test_admin-orders.py.
    only = args.only.replace("-", "_")

    def wanted(name):
        return only in name.replace("-", "_")

    if args.shard:
        return run_shard(args, wanted)

    units = [u for u in executables(args.units, True)
             if wanted("unit/" + u)]
    fuzz = [f for f in executables(args.fuzz, False)
            if wanted("fuzz/" + f)]
    lints = [n for n in ("lint/" + c for c in sorted(lint.CHECKS))
             if wanted(n)]
    po = [p for p in po_tests() if wanted(p)]
    http = [t for t in http_tests(args.http) if wanted(t[0])]
    long = [t for t in http_tests(args.long, "long") if wanted(t[0])]
    if args.list:
        for n in (lints + po + ["unit/" + u for u in units] +
                  ["fuzz/" + f for f in fuzz] + [t[0] for t in http] +
                  [t[0] for t in long]):
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
    # With many whole-stack files, half of them (by time) run on a second
    # stack from the start, beside everything else here; the other half
    # runs on this stack after the unit tests.
    shard = None
    if len({feature(t[0]) for t in http}) > SHARD_MIN_FILES:
        http, second = split_http(http, UNIT_SECONDS * len(units))
        if second:
            shard = Shard(2, second, args, run_dir, res)
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
            run_stack(res, http, st, db_error)
        if shard:
            shard.finish()
        fuzzing.join()
        if long:
            # The short tests' stacks are gone: a long test has the
            # machine to itself.
            if shard:
                shard.stop()
            st.stop()
            run_long(res, long, args.bin, run_dir)
    except KeyboardInterrupt:
        interrupted = True
        print("\ninterrupted; stopping", flush=True)
    finally:
        if shard:
            shard.terminate()   # both stacks stop at once
        st.stop()
        if shard:
            shard.stop()
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
