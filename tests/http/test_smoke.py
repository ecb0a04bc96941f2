"""Smoke: requests through nginx reach the souk-fcgi pool; nginx serves
/static/ and /media/ itself and adds the security headers.

Whole-stack test: see tests/run.py for how test_*(stack) functions run.
"""

import os

NGINX_PAGE = b"<center>nginx</center>"


def test_platform_answers(stack):
    r = stack.get("/")
    assert r.status == 200, r
    assert r.body, "empty body"
    assert NGINX_PAGE not in r.body, "nginx answered, not souk"


def test_answers_come_from_the_pool(stack):
    # Without the pool nginx has nobody to ask: 502. With it back: 200.
    stack.stop_pool()
    try:
        r = stack.get("/")
        assert r.status == 502, f"without the pool: {r.status}"
    finally:
        stack.start_pool()
    r = stack.get("/")
    assert r.status == 200, f"pool restarted: {r.status}"


def test_every_host_reaches_the_pool(stack):
    # The platform, a shop subdomain and an unknown (custom) domain all go
    # to souk, which resolves the tenant itself: never nginx's own page.
    # The platform domain is its home page; any other host without a
    # shop is souk's own 404 page, which says so.
    r = stack.get("/", host="localhost")
    assert r.status == 200, r
    assert 'action="/signup"' in r.text, r.text[:2000]
    for host in (stack.shop_host("no-such-shop"), "shop.customer.example",
                 "127.0.0.1"):
        r = stack.get("/", host=host)
        assert r.status == 404, f"{host}: {r.status}"
        assert NGINX_PAGE not in r.body, f"{host}: nginx answered"
        assert "no shop at this address" in r.text.lower(), \
            f"{host}: {r.text[:2000]}"


def test_security_headers(stack):
    for path in ("/", "/static/default/no-such-file.css"):
        r = stack.get(path)
        h = r.headers
        assert h.get("X-Content-Type-Options") == "nosniff", (path, h)
        assert h.get("X-Frame-Options") == "DENY", (path, h)
        assert "frame-ancestors 'none'" in h.get(
            "Content-Security-Policy", ""), (path, h)
        assert h.get("Referrer-Policy"), (path, h)
        rid = h.get("X-Request-Id", "")
        assert len(rid) == 32, (path, rid)
    a = stack.get("/").headers["X-Request-Id"]
    b = stack.get("/").headers["X-Request-Id"]
    assert a != b, "request ids repeat"


def test_static_is_served_by_nginx(stack):
    # A missing asset is nginx's 404: the request never reached the pool.
    r = stack.get("/static/default/no-such-file.css")
    assert r.status == 404 and NGINX_PAGE in r.body, r
    for path in ("/static/default/.hidden", "/static/default/../x",
                 "/static/default/a/.git/config", "/static/x"):
        r = stack.get(path)
        assert r.status == 404, (path, r)
    root = os.path.join(stack.nginx_values()["THEMES_ROOT"], "default",
                        "static")
    files = sorted(f for f in os.listdir(root)
                   if os.path.isfile(os.path.join(root, f))
                   and not f.startswith(".")) if os.path.isdir(root) else []
    if not files:
        raise stack.Skip(f"no file in {root} to fetch")
    with open(os.path.join(root, files[0]), "rb") as f:
        want = f.read()
    r = stack.get("/static/default/" + files[0])
    assert r.status == 200, r
    assert r.body == want, "static file differs"
    assert "max-age=" in r.headers.get("Cache-Control", ""), r.headers
    if files[0].endswith(".css") and len(want) > 1024:
        r = stack.get("/static/default/" + files[0],
                      headers={"Accept-Encoding": "gzip"})
        assert r.headers.get("Content-Encoding") == "gzip", r.headers
        assert len(r.body) < len(want), "not compressed"


def test_media_is_served_by_nginx(stack):
    path = os.path.join(stack.media_dir, "smoke-test.txt")
    with open(path, "wb") as f:
        f.write(b"media smoke\n")
    try:
        r = stack.get("/media/smoke-test.txt")
        assert r.status == 200 and r.body == b"media smoke\n", r
        assert "immutable" in r.headers.get("Cache-Control", ""), r.headers
        assert "sandbox" in ",".join(
            r.headers.get_all("Content-Security-Policy")), r.headers
    finally:
        os.unlink(path)


def test_body_over_8m_is_413(stack):
    # nginx refuses on the Content-Length alone, before any body is sent.
    resp = stack.raw(b"POST / HTTP/1.1\r\nHost: localhost\r\n"
                     b"Content-Type: application/octet-stream\r\n"
                     b"Content-Length: 9000000\r\nConnection: close\r\n\r\n",
                     until=b"\r\n\r\n")
    assert resp.startswith(b"HTTP/1.1 413"), resp[:200]
