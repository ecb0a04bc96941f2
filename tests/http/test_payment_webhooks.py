"""Card payments at checkout over the whole stack (issue 11, part 1),
against the Stripe stand-in (tests/stripe_server.py): a shopper checks
out by card and is sent to the stand-in's hosted page (a Checkout
Session with the order's lines, its idempotency key, the shop's return
URLs); the stand-in's signed webhook pays the order exactly once however
often, late or out of order it is delivered; a forged or stale one is a
400 that changes nothing; a payment never announced is found by the
reconciliation (`soukctl shop reconcile`), and an order unpaid past its
hold is cancelled with its stock back; a refund of a card order goes to
the stand-in and settles; Stripe down at checkout leaves the order
pending with a message and a button that works once Stripe is back;
the database down is a 503 and the same event later pays once; shop
B's secret and host can do nothing to shop A's orders."""
import hashlib
import hmac
import html
import json
import re
import secrets
import time
import urllib.parse
import urllib.request

from souk_client import Client, admin_login
from shop_setup import selling_shop, add_to_cart, checkout_to_review, \
    place_fields
from wait import wait_until


def _control(stack, path, body=None):
    req = urllib.request.Request(
        stack.stripe_url + path, method='POST' if body is not None else
        'GET', data=json.dumps(body).encode() if body is not None else None)
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


class Shop:
    pass


def _card_shop(stack, prefix):
    """A selling shop (loaf 4.00, 10 in stock) with a Stripe account
    connected on its payments page, whose webhooks reach its host."""
    s = Shop()
    s.slug, s.tid, s.pid = selling_shop(stack, prefix, stock=10)
    s.p = f's{s.tid}_'
    s.admin = admin_login(stack.port, s.slug, f'{s.slug}@x.test')
    s.key = 'sk_test_' + secrets.token_hex(12)
    s.acct = 'acct_' + secrets.token_hex(8)
    s.whsec = 'whsec_' + secrets.token_hex(16)
    s.host = f'{s.slug}.localhost'
    _control(stack, '/_test/keys', {'key': s.key, 'account': s.acct,
                                    'name': prefix})
    r = s.admin.submit('/admin/payments', '/admin/payments/stripe',
                       {'stripe_secret_key': s.key,
                        'stripe_webhook_secret': s.whsec})
    assert r.status == 303, r.text[:2000]
    _control(stack, '/_test/webhook', {
        'account': s.acct, 'secret': s.whsec,
        'url': f'http://127.0.0.1:{stack.port}/_stripe/webhook',
        'host': f'{s.host}:{stack.port}'})
    return s


def _one(stack, sql):
    return stack.query(sql)[0][0]


def _order(stack, s, number):
    """(status, paid_at) of order number."""
    row = stack.query(f"SELECT status, paid_at FROM {s.p}orders WHERE "
                      f"number = {number}")[0]
    return row[0], row[1]


def _stock(stack, s):
    return int(_one(stack, f'SELECT stock FROM {s.p}products WHERE id = '
                           f'{s.pid}'))


def _count(stack, s, table, where='1'):
    return int(_one(stack, f'SELECT COUNT(*) FROM {s.p}{table} WHERE '
                           f'{where}'))


def _books_ok(stack, s):
    r = stack.soukctl('shop', 'books-check', s.slug, check=False)
    assert r.returncode == 0, r.stdout + r.stderr


def _checkout(stack, s, qty=1, lang=None):
    """A guest checks out by card: (client, order number, access key,
    the answer to "Place order")."""
    c = Client(stack.port, s.host)
    r = add_to_cart(stack, c, {'product_id': str(s.pid), 'qty': str(qty)})
    assert r.status == 303, (r.status, r.text[:2000])
    review = checkout_to_review(c, payment='card')
    assert 'Card' in review.text
    r = c.post('/checkout/place', place_fields(review))
    assert r.status == 303, (r.status, r.text[:3000])
    number, key = stack.query(
        f"SELECT number, access_key FROM {s.p}orders ORDER BY id DESC "
        "LIMIT 1")[0]
    return c, int(number), key, r


