"""/wp-json/wc/v3/webhooks (web/wc_webhooks_api.c) over the whole stack:
create (201, a secret made when none is sent, never sent back), get,
list (status filter, paging), update, delete (force=true, 501 without),
batch checked whole before the first write; the delivery target is
checked as the admin's form checks it (a private address is a 400 naming
delivery_url); a webhook created over the API delivers a placed order,
signed with the secret sent; a read key gets 401 on writes; shop B's key
never reaches shop A's webhooks."""
import base64
import hashlib
import hmac
import json

from souk_client import admin_login
from shop_setup import selling_shop
from wc_setup import Api, body, make_key, shop
from webhook_receiver import Receiver

import importlib
_hooks = importlib.import_module('test_wc-webhooks')

PUBLIC = 'http://192.0.2.10/hook'


def _api(stack, prefix, perm='read_write'):
    admin, tid, slug = shop(stack, prefix)
    ck, cs, _ = make_key(admin, perm)
    return Api(stack, slug, ck, cs), tid, admin, slug


def test_webhooks_crud(stack):
    api, tid, _, _ = _api(stack, 'wcwh')
    r = api.req('POST', 'webhooks', body={
        'name': 'ERP', 'topic': 'order.created', 'delivery_url': PUBLIC})
    assert r.status == 201, r.text
    h = body(r)
    hid = h['id']
    assert h['name'] == 'ERP' and h['status'] == 'active'
    assert h['topic'] == 'order.created'
    assert h['resource'] == 'order' and h['event'] == 'created'
    assert h['delivery_url'] == PUBLIC and h['hooks'] == []
    assert 'secret' not in h
    assert h['date_created_gmt'] and h['date_modified_gmt']
    sealed = stack.query(f"SELECT secret FROM s{tid}_wc_webhooks")[0][0]
    assert sealed.startswith('s1:')
    assert body(api.get(f'webhooks/{hid}')) == h

    # No name: WooCommerce's "Webhook created on ...".
    r = api.req('POST', 'webhooks', body={
        'topic': 'customer.created', 'delivery_url': PUBLIC,
        'status': 'paused', 'secret': 'abc'})
    assert r.status == 201, r.text
    h2 = body(r)
    assert h2['name'].startswith('Webhook created on ')
    assert h2['status'] == 'paused'

    r = api.get('webhooks')
    assert r.header('X-WP-Total') == '2'
    assert [x['id'] for x in body(r)] == [h2['id'], hid]
    assert [x['id'] for x in body(api.get('webhooks',
                                          {'status': 'paused'}))] == \
        [h2['id']]
    assert api.get('webhooks', {'status': 'gone'}).status == 400

    r = api.req('PUT', f'webhooks/{hid}', body={'status': 'paused',
                                                 'name': 'ERP 2'})
    assert r.status == 200, r.text
    assert body(r)['status'] == 'paused' and body(r)['name'] == 'ERP 2'
    assert body(r)['topic'] == 'order.created'
    # The secret stayed.
    assert stack.query(f"SELECT secret FROM s{tid}_wc_webhooks "
                       f"WHERE id = {hid}")[0][0] == sealed

    r = api.req('DELETE', f'webhooks/{hid}')
    assert r.status == 501
    assert body(r)['code'] == 'woocommerce_rest_trash_not_supported'
    r = api.req('DELETE', f'webhooks/{hid}', {'force': 'true'})
    assert r.status == 200 and body(r)['id'] == hid
    r = api.get(f'webhooks/{hid}')
    assert r.status == 404
    assert body(r)['code'] == 'woocommerce_rest_webhook_invalid_id'


def _bad(api, b, field, path='webhooks', method='POST'):
    r = api.req(method, path, body=b)
    assert r.status == 400, (b, r.status, r.text)
    assert field in body(r)['data']['params'], (b, r.text)


