#!/usr/bin/env python3
"""tests/stack.py: a whole souk stack in one private directory.

Used by tests/run.py (whole-stack tests) and by `make run`.  Python 3.11
standard library only.

    stack = Stack(bin_dir, "build/test-123/stack", port=0)
    stack.start()          # MariaDB, souk.conf, soukctl migrate, pool, nginx
    r = stack.http("GET", "/", host=stack.shop_host("bakery"))
    r.status, r.headers["Content-Type"], r.body, r.text
    stack.stop()           # everything it started, by PID

What runs, all inside the directory (nothing outside it is written):
    db/data, db/mysqld.sock      mariadbd --no-defaults --skip-networking
    souk.conf                    the configuration every program reads
    fcgi.sock, souk-fcgi.pid     souk-fcgi --listen ... --workers N
    nginx/                       nginx.conf + the shipped nginx/* files with
                                 their @PLACEHOLDERS@ filled in
    media/                       media_dir, served by nginx at /media/
    uploads/                     upload_dir (CSV imports; not served)
    logs/                        one log per program (tails shown on failure)

Helpers for tests (see each docstring): http()/get()/post() -> Response
(status, headers, body, text, cookies()), raw(bytes) for malformed
requests, session(host) -> Session (cookie jar; get/post/follow),
form_field(html, name) (CSRF tokens), create_shop(), add_operator(),
soukctl(*args), query(sql) as the database root, unique(prefix),
pool_master_pid(), pool_worker_pids(), wait_workers(), reload_pool(),
stop_pool()/start_pool(), restart_db(), log_marks()/log_since().

An existing db/data is reused (`make run` restarts fast); the souk user's
password is kept in db/souk.password.  Each child gets its own process group
and PR_SET_PDEATHSIG, so even a SIGKILLed runner leaves nothing behind;
stop() is idempotent, registered with atexit, and run on SIGINT/SIGTERM by
install_signal_handlers().

`python3 tests/stack.py run --bin DIR [--dir var] [--port 8080]` is `make
run`: a stack in ./var with three demo shops and an operator account,
until Ctrl-C.
"""

import argparse
import atexit
import ctypes
import html as htmlmod
import http.client
import http.cookies
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

from wait import WaitTimeout, wait_until

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Memory-resident test data: commits need not reach the disk.
FAST_DURABILITY = {"innodb_flush_log_at_trx_commit": "2", "sync_binlog": "0"}


class Skip(Exception):
    """Raised by a test to report "skip name" with the reason."""


class StackError(Exception):
    """A component did not start or stop; the message says which and why."""


# ---------------------------------------------------------------- processes

try:
    _libc = ctypes.CDLL(None, use_errno=True)
except OSError:
    _libc = None