def _buy(stack, s, qty=1):
    """_checkout() to the stand-in's page: (client, number, key, session
    id)."""
    c, number, key, r = _checkout(stack, s, qty)
    loc = r.header('Location')
    m = re.fullmatch(re.escape(stack.stripe_url) + r'/pay/(cs_test_\w+)',
                     loc)
    assert m, loc
    assert _order(stack, s, number)[0] == 'pending'
    return c, number, key, m.group(1)


def _events(stack, sid, type_=None):
    return [e for e in _control(stack, '/_test/events')
            if e['event']['data']['object'].get('id') == sid or
            e['event']['data']['object'].get('payment_intent') == sid
            if type_ is None or e['event']['type'] == type_]


def _sign(secret, body, t=None):
    t = int(time.time()) if t is None else t
    mac = hmac.new(secret.encode(), f'{t}.'.encode() + body,
                   hashlib.sha256).hexdigest()
    return f't={t},v1={mac}'


def _post_event(stack, host, secret, event, t=None, sig=None):
    body = json.dumps(event).encode()
    c = Client(stack.port, host)
    return c.request('POST', '/_stripe/webhook', body=body, headers={
        'Content-Type': 'application/json',
        'Stripe-Signature': sig or _sign(secret, body, t)})


def _session_event(stack, sid, type_):
    """An event about session sid as the stand-in knows it now."""
    sess = _control(stack, f'/_test/sessions/{sid}')
    sess.pop('line_items', None)
    return {'id': 'evt_' + secrets.token_hex(12), 'object': 'event',
            'type': type_, 'created': int(time.time()), 'livemode': False,
            'data': {'object': sess}}


def _hold(stack, on):
    _control(stack, '/_test/hold', {'on': on})


def _paid_once(stack, s, number):
    oid = _one(stack, f'SELECT id FROM {s.p}orders WHERE number = {number}')
    assert _count(stack, s, 'payments', f'order_id = {oid}') == 1
    assert int(_one(stack, f"SELECT COUNT(DISTINCT ref_id) FROM {s.p}ledger "
                           f"WHERE entry_kind = 'sale' AND order_id = {oid}"
                    )) == 1
    assert _count(stack, s, 'invoices', f'order_id = {oid}') == 1


def test_payment_webhooks_session_then_paid_once_though_sent_twice(stack):
    s = _card_shop(stack, 'cardpay')
    c, number, key, sid = _buy(stack, s, qty=2)
    assert _stock(stack, s) == 8          # held while pending
    # What Stripe was asked: the order's lines, the shop's return URLs,
    # an idempotency key per order, the hold as the expiry.
    sess = _control(stack, f'/_test/sessions/{sid}')
    assert sess['amount_total'] == 2 * 400 + 490
    assert sess['currency'] == 'eur'
    assert sess['success_url'] == (
        f'http://{s.host}:{stack.port}/checkout/done/{number}?key={key}'
        '&session_id={CHECKOUT_SESSION_ID}')
    assert sess['cancel_url'].endswith(f'?key={key}&pay=cancelled')
    assert sess['client_reference_id'] == str(number)
    assert sess['customer_email'] == 'kaethe@example.com'
    assert sess['locale'] == 'en'
    assert 3500 <= sess['expires_at'] - time.time() <= 3700
    reqs = [q for q in _control(stack, '/_test/requests')
            if q['path'] == '/v1/checkout/sessions']
    h = {k.lower(): v for k, v in reqs[-1]['headers'].items()}
    oid = _one(stack, f'SELECT id FROM {s.p}orders WHERE number = {number}')
    assert h['idempotency-key'] == f'order-{oid}-session'
    # The return page alone pays nothing: it says it waits.
    page = c.get(f'/checkout/done/{number}?key={key}&session_id={sid}')
    assert page.status == 200
    assert 'We are waiting for your payment confirmation' in \
        html.unescape(page.text)
    assert _order(stack, s, number) == ('pending', None)
    # The order's own page leads back to the payment.
    page = c.get(f'/order/{number}?key={key}')
    assert f'href="/checkout/done/{number}?key={key}#payment"' in \
        page.text and 'Pay now' in page.text
    # The stand-in's Pay: its webhook pays the order.
    _control(stack, f'/_test/pay/{sid}', {})
    wait_until(lambda: _order(stack, s, number)[0] == 'processing',
               what='the webhook paid the order')
    ev = _events(stack, sid, 'checkout.session.completed')
    assert len(ev) == 1
    wait_until(lambda: _control(stack, '/_test/events') and
               [d['status'] for d in _events(stack, sid,
                'checkout.session.completed')[0]['deliveries']] == [200],
               what='the delivery answered 200')
    # Sent again, twice: a 200 each time, and still one payment.
    for _ in range(2):
        _control(stack, '/_test/resend', {'id': ev[0]['event']['id']})
    wait_until(lambda: len(_events(stack, sid, 'checkout.session.completed'
                                   )[0]['deliveries']) == 3,
               what='both resends delivered')
    assert [d['status'] for d in _events(
        stack, sid, 'checkout.session.completed')[0]['deliveries']] == \
        [200, 200, 200]
    _paid_once(stack, s, number)
    pay = stack.query(f"SELECT method, amount, fee, gateway, gateway_ref "
                      f"FROM {s.p}payments WHERE order_id = {oid}")[0]
    assert pay[0] == 'card' and int(pay[1]) == 1290
    assert int(pay[2]) == 1290 * 140 // 10000 + 25      # the fee
    assert pay[3] == 'stripe' and pay[4].startswith('pi_')
    assert _stock(stack, s) == 8
    _books_ok(stack, s)
    page = c.get(f'/checkout/done/{number}?key={key}&session_id={sid}')
    assert 'Your payment is confirmed' in html.unescape(page.text)
    assert 'Pay now' not in c.get(f'/order/{number}?key={key}').text
    # The merchant's order page: the payment, its id and fee.
    page = s.admin.get(f'/admin/orders/{number}')
    assert pay[4] in page.text and 'Fee' in page.text


