#!/usr/bin/env python3
"""tests/stripe_server.py: a local stand-in for Stripe's API, as far as souk
uses it, speaking Stripe's protocol (form-encoded bracket bodies, Bearer
keys, Stripe-Version, Idempotency-Key, JSON answers and error shapes) and
signing webhooks exactly as Stripe does.

    srv = StripeServer()               # 127.0.0.1, a free port, own thread
    srv.add_key("sk_test_abc", account="acct_1", name="Shop A")
    srv.webhook(url, "whsec_...")      # where events go, per account
    srv.url                            # stripe_api_url for souk.conf
    srv.stop()

Run alone (`python3 tests/stripe_server.py --port 0 --key sk_test_x`) it
prints "listening on PORT" and serves until killed (the C unit test
tests/unit/platform/stripe.c starts it so).

The API (state in memory, per account; amounts are integers in the
currency's smallest unit):
  GET  /v1/account
  POST /v1/checkout/sessions            mode=payment, line_items[i][...]
  GET  /v1/checkout/sessions/<id>       expand[]=payment_intent.latest_
                                        charge.balance_transaction
  POST /v1/checkout/sessions/<id>/expire
  POST /v1/refunds                      payment_intent, amount, metadata
  GET  /v1/refunds/<id>
An unknown key is 401; bad parameters are 400 {"error": {"type":
"invalid_request_error", "code", "param", "message"}}; an unknown id is
404 resource_missing. A POST's Idempotency-Key gives the first answer
again (header Idempotent-Replayed: true), and a 400 idempotency_error
when reused with other parameters.

The hosted payment page: a session's url is /pay/<id> on this server (the
amount, a "Pay" button, a "Cancel" link to cancel_url); Pay completes the
session (payment intent, charge, balance transaction with the fee) and
redirects to success_url ({CHECKOUT_SESSION_ID} replaced).

Events (checkout.session.completed/.expired, refund.created,
charge.refunded) are POSTed to the account's webhook URL with a
Stripe-Signature header "t=<now>,v1=<hex HMAC-SHA256 of 't.body'>".

The test control API (JSON bodies, no key needed):
  POST /_test/keys      {"key", "account", "name", "country", "currency"}
  POST /_test/webhook   {"account", "url", "secret", "host"}: "host"
                        (optional) is sent as the Host header, so a
                        URL to 127.0.0.1 reaches a shop's virtual host
                        (glibc does not resolve *.localhost)
  POST /_test/pay/<id>  completes a session as the Pay button does
  POST /_test/fee       {"percent_bp": 140, "fixed": 25} for new charges
  POST /_test/hold      {"on": true}: events are kept, not sent
  POST /_test/down      {"on": true}: every API request is a 500
  POST /_test/refunds   {"pending": true}: new refunds are "pending"
  POST /_test/refund_settle {"id": "re_...", "status": "succeeded"}:
                        the bank's answer, with its refund.updated event
                        api_error (Stripe having an outage)
  POST /_test/deliver   {"ids": [...] (default: every held one),
                         "reverse": false}: sends held events
  POST /_test/resend    {"id": "evt_..."}: sends an event again
  GET  /_test/events    every event with its deliveries
  GET  /_test/sessions/<id>   a session with its line items
  GET  /_test/requests  every API request: method, path, headers, params
Python 3.11 standard library only.
"""

import argparse
import hashlib
import hmac
import html
import http.server
import json
import re
import secrets
import sys
import threading
import time
import urllib.parse
import urllib.request

ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga",
                "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}


def rid(prefix):
    return prefix + secrets.token_hex(12)


def nest(pairs):
    """Stripe's bracket syntax into dicts and lists:
    line_items[0][price_data][currency]=eur, expand[]=x."""
    root = {}
    for key, value in pairs:
        head = key.split("[", 1)[0]
        path = [head] + re.findall(r"\[([^\]]*)\]", key)
        node = root
        for i, p in enumerate(path):
            last = i == len(path) - 1
            if last:
                if p == "":
                    node.append(value)
                elif isinstance(node, list):
                    node.append(value)
                else:
                    node[p] = value
                break
            nxt = path[i + 1]
            want = [] if nxt == "" else {}
            if isinstance(node, list):
                node.append(want)
                node = want
            else:
                if p not in node or not isinstance(node[p], type(want)):
                    node[p] = want
                node = node[p]
    return _lists(root)


