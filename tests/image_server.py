#!/usr/bin/env python3
"""tests/image_server.py: a local image host for the catalog import's
whole-stack tests (issue 10), and what a hostile one does.

    srv = ImageServer()             # 127.0.0.1, a free port, own thread
    srv.url('/img/red.png')         # a PNG (any name: a colour from it)
    srv.url('/redirect?to=URL')     # 302 to URL
    srv.url('/huge')                # Content-Length: 2 GB, a trickle
    srv.url('/endless')             # chunked, never ends
    srv.url('/missing')             # 404
    srv.hits('/img/red.png')        # requests of a path so far
    srv.stop()

Python 3.11 standard library only.
"""

import http.server
import struct
import threading
import urllib.parse
import zlib


def png(w, h, seed=0):
    """An RGB PNG of w x h (a gradient), written with zlib."""
    rows = bytearray()
    for y in range(h):
        rows.append(0)
        for x in range(w):
            rows += bytes(((x * 255 // w + seed) % 256, y * 255 // h,
                           (seed * 40) % 256))

    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data +
                struct.pack('>I', zlib.crc32(kind + data)))
    return (b'\x89PNG\r\n\x1a\n' +
            chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(bytes(rows), 6)) +
            chunk(b'IEND', b''))


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def do_GET(self):
        srv = self.server.owner
        u = urllib.parse.urlsplit(self.path)
        with srv.lock:
            srv.requests[u.path] = srv.requests.get(u.path, 0) + 1
        try:
            if u.path.startswith('/img/'):
                seed = sum(u.path.encode()) % 200
                self._send(200, png(48 + seed % 16, 40, seed), 'image/png')
            elif u.path == '/redirect':
                to = urllib.parse.parse_qs(u.query)['to'][0]
                self.send_response(302)
                self.send_header('Location', to)
                self.send_header('Content-Length', '0')
                self.end_headers()
            elif u.path == '/huge':
                # Says 2 GB, then sends a little until the client goes.
                self.send_response(200)
                self.send_header('Content-Type', 'image/png')
                self.send_header('Content-Length', str(2 << 30))
                self.end_headers()
                for _ in range(64):
                    self.wfile.write(b'\0' * 65536)
            elif u.path == '/endless':
                self.send_response(200)
                self.send_header('Content-Type', 'image/png')
                self.send_header('Transfer-Encoding', 'chunked')
                self.end_headers()
                block = b'\0' * 65536
                # At most 64 MB: a client that never stops reading
                # fails its test, not the machine.
                for _ in range(1024):
                    self.wfile.write(b'%x\r\n%s\r\n' % (len(block), block))
                self.wfile.write(b'0\r\n\r\n')
            else:
                self._send(404, b'not found\n', 'text/plain')
        except (BrokenPipeError, ConnectionResetError):
            pass    # the client gave up: its limit

    def _send(self, status, body, ctype):
        self.send_response(status)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


class ImageServer:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {}
        self.httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                     _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def url(self, path):
        return f'http://127.0.0.1:{self.port}{path}'

    def hits(self, path=None):
        with self.lock:
            if path is None:
                return sum(self.requests.values())
            return self.requests.get(path, 0)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