def test_payment_webhooks_held_late_and_out_of_order(stack):
    s = _card_shop(stack, 'cardlate')
    _hold(stack, True)
    try:
        _, number, _, sid = _buy(stack, s)
        _control(stack, f'/_test/pay/{sid}', {})
        held = [e['event']['id'] for e in _events(stack, sid)]
        assert len(held) == 1
        assert _order(stack, s, number)[0] == 'pending'
        # The completed one, late.
        _control(stack, '/_test/deliver', {'ids': held})
        wait_until(lambda: _order(stack, s, number)[0] == 'processing',
                   what='the late webhook paid the order')
        # Then an "expired" about it (out of order, signed as Stripe
        # signs): a payment is never undone.
        ev = _session_event(stack, sid, 'checkout.session.expired')
        ev['data']['object']['status'] = 'expired'
        r = _post_event(stack, s.host, s.whsec, ev)
        assert r.status == 200
        assert _order(stack, s, number)[0] == 'processing'
        _paid_once(stack, s, number)
        _books_ok(stack, s)
    finally:
        _hold(stack, False)


def test_payment_webhooks_paid_after_the_order_was_cancelled(stack):
    """The shopper cancels the pending order, then pays the page still
    open: the money is recorded (it was taken) and flagged for a
    refund; the order stays cancelled."""
    s = _card_shop(stack, 'cardlost')
    c, number, key, sid = _buy(stack, s)
    stack.query(f"UPDATE {s.p}orders SET status = 'cancelled' WHERE "
                f"number = {number}")
    _control(stack, f'/_test/pay/{sid}', {})
    oid = _one(stack, f'SELECT id FROM {s.p}orders WHERE number = {number}')
    wait_until(lambda: _count(stack, s, 'payments', f'order_id = {oid}'),
               what='the payment recorded')
    assert _order(stack, s, number)[0] == 'cancelled'
    notes = stack.query(f"SELECT note FROM {s.p}order_events WHERE "
                        f"order_id = {oid} AND kind = 'private_note'")
    assert any('Refund it to the customer' in n[0] for n in notes), notes
    page = s.admin.get(f'/admin/orders/{number}')
    assert 'To refund' in page.text