def test_webhooks_bad_bodies_and_batch(stack):
    api, tid, _, _ = _api(stack, 'wcwhb')
    _bad(api, {'topic': 'order.created'}, 'delivery_url')
    _bad(api, {'delivery_url': PUBLIC}, 'topic')
    _bad(api, {'topic': 'order.exploded', 'delivery_url': PUBLIC},
         'topic')
    _bad(api, {'topic': 'order.created', 'delivery_url': 'http://10.0.0.8/x'},
         'delivery_url')
    _bad(api, {'topic': 'order.created',
               'delivery_url': 'http://127.0.0.1:9/x'}, 'delivery_url')
    _bad(api, {'topic': 'order.created', 'delivery_url': 5},
         'delivery_url')
    _bad(api, {'topic': 'order.created', 'delivery_url': PUBLIC,
               'status': 'on'}, 'status')
    _bad(api, {'topic': 'order.created', 'delivery_url': PUBLIC,
               'name': 'n' * 201}, 'name')
    assert stack.query(f"SELECT COUNT(*) FROM s{tid}_wc_webhooks") == [['0']]

    a = body(api.req('POST', 'webhooks', body={
        'topic': 'order.updated', 'delivery_url': PUBLIC}))
    # One bad item: nothing written.
    r = api.req('POST', 'webhooks/batch', body={
        'create': [{'topic': 'order.created', 'delivery_url': PUBLIC},
                   {'topic': 'order.created',
                    'delivery_url': 'http://10.1.1.1/'}],
        'delete': [a['id']]})
    assert r.status == 400
    assert 'create[1][delivery_url]' in body(r)['data']['params']
    assert stack.query(f"SELECT COUNT(*) FROM s{tid}_wc_webhooks") == [['1']]
    r = api.req('POST', 'webhooks/batch', body={
        'create': [{'topic': 'order.created', 'delivery_url': PUBLIC,
                    'name': 'B1'}],
        'update': [{'id': a['id'], 'status': 'paused'},
                   {'id': 99999, 'status': 'paused'}],
        'delete': [77777]})
    assert r.status == 200, r.text
    o = body(r)
    assert o['create'][0]['name'] == 'B1'
    assert o['update'][0]['status'] == 'paused'
    assert o['update'][1]['error']['data']['status'] == 404
    assert o['delete'][0]['error']['code'] == \
        'woocommerce_rest_webhook_invalid_id'
    r = api.req('POST', 'webhooks/batch', body={'delete': [a['id']]})
    assert body(r)['delete'][0]['id'] == a['id']
    assert stack.query(f"SELECT name FROM s{tid}_wc_webhooks") == [['B1']]
    assert api.req('POST', 'webhooks/batch',
                   body={'create': [{}] * 101}).status == 413


def test_webhooks_keys_and_isolation(stack):
    api, tid, admin, slug = _api(stack, 'wcwhi')
    h = body(api.req('POST', 'webhooks', body={
        'topic': 'order.created', 'delivery_url': PUBLIC}))
    ck, cs, _ = make_key(admin, 'read')
    ro = Api(stack, slug, ck, cs)
    assert ro.get(f'webhooks/{h["id"]}').status == 200
    assert ro.req('POST', 'webhooks', body={
        'topic': 'order.created', 'delivery_url': PUBLIC}).status == 401
    assert ro.req('PUT', f'webhooks/{h["id"]}', body={}).status == 401
    assert ro.req('DELETE', f'webhooks/{h["id"]}',
                  {'force': 'true'}).status == 401
    other, _, _, _ = _api(stack, 'wcwhj')
    assert body(other.get('webhooks')) == []
    assert other.get(f'webhooks/{h["id"]}').status == 404
    assert other.req('PUT', f'webhooks/{h["id"]}',
                     body={'name': 'x'}).status == 404
    assert other.req('DELETE', f'webhooks/{h["id"]}',
                     {'force': 'true'}).status == 404
    assert stack.query(f"SELECT COUNT(*) FROM s{tid}_wc_webhooks") == [['1']]


def test_webhook_from_api_delivers(stack):
    slug, tid, pid = selling_shop(stack, 'wcwhd')
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    ck, cs, _ = make_key(admin, 'read_write')
    api = Api(stack, slug, ck, cs)
    rx = Receiver().start()
    try:
        with _hooks._Worker(stack):
            r = api.req('POST', 'webhooks', body={
                'name': 'API hook', 'topic': 'order.created',
                'delivery_url': PUBLIC, 'secret': 'api-secret'})
            assert r.status == 201, r.text
            hid = body(r)['id']
            stack.query(f"UPDATE s{tid}_wc_webhooks SET delivery_url = "
                        f"'{rx.url('/api')}' WHERE id = {hid}")
            number = _hooks._buy(stack, slug, pid)
            req = rx.wait(1, lambda q: q['path'] == '/api')[0]
            want = base64.b64encode(hmac.new(
                b'api-secret', req['body'], hashlib.sha256).digest()).decode()
            assert req['headers']['x-wc-webhook-signature'] == want
            assert req['headers']['x-wc-webhook-id'] == str(hid)
            assert json.loads(req['body'])['number'] == str(number)
    finally:
        rx.stop()
