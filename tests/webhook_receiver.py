"""A webhook receiver for the tests: a small HTTP server on loopback that
records every request (method, path, headers, body) and answers with the
status the test sets (200 by default). Stopped and started again on the
same port, it plays a receiver that was down for a while.

In a test:
    rx = Receiver().start()
    ... rx.url('/hook') ... rx.wait(1) ... rx.stop()
Or alone: python3 tests/webhook_receiver.py --port N (prints requests)."""
import argparse
import http.server
import json
import socket
import sys
import threading
import time


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(n) if n > 0 else b''
        rx = self.server.rx
        with rx.lock:
            rx.requests.append({'method': 'POST', 'path': self.path,
                                'headers': {k.lower(): v for k, v in
                                            self.headers.items()},
                                'body': body, 'at': time.time()})
            status = rx.status
        out = b'{"ok": true}' if 200 <= status < 300 else b'no'
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, fmt, *args):
        if self.server.rx.verbose:
            sys.stderr.write('receiver: ' + (fmt % args) + '\n')


class _Server(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


class Receiver:
    def __init__(self, port=0, verbose=False):
        self.port = port
        self.verbose = verbose
        self.status = 200
        self.requests = []
        self.lock = threading.Lock()
        self.srv = None

    def start(self):
        if not self.port:
            with socket.socket() as s:
                s.bind(('127.0.0.1', 0))
                self.port = s.getsockname()[1]
        self.srv = _Server(('127.0.0.1', self.port), _Handler)
        self.srv.rx = self
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.srv is not None:
            self.srv.shutdown()
            self.srv.server_close()
            self.srv = None

    def url(self, path='/'):
        return f'http://127.0.0.1:{self.port}{path}'

    def got(self, pred=lambda r: True):
        with self.lock:
            return [r for r in self.requests if pred(r)]

    def wait(self, n, pred=lambda r: True, timeout=30):
        """The first n requests matching pred, waiting up to timeout."""
        end = time.time() + timeout
        while time.time() < end:
            g = self.got(pred)
            if len(g) >= n:
                return g
            time.sleep(0.1)
        raise AssertionError(f'{len(self.got(pred))} of {n} webhook '
                             f'deliveries after {timeout}s: '
                             f'{[r["headers"] for r in self.got()]}')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--status', type=int, default=200)
    a = ap.parse_args()
    rx = Receiver(a.port, verbose=True)
    rx.status = a.status
    rx.start()
    try:
        while True:
            time.sleep(1)
            for r in rx.got():
                print(json.dumps({'path': r['path'],
                                  'headers': r['headers']}), flush=True)
            with rx.lock:
                rx.requests.clear()
    except KeyboardInterrupt:
        rx.stop()


if __name__ == '__main__':
    main()