def test_payment_webhooks_forged_or_stale_change_nothing(stack):
    s = _card_shop(stack, 'cardforge')
    _hold(stack, True)
    try:
        _, number, _, sid = _buy(stack, s)
        _control(stack, f'/_test/pay/{sid}', {})
        ev = _session_event(stack, sid, 'checkout.session.completed')
        before = stack.query(f'SELECT COUNT(*) FROM {s.p}payments')
        # Wrong secret, old timestamp, no signature, a broken header,
        # a body that is no event: each a 400, nothing written.
        assert _post_event(stack, s.host, 'whsec_' + 'x' * 32,
                           ev).status == 400
        assert _post_event(stack, s.host, s.whsec, ev,
                           t=int(time.time()) - 3600).status == 400
        assert _post_event(stack, s.host, s.whsec, ev,
                           sig='t=1,v1=zz').status == 400
        c = Client(stack.port, s.host)
        body = b'{"id": "evt_1"'
        r = c.request('POST', '/_stripe/webhook', body=body, headers={
            'Content-Type': 'application/json',
            'Stripe-Signature': _sign(s.whsec, body)})
        assert r.status == 400
        r = c.request('POST', '/_stripe/webhook', body=json.dumps(
            ev).encode(), headers={'Content-Type': 'application/json'})
        assert r.status == 400
        # A signed body changed after signing.
        body = json.dumps(ev).encode()
        sig = _sign(s.whsec, body)
        r = c.request('POST', '/_stripe/webhook', body=body.replace(
            b'"paid"', b'"PAID"'), headers={
            'Content-Type': 'application/json', 'Stripe-Signature': sig})
        assert r.status == 400
        assert c.get('/_stripe/webhook').status == 405
        assert stack.query(f'SELECT COUNT(*) FROM {s.p}payments') == before
        assert _order(stack, s, number)[0] == 'pending'
        # An unknown shop: 404.
        r = Client(stack.port, 'nosuchshop.localhost').request(
            'POST', '/_stripe/webhook', body=body, headers={
                'Content-Type': 'application/json',
                'Stripe-Signature': sig})
        assert r.status == 404
        # The genuine one pays it.
        assert _post_event(stack, s.host, s.whsec, ev).status == 200
        assert _order(stack, s, number)[0] == 'processing'
        _paid_once(stack, s, number)
    finally:
        _hold(stack, False)


def test_payment_webhooks_never_delivered_reconciliation_pays(stack):
    s = _card_shop(stack, 'cardrec')
    _hold(stack, True)
    try:
        _, number, _, sid = _buy(stack, s)
        _control(stack, f'/_test/pay/{sid}', {})
        held = [e['event']['id'] for e in _events(stack, sid)]
        # Younger than card_reconcile_after (10 min): left alone.
        r = stack.soukctl('shop', 'reconcile', s.slug)
        assert 'checked 0' in r.stdout, r.stdout
        assert _order(stack, s, number)[0] == 'pending'
        stack.query(f"UPDATE {s.p}orders SET created_at = created_at - "
                    f"INTERVAL 11 MINUTE WHERE number = {number}")
        # (souk-worker, when a test started it, may get there first:
        # the order is paid once either way.)
        r = stack.soukctl('shop', 'reconcile', s.slug)
        assert 'failed 0' in r.stdout, r.stdout
        assert _order(stack, s, number)[0] == 'processing'
        _paid_once(stack, s, number)
        # The webhook after all, late: nothing more.
        _control(stack, '/_test/deliver', {'ids': held})
        wait_until(lambda: _events(stack, sid)[0]['deliveries'],
                   what='the late delivery')
        assert _events(stack, sid)[0]['deliveries'][0]['status'] == 200
        _paid_once(stack, s, number)
        _books_ok(stack, s)
    finally:
        _hold(stack, False)


