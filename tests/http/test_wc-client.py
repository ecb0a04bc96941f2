"""wc-client (issue 12): WooCommerce's official JavaScript client
(@woocommerce/woocommerce-rest-api from npm, unchanged;
tests/wcclient/client.mjs) run by Node against the whole stack, with a
read/write key and a read key made on the admin page: categories, a
variable product with variations, a batch, paging, a stock update, an
order, orders by status, a webhook, and the read key refused every
write. The webhook is saved over the API with a public address (the
pool refuses loopback), pointed here at the receiver stand-in
(tests/webhook_receiver.py), and its order.updated delivery checked
with the test's own HMAC. What the client reported is checked against
the database."""
import base64
import hashlib
import hmac
import json
import os
import subprocess

from shop_setup import selling_shop
from souk_client import admin_login
from wc_setup import make_key
from webhook_receiver import Receiver

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DIR = os.path.join(REPO, 'tests', 'wcclient')


def _node(stack, phase, base, keys, state):
    r = subprocess.run(['node', os.path.join(DIR, 'client.mjs'), phase,
                        base, *keys, state], cwd=DIR, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0 and 'wc-client: ok' in r.stdout, \
        r.stdout + r.stderr
    return int(r.stdout.rsplit('wc-client: ok ', 1)[1].split()[0])


def test_wc_client(stack):
    lib = os.path.join(DIR, 'node_modules', '@woocommerce',
                       'woocommerce-rest-api')
    if not os.path.isdir(lib):
        raise stack.Skip('@woocommerce/woocommerce-rest-api is not '
                         'installed (make deps: npm install in '
                         'tests/wcclient failed)')
    slug, tid, _ = selling_shop(stack, 'wcclient')
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    ck, cs, _ = make_key(admin, 'read_write', 'ERP')
    rck, rcs, _ = make_key(admin, 'read', 'Dashboard')
    keys = [ck, cs, rck, rcs]
    base = f'http://{slug}.localhost:{stack.port}'
    state = os.path.join(stack.dir, f'{slug}-wcclient.json')
    p = f's{tid}_'

    n = _node(stack, 'one', base, keys, state)
    st = json.load(open(state))
    # What the client made is in the shop's tables.
    assert stack.query(f"SELECT parent_id FROM {p}categories WHERE "
                       f"id = {st['green']}") == [[str(st['tea'])]]
    assert stack.query(f"SELECT COUNT(*) FROM {p}variants WHERE "
                       f"product_id = {st['pid']}") == [['2']]
    assert stack.query(f"SELECT stock FROM {p}variants WHERE "
                       f"id = {st['vids'][0]}") == [['5']]
    assert stack.query(f"SELECT qty, variant_id FROM {p}order_lines "
                       f"WHERE order_id = {st['oid']}") == \
        [['2', str(st['vids'][0])]]

    rx = Receiver().start()
    stack.stop_mail()
    stack.start_mail(worker_conf={'fetch_allow_private': 1,
                                  'job_retry_secs': 1})
    try:
        stack.query(f"UPDATE {p}wc_webhooks SET delivery_url = "
                    f"'{rx.url('/erp')}' WHERE id = {st['webhook']}")
        n += _node(stack, 'two', base, keys, state)
        got = rx.wait(1, lambda q: q['path'] == '/erp')
    finally:
        stack.stop_mail()
        stack.start_mail()
        rx.stop()
    req = got[0]
    want = base64.b64encode(hmac.new(b'erp-secret', req['body'],
                                     hashlib.sha256).digest()).decode()
    assert req['headers'].get('x-wc-webhook-signature') == want
    assert req['headers']['x-wc-webhook-topic'] == 'order.updated'
    o = json.loads(req['body'])
    assert o['id'] == st['oid'] and o['status'] == 'processing'
    assert stack.query(f"SELECT status FROM {p}orders WHERE "
                       f"id = {st['oid']}") == [['processing']]
    assert n >= 25, n