def _lists(node):
    """Dicts keyed 0, 1, 2... (line_items[0][...]) become lists."""
    if isinstance(node, list):
        return [_lists(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _lists(v) for k, v in node.items()}
    if out and all(k.isdigit() for k in out):
        keys = sorted(out, key=int)
        if [int(k) for k in keys] == list(range(len(keys))):
            return [out[k] for k in keys]
    return out


class ApiError(Exception):
    def __init__(self, status, message, code=None, param=None,
                 type_="invalid_request_error"):
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": type_, "message": message}}
        if code:
            self.body["error"]["code"] = code
        if param:
            self.body["error"]["param"] = param


def need(params, name):
    v = params.get(name)
    if v is None or v == "":
        raise ApiError(400, f"Missing required param: {name}.",
                       "parameter_missing", name)
    return v


def integer(v, name, lo=0):
    try:
        n = int(v)
    except (TypeError, ValueError):
        raise ApiError(400, f"Invalid integer: {v}", "parameter_invalid_"
                       "integer", name)
    if n < lo:
        raise ApiError(400, f"This value must be greater than or equal to "
                       f"{lo}.", "parameter_invalid_integer", name)
    return n


class Account:
    def __init__(self, aid, name, country, currency):
        self.id = aid
        self.name = name
        self.country = country
        self.currency = currency
        self.sessions = {}
        self.intents = {}
        self.refunds = {}
        self.idem = {}
        self.webhook_url = None
        self.webhook_secret = None
        self.webhook_host = None


class StripeServer:
    """The stand-in on 127.0.0.1, served from a thread."""

    def __init__(self, port=0):
        self.lock = threading.RLock()
        self.keys = {}          # key -> Account
        self.accounts = {}      # id -> Account
        self.events = []        # dicts: event, account, deliveries
        self.requests = []
        self.hold = False
        self.down = False
        self.refunds_pending = False    # new refunds wait for the bank
        self.fee = (140, 25)    # basis points, fixed
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                                     _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def stop(self):
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # -- set-up

    def add_key(self, key, account=None, name="Test shop", country="DE",
                currency="eur"):
        with self.lock:
            aid = account or "acct_" + hashlib.sha256(
                key.encode()).hexdigest()[:16]
            acct = self.accounts.get(aid)
            if acct is None:
                acct = Account(aid, name, country, currency.lower())
                self.accounts[aid] = acct
            self.keys[key] = acct
            return aid

    def webhook(self, url, secret, account=None, host=None):
        with self.lock:
            for a in ([self.accounts[account]] if account
                      else self.accounts.values()):
                a.webhook_url, a.webhook_secret = url, secret
                a.webhook_host = host

    # -- objects

    def _session_json(self, acct, s, expand=()):
        out = {k: v for k, v in s.items() if k != "line_items"}
        pi = s.get("payment_intent")
        if pi and "payment_intent" in [e.split(".")[0] for e in expand]:
            intent = dict(acct.intents[pi])
            if "payment_intent.latest_charge" in [
                    ".".join(e.split(".")[:2]) for e in expand]:
                ch = dict(intent["_charge"])
                if "payment_intent.latest_charge.balance_transaction" \
                        in expand:
                    ch["balance_transaction"] = ch["_txn"]
                else:
                    ch["balance_transaction"] = ch["_txn"]["id"]
                ch.pop("_txn", None)
                intent["latest_charge"] = ch
            intent.pop("_charge", None)
            out["payment_intent"] = intent
        return out

    def pay(self, acct, sid):
        """Completes an open session; returns it, or None."""
        with self.lock:
            s = acct.sessions.get(sid)
            if s is None or s["status"] != "open":
                return s
            amount = s["amount_total"]
            fee = amount * self.fee[0] // 10000 + self.fee[1]
            txn = {"id": rid("txn_"), "object": "balance_transaction",
                   "amount": amount, "fee": fee, "net": amount - fee,
                   "currency": s["currency"]}
            ch = {"id": rid("ch_"), "object": "charge", "amount": amount,
                  "amount_refunded": 0, "currency": s["currency"],
                  "paid": True, "status": "succeeded", "_txn": txn,
                  "refunds": {"object": "list", "data": []}}
            pi = {"id": rid("pi_"), "object": "payment_intent",
                  "amount": amount, "currency": s["currency"],
                  "status": "succeeded", "latest_charge": ch["id"],
                  "metadata": dict(s["metadata"]), "_charge": ch}
            ch["payment_intent"] = pi["id"]
            acct.intents[pi["id"]] = pi
            s.update(status="complete", payment_status="paid",
                     payment_intent=pi["id"], url=None)
            self._event(acct, "checkout.session.completed",
                        self._session_json(acct, s))
            return s

    def _event(self, acct, type_, obj):
        ev = {"id": rid("evt_"), "object": "event", "api_version":
              "2024-06-20", "created": int(time.time()), "type": type_,
              "livemode": False, "pending_webhooks": 1,
              "data": {"object": obj}}
        rec = {"event": ev, "account": acct.id, "deliveries": [],
               "held": False}
        with self.lock:
            self.events.append(rec)
            if self.hold:
                rec["held"] = True
                return ev
        threading.Thread(target=self._deliver, args=(rec,),
                         daemon=True).start()
        return ev

    def sign(self, payload, secret, t=None):
        t = int(time.time()) if t is None else t
        mac = hmac.new(secret.encode(), f"{t}.".encode() + payload,
                       hashlib.sha256).hexdigest()
        return f"t={t},v1={mac}"

    def _deliver(self, rec):
        with self.lock:
            acct = self.accounts[rec["account"]]
            url, secret = acct.webhook_url, acct.webhook_secret
            host = acct.webhook_host
        if not url:
            rec["deliveries"].append({"status": None, "error": "no url"})
            return
        body = json.dumps(rec["event"], indent=2).encode()
        req = urllib.request.Request(url, data=body, method="POST",
            headers={"Content-Type": "application/json; charset=utf-8",
                     "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/"
                     "webhooks)",
                     "Stripe-Signature": self.sign(body, secret)})
        if host:
            req.add_header("Host", host)
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                d = {"status": r.status, "body": r.read(2000).decode(
                    "utf-8", "replace")}
        except urllib.error.HTTPError as e:
            d = {"status": e.code, "body": e.read(2000).decode(
                "utf-8", "replace")}
        except OSError as e:
            d = {"status": None, "error": str(e)}
        with self.lock:
            rec["deliveries"].append(d)

    def deliver_held(self, ids=None, reverse=False):
        with self.lock:
            recs = [r for r in self.events if r["held"] and
                    (ids is None or r["event"]["id"] in ids)]
            for r in recs:
                r["held"] = False
        if reverse:
            recs.reverse()
        for r in recs:
            self._deliver(r)    # in order, one after the other
        return [r["event"]["id"] for r in recs]

    # -- the API

    def api(self, method, path, key, params, idem):
        if self.down:
            return 500, {"error": {"type": "api_error", "message":
                         "An unknown error occurred (stand-in down)."}}, \
                False
        acct = self.keys.get(key)
        if acct is None:
            masked = (key[:8] + "*" * 4 + key[-4:]) if len(key) > 12 \
                else "****"
            raise ApiError(401, f"Invalid API Key provided: {masked}")
        if method == "POST" and idem:
            with self.lock:
                seen = acct.idem.get(idem)
                if seen is not None:
                    if seen[0] != (path, params):
                        raise ApiError(400, "Keys for idempotent requests "
                            "can only be used with the same parameters "
                            "they were first used with. Try using a key "
                            "other than '" + idem + "' if you meant to "
                            "execute a different request.",
                            type_="idempotency_error")
                    return seen[1], seen[2], True
        try:
            status, body = self._route(acct, method, path, params)
        except ApiError as e:
            status, body = e.status, e.body
        if method == "POST" and idem and status < 500:
            with self.lock:
                acct.idem[idem] = ((path, params), status, body)
        return status, body, False

    def _route(self, acct, method, path, params):
        m = re.fullmatch(r"/v1/checkout/sessions/([A-Za-z0-9_]+)(/expire)?",
                         path)
        if path == "/v1/account" and method == "GET":
            return 200, {"id": acct.id, "object": "account",
                         "business_profile": {"name": acct.name},
                         "country": acct.country,
                         "default_currency": acct.currency,
                         "charges_enabled": True}
        if path == "/v1/checkout/sessions" and method == "POST":
            return 200, self._session_create(acct, nest(params))
        if m and method == "GET" and not m.group(2):
            s = acct.sessions.get(m.group(1))
            if s is None:
                raise ApiError(404, f"No such checkout.session: "
                               f"'{m.group(1)}'", "resource_missing", "id")
            expand = nest(params).get("expand", [])
            return 200, self._session_json(acct, s, expand)
        if m and method == "POST" and m.group(2):
            with self.lock:
                s = acct.sessions.get(m.group(1))
                if s is None:
                    raise ApiError(404, f"No such checkout.session: "
                                   f"'{m.group(1)}'", "resource_missing",
                                   "session")
                if s["status"] != "open":
                    raise ApiError(400, "Only Checkout Sessions with a "
                                   "status in [\"open\"] can be expired.")
                s.update(status="expired", url=None)
                self._event(acct, "checkout.session.expired",
                            self._session_json(acct, s))
                return 200, self._session_json(acct, s)
        if path == "/v1/refunds" and method == "POST":
            return 200, self._refund(acct, nest(params))
        r = re.fullmatch(r"/v1/refunds/([A-Za-z0-9_]+)", path)
        if r and method == "GET":
            with self.lock:
                ref = acct.refunds.get(r.group(1))
                if ref is None:
                    raise ApiError(404, f"No such refund: '{r.group(1)}'",
                                   "resource_missing", "id")
                return 200, dict(ref)
        raise ApiError(404, f"Unrecognized request URL ({method}: {path}).")

    def _session_create(self, acct, p):
        if need(p, "mode") != "payment":
            raise ApiError(400, "Invalid mode.", "parameter_invalid", "mode")
        items = p.get("line_items")
        if not isinstance(items, list) or not items:
            raise ApiError(400, "line_items is required in payment mode.",
                           "parameter_missing", "line_items")
        if len(items) > 100:
            raise ApiError(400, "Too many line items.", "parameter_invalid",
                           "line_items")
        total, currency, lines = 0, None, []
        for i, it in enumerate(items):
            pd = it.get("price_data") if isinstance(it, dict) else None
            if not isinstance(pd, dict):
                raise ApiError(400, "You must specify either price or "
                    "price_data.", "parameter_missing",
                    f"line_items[{i}][price_data]")
            cur = pd.get("currency", "")
            if not re.fullmatch(r"[a-z]{3}", cur):
                raise ApiError(400, f"Invalid currency: {cur}",
                    "parameter_invalid",
                    f"line_items[{i}][price_data][currency]")
            if currency not in (None, cur):
                raise ApiError(400, "All line items must be in the same "
                    "currency.", "parameter_invalid",
                    f"line_items[{i}][price_data][currency]")
            currency = cur
            unit = integer(pd.get("unit_amount"),
                           f"line_items[{i}][price_data][unit_amount]")
            name = (pd.get("product_data") or {}).get("name", "")
            if not name.strip():
                raise ApiError(400, "Missing required param: line_items["
                    f"{i}][price_data][product_data][name].",
                    "parameter_missing",
                    f"line_items[{i}][price_data][product_data][name]")
            qty = integer(it.get("quantity"), f"line_items[{i}][quantity]",
                          1)
            total += unit * qty
            lines.append({"name": name, "unit_amount": unit,
                          "quantity": qty, "amount_total": unit * qty})
        for u in ("success_url", "cancel_url"):
            if not re.match(r"https?://", need(p, u)):
                raise ApiError(400, "Not a valid URL", "url_invalid", u)
        now = int(time.time())
        exp = p.get("expires_at")
        if exp is not None:
            exp = integer(exp, "expires_at")
            if exp < now + 1800 - 60 or exp > now + 86400 + 60:
                raise ApiError(400, "The `expires_at` timestamp must be "
                    "between 30 minutes and 24 hours from Checkout Session "
                    "creation.", "parameter_invalid", "expires_at")
        else:
            exp = now + 86400
        sid = "cs_test_" + secrets.token_hex(16)
        s = {"id": sid, "object": "checkout.session", "mode": "payment",
             "amount_subtotal": total, "amount_total": total,
             "currency": currency, "status": "open",
             "payment_status": "unpaid", "payment_intent": None,
             "client_reference_id": p.get("client_reference_id"),
             "customer_email": p.get("customer_email"),
             "metadata": p.get("metadata") or {},
             "locale": p.get("locale"), "livemode": False,
             "success_url": p["success_url"],
             "cancel_url": p["cancel_url"], "created": now,
             "expires_at": exp, "url": f"{self.url}/pay/{sid}",
             "line_items": lines}
        with self.lock:
            acct.sessions[sid] = s
        return self._session_json(acct, s)

    def _refund(self, acct, p):
        pid = need(p, "payment_intent")
        with self.lock:
            pi = acct.intents.get(pid)
            if pi is None:
                raise ApiError(404, f"No such payment_intent: '{pid}'",
                               "resource_missing", "payment_intent")
            ch = pi["_charge"]
            left = ch["amount"] - ch["amount_refunded"]
            amount = integer(p.get("amount", left), "amount", 1)
            if amount > left:
                raise ApiError(400, f"Refund amount ({amount}) is greater "
                    f"than unrefunded amount on charge ({left})",
                    "amount_too_large", "amount")
            r = {"id": rid("re_"), "object": "refund", "amount": amount,
                 "currency": ch["currency"], "charge": ch["id"],
                 "payment_intent": pid,
                 "status": "pending" if self.refunds_pending else
                 "succeeded",
                 "metadata": p.get("metadata") or {},
                 "created": int(time.time())}
            acct.refunds[r["id"]] = r
            ch["amount_refunded"] += amount
            ch["refunded"] = ch["amount_refunded"] == ch["amount"]
            ch["refunds"]["data"].insert(0, r)
            self._event(acct, "refund.created", dict(r))
            c = {k: v for k, v in ch.items() if k != "_txn"}
            c["balance_transaction"] = ch["_txn"]["id"]
            self._event(acct, "charge.refunded", c)
            return r

    def session(self, sid):
        with self.lock:
            for a in self.accounts.values():
                if sid in a.sessions:
                    return a, a.sessions[sid]
        return None, None


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _send(self, status, body, ctype="application/json", headers=()):
        data = body if isinstance(body, bytes) else (
            json.dumps(body, indent=2).encode() if ctype ==
            "application/json" else body.encode())
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", rid("req_"))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_DELETE(self):
        self._handle("DELETE")

    def _handle(self, method):
        srv = self.server.owner
        u = urllib.parse.urlsplit(self.path)
        body = self._body()
        try:
            if u.path.startswith("/_test/"):
                return self._control(srv, method, u.path, body)
            if u.path.startswith("/pay/"):
                return self._page(srv, method, u.path[5:], body)
            auth = self.headers.get("Authorization", "")
            key = auth[7:] if auth.startswith("Bearer ") else ""
            raw = u.query if method == "GET" else body.decode("utf-8",
                                                               "replace")
            pairs = urllib.parse.parse_qsl(raw, keep_blank_values=True)
            params = tuple(pairs)
            with srv.lock:
                srv.requests.append({"method": method, "path": u.path,
                    "headers": dict(self.headers.items()),
                    "params": pairs, "body": body.decode("utf-8",
                                                         "replace")})
            if not key:
                raise ApiError(401, "You did not provide an API key.")
            idem = self.headers.get("Idempotency-Key")
            status, out, replayed = srv.api(method, u.path, key,
                                            params, idem)
            self._send(status, out, headers=[("Idempotent-Replayed",
                       "true")] if replayed else [])
        except ApiError as e:
            self._send(e.status, e.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _page(self, srv, method, sid, body):
        acct, s = srv.session(sid)
        if s is None:
            return self._send(404, "<!doctype html><p>No such session.",
                              "text/html; charset=utf-8")
        if method == "POST":
            srv.pay(acct, sid)
            if s["status"] != "complete":
                return self._send(409, "<!doctype html><p>This session "
                                  "is " + html.escape(s["status"]),
                                  "text/html; charset=utf-8")
            to = s["success_url"].replace("{CHECKOUT_SESSION_ID}", sid)
            return self._send(303, b"", "text/plain", [("Location", to)])
        cur = s["currency"].upper()
        amt = s["amount_total"]
        shown = f"{amt} {cur}" if s["currency"] in ZERO_DECIMAL else \
            f"{amt // 100}.{amt % 100:02d} {cur}"
        rows = "".join(f"<tr><td>{html.escape(li['name'])}</td>"
                       f"<td>{li['quantity']}</td><td>{li['unit_amount']}"
                       f"</td></tr>" for li in s["line_items"])
        page = f"""<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pay {html.escape(shown)}</title>
<style>body{{font-family:sans-serif;max-width:28rem;margin:2rem auto;
padding:0 1rem}}.amount{{font-size:2rem;margin:1rem 0}}
table{{width:100%;border-collapse:collapse}}td{{padding:.25rem;
border-bottom:1px solid #ddd}}button{{font-size:1.2rem;padding:.6rem 2rem;
background:#635bff;color:#fff;border:0;border-radius:6px}}</style></head>
<body><p>Test mode: souk's Stripe stand-in</p>
<p class="amount" id="amount">{html.escape(shown)}</p>
<table>{rows}</table>
<p>Status: <span id="status">{html.escape(s['status'])}</span></p>
<form method="post" action="/pay/{html.escape(sid)}">
<button type="submit" id="pay">Pay</button></form>
<p><a id="cancel" href="{html.escape(s['cancel_url'])}">Cancel</a></p>
</body></html>"""
        return self._send(200, page, "text/html; charset=utf-8")

    def _control(self, srv, method, path, body):
        try:
            p = json.loads(body) if body else {}
        except ValueError:
            return self._send(400, {"error": "not JSON"})
        if path == "/_test/keys" and method == "POST":
            aid = srv.add_key(p["key"], p.get("account"),
                              p.get("name", "Test shop"),
                              p.get("country", "DE"),
                              p.get("currency", "eur"))
            return self._send(200, {"account": aid})
        if path == "/_test/webhook" and method == "POST":
            srv.webhook(p["url"], p["secret"], p.get("account"),
                        p.get("host"))
            return self._send(200, {})
        if path.startswith("/_test/pay/") and method == "POST":
            acct, s = srv.session(path[len("/_test/pay/"):])
            if s is None:
                return self._send(404, {"error": "no such session"})
            srv.pay(acct, s["id"])
            return self._send(200, srv._session_json(acct, s))
        if path == "/_test/fee" and method == "POST":
            srv.fee = (int(p.get("percent_bp", 0)), int(p.get("fixed", 0)))
            return self._send(200, {})
        if path == "/_test/down" and method == "POST":
            srv.down = bool(p.get("on"))
            return self._send(200, {})
        if path == "/_test/refunds" and method == "POST":
            srv.refunds_pending = bool(p.get("pending"))
            return self._send(200, {})
        if path == "/_test/refund_settle" and method == "POST":
            with srv.lock:
                for a in srv.accounts.values():
                    ref = a.refunds.get(p.get("id"))
                    if ref is not None:
                        break
                else:
                    return self._send(404, {"error": "no such refund"})
                ref["status"] = p.get("status", "succeeded")
                srv._event(a, "refund.updated", dict(ref))
            return self._send(200, dict(ref))
        if path == "/_test/hold" and method == "POST":
            srv.hold = bool(p.get("on", True))
            return self._send(200, {})
        if path == "/_test/deliver" and method == "POST":
            ids = srv.deliver_held(p.get("ids"), bool(p.get("reverse")))
            return self._send(200, {"delivered": ids})
        if path == "/_test/resend" and method == "POST":
            recs = [r for r in srv.events if r["event"]["id"] == p.get("id")]
            if not recs:
                return self._send(404, {"error": "no such event"})
            srv._deliver(recs[0])
            return self._send(200, recs[0]["deliveries"][-1])
        if path == "/_test/events" and method == "GET":
            with srv.lock:
                return self._send(200, [{k: v for k, v in r.items()}
                                        for r in srv.events])
        if path.startswith("/_test/sessions/") and method == "GET":
            _, s = srv.session(path[len("/_test/sessions/"):])
            if s is None:
                return self._send(404, {"error": "no such session"})
            return self._send(200, s)
        if path == "/_test/requests" and method == "GET":
            with srv.lock:
                return self._send(200, srv.requests)
        return self._send(404, {"error": "no such control"})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--key", action="append", default=[],
                    help="a secret key to accept (repeatable)")
    ap.add_argument("--webhook-url")
    ap.add_argument("--webhook-secret")
    args = ap.parse_args()
    srv = StripeServer(args.port)
    for k in args.key:
        srv.add_key(k)
    if args.webhook_url:
        srv.webhook(args.webhook_url, args.webhook_secret or "")
    print(f"listening on {srv.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