def test_payment_webhooks_unpaid_past_the_hold_cancelled(stack):
    s = _card_shop(stack, 'cardhold')
    _, number, _, sid = _buy(stack, s, qty=3)
    assert _stock(stack, s) == 7
    # Within the hold: asked of Stripe (open), kept.
    stack.query(f"UPDATE {s.p}orders SET created_at = created_at - "
                f"INTERVAL 20 MINUTE WHERE number = {number}")
    r = stack.soukctl('shop', 'reconcile', s.slug)
    assert 'checked 1, paid 0, cancelled 0, failed 0' in r.stdout, \
        r.stdout
    assert _order(stack, s, number)[0] == 'pending'
    # Past the hold (60 minutes): the session is expired at Stripe, the
    # order cancelled, the stock back.
    stack.query(f"UPDATE {s.p}orders SET created_at = created_at - "
                f"INTERVAL 45 MINUTE WHERE number = {number}")
    # (The expired webhook the stand-in sends at once may cancel it
    # first: either way once.)
    r = stack.soukctl('shop', 'reconcile', s.slug)
    assert 'failed 0' in r.stdout, r.stdout
    wait_until(lambda: _order(stack, s, number)[0] == 'cancelled',
               what='the order cancelled')
    assert _stock(stack, s) == 10
    assert _control(stack, f'/_test/sessions/{sid}')['status'] == 'expired'
    # Its expired webhook, and a second run, change nothing more.
    wait_until(lambda: _events(stack, sid, 'checkout.session.expired') and
               _events(stack, sid, 'checkout.session.expired')[0][
                   'deliveries'], what='the expired webhook')
    stack.soukctl('shop', 'reconcile', s.slug)
    assert _stock(stack, s) == 10
    assert _count(stack, s, 'payments') == 0
    _books_ok(stack, s)


def test_payment_webhooks_expired_session_cancels(stack):
    """Stripe expires the session (the shopper never paid): its webhook
    cancels the order and returns the stock."""
    s = _card_shop(stack, 'cardexp')
    _, number, _, sid = _buy(stack, s, qty=2)
    assert _stock(stack, s) == 8
    _control(stack, f'/_test/sessions/{sid}')
    # The stand-in expires it as Stripe would at expires_at.
    req = urllib.request.Request(
        stack.stripe_url + f'/v1/checkout/sessions/{sid}/expire',
        method='POST', data=b'', headers={
            'Authorization': f'Bearer {s.key}'})
    with urllib.request.urlopen(req, timeout=10):
        pass
    wait_until(lambda: _order(stack, s, number)[0] == 'cancelled',
               what='the expired webhook cancelled the order')
    assert _stock(stack, s) == 10