def _preexec():
    """In the child: own process group (so a terminal's Ctrl-C reaches only
    the runner, which then stops children in order) and SIGTERM when the
    runner (the thread that started it) dies, however it dies. libc is
    opened in the parent (below): a child forked while another thread
    runs (tests/run.py's fuzz thread) must not dlopen between fork and
    exec."""
    os.setpgid(0, 0)
    try:
        if _libc is not None:
            _libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def pid_alive(pid):
    """True when pid exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            st = f.read()
    except OSError:
        return False
    return st[st.rindex(")") + 2] not in "ZX"


def _stat_fields(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            st = f.read()
    except OSError:
        return None
    return st[st.rindex(")") + 2:].split()


def children_of(pid):
    """The live children of pid, sorted (from /proc/<pid>/task/*/children,
    else a scan of /proc)."""
    kids = set()
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                kids.update(int(x) for x in f.read().split())
    except OSError:
        for name in os.listdir("/proc"):
            if name.isdigit():
                f = _stat_fields(name)
                if f and int(f[1]) == pid:
                    kids.add(int(name))
    return sorted(k for k in kids if pid_alive(k))


# SIGINT, SIGQUIT, SIGKILL, SIGTERM: what ends our processes.
_FATAL_SIGNALS = (1 << 1) | (1 << 2) | (1 << 8) | (1 << 14)


def signal_pending(pid):
    """Whether pid has SIGINT, SIGQUIT, SIGKILL or SIGTERM pending (not
    yet acted on): a process about to end. False when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(("SigPnd:", "ShdPnd:")) and \
                        int(line.split()[1], 16) & _FATAL_SIGNALS:
                    return True
    except (OSError, ValueError):
        pass
    return False


def group_members(pgid):
    """The live processes whose process group is pgid."""
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            f = _stat_fields(name)
            if f and int(f[2]) == pgid and f[0] not in "ZX":
                out.append(int(name))
    return sorted(out)


def _kill(pid, sig):
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def read_pidfile(path):
    try:
        with open(path) as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def tail(path, lines=30, since=0):
    """The last lines of path from byte offset since, as text."""
    try:
        with open(path, "rb") as f:
            f.seek(since)
            data = f.read()
    except OSError:
        return ""
    text = data.decode("utf-8", "replace").splitlines()
    return "\n".join(text[-lines:])


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# nginx hands each microcache hit to the pool's master as a datagram on
# meter_socket; Linux queues at most net.unix.max_dgram_qlen of them (10
# by default), so a burst while the master waits for a CPU loses counts.
# README ("Usage metering") has production set 512; the harness does the
# same when it may (as root), before the master opens its socket.
DGRAM_QLEN = 512


def raise_dgram_qlen():
    path = "/proc/sys/net/unix/max_dgram_qlen"
    try:
        with open(path) as f:
            if int(f.read()) >= DGRAM_QLEN:
                return
        with open(path, "w") as f:
            f.write(f"{DGRAM_QLEN}\n")
    except (OSError, ValueError):
        pass


class Proc:
    """One started program: its Popen, log file and process group."""

    def __init__(self, name, argv, log, env=None, cwd=None):
        self.name = name
        self.argv = argv
        self.log = log
        logf = open(log, "ab")
        logf.write(f"--- {time.strftime('%H:%M:%S')} start: "
            f"{' '.join(argv)}\n".encode())
        logf.flush()
        try:
            self.popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                stdout=logf, stderr=subprocess.STDOUT, env=env,
                cwd=cwd or REPO, preexec_fn=_preexec)
        except OSError as e:
            raise StackError(f"{name}: cannot start {argv[0]}: {e}")
        finally:
            logf.close()
        self.pid = self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """Sends sig to the program, waits, then SIGKILLs whatever of its
        process group is left (forked workers included). Returns the exit
        status."""
        if self.popen.poll() is None:
            _kill(self.pid, sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                _kill(self.pid, signal.SIGKILL)
                self.popen.wait()
        kill_group(self.pid)
        return self.popen.returncode


def run_group(argv, log, env=None, timeout=None, cwd=None):
    """Runs argv to its end with its output in log, in its own process
    group, all of which is killed on timeout or on an exception (Ctrl-C)
    in the caller. Returns (status or None on timeout, seconds)."""
    t0 = time.monotonic()
    with open(log, "ab") as f:
        try:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=f,
                stderr=subprocess.STDOUT, env=env, cwd=cwd or REPO,
                preexec_fn=_preexec)
        except OSError as e:
            f.write(f"cannot run {argv[0]}: {e}\n".encode())
            return 127, 0.0
    try:
        status = p.wait(timeout)
    except subprocess.TimeoutExpired:
        status = None
    finally:
        if p.poll() is None:
            _kill(p.pid, signal.SIGKILL)
            p.wait()
        kill_group(p.pid)
    return status, time.monotonic() - t0


def kill_group(pgid):
    """SIGKILLs whatever is left of process group pgid (forked workers
    included) until nothing is, for up to WAIT_S; quietly gives up then
    (a stop must not raise)."""
    def gone():
        left = group_members(pgid)
        for p in left:
            _kill(p, signal.SIGKILL)
        return not left
    try:
        wait_until(gone, what=f"process group {pgid} gone")
    except WaitTimeout:
        pass


def wait_for(what, check, proc=None, timeout=30, log=None):
    """Polls check() (tests/wait.py) until it is true, OSError counting
    as "not yet"; fails early when proc has exited."""
    def ready():
        if check():
            return True
        if proc is not None and not proc.alive():
            raise StackError(f"{what} exited with status "
                f"{proc.popen.returncode}\n{tail(log or proc.log)}")
        return False
    try:
        wait_until(ready, timeout, what, ignore=(OSError,))
    except WaitTimeout:
        raise StackError(f"{what} not ready after {timeout}s\n"
            f"{tail(log or (proc.log if proc else ''))}") from None


# ---------------------------------------------------------------- MariaDB

class MariaDB:
    """A private mariadbd on a unix socket only, run as the current user."""

    def __init__(self, dir, fast=False, settings=None):
        self.dir = os.path.abspath(dir)
        self.datadir = os.path.join(self.dir, "data")
        self.socket = os.path.join(self.dir, "mysqld.sock")
        self.pidfile = os.path.join(self.dir, "mysqld.pid")
        self.log = os.path.join(self.dir, "mariadb.err")
        # Its own temporary files: in a shared /tmp, two servers (or a
        # cleanup of /tmp) have removed each other's, and
        # mariadb-install-db then fails ("Could not remove temporary
        # table").
        self.tmpdir = os.path.join(self.dir, "tmp")
        self.settings = {
            "character_set_server": "utf8mb4",
            "collation_server": "utf8mb4_unicode_ci",
            "table_open_cache": "4000",
            "table_definition_cache": "4000",
            "innodb_buffer_pool_size": "256M",
            "max_connections": "500",
            "skip_name_resolve": "1",
            # Binary logs as production keeps them (mariadb/60-souk.cnf):
            # what soukctl backup copies and shop restore replays.
            "log_bin": "binlog",
            "server_id": "1",
            "binlog_format": "ROW",
            # soukctl shop move's triggers (mariadb/60-souk.cnf)
            "log_bin_trust_function_creators": "1",
        }
        if fast:
            self.settings.update(FAST_DURABILITY)
        self.settings.update(settings or {})
        self.proc = None
        self.password = None
        # TCP on 127.0.0.1:port as well as the socket (a Galera node's
        # SST and its peers need an address); None: the socket only.
        self.port = None
        # Arguments of the next start() only (--wsrep-new-cluster).
        self.once_args = []

    def install(self):
        """Creates the datadir unless one is there already. Returns True
        when it was created."""
        if os.path.isdir(os.path.join(self.datadir, "mysql")):
            return False
        os.makedirs(self.dir, exist_ok=True)
        os.makedirs(self.tmpdir, exist_ok=True)
        shutil.rmtree(self.datadir, ignore_errors=True)
        status, _ = run_group(["mariadb-install-db", "--no-defaults",
            "--auth-root-authentication-method=normal",
            "--skip-test-db", f"--datadir={self.datadir}",
            f"--tmpdir={self.tmpdir}"],
            os.path.join(self.dir, "install.log"), timeout=120, cwd=self.dir)
        if status != 0:
            raise StackError("mariadb-install-db failed\n" +
                tail(os.path.join(self.dir, "install.log")))
        return True

    def start(self):
        os.makedirs(self.tmpdir, exist_ok=True)
        argv = self.argv() + self.once_args
        self.once_args = []
        self.proc = Proc("mariadbd", argv, self.log + ".out",
            cwd=self.dir)
        wait_for("mariadbd", self.ready, self.proc, timeout=self.start_s,
            log=self.log)

    def argv(self, log=None):
        """The server's command line (log: another error log)."""
        argv = ["mariadbd", "--no-defaults", f"--datadir={self.datadir}",
            f"--tmpdir={self.tmpdir}",
            f"--socket={self.socket}",
            f"--pid-file={self.pidfile}", f"--log-error={log or self.log}"]
        argv += ["--skip-networking"] if self.port is None else \
            [f"--port={self.port}", "--bind-address=127.0.0.1"]
        if os.geteuid() == 0:
            argv.append("--user=root")
        argv += [f"--{k.replace('_', '-')}={v}"
            for k, v in sorted(self.settings.items())]
        return argv

    start_s = 60    # seconds a start may take

    def ready(self):
        """Whether the server answers (start() waits for it)."""
        return self.query("SELECT 1", quiet=True) is not None

    def stop(self):
        if self.proc is not None:
            self.proc.stop(signal.SIGTERM, timeout=60)
            self.proc = None

    def restart(self):
        self.stop()
        self.start()

    def pid(self):
        return self.proc.pid if self.proc and self.proc.alive() else None

    def query(self, sql, db=None, quiet=False):
        """Runs sql as root; returns the rows as lists of strings (NULL is
        None), or None when quiet and it failed; raises otherwise."""
        argv = ["mariadb", "--no-defaults", f"--socket={self.socket}",
            "-uroot", "--batch", "--skip-column-names", "-e", sql]
        if db:
            argv.append(db)
        r = subprocess.run(argv, capture_output=True)
        if r.returncode != 0:
            if quiet:
                return None
            raise StackError(f"query failed: {sql[:200]}\n"
                f"{r.stderr.decode(errors='replace')}")
        rows = []
        for line in r.stdout.decode().splitlines():
            rows.append([None if c == "NULL" else c
                for c in line.split("\t")])
        return rows

    def ensure_user(self, user="souk"):
        """Creates (or keeps) a user with a password, kept in the dir so a
        reused datadir keeps working. Returns the password."""
        pwfile = os.path.join(self.dir, f"{user}.password")
        try:
            with open(pwfile) as f:
                self.password = f.read().strip()
        except OSError:
            self.password = secrets.token_hex(16)
            with open(pwfile, "w") as f:
                f.write(self.password + "\n")
        self.query(f"CREATE USER IF NOT EXISTS '{user}'@'localhost' "
            f"IDENTIFIED BY '{self.password}'; "
            f"ALTER USER '{user}'@'localhost' "
            f"IDENTIFIED BY '{self.password}'")
        return self.password

    def create_database(self, name, user="souk", fresh=False):
        """Creates database name (dropping it first when fresh) and grants
        user every privilege on it and nothing else."""
        if not re.fullmatch(r"[A-Za-z0-9_]+", name):
            raise ValueError(name)
        sql = ""
        if fresh:
            sql += f"DROP DATABASE IF EXISTS `{name}`; "
        sql += (f"CREATE DATABASE IF NOT EXISTS `{name}` "
            f"CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci; "
            f"GRANT ALL PRIVILEGES ON `{name}`.* TO '{user}'@'localhost'")
        self.query(sql)

    def drop_database(self, name):
        self.query(f"DROP DATABASE IF EXISTS `{name}`")


class GaleraNode(MariaDB):
    """One node of a Galera cluster on loopback (galera-4): the socket
    for clients, and TCP ports of its own for the server, replication
    (gcomm), IST and SST (rsync). peers: the gcomm ports of every node,
    its own included. The first node starts with bootstrap=True (a new
    cluster); the others join it and receive its data by SST. The
    settings are those of mariadb/61-souk-galera.cnf."""

    start_s = 180   # a joiner copies the donor's datadir first

    def __init__(self, dir, name, gcomm_port, peers, fast=True,
        settings=None):
        self.name = name
        self.gcomm_port = gcomm_port
        ist, sst = free_port(), free_port()
        s = {
            "wsrep_on": "ON",
            "wsrep_provider": GALERA_PROVIDER,
            "wsrep_cluster_name": "souk_test",
            "wsrep_cluster_address": "gcomm://" + ",".join(
                f"127.0.0.1:{p}" for p in peers),
            "wsrep_node_name": name,
            "wsrep_node_address": f"127.0.0.1:{gcomm_port}",
            "wsrep_provider_options": f"base_host=127.0.0.1;"
                f"base_port={gcomm_port};"
                f"ist.recv_addr=127.0.0.1:{ist};gcache.size=64M",
            "wsrep_sst_method": "rsync",
            "wsrep_sst_receive_address": f"127.0.0.1:{sst}",
            "wsrep_slave_threads": "2",
            "wsrep_retry_autocommit": "4",
            "binlog_format": "ROW",
            "default_storage_engine": "InnoDB",
            "innodb_autoinc_lock_mode": "2",
        }
        s.update(settings or {})
        super().__init__(dir, fast=fast, settings=s)
        self.port = free_port()
        self.settings["wsrep_node_incoming_address"] = \
            f"127.0.0.1:{self.port}"

    def copy_datadir(self, other):
        """This node's datadir as a copy of other's (stopped) one, its
        gcache left out (each node has its own)."""
        os.makedirs(self.tmpdir, exist_ok=True)
        shutil.rmtree(self.datadir, ignore_errors=True)
        shutil.copytree(other.datadir, self.datadir, symlinks=True,
            ignore=shutil.ignore_patterns("galera.cache", "*.pid"))
        # Even an IST runs the SST script, whose rsync daemon (as
        # nobody, see galera_cluster()) leaves a marker file here.
        if os.geteuid() == 0:
            os.chmod(self.datadir, 0o777)

    def recover_position(self):
        """The stopped node's last committed position, "uuid:seqno", as
        galera_recovery (mysqld_safe) finds it: mariadbd --wsrep-recover
        reads it from InnoDB, which keeps it."""
        log = os.path.join(self.dir, "recover.err")
        status, _ = run_group(self.argv(log) + ["--wsrep-recover"],
            log + ".out", timeout=120, cwd=self.dir)
        with open(log, errors="replace") as f:
            m = re.findall(r"Recovered position: (\S+:-?\d+)", f.read())
        if status != 0 or not m:
            raise StackError(f"{self.name}: --wsrep-recover found no "
                f"position (status {status})\n{tail(log)}")
        return m[-1]

    def status(self, name):
        """SHOW GLOBAL STATUS's value of name (a string), or None."""
        rows = self.query(f"SHOW GLOBAL STATUS LIKE '{name}'", quiet=True)
        return rows[0][1] if rows else None

    def ready(self):
        return self.status("wsrep_local_state_comment") == "Synced" and \
            self.status("wsrep_ready") == "ON"


GALERA_PROVIDER = "/usr/lib/galera/libgalera_smm.so"


def galera_cluster(dir, n=3, settings=None):
    """n GaleraNodes in dir/node1.. (started: the first bootstraps the
    cluster, the others join in turn). Raises Skip when galera-4 is not
    installed. Stop them with stop() each, joiners first."""
    if not os.path.exists(GALERA_PROVIDER):
        raise Skip(f"no {GALERA_PROVIDER} (Debian package galera-4)")
    if shutil.which("rsync") is None:
        raise Skip("no rsync (the SST script of the test cluster)")
    ports = [free_port() for _ in range(n)]
    nodes = [GaleraNode(os.path.join(dir, f"node{i + 1}"), f"node{i + 1}",
        ports[i], ports, settings=settings) for i in range(n)]
    try:
        # The joiners start from a copy of the first node's datadir,
        # taken after a clean stop, at the position --wsrep-recover
        # finds in it: they join by IST (what the first node wrote
        # since, from its gcache), as a node restored from a cold copy
        # does. No SST: rsync's daemon, started as root (the tests,
        # CI), runs as nobody and cannot write a root-owned datadir (a
        # real node runs as mysql, and so does its SST).
        first = nodes[0]
        first.install()
        first.once_args = ["--wsrep-new-cluster"]
        first.start()
        first.stop()
        pos = first.recover_position()
        for node in nodes[1:]:
            node.copy_datadir(first)
        for i, node in enumerate(nodes):
            node.once_args = [f"--wsrep-start-position={pos}"]
            if i == 0:
                node.once_args.append("--wsrep-new-cluster")
            node.start()
    except BaseException:
        for node in reversed(nodes):
            node.stop()
        raise
    return nodes


# ---------------------------------------------------------------- HTTP

class Response:
    """status (int), reason, headers (http.client.HTTPMessage: case-
    insensitive get(), get_all() for repeated fields), body (bytes)."""

    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def cookies(self):
        """The Set-Cookie fields as {name: Morsel}."""
        jar = {}
        for v in self.headers.get_all("Set-Cookie") or []:
            c = http.cookies.SimpleCookie()
            try:
                c.load(v)
            except http.cookies.CookieError:
                continue
            jar.update(c)
        return jar

    def __repr__(self):
        return f"<Response {self.status} {len(self.body)} bytes>"


def _encode_body(body, headers):
    if body is None:
        return None
    if isinstance(body, dict) or isinstance(body, list):
        headers.setdefault("Content-Type",
            "application/x-www-form-urlencoded")
        return urllib.parse.urlencode(body).encode()
    if isinstance(body, str):
        return body.encode()
    return body


def http_request(port, method, path, host="localhost", headers=None,
    body=None, cookies=None, timeout=15):
    """One request to 127.0.0.1:port, never following redirects. host is
    sent as the Host field (":port" is added unless it has one, as a
    browser does); body is bytes, str, or a dict/list of pairs sent as a
    form; cookies is {name: value}."""
    hdrs = dict(headers or {})
    data = _encode_body(body, hdrs)
    if host is not None and "Host" not in hdrs:
        hdrs["Host"] = host if ":" in host else f"{host}:{port}"
    if cookies:
        hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(method, path, skip_host=True,
            skip_accept_encoding=True)
        for k, v in hdrs.items():
            conn.putheader(k, v)
        if data is not None and "Content-Length" not in hdrs:
            conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
        r = conn.getresponse()
        return Response(r.status, r.reason, r.headers, r.read())
    finally:
        conn.close()


def raw_request(port, data, timeout=15, until=None):
    """Sends data as is to 127.0.0.1:port and returns every byte the server
    sends back until it closes, the timeout passes or the bytes until
    have arrived (b"\\r\\n\\r\\n": the header): for hostile requests."""
    out = b""
    with socket.create_connection(("127.0.0.1", port), timeout) as s:
        s.sendall(data)
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                out += b
                if until is not None and until in out:
                    break
        except (socket.timeout, ConnectionResetError):
            pass
    return out


def form_field(html, name):
    """The value of the first <input name="name" value="..."> in html, or
    None (for CSRF tokens)."""
    for m in re.finditer(r"<input\b[^>]*>", html, re.I):
        tag = m.group(0)
        if re.search(r"""\bname\s*=\s*["']?%s["'\s>/]""" % re.escape(name),
            tag):
            v = re.search(r"""\bvalue\s*=\s*(["'])(.*?)\1""", tag, re.S)
            return htmlmod.unescape(v.group(2)) if v else ""
    return None


class Session:
    """A browser-like client for one host: keeps the cookies it is given
    (Max-Age=0 or an empty value deletes), never follows redirects unless
    follow() is used."""

    def __init__(self, stack, host=None):
        self.stack = stack
        self.host = host or stack.platform_domain
        self.cookies = {}

    def request(self, method, path, body=None, headers=None, host=None):
        r = self.stack.http(method, path, host=host or self.host,
            headers=headers, body=body, cookies=self.cookies)
        for name, m in r.cookies().items():
            if m.value == "" or m["max-age"] in ("0", "-1") or (
                m["expires"] and "1970" in m["expires"]):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = m.value
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def follow(self, r, limit=5):
        """Follows r's redirects (GET) on this session's host."""
        while r.status in (301, 302, 303, 307, 308) and limit > 0:
            loc = urllib.parse.urlsplit(r.headers["Location"])
            host = loc.hostname or None
            path = (loc.path or "/") + (f"?{loc.query}" if loc.query
                else "")
            r = self.get(path, host=host)
            limit -= 1
        return r


# ---------------------------------------------------------------- the stack

def fill(text, values):
    """Replaces every @NAME@ in text; an unknown placeholder is an error."""
    def sub(m):
        if m.group(1) not in values:
            raise StackError(f"no value for placeholder @{m.group(1)}@")
        return str(values[m.group(1)])
    return re.sub(r"@([A-Z_]+)@", sub, text)


class Stack:
    """MariaDB + souk.conf + souk-fcgi + nginx in dir. port 0 picks a free
    loopback port. fast relaxes durability (tests). conf adds or overrides
    souk.conf keys."""

    Skip = Skip     # raise stack.Skip("why") in a test

    def __init__(self, bin_dir, dir, port=0, workers=4, max_requests=0,
        fast=False, platform_domain="localhost", login_rate="6000r/m",
        theme="default", conf=None, db_settings=None, public_port=None,
        private_themes=False, db=None, shop_stock=0):
        self.bin = os.path.abspath(bin_dir)
        self.dir = os.path.abspath(dir)
        # The tests' own copy of themes/ (soukctl theme install writes
        # there); make run serves the repository's.
        self.themes_dir = os.path.join(self.dir, "themes") \
            if private_themes else os.path.join(REPO, "themes")
        if private_themes:
            shutil.copytree(os.path.join(REPO, "themes"), self.themes_dir,
                dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
        self.port = port
        self.public_port = public_port
        self.workers = workers
        self.max_requests = max_requests
        self.platform_domain = platform_domain
        self.login_rate = login_rate
        self.theme = theme
        self.extra_conf = conf or {}
        # Shops made ahead of sign-ups (platform/shop_stock.h): none in
        # the tests' stacks unless a test asks (their shops and tables
        # are counted); make run keeps the production default.
        self.shop_stock = shop_stock
        self.logs = os.path.join(self.dir, "logs")
        # db: a MariaDB started and set up elsewhere (a Galera node whose
        # user and database came from another node), or one of our own.
        self.db = db or MariaDB(os.path.join(self.dir, "db"), fast=fast,
            settings=db_settings)
        self.db_name = "souk"
        self.db_user = "souk"
        self.conf_path = os.path.join(self.dir, "souk.conf")
        self.socket = os.path.join(self.dir, "fcgi.sock")
        self.pool_pidfile = os.path.join(self.dir, "souk-fcgi.pid")
        self.media_dir = os.path.join(self.dir, "media")
        self.upload_dir = os.path.join(self.dir, "uploads")
        self.meter_socket = os.path.join(self.dir, "usage", "views.sock")
        self.metrics_port = free_port()
        self.nginx_dir = os.path.join(self.dir, "nginx")
        self.secret_key_file = os.path.join(self.dir, "secret.key")
        self.pool = None
        self.nginx = None
        self.fresh_db = False
        self._stopped = True
        atexit.register(self.stop)

    # -- paths and logs

    def log_files(self):
        """Every log the stack writes, by short name."""
        return {
            "mariadb": self.db.log,
            "souk-fcgi": os.path.join(self.logs, "souk-fcgi.log"),
            "soukctl": os.path.join(self.logs, "soukctl.log"),
            "nginx-error": os.path.join(self.logs, "nginx-error.log"),
            "nginx-access": os.path.join(self.logs, "nginx-access.log"),
            "souk-worker": os.path.join(self.logs, "souk-worker.log"),
            "smtp": os.path.join(self.logs, "smtp.log"),
            "stripe": os.path.join(self.logs, "stripe.log"),
        }

    def log_marks(self):
        """The current size of every log, for log_since()."""
        marks = {}
        for k, p in self.log_files().items():
            try:
                marks[k] = os.path.getsize(p)
            except OSError:
                marks[k] = 0
        return marks

    def log_since(self, marks, lines=25):
        """The lines each log gained since marks, labelled."""
        out = []
        for k, p in self.log_files().items():
            t = tail(p, lines, marks.get(k, 0))
            if t.strip():
                out.append(f"--- {k} ({p})\n{t}")
        return "\n".join(out)

    def env(self):
        """The environment for souk programs: the config file path only
        (souk.conf holds everything else)."""
        e = dict(os.environ)
        for k in list(e):
            if k.startswith("SOUK_"):
                del e[k]
        e["SOUK_CONFIG"] = self.conf_path
        return e

    # -- life cycle

    def start(self):
        """Starts every component not running yet. On failure stops them
        all and raises StackError, its .logs the logs' lines meanwhile."""
        self._stopped = False
        for d in (self.dir, self.logs, self.media_dir, self.upload_dir,
                  self.nginx_dir):
            os.makedirs(d, exist_ok=True)
        marks = self.log_marks()
        try:
            if self.db.proc is None:
                self.start_db()
            self.write_secret_key()
            self.write_conf()
            self.migrate()
            if self.pool is None:
                self.start_pool()
            if self.nginx is None:
                self.start_nginx()
            self.start_mail()
            self.start_stripe()
        except BaseException as e:
            if isinstance(e, StackError):
                e.logs = self.log_since(marks)
            self.stop()
            raise
        return self

    def start_db(self):
        self._stopped = False
        os.makedirs(self.logs, exist_ok=True)
        self.fresh_db = self.db.install()
        self.db.start()
        self.db.ensure_user(self.db_user)
        self.db.create_database(self.db_name, self.db_user)

    def conf_values(self):
        port = self.public_port if self.public_port is not None \
            else self.port
        v = {
            "db_socket": self.db.socket,
            "db_user": self.db_user,
            "db_password": self.db.password,
            "db_name": self.db_name,
            "platform_domain": self.platform_domain,
            "public_port": "" if port in (80, 443) else port,
            "public_scheme": "http",
            "workers": self.workers,
            "max_requests": self.max_requests or 10000,
            "listen": self.socket,
            "themes_dir": self.themes_dir,
            "locale_dir": os.path.join(REPO, "build", "locale"),
            "sql_dir": os.path.join(REPO, "sql"),
            "media_dir": self.media_dir,
            "upload_dir": self.upload_dir,
            "meter_file": os.path.join(self.dir, "usage", "counters"),
            "meter_socket": self.meter_socket,
            # soukctl backup and shop restore: root has no password on
            # this private server's socket.
            "backup_dir": os.path.join(self.dir, "backups"),
            "backup_user": "root",
            "backup_socket": self.db.socket,
            # the operating figures (core/metrics.h) and their endpoint
            # in the pool's master (http/scrape.h)
            "metrics_file": os.path.join(self.dir, "usage", "metrics"),
            "metrics_listen": f"127.0.0.1:{self.metrics_port}",
            "log_level": "info",
            "session_ttl": 1209600,
            "max_body": 8 * 1024 * 1024,
            "secure_cookies": 0,
            # Custom domains' checks (platform/domain.h) reach this
            # nginx: every name resolves to loopback, as DNS would
            # send it to the platform.
            "domain_verify_resolve": "127.0.0.1",
            "shop_stock": self.shop_stock,
        }
        v.update(self.mail_conf())
        v.update(self.stripe_conf())
        v.update(self.extra_conf)
        return v

    def write_conf(self):
        if not self.port:
            self.port = free_port()
        with open(self.conf_path, "w") as f:
            f.write("# souk.conf written by tests/stack.py\n")
            for k, v in self.conf_values().items():
                f.write(f"{k} = {v}\n")
        os.chmod(self.conf_path, 0o600)

    def soukctl(self, *args, check=True, input=None, conf=None):
        """Runs soukctl --config souk.conf args...; its output is logged.
        conf: souk.conf keys set for this run only (as SOUK_<KEY>
        variables). Returns the CompletedProcess (stdout/stderr as
        text); raises StackError when check and it fails."""
        argv = [os.path.join(self.bin, "soukctl"), "--config",
            self.conf_path] + [str(a) for a in args]
        env = self.env()
        for k, v in (conf or {}).items():
            env["SOUK_" + k.upper()] = str(v)
        try:
            r = subprocess.run(argv, capture_output=True, env=env,
                cwd=REPO, input=input, text=True, timeout=300)
        except OSError as e:
            raise StackError(f"cannot run soukctl: {e}")
        with open(self.log_files()["soukctl"], "a") as f:
            f.write(f"--- soukctl {' '.join(argv[3:])}: "
                f"status {r.returncode}\n{r.stdout}{r.stderr}")
        if check and r.returncode != 0:
            raise StackError(f"soukctl {' '.join(argv[3:])} failed "
                f"({r.returncode}):\n{r.stdout}{r.stderr}")
        return r

    def migrate(self):
        self.soukctl("migrate")

    def password_file(self, password):
        """A 0600 file in the stack dir holding password (for soukctl)."""
        d = os.path.join(self.dir, "pw")
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, secrets.token_hex(6))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(password + "\n")
        return path

    def create_shop(self, slug, name=None, owner_email=None,
        password="correct horse battery", locale="en", currency="EUR",
        check=True):
        """soukctl shop create; returns the CompletedProcess."""
        pw = self.password_file(password)
        try:
            return self.soukctl("shop", "create", "--slug", slug,
                "--name", name or slug.title(), "--owner-email",
                owner_email or f"owner@{slug}.example", "--password-file",
                pw, "--locale", locale, "--currency", currency,
                check=check)
        finally:
            os.unlink(pw)

    def add_operator(self, email, password, check=True):
        pw = self.password_file(password)
        try:
            return self.soukctl("operator", "add", "--email", email,
                "--password-file", pw, check=check)
        finally:
            os.unlink(pw)

    def start_pool(self):
        raise_dgram_qlen()
        try:
            os.unlink(self.socket)
        except FileNotFoundError:
            pass
        argv = [os.path.join(self.bin, "souk-fcgi"), "--config",
            self.conf_path, "--listen", self.socket, "--workers",
            str(self.workers), "--pidfile", self.pool_pidfile]
        if self.max_requests:
            argv += ["--max-requests", str(self.max_requests)]
        self.pool = Proc("souk-fcgi", argv, self.log_files()["souk-fcgi"],
            env=self.env())
        wait_for("souk-fcgi", self._pool_ready, self.pool, timeout=30)

    def _pool_ready(self):
        if not os.path.exists(self.socket):
            return False
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(self.socket)
        return True

    def stop_pool(self):
        """SIGTERM to the master; then SIGKILL to any worker left, even one
        that moved to another process group."""
        if self.pool is not None:
            workers = self.pool_worker_pids() if self.pool.alive() else []
            self.pool.stop(signal.SIGTERM, timeout=20)
            for p in workers:
                if pid_alive(p):
                    _kill(p, signal.SIGKILL)
            self.pool = None

    def restart_pool(self):
        self.stop_pool()
        self.start_pool()

    def nginx_values(self):
        return {
            "LISTEN": f"127.0.0.1:{self.port}",
            "SOCKET": self.socket,
            "THEMES_ROOT": self.themes_dir,
            "MEDIA_ROOT": self.media_dir,
            "PLATFORM_DOMAIN": self.platform_domain,
            "LOGIN_RATE": self.login_rate,
            "CONF_DIR": self.nginx_dir,
            "LOG_DIR": self.logs,
            "CACHE_DIR": os.path.join(self.nginx_dir, "cache"),
            "METER_SOCKET": self.meter_socket,
        }

    def write_nginx_conf(self):
        """Copies nginx/* with placeholders filled in, and writes the main
        nginx.conf around the site (the part a distribution provides)."""
        values = self.nginx_values()
        src = os.path.join(REPO, "nginx")
        for name in sorted(os.listdir(src)):
            if name.startswith("README") or name.startswith("."):
                continue
            with open(os.path.join(src, name)) as f:
                text = fill(f.read(), values)
            with open(os.path.join(self.nginx_dir, name), "w") as f:
                f.write(text)
        tmp = os.path.join(self.nginx_dir, "tmp")
        os.makedirs(tmp, exist_ok=True)
        user = "user root;\n" if os.geteuid() == 0 else ""
        temps = "".join(f"\t{k}_temp_path {tmp}/{k};\n" for k in
            ("client_body", "fastcgi", "proxy", "uwsgi", "scgi"))
        conf = (f"# written by tests/stack.py\n{user}"
            f"daemon off;\nworker_processes 2;\n"
            f"pid {self.nginx_dir}/nginx.pid;\n"
            f"error_log {self.logs}/nginx-error.log info;\n"
            f"events {{\n\tworker_connections 1024;\n}}\n"
            f"http {{\n\tinclude /etc/nginx/mime.types;\n"
            f"\tdefault_type application/octet-stream;\n"
            f"\tsendfile on;\n\ttcp_nopush on;\n"
            f"\taccess_log off;\n{temps}"
            f"\tinclude {self.nginx_dir}/souk-site.conf;\n}}\n")
        path = os.path.join(self.nginx_dir, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        return path

    def start_nginx(self):
        fixed = bool(self.port)
        for attempt in range(3):
            conf = self.write_nginx_conf()
            log = self.log_files()["nginx-error"]
            mark = os.path.getsize(log) if os.path.exists(log) else 0
            self.nginx = Proc("nginx", ["nginx", "-p", self.nginx_dir,
                "-c", conf, "-e", "stderr"], log)
            try:
                wait_for("nginx", self._nginx_ready, self.nginx,
                    timeout=15)
                return
            except StackError:
                self.nginx.stop()
                self.nginx = None
                if fixed or "in use" not in tail(log, 50, mark) or \
                    attempt == 2:
                    raise
                self.port = free_port()
                self.write_conf()
                if self.pool is not None:
                    self.restart_pool()  # public_port changed

    def _nginx_ready(self):
        with socket.create_connection(("127.0.0.1", self.port), 1):
            pass
        return True

    def stop_nginx(self):
        if self.nginx is not None:
            self.nginx.stop(signal.SIGTERM, timeout=15)
            self.nginx = None

    def reload_nginx(self):
        self.write_nginx_conf()
        _kill(self.nginx.pid, signal.SIGHUP)

    def stop(self):
        """Stops everything this stack started, newest first. Safe to call
        twice, from atexit or a signal handler."""
        if self._stopped:
            return
        self._stopped = True
        errors = []
        for f in (self.stop_stripe, self.stop_mail, self.stop_nginx,
                self.stop_pool, self.db.stop):
            try:
                f()
            except Exception as e:  # keep stopping the rest
                errors.append(f"{f.__name__}: {e}")
        if errors:
            print("stack: " + "; ".join(errors), file=sys.stderr)

    def restart_db(self):
        """Stops mariadbd by PID and starts it on the same datadir (the
        pool is left alone: it must reconnect)."""
        self.db.restart()

    # -- mail: the SMTP stand-in and souk-worker (the job queue)

    def mail_conf(self):
        """souk.conf keys of the mail path: the stand-in's port is picked
        once, and the worker polls often so tests wait little."""
        if getattr(self, "smtp_port", None) is None:
            self.smtp_port = free_port()
            self.mail_dir = os.path.join(self.dir, "mail")
        return {"smtp_url": f"smtp://127.0.0.1:{self.smtp_port}",
                "mail_from": f"noreply@{self.platform_domain}",
                "worker_poll_ms": 100,
                # usage metering: counts reach souk_usage within a
                # second or two (platform/meter.h)
                "usage_flush_secs": 1, "usage_refresh_secs": 1,
                # the queue's figures and the console's history
                # (platform/metrics_log.h) within a second or two
                "metrics_gauge_secs": 1, "metrics_sample_secs": 2,
                # a shop's search index (shop/search_index.h) built
                # within half a second of needing it
                "search_index_check_ms": 500}

    def start_mail(self, worker_conf=None):
        """Starts tests/smtp_server.py (messages land in mail_dir, which
        SOUK_TEST_MAILDIR names for tests/http/souk_client.py) and
        souk-worker, each unless it runs already. worker_conf: souk.conf
        keys set for this souk-worker only (as SOUK_<KEY> variables),
        such as a short job_lease_secs."""
        self.mail_conf()
        os.environ["SOUK_TEST_MAILDIR"] = self.mail_dir
        if getattr(self, "smtp", None) is None:
            self.smtp = Proc("smtp", [sys.executable,
                os.path.join(REPO, "tests", "smtp_server.py"), "--port",
                str(self.smtp_port), "--dir", self.mail_dir],
                self.log_files()["smtp"])

            def listening():
                with socket.create_connection(("127.0.0.1",
                        self.smtp_port), timeout=1):
                    return True
            wait_for("smtp stand-in", listening, self.smtp, timeout=15)
        if getattr(self, "worker", None) is None:
            env = self.env()
            for k, v in (worker_conf or {}).items():
                env[f"SOUK_{k.upper()}"] = str(v)
            self.worker = Proc("souk-worker", [os.path.join(self.bin,
                "souk-worker"), "--config", self.conf_path],
                self.log_files()["souk-worker"], env=env)
            wait_for("souk-worker", lambda: "started" in tail(
                self.worker.log, 5), self.worker, timeout=15)

    # -- card payments: the server's secret key and the Stripe stand-in

    def write_secret_key(self):
        """The key souk seals gateway keys with (core/secret.h), made
        once per stack as `soukctl secret-key create` makes it."""
        if not os.path.exists(self.secret_key_file):
            fd = os.open(self.secret_key_file,
                         os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(32))

    def stripe_conf(self):
        """souk.conf keys of the card gateway: the stand-in's URL (its
        port picked once) and the secret key file."""
        if getattr(self, "stripe_port", None) is None:
            self.stripe_port = free_port()
        return {"stripe_api_url": f"http://127.0.0.1:{self.stripe_port}",
                "secret_key_file": self.secret_key_file}

    def start_stripe(self):
        """Starts tests/stripe_server.py unless it runs already; tests
        reach its control API at stack.stripe_url + "/_test/..."."""
        self.stripe_conf()
        self.stripe_url = f"http://127.0.0.1:{self.stripe_port}"
        if getattr(self, "stripe", None) is None:
            self.stripe = Proc("stripe", [sys.executable,
                os.path.join(REPO, "tests", "stripe_server.py"), "--port",
                str(self.stripe_port)], self.log_files()["stripe"])

            def listening():
                with socket.create_connection(("127.0.0.1",
                        self.stripe_port), timeout=1):
                    return True
            wait_for("stripe stand-in", listening, self.stripe, timeout=15)

    def stop_stripe(self):
        p = getattr(self, "stripe", None)
        if p is not None:
            p.stop()
            self.stripe = None

    def stop_mail(self):
        """Stops souk-worker (SIGTERM: after the job in hand), then the
        stand-in."""
        for name in ("worker", "smtp"):
            p = getattr(self, name, None)
            if p is not None:
                p.stop()
                setattr(self, name, None)

    # -- state for tests

    def pool_master_pid(self):
        """The pool master's pid: from the pidfile, else the one started."""
        pid = read_pidfile(self.pool_pidfile)
        if pid and pid_alive(pid):
            return pid
        return self.pool.pid if self.pool and self.pool.alive() else None

    def pool_worker_pids(self):
        """The pool's live worker pids (the master's children)."""
        m = self.pool_master_pid()
        return children_of(m) if m else []

    def wait_workers(self, n=None, timeout=10, exclude=()):
        """Waits until the pool has n workers (default: workers) none of
        which is in exclude; returns their pids."""
        n = n or self.workers
        w = []

        def enough():
            w[:] = [p for p in self.pool_worker_pids() if p not in exclude]
            return len(w) >= n
        try:
            wait_until(enough, timeout, "pool workers")
        except WaitTimeout:
            raise StackError(f"pool has {len(w)} of {n} new workers "
                f"after {timeout}s") from None
        return list(w)

    def reload_pool(self):
        """SIGHUP to the pool master (graceful reload)."""
        _kill(self.pool_master_pid(), signal.SIGHUP)

    def main_pids(self):
        """The live pids of mariadbd, the pool master and nginx."""
        out = [self.pool_master_pid()]
        for p in (self.db.proc, self.nginx):
            if p is not None and p.alive():
                out.append(p.pid)
        return [p for p in out if p]

    def broken(self):
        """What is not running any more, as a list of names."""
        out = []
        if self.db.proc is None or not self.db.proc.alive():
            out.append("mariadbd")
        if self.pool is None or self.pool_master_pid() is None:
            out.append("souk-fcgi")
        if self.nginx is None or not self.nginx.alive():
            out.append("nginx")
        return out

    def repair(self):
        """Restarts whatever broken() names; returns those names."""
        # A process a test signalled just now may not be gone yet: wait
        # until none of ours has a fatal signal pending, so broken()
        # sees it as it will stay.
        try:
            wait_until(lambda: not any(signal_pending(p) for p in
                self.main_pids()), what="signalled processes gone")
        except WaitTimeout:
            pass
        gone = self.broken()
        if "mariadbd" in gone:
            self.db.stop()
            self.db.start()
        if "souk-fcgi" in gone:
            self.stop_pool()
            self.start_pool()
        if "nginx" in gone:
            self.stop_nginx()
            self.start_nginx()
        return gone

    def query(self, sql, db=None):
        """Runs sql as the database root on the stack's database."""
        return self.db.query(sql, db or self.db_name)

    # -- HTTP

    def unique(self, prefix="t"):
        """A fresh lower-case name (shop slug, e-mail local part) that no
        other test of this run uses."""
        self._n = getattr(self, "_n", 0) + 1
        return f"{prefix}{self._n}x{secrets.token_hex(3)}"

    def shop_host(self, slug):
        return f"{slug}.{self.platform_domain}"

    def url(self, path="/", host=None):
        return f"http://{host or self.platform_domain}:{self.port}{path}"

    def http(self, method, path, host=None, headers=None, body=None,
        cookies=None, timeout=15):
        """See http_request(); host defaults to the platform domain."""
        return http_request(self.port, method, path,
            host or self.platform_domain, headers, body, cookies, timeout)

    def get(self, path, **kw):
        return self.http("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.http("POST", path, body=body, **kw)

    def raw(self, data, timeout=15, until=None):
        return raw_request(self.port, data, timeout, until)

    def session(self, host=None):
        return Session(self, host)


# ---------------------------------------------------------------- signals

def install_signal_handlers():
    """SIGINT/SIGTERM/SIGHUP raise KeyboardInterrupt in the main thread so
    try/finally and atexit stop every stack."""
    def handler(sig, frame):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt(signal.Signals(sig).name)
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, handler)


# ---------------------------------------------------------------- make run

DEMO_SHOPS = [
    ("bakery", "Bäckerei Sonnenschein", "de", "EUR", "bakery"),
    ("tokyo-tea", "東京茶舗", "ja", "JPY", "tea"),
    ("surf", "Surf Shack", "en", "USD", "surf"),
]
DEMO_PASSWORD = "souk-demo-password"
OPERATOR = ("operator@souk.example", "souk-operator-password")
# A key the Stripe stand-in of make run knows, so a demo shop can be
# connected on its Payments page (any whsec_... signing secret).
DEMO_STRIPE_KEY = "sk_test_souk_demo"


def _stripe_demo_key(stack):
    """Registers DEMO_STRIPE_KEY with the stand-in (POST /_test/keys)."""
    c = http.client.HTTPConnection("127.0.0.1", stack.stripe_port,
        timeout=5)
    try:
        c.request("POST", "/_test/keys", body=json.dumps({
            "key": DEMO_STRIPE_KEY, "account": "acct_souk_demo",
            "name": "souk demo"}),
            headers={"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        return r.status == 200
    except OSError:
        return False
    finally:
        c.close()


def _shop_exists(stack, slug):
    r = stack.soukctl("shop", "list", check=False)
    return r.returncode == 0 and re.search(
        r"(^|[\s,|/])%s($|[\s,|.])" % re.escape(slug), r.stdout, re.M)


def _unknown_subcommand(r):
    msg = (r.stdout + r.stderr).lower()
    return any(w in msg for w in ("unknown", "usage", "unrecognized",
        "invalid command"))


# Plans an operator might sell (soukctl plan); the installation's own
# "unlimited" stays the default. The bakery is put on the first.
DEMO_PLANS = (
    ("starter", "Starter", 900, ["--products", "100", "--staff", "2",
        "--media-mb", "500", "--orders-month", "1000", "--api-15min",
        "3000", "--domains", "1", "--trial-days", "14"]),
    ("growth", "Growth", 2900, ["--products", "5000", "--staff", "10",
        "--media-mb", "10000", "--orders-month", "20000", "--api-15min",
        "30000", "--domains", "5"]),
)


def _demo_plans(stack):
    for code, name, price, limits in DEMO_PLANS:
        stack.soukctl("plan", "create", code, "--name", name, "--price",
            str(price), *limits, check=False)


def run_demo(args):
    port = args.port or int(os.environ.get("PORT", "8080"))
    stack = Stack(args.bin, args.dir, port=port, workers=args.workers,
        login_rate="60r/m", shop_stock=4)
    install_signal_handlers()
    try:
        print(f"starting MariaDB, souk-fcgi and nginx in {stack.dir} ...",
            flush=True)
        stack.start()
        _demo_plans(stack)
        # The demo shops are claimed from the stock, as sign-ups are.
        stack.soukctl("shop", "stock", "--fill", check=False)
        for slug, name, locale, cur, kind in DEMO_SHOPS:
            if _shop_exists(stack, slug):
                continue
            r = stack.create_shop(slug, name, f"owner@{slug}.example",
                DEMO_PASSWORD, locale, cur, check=False)
            if r.returncode != 0:
                if stack.fresh_db:
                    raise StackError(f"soukctl shop create --slug {slug} "
                        f"failed:\n{r.stdout}{r.stderr}")
                print(f"note: shop {slug} not created (there already?): "
                    f"{(r.stdout + r.stderr).strip()}", file=sys.stderr)
                continue
            r = stack.soukctl("demo", "load", "--slug", slug, "--kind", kind,
                check=False)
            if kind == "bakery":
                stack.soukctl("plan", "assign", slug, "starter", check=False)
            if r.returncode != 0 and not _unknown_subcommand(r):
                print(f"warning: soukctl demo load --slug {slug} failed:"
                    f"\n{r.stdout}{r.stderr}", file=sys.stderr)
        if not _stripe_demo_key(stack):
            print("warning: the Stripe stand-in did not take the demo key",
                file=sys.stderr)
        r = stack.add_operator(*OPERATOR, check=False)
        if r.returncode != 0 and stack.fresh_db:
            raise StackError(f"soukctl operator add failed:\n"
                f"{r.stdout}{r.stderr}")
        p = f":{port}" if port != 80 else ""
        print(f"""
souk is running (logs in {stack.logs}/):

  mail (sign-up links, the shops' mails) {stack.mail_dir}/
                      (souk-worker sends it to an SMTP stand-in on
                      127.0.0.1:{stack.smtp_port})

  card payments       a Stripe stand-in on {stack.stripe_url}:
                      connect a shop (admin, Payments) with the key
                      {DEMO_STRIPE_KEY} and any whsec_... secret

  platform, sign-up   http://localhost{p}/
  operator console    http://localhost{p}/operator
                      {OPERATOR[0]} / {OPERATOR[1]}
""")
        for slug, name, locale, cur, kind in DEMO_SHOPS:
            print(f"  {name} ({locale}, {cur})\n"
                f"    shop    http://{slug}.localhost{p}/\n"
                f"    admin   http://{slug}.localhost{p}/admin   "
                f"owner@{slug}.example / {DEMO_PASSWORD}")
        print(f"""
Browsers and curl resolve *.localhost to 127.0.0.1 by themselves; other
tools do not (glibc does not): use
  curl --resolve bakery.localhost:{port}:127.0.0.1 http://bakery.localhost{p}/
  or  -H 'Host: bakery.localhost' http://127.0.0.1{p}/

Ctrl-C stops everything.""", flush=True)
        while True:
            gone = stack.broken()
            if gone:
                raise StackError(f"{', '.join(gone)} stopped; see "
                    f"{stack.logs}/")
            # Not a wait for an event: make run looks once a second
            # whether everything still runs, until Ctrl-C.
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
        return 0
    except StackError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        stack.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run", help="the demo stack of `make run`")
    r.add_argument("--bin", required=True, help="directory of the programs")
    r.add_argument("--dir", default=os.path.join(REPO, "var"))
    r.add_argument("--port", type=int, default=0,
        help="default $PORT or 8080")
    r.add_argument("--workers", type=int, default=4)
    args = ap.parse_args()
    return run_demo(args)


if __name__ == "__main__":
    sys.exit(main())
