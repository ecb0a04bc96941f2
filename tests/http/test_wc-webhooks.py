"""WooCommerce webhooks (issue 12, point 4) over the whole stack, against
the receiver stand-in (tests/webhook_receiver.py): a shopper's order
reaches the shop's order.created webhook once, signed as WooCommerce
signs (checked here with the test's own HMAC), with WooCommerce's
headers and the order's v3 JSON; another shop's orders never reach it;
a private address is refused when saved; while the receiver is down the
delivery is retried and arrives once it is up; five failed deliveries
in a row disable the webhook, and the admin shows why; a sign-up and an
address saved reach the customer topics.

The pool keeps its configuration (fetch_allow_private off: a target on
loopback is refused at save, which this test checks); the webhooks are
saved with a public address and pointed at the loopback receiver in
the database, and souk-worker runs for this test with
fetch_allow_private (the receiver is on loopback) and a 1 s first
retry."""
import base64
import hashlib
import hmac
import json
import os
import re
import subprocess
import time

from souk_client import Client, admin_login
from shop_setup import selling_shop, add_to_cart, checkout_to_review, \
    place_fields
from wait import wait_until
from webhook_receiver import Receiver

PUBLIC = 'http://192.0.2.10/hook'   # TEST-NET-1: public, never reached


def _one(stack, sql):
    return stack.query(sql)[0][0]


class _Worker:
    """souk-worker for this test: fetch_allow_private, retries after 1 s
    then 2 s, looked for every 100 ms;
    the stack's own again afterwards."""

    def __init__(self, stack):
        self.stack = stack

    def __enter__(self):
        self.stack.stop_mail()
        self.stack.start_mail(worker_conf={'fetch_allow_private': 1,
                                           'job_retry_secs': 1,
                                           'job_retry_max_secs': 2,
                                           'worker_poll_ms': 100})
        return self

    def __exit__(self, *exc):
        self.stack.stop_mail()
        self.stack.start_mail()


def _shop(stack, prefix):
    slug, tid, pid = selling_shop(stack, prefix)
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    return slug, tid, pid, admin


def _add_hook(stack, admin, tid, rx_url, topic='order.created',
              secret='s3cret-Ünïcode', name='Warehouse'):
    r = admin.submit('/admin/webhooks/new', '/admin/webhooks', {
        'name': name, 'status': 'active', 'topic': topic,
        'delivery_url': PUBLIC, 'secret': secret})
    assert r.status == 303, (r.status, r.text[:3000])
    hid = int(_one(stack, f'SELECT MAX(id) FROM s{tid}_wc_webhooks'))
    stack.query(f"UPDATE s{tid}_wc_webhooks SET delivery_url = '{rx_url}'"
                f' WHERE id = {hid}')
    return hid


def _buy(stack, slug, pid):
    c = Client(stack.port, f'{slug}.localhost')
    r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': '2'})
    assert r.status == 303, (r.status, r.text[:2000])
    r = c.post('/checkout/place', place_fields(checkout_to_review(c)))
    assert r.status == 303, (r.status, r.text[:3000])
    return int(re.match(r'/checkout/done/(\d+)',
                        r.header('Location')).group(1))


def _signed(req, secret):
    want = base64.b64encode(hmac.new(secret.encode(), req['body'],
                                     hashlib.sha256).digest()).decode()
    return req['headers'].get('x-wc-webhook-signature') == want