def test_payment_webhooks_refund_goes_through_stripe(stack):
    s = _card_shop(stack, 'cardref')
    c, number, key, sid = _buy(stack, s)
    _control(stack, f'/_test/pay/{sid}', {})
    wait_until(lambda: _order(stack, s, number)[0] == 'processing',
               what='paid')
    page = s.admin.get(f'/admin/orders/{number}')
    r = s.admin.post(f'/admin/orders/{number}/refund', {
        'csrf': page.csrf(), 'amount': '3.00', 'refund_reason': 'dented'})
    assert r.status == 303, r.text[:3000]
    assert r.header('Location').endswith('?done=refunded')
    oid = _one(stack, f'SELECT id FROM {s.p}orders WHERE number = {number}')
    rid, status, ref = stack.query(
        f'SELECT id, status, gateway_ref FROM {s.p}refunds WHERE '
        f'order_id = {oid}')[0]
    assert status == 'succeeded' and ref.startswith('re_')
    reqs = [q for q in _control(stack, '/_test/requests')
            if q['path'] == '/v1/refunds']
    h = {k.lower(): v for k, v in reqs[-1]['headers'].items()}
    assert h['idempotency-key'] == f'refund-{rid}'
    assert dict(reqs[-1]['params'])['amount'] == '300'
    # Its webhooks (refund.created, charge.refunded) find it settled.
    pi = _one(stack, f'SELECT gateway_ref FROM {s.p}payments WHERE '
                     f'order_id = {oid}')
    wait_until(lambda: len([d for e in _events(stack, pi)
                            for d in e['deliveries']]) >= 2,
               what='the refund webhooks')
    assert all(d['status'] == 200 for e in _events(stack, pi)
               for d in e['deliveries'])
    assert _count(stack, s, 'refunds', "status = 'succeeded'") == 1
    _books_ok(stack, s)
    page = s.admin.get(f'/admin/orders/{number}')
    assert 'Refunded' in page.text
    # The shopper's page: paid, refunded.
    page = c.get(f'/order/{number}?key={key}')
    assert page.status == 200
    t = html.unescape(page.text)
    assert re.search(r'Paid</dt><dd>€8\.90', t), t[-3000:]
    assert re.search(r'Refunded</dt><dd>€3\.00', t), t[-3000:]
    # More than is left: Stripe is never asked.
    n = len(_control(stack, '/_test/requests'))
    page = s.admin.get(f'/admin/orders/{number}')
    r = s.admin.post(f'/admin/orders/{number}/refund', {
        'csrf': page.csrf(), 'amount': '99.00'})
    assert r.status == 422
    assert len([q for q in _control(stack, '/_test/requests')[n:]
                if q['path'] == '/v1/refunds']) == 0
    # Refunded in Stripe's dashboard meanwhile: Stripe refuses the
    # rest, the refund is failed, its reason on the order page, and the
    # books do not count it.
    req = urllib.request.Request(
        stack.stripe_url + '/v1/refunds', method='POST', data=urllib.parse
        .urlencode({'payment_intent': pi, 'amount': '500'}).encode(),
        headers={'Authorization': f'Bearer {s.key}'})
    with urllib.request.urlopen(req, timeout=10):
        pass
    page = s.admin.get(f'/admin/orders/{number}')
    r = s.admin.post(f'/admin/orders/{number}/refund', {
        'csrf': page.csrf(), 'amount': '5.90'})
    assert r.status == 303
    assert r.header('Location').endswith('?done=refund_failed')
    assert _count(stack, s, 'refunds', "status = 'failed'") == 1
    t = html.unescape(s.admin.get(r.header('Location')).text)
    assert 'The payment provider refused the refund' in t
    assert 'The payment provider said: Refund amount (590) is greater ' \
        'than unrefunded amount on charge (90)' in t, t[-4000:]
    _books_ok(stack, s)


def test_payment_webhooks_stripe_down_at_checkout(stack):
    s = _card_shop(stack, 'carddown')
    _control(stack, '/_test/down', {'on': True})
    try:
        c, number, key, r = _checkout(stack, s)
        loc = r.header('Location')
        assert loc == f'/checkout/done/{number}?key={key}&pay=failed', loc
        page = c.get(loc)
        assert page.status == 200
        t = html.unescape(page.text)
        assert 'We could not reach our payment provider just now' in t
        assert 'Try again' in t
        assert _order(stack, s, number)[0] == 'pending'
        assert _stock(stack, s) == 9
        # Still down: the same message, nothing broken.
        r = c.post(f'/checkout/pay/{number}', {'csrf': page.csrf(),
                                               'key': key})
        assert r.status == 303 and r.header('Location') == loc
    finally:
        _control(stack, '/_test/down', {'on': False})
    page = c.get(loc)
    r = c.post(f'/checkout/pay/{number}', {'csrf': page.csrf(), 'key': key})
    assert r.status == 303
    assert r.header('Location').startswith(stack.stripe_url + '/pay/')
    sid = r.header('Location').rsplit('/', 1)[1]
    # Again while it is open: the same session.
    r = c.post(f'/checkout/pay/{number}', {'csrf': page.csrf(), 'key': key})
    assert r.header('Location').endswith('/' + sid)
    # A wrong key or no token: nothing.
    r = c.post(f'/checkout/pay/{number}', {'csrf': page.csrf(),
                                           'key': '0' * 32})
    assert r.status == 404
    r = c.post(f'/checkout/pay/{number}', {'key': key})
    assert r.status in (400, 403)
    _control(stack, f'/_test/pay/{sid}', {})
    wait_until(lambda: _order(stack, s, number)[0] == 'processing',
               what='paid after the retry')
    _paid_once(stack, s, number)


