#!/usr/bin/env python3
"""tests/rates_server.py: a local stand-in for the ECB's rate feed, and the
helpers the rates-* whole-stack tests share.

    srv = RatesServer()            # 127.0.0.1, a free port, own thread
    srv.serve(ecb_feed("2026-11-20"))   # what GET returns from now on
    srv.serve_file("tests/data/eurofxref-daily.xml")
    srv.junk(10 * 1024 * 1024)     # bytes that are not XML
    srv.error(500)                 # an HTTP error status
    srv.slow(5, data)              # answers after 5 seconds
    srv.down()                     # closes the port: connection refused
    srv.url, srv.requests          # the feed's URL, requests served
    srv.stop()

Run alone (`python3 tests/rates_server.py --port 8099 --file F`) it
serves F until Ctrl-C, for trying souk-rates by hand with
rates_url = http://127.0.0.1:8099/eurofxref-daily.xml.
Python 3.11 standard library only.
"""

import argparse
import datetime
import http.server
import os
import re
import subprocess
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(REPO, "tests", "data", "eurofxref-daily.xml")


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        srv = self.server.owner
        with srv.lock:
            srv.requests += 1
            kind, arg, data = srv.mode
        if kind == "slow":
            # A fixed delay on purpose: a slow feed is the behaviour
            # under test (souk-rates must give up after its timeout);
            # nothing here waits for another process.
            time.sleep(arg)
        status = arg if kind == "error" else 200
        body = data if data is not None else b"error\n"
        try:
            self.send_response(status)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass    # the client gave up (its timeout)

    def log_message(self, fmt, *args):
        pass


class RatesServer:
    """The feed on 127.0.0.1, served from a thread of the test."""

    def __init__(self, port=0):
        self.lock = threading.Lock()
        self.requests = 0
        self.mode = ("data", 0, b"")
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port),
            _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/eurofxref-daily.xml"
        self.thread = threading.Thread(target=self.httpd.serve_forever,
            daemon=True)
        self.thread.start()

    def _set(self, kind, arg, data):
        with self.lock:
            self.mode = (kind, arg, data)
            self.requests = 0

    def serve(self, data):
        self._set("data", 0, data)

    def serve_file(self, path):
        with open(path, "rb") as f:
            self.serve(f.read())

    def junk(self, size):
        self.serve((b"\x00junk<<" * (size // 7 + 1))[:size])

    def error(self, status):
        self._set("error", status, None)

    def slow(self, seconds, data):
        self._set("slow", seconds, data)

    def down(self):
        """Stops answering: the port is closed, connections are refused."""
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    stop = down

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# ---------------------------------------------------------------- feeds

def real_rates():
    """{code: "rate"} of the document in tests/data, in its order."""
    with open(DATA) as f:
        text = f.read()
    return dict(re.findall(r"currency='([A-Z]{3})' rate='([0-9.]+)'", text))


def ecb_feed(date, rates=None):
    """The tests/data document dated date ("YYYY-MM-DD") with the rates
    of rates ({code: "rate"}) instead of its own when given."""
    with open(DATA) as f:
        text = f.read()
    text = re.sub(r"time='[0-9-]+'", f"time='{date}'", text)
    if rates is not None:
        cubes = "".join(f"\n\t\t\t<Cube currency='{c}' rate='{r}'/>"
            for c, r in rates.items())
        text = re.sub(r"(<Cube time='[0-9-]+'>)(.*?)(\n\t\t</Cube>)",
            lambda m: m.group(1) + cubes + m.group(3), text, flags=re.S)
    return text.encode()


def today():
    return datetime.datetime.now(datetime.timezone.utc).date()


def latest_date(stack):
    """The newest stored day (datetime.date), or None."""
    rows = stack.query("SELECT MAX(rate_date) FROM souk_exchange_rates")
    v = rows[0][0] if rows else None
    return datetime.date.fromisoformat(v) if v else None


def next_date(stack, start_days_ago=40):
    """A day after every stored one, starting well in the past so that
    tests may store several feeds and still stay before today."""
    last = latest_date(stack)
    if last is None:
        return (today() - datetime.timedelta(days=start_days_ago)).isoformat()
    return (last + datetime.timedelta(days=1)).isoformat()


def stored(stack):
    """The newest stored day and its rates: (date, {code: "rate"})."""
    rows = stack.query("SELECT rate_date, quote, rate FROM "
        "souk_exchange_rates WHERE rate_date = (SELECT MAX(rate_date) "
        "FROM souk_exchange_rates) ORDER BY quote")
    if not rows:
        return None, {}
    return rows[0][0], {q: r for _, q, r in rows}


def run_rates(stack, url, timeout=60, **conf):
    """Runs souk-rates of the stack with rates_url = url and the other
    rates_* keys given (rates_retries=1, ...), through the environment
    (SOUK_RATES_URL beats souk.conf). Returns (status, output)."""
    env = stack.env()
    env["SOUK_RATES_URL"] = url
    defaults = {"rates_retries": 1, "rates_backoff_ms": 100,
        "rates_timeout": 5}
    defaults.update(conf)
    for k, v in defaults.items():
        env["SOUK_" + k.upper()] = str(v)
    r = subprocess.run([os.path.join(stack.bin, "souk-rates")],
        capture_output=True, text=True, env=env, timeout=timeout, cwd=REPO)
    return r.returncode, r.stdout + r.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=8099)
    ap.add_argument("--file", default=DATA)
    args = ap.parse_args()
    srv = RatesServer(args.port)
    srv.serve_file(args.file)
    print(f"serving {args.file} at {srv.url}; Ctrl-C stops", flush=True)
    try:
        # Run by hand only: idles until Ctrl-C (no test waits here).
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        srv.stop()


if __name__ == "__main__":
    main()