def test_wc_webhooks_order_created_signed_private_refused(stack):
    a_slug, a_tid, a_pid, a_admin = _shop(stack, 'wha')
    b_slug, b_tid, b_pid, b_admin = _shop(stack, 'whb')

    # Refused at save: loopback, private, link-local, a name for them.
    for url in ('http://127.0.0.1:9/x', 'http://10.0.0.8/hook',
                'http://169.254.169.254/latest/meta-data',
                'http://localhost/hook', 'ftp://192.0.2.10/x'):
        r = a_admin.submit('/admin/webhooks/new', '/admin/webhooks', {
            'name': 'Bad', 'status': 'active', 'topic': 'order.created',
            'delivery_url': url, 'secret': ''})
        assert r.status == 422, (url, r.status)
    assert 'local or private address' in r.text or url.startswith('ftp')
    assert _one(stack, f'SELECT COUNT(*) FROM s{a_tid}_wc_webhooks') == '0'

    rx = Receiver().start()
    try:
        with _Worker(stack):
            a_hook = _add_hook(stack, a_admin, a_tid, rx.url('/a'))
            b_hook = _add_hook(stack, b_admin, b_tid, rx.url('/b'),
                               secret='other')
            # The secret is stored sealed, never as typed.
            sealed = _one(stack, f'SELECT secret FROM s{a_tid}_wc_webhooks')
            assert sealed.startswith('s1:') and 'cret' not in sealed
            number = _buy(stack, a_slug, a_pid)
            got = rx.wait(1, lambda q: q['path'] == '/a')
            req = got[0]
            assert _signed(req, 's3cret-Ünïcode'), req['headers']
            h = req['headers']
            assert h['x-wc-webhook-topic'] == 'order.created'
            assert h['x-wc-webhook-resource'] == 'order'
            assert h['x-wc-webhook-event'] == 'created'
            assert h['x-wc-webhook-id'] == str(a_hook)
            assert h['x-wc-webhook-delivery-id'].isdigit()
            assert h['x-wc-webhook-source'] == \
                f'http://{a_slug}.localhost:{stack.port}/'
            assert h['content-type'] == 'application/json'
            assert 'Souk' in h['user-agent']
            o = json.loads(req['body'])
            assert o['number'] == str(number)
            assert o['status'] == 'on-hold'
            assert o['currency'] == 'EUR'
            assert o['total'] == '12.90'      # 2 x 4.00 + 4.90
            assert o['shipping_total'] != ''
            assert o['billing']['email'] == 'kaethe@example.com'
            assert o['shipping']['city'] == 'Köln'
            li = o['line_items'][0]
            assert li['product_id'] == a_pid and li['quantity'] == 2
            assert o['payment_method'] == 'bacs'
            assert o['date_created_gmt'] and o['date_paid'] is None

            # Shop B's order reaches B's webhook only.
            b_number = _buy(stack, b_slug, b_pid)
            got_b = rx.wait(1, lambda q: q['path'] == '/b')
            assert json.loads(got_b[0]['body'])['number'] == str(b_number)
            assert _signed(got_b[0], 'other')
            assert got_b[0]['headers']['x-wc-webhook-id'] == str(b_hook)
            time.sleep(1.5)
            assert len(rx.got(lambda q: q['path'] == '/a')) == 1

            # A status change is order.updated: not order.created's
            # webhook, the other one's.
            _add_hook(stack, a_admin, a_tid, rx.url('/u'),
                      topic='order.updated', secret='up')
            page = a_admin.get(f'/admin/orders/{number}')
            r = a_admin.post(f'/admin/orders/{number}/paid',
                             {'csrf': page.csrf()})
            assert r.status == 303
            got_u = rx.wait(1, lambda q: q['path'] == '/u')
            assert _signed(got_u[0], 'up')
            assert got_u[0]['headers']['x-wc-webhook-event'] == 'updated'
            o = json.loads(got_u[0]['body'])
            assert o['number'] == str(number)
            assert o['status'] == 'processing' and o['date_paid_gmt']
            # (A fixed wait: that nothing more arrives is the point.)
            time.sleep(1.5)
            assert len(rx.got(lambda q: q['path'] == '/a')) == 1
            # The admin's list shows the delivery.
            page = a_admin.get('/admin/webhooks')
            assert page.status == 200
            assert 'HTTP 200' in page.text and 'Warehouse' in page.text
    finally:
        rx.stop()


def test_wc_webhooks_retried_then_disabled(stack):
    slug, tid, pid, admin = _shop(stack, 'whr')
    rx = Receiver()
    with __import__('socket').socket() as s:   # a port, nobody on it
        s.bind(('127.0.0.1', 0))
        rx.port = s.getsockname()[1]
    try:
        with _Worker(stack):
            hid = _add_hook(stack, admin, tid, rx.url('/r'))
            number = _buy(stack, slug, pid)
            wait_until(lambda: int(_one(
                stack, f'SELECT failures FROM s{tid}_wc_webhooks')) >= 1,
                20, 'a failed delivery')
            assert _one(stack, f'SELECT status FROM s{tid}_wc_webhooks') \
                == 'active'
            rx.start()
            got = rx.wait(1, timeout=30)
            assert json.loads(got[0]['body'])['number'] == str(number)
            wait_until(lambda: _one(
                stack, f'SELECT failures FROM s{tid}_wc_webhooks') == '0',
                10, 'the failures cleared')
            # Five failures in a row: disabled, and the admin says why.
            rx.status = 500
            _buy(stack, slug, pid)
            rx.wait(6, timeout=60)
            wait_until(lambda: _one(
                stack, f'SELECT status FROM s{tid}_wc_webhooks') ==
                'disabled', 15, 'the webhook disabled')
            assert int(_one(stack, f'SELECT failures FROM '
                                   f's{tid}_wc_webhooks')) == 5
            page = admin.get('/admin/webhooks')
            assert 'Disabled after 5 failed deliveries' in page.text, \
                page.text[:4000]
            assert 'HTTP 500' in page.text
            page = admin.get(f'/admin/webhooks/{hid}')
            assert page.status == 200 and 'Disabled after 5' in page.text
            # Disabled: a new order queues nothing.
            before = len(rx.got())
            _buy(stack, slug, pid)
            time.sleep(2)
            assert len(rx.got()) == before
            assert _one(stack, "SELECT COUNT(*) FROM souk_jobs WHERE "
                        f"tenant_id = {tid} AND kind = 'wc.webhook' AND "
                        "dead_at IS NULL") == '0'
            _shots(stack, slug)
    finally:
        rx.stop()