def test_payment_webhooks_isolation(stack):
    a = _card_shop(stack, 'cardisoa')
    b = _card_shop(stack, 'cardisob')
    _hold(stack, True)
    try:
        _, number, _, sid = _buy(stack, a)
        _control(stack, f'/_test/pay/{sid}', {})
        ev = _session_event(stack, sid, 'checkout.session.completed')
        # B's secret on A's host: refused.
        assert _post_event(stack, a.host, b.whsec, ev).status == 400
        # B's secret on B's host, about A's session: not B's, ignored.
        assert _post_event(stack, b.host, b.whsec, ev).status == 200
        assert _order(stack, a, number)[0] == 'pending'
        assert _count(stack, a, 'payments') == 0
        assert _count(stack, b, 'payments') == 0
        # B's admin cannot see A's order.
        assert b.admin.get(f'/admin/orders/{number}').status == 404
        # A's own: paid.
        assert _post_event(stack, a.host, a.whsec, ev).status == 200
        assert _order(stack, a, number)[0] == 'processing'
    finally:
        _hold(stack, False)


def test_payment_webhooks_card_offered_only_when_connected(stack):
    s = _card_shop(stack, 'cardoff')
    c = Client(stack.port, s.host)
    add_to_cart(stack, c, {'product_id': str(s.pid), 'qty': '1'})
    r = c.submit('/checkout', '/checkout', {
        'email': 'k@example.com', 'ship_name': 'K', 'ship_line1': 'A 1',
        'ship_postcode': '50667', 'ship_city': 'Köln', 'ship_country': 'DE',
        'bill_same': '1'})
    assert r.status == 303
    assert 'value="card"' in c.get('/checkout/shipping').text
    r = s.admin.submit('/admin/payments',
                       '/admin/payments/stripe/disconnect', {})
    assert r.status == 303
    assert 'value="card"' not in c.get('/checkout/shipping').text
    # The hold time is on the payments page, 30 to 1440 minutes.
    page = s.admin.get('/admin/payments')
    assert 'name="card_hold_minutes" value="60"' in page.text
    r = s.admin.submit('/admin/payments', '/admin/payments', {
        'pay_bacs': '1', 'bank_details': 'IBAN DE00', 'low_stock': '3',
        'card_hold_minutes': '10'})
    assert r.status == 422
    assert 'Enter a number of minutes from 30 to 1440.' in r.text
    r = s.admin.submit('/admin/payments', '/admin/payments', {
        'pay_bacs': '1', 'bank_details': 'IBAN DE00', 'low_stock': '3',
        'card_hold_minutes': '90'})
    assert r.status == 303, r.text[:2000]
    assert 'name="card_hold_minutes" value="90"' in \
        s.admin.get('/admin/payments').text


def test_payment_webhooks_database_down_503_then_paid(stack):
    """The database down: 503 (Stripe delivers again later), nothing
    half done; the same event once it is back pays the order once."""
    s = _card_shop(stack, 'carddb')
    _hold(stack, True)
    try:
        _, number, _, sid = _buy(stack, s)
        _control(stack, f'/_test/pay/{sid}', {})
        ev = _session_event(stack, sid, 'checkout.session.completed')
        stack.db.stop()
        try:
            r = _post_event(stack, s.host, s.whsec, ev)
            assert r.status == 503, (r.status, r.text[:500])
        finally:
            stack.db.start()
        wait_until(lambda: _post_event(stack, s.host, s.whsec,
                                       ev).status == 200, 20,
                   'the webhook answered once the database is back')
        assert _order(stack, s, number)[0] == 'processing'
        _paid_once(stack, s, number)
    finally:
        _hold(stack, False)


