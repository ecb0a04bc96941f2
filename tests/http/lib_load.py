#!/usr/bin/env python3
"""lib_load.py: a FastCGI client and load generator (stdlib only).

Speaks FastCGI straight to souk-fcgi's socket (no nginx), so the pool can
be tested alone: every request must come back with a status line, or it
counts as lost.

As a library:
    status, headers, body = fcgi_request("/path/sock", {"REQUEST_URI": "/"})
    stats = load("/path/sock", concurrency=16, requests=2000)

As a program:
    lib_load.py --connect ADDR [--concurrency N] [--requests N | --seconds S]
                [--uri /path?query] [--expect 200]
ADDR is a unix socket path or host:port. Prints one summary line, the
pids that answered (X-Pid header, when the application sends it) and the
first errors; exits 1 when any request failed or got another status.
"""

import argparse
import collections
import socket
import struct
import sys
import threading
import time

FCGI_BEGIN_REQUEST = 1
FCGI_END_REQUEST = 3
FCGI_PARAMS = 4
FCGI_STDIN = 5
FCGI_STDOUT = 6
FCGI_STDERR = 7
FCGI_RESPONDER = 1


def _record(rtype, content, rid=1):
    pad = (8 - len(content) % 8) % 8
    return (struct.pack("!BBHHBx", 1, rtype, rid, len(content), pad)
            + content + b"\0" * pad)


def _nvlen(n):
    return bytes([n]) if n < 128 else struct.pack("!I", n | 0x80000000)


def _params(params):
    out = b""
    for k, v in params.items():
        k = k.encode() if isinstance(k, str) else k
        v = v.encode() if isinstance(v, str) else v
        out += _nvlen(len(k)) + _nvlen(len(v)) + k + v
    return out


def _connect(addr, timeout):
    if "/" in addr:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(addr)
    else:
        host, _, port = addr.rpartition(":")
        s = socket.create_connection((host.strip("[]") or "127.0.0.1",
                                      int(port)), timeout=timeout)
    return s


def _recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed after %d of %d bytes"
                                  % (len(buf), n))
        buf += chunk
    return buf


def fcgi_request(addr, params=None, body=b"", timeout=30.0):
    """One request; returns (status, headers dict, body bytes).

    Raises on a connection error or when no FCGI_END_REQUEST arrives.
    """
    p = {"REQUEST_METHOD": "GET" if not body else "POST",
         "REQUEST_URI": "/", "SCRIPT_NAME": "/", "QUERY_STRING": "",
         "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost",
         "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": str(len(body))}
    p.update(params or {})
    s = _connect(addr, timeout)
    try:
        msg = _record(FCGI_BEGIN_REQUEST,
                      struct.pack("!HB5x", FCGI_RESPONDER, 0))
        enc = _params(p)
        for i in range(0, len(enc), 65535):
            msg += _record(FCGI_PARAMS, enc[i:i + 65535])
        msg += _record(FCGI_PARAMS, b"")
        for i in range(0, len(body), 65535):
            msg += _record(FCGI_STDIN, body[i:i + 65535])
        msg += _record(FCGI_STDIN, b"")
        s.sendall(msg)
        out = b""
        while True:
            _, rtype, _, clen, pad = struct.unpack("!BBHHBx",
                                                   _recv_exact(s, 8))
            content = _recv_exact(s, clen + pad)[:clen]
            if rtype == FCGI_STDOUT:
                out += content
            elif rtype == FCGI_END_REQUEST:
                break
    finally:
        s.close()
    head, sep, rbody = out.partition(b"\r\n\r\n")
    if not sep:
        raise ValueError("no header block in %r" % out[:200])
    headers = {}
    for line in head.decode("latin-1").split("\r\n"):
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    status = int(headers.get("status", "200").split()[0])
    return status, headers, rbody


def load(addr, concurrency=8, requests=None, seconds=None, uri="/",
         expect=200, timeout=30.0):
    """Runs requests (or for seconds) from concurrency threads.

    Returns a dict: ok, failed, errors (first 20 strings), pids (Counter
    of X-Pid values), elapsed.
    """
    query = uri.partition("?")[2]
    lock = threading.Lock()
    st = {"ok": 0, "failed": 0, "errors": [], "pids": collections.Counter(),
          "left": requests}
    deadline = time.monotonic() + seconds if seconds else None

    def take():
        with lock:
            if st["left"] is not None:
                if st["left"] <= 0:
                    return False
                st["left"] -= 1
        return deadline is None or time.monotonic() < deadline

    def run():
        while take():
            try:
                status, h, _ = fcgi_request(
                    addr, {"REQUEST_URI": uri, "QUERY_STRING": query},
                    timeout=timeout)
                err = None if status == expect else "status %d" % status
            except Exception as e:  # noqa: BLE001 (counted, reported)
                err, h = "%s: %s" % (type(e).__name__, e), {}
            with lock:
                if err:
                    st["failed"] += 1
                    if len(st["errors"]) < 20:
                        st["errors"].append(err)
                else:
                    st["ok"] += 1
                    if "x-pid" in h:
                        st["pids"][h["x-pid"]] += 1

    t0 = time.monotonic()
    threads = [threading.Thread(target=run) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    st["elapsed"] = time.monotonic() - t0
    del st["left"]
    return st


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--connect", required=True)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--requests", type=int)
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--uri", default="/")
    ap.add_argument("--expect", type=int, default=200)
    a = ap.parse_args()
    if a.requests is None and a.seconds is None:
        a.requests = 1000
    st = load(a.connect, a.concurrency, a.requests, a.seconds, a.uri,
              a.expect)
    print("ok %d failed %d in %.2f s (%.0f req/s), %d pids"
          % (st["ok"], st["failed"], st["elapsed"],
             (st["ok"] + st["failed"]) / max(st["elapsed"], 1e-9),
             len(st["pids"])))
    if st["pids"]:
        print("pids: " + " ".join("%s:%d" % kv
                                  for kv in sorted(st["pids"].items())))
    for e in st["errors"]:
        print("error: " + e)
    return 1 if st["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