def test_wc_webhooks_customer_created_updated(stack):
    """A shopper's sign-up is customer.created, an address saved
    customer.updated, each with the customer's v3 JSON."""
    slug, tid, pid, admin = _shop(stack, 'whc')
    rx = Receiver().start()
    try:
        with _Worker(stack):
            _add_hook(stack, admin, tid, rx.url('/c'),
                      topic='customer.created', secret='c1')
            _add_hook(stack, admin, tid, rx.url('/u'),
                      topic='customer.updated', secret='u1')
            c = Client(stack.port, f'{slug}.localhost')
            r = c.submit('/account/register', '/account/register', {
                'name': 'Ann Marie Example', 'email': 'ann@example.com',
                'password': 'correct horse battery'})
            assert r.status == 303, (r.status, r.text[:2000])
            got = rx.wait(1, lambda q: q['path'] == '/c')
            assert _signed(got[0], 'c1')
            assert got[0]['headers']['x-wc-webhook-topic'] == \
                'customer.created'
            cu = json.loads(got[0]['body'])
            assert cu['email'] == 'ann@example.com'
            assert cu['first_name'] == 'Ann'
            assert cu['last_name'] == 'Marie Example'
            assert cu['role'] == 'customer' and cu['username'] == ''
            assert cu['is_paying_customer'] is False
            assert cu['billing']['email'] == 'ann@example.com'
            assert cu['billing']['address_1'] == ''
            r = c.submit('/account/login', '/account/login', {
                'email': 'ann@example.com',
                'password': 'correct horse battery'})
            assert r.status == 303
            r = c.submit('/account/addresses/new', '/account/addresses', {
                'name': 'Ann Example', 'line1': 'Hauptstr. 1',
                'city': 'Berlin', 'postcode': '10115', 'country': 'DE'})
            assert r.status == 303, (r.status, r.text[:2000])
            got = rx.wait(1, lambda q: q['path'] == '/u')
            assert _signed(got[0], 'u1')
            cu = json.loads(got[0]['body'])
            assert cu['id'] == json.loads(rx.got(
                lambda q: q['path'] == '/c')[0]['body'])['id']
            assert cu['billing']['address_1'] == 'Hauptstr. 1'
            assert cu['shipping']['city'] == 'Berlin'
            assert 'email' not in cu['shipping']
            # A clerk may not see or change webhooks (they send the
            # shop's data away): owners and managers only.
            stack.query(f"UPDATE s{tid}_staff SET role = 'clerk'")
            assert admin.get('/admin/webhooks').status == 403
            assert admin.get('/admin/webhooks/new').status == 403
            stack.query(f"UPDATE s{tid}_staff SET role = 'manager'")
            assert admin.get('/admin/webhooks').status == 200
    finally:
        rx.stop()


def _shots(stack, slug):
    """The admin's pages in Chromium at 1280 px; the PNGs stay in
    build/screenshots/webhooks/: look at them."""
    repo = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    if not os.path.isdir(os.path.join(repo, 'tests', 'browser',
                                      'node_modules', 'playwright-core')):
        return
    out = os.path.join(repo, 'build', 'screenshots', 'webhooks')
    os.makedirs(out, exist_ok=True)
    r = subprocess.run(
        ['node', os.path.join(repo, 'tests', 'browser',
                              'webhooks_shots.mjs'),
         f'http://{slug}.localhost:{stack.port}', out, f'{slug}@x.test'],
        cwd=os.path.join(repo, 'tests', 'browser'), capture_output=True,
        text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    for png in ('admin-webhooks', 'admin-webhook', 'admin-webhook-refused'):
        assert os.path.getsize(os.path.join(out, png + '.png')) > 5000