def test_payment_webhooks_mails_wait_for_the_payment(stack):
    """A card order tells nobody it was placed until it is paid (as
    WooCommerce leaves a pending order unmailed): then the shopper gets
    the order's mail and the payment's, and the merchant the new order.
    One cancelled unpaid mails nothing: its shopper never heard of it."""
    from souk_client import mailbox
    stack.start_mail()
    s = _card_shop(stack, 'cardmail')

    def mails(key):
        return [m for _, m in mailbox()
                if key in m.get_body(('plain',)).get_content()]

    _, n1, k1, sid1 = _buy(stack, s)
    _, n2, k2, sid2 = _buy(stack, s)
    queued = stack.query(f"SELECT kind FROM souk_jobs WHERE tenant_id ="
                         f" {s.tid} AND kind LIKE 'shop.order%'")
    assert queued == [], queued
    _control(stack, f'/_test/pay/{sid1}', {})
    wait_until(lambda: len(mails(k1)) >= 2, 20, 'the paid order\'s mails')
    subjects = sorted(str(m['Subject']) for m in mails(k1))
    assert len(subjects) == 2, subjects
    assert any('received' in x.lower() for x in subjects), subjects
    assert any('payment' in x.lower() for x in subjects), subjects
    wait_until(lambda: any(f'{s.slug}@x.test' in str(m['To']) and
                           str(n1) in str(m['Subject'])
                           for _, m in mailbox()), 20,
               'the merchant\'s new order mail')
    # The other one is never paid: cancelled past its hold, no mail.
    stack.query(f"UPDATE {s.p}orders SET created_at = created_at - "
                f"INTERVAL 2 HOUR WHERE number = {n2}")
    stack.soukctl('shop', 'reconcile', s.slug)
    wait_until(lambda: _order(stack, s, n2)[0] == 'cancelled',
               what='the unpaid order cancelled')
    wait_until(lambda: stack.query(
        f"SELECT COUNT(*) FROM souk_jobs WHERE tenant_id = {s.tid}") ==
        [['0']], 20, 'the mail queue empty')
    assert mails(k2) == []


def test_payment_webhooks_refund_pending_settled_by_reconciliation(stack):
    """Stripe answers a refund "pending" (the bank decides later) and its
    refund.updated webhook never comes: the refund stays pending (not in
    the books) until the reconciliation asks Stripe, ten minutes on,
    and finds it succeeded; then it is booked once."""
    s = _card_shop(stack, 'cardrpend')
    _, number, _, sid = _buy(stack, s)
    _control(stack, f'/_test/pay/{sid}', {})
    wait_until(lambda: _order(stack, s, number)[0] == 'processing',
               what='paid')
    _control(stack, '/_test/refunds', {'pending': True})
    try:
        page = s.admin.get(f'/admin/orders/{number}')
        r = s.admin.post(f'/admin/orders/{number}/refund', {
            'csrf': page.csrf(), 'amount': '2.00'})
        assert r.status == 303, r.text[:3000]
    finally:
        _control(stack, '/_test/refunds', {'pending': False})
    rid, status = stack.query(f'SELECT id, status FROM {s.p}refunds')[0]
    assert status == 'pending'
    ref = _one(stack, f'SELECT gateway_ref FROM {s.p}card_refunds WHERE'
                      f' refund_id = {rid}')
    assert ref.startswith('re_')
    # The bank says yes; its webhook is lost.
    _hold(stack, True)
    try:
        _control(stack, '/_test/refund_settle', {'id': ref,
                                                  'status': 'succeeded'})
        # Too recent: not asked yet.
        stack.soukctl('shop', 'reconcile', s.slug)
        assert _one(stack, f'SELECT status FROM {s.p}refunds') == 'pending'
        assert _count(stack, s, 'ledger', "entry_kind = 'refund'") == 0
        stack.query(f'UPDATE {s.p}refunds SET created_at = created_at -'
                    ' INTERVAL 11 MINUTE')
        n = len(_control(stack, '/_test/requests'))
        stack.soukctl('shop', 'reconcile', s.slug)
        asked = [q for q in _control(stack, '/_test/requests')[n:]
                 if q['path'] == f'/v1/refunds/{ref}']
        assert asked and asked[0]['method'] == 'GET'
        assert stack.query(f'SELECT status, gateway_ref FROM {s.p}refunds'
                           ) == [['succeeded', ref]]
        # A second run, and the late webhook, change nothing.
        stack.soukctl('shop', 'reconcile', s.slug)
    finally:
        _hold(stack, False)
    _control(stack, '/_test/deliver', {})
    assert _count(stack, s, 'refunds', "status = 'succeeded'") == 1
    assert int(_one(stack, f"SELECT COUNT(DISTINCT ref_id) FROM {s.p}ledger"
                           " WHERE entry_kind = 'refund'")) == 1
    _books_ok(stack, s)
