"""/wp-json/wc/v3/reports, reports/sales, top_sellers, the totals and
system_status
(web/wc_reports.c) over the whole stack: a shop sells through the real
checkout, the merchant marks two orders paid and refunds a loaf of one,
a third order stays unpaid; reports/sales then gives the figures the
test works out from the orders and the books (total_sales, net_sales,
total_orders, total_items, total_tax, total_shipping, total_refunds,
the day's totals); shop B's report shows nothing of shop A's; bad
periods and dates are 400s; system_status has souk's settings."""
import datetime
import importlib
import re

from souk_client import admin_login
from shop_setup import selling_shop
from wc_setup import Api, body, make_key

_rep = importlib.import_module('test_reports')


def _dec(s):
    assert re.fullmatch(r'-?\d+\.\d\d', s), s
    neg = s.startswith('-')
    a, b = s.lstrip('-').split('.')
    v = int(a) * 100 + int(b)
    return -v if neg else v


def _shop(stack, prefix):
    slug, tid, loaf = selling_shop(stack, prefix, stock=50)
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    ck, cs, _ = make_key(admin, 'read')
    return slug, tid, loaf, admin, Api(stack, slug, ck, cs)


def _ledger(stack, tid, account):
    return int(stack.query(
        f"SELECT COALESCE(SUM(credit - debit), 0) FROM s{tid}_ledger"
        f" WHERE account = {account}")[0][0])


def test_reports_sales(stack):
    slug, tid, loaf, admin, api = _shop(stack, 'wcrep')
    b_slug, b_tid, b_loaf, b_admin, b_api = _shop(stack, 'wcrepb')
    n1 = _rep._buy(stack, slug, {loaf: 3})
    n2 = _rep._buy(stack, slug, {loaf: 1})
    n3 = _rep._buy(stack, slug, {loaf: 5})      # never paid
    for n in (n1, n2):
        assert _rep._act(admin, n, 'paid').status == 303
    lines = _rep._line_ids(stack, tid, n1)
    r = _rep._act(admin, n1, 'refund', {f'qty_{lines[loaf]}': '1',
                                        'refund_reason': 'Stale'})
    assert r.status == 303, (r.status, r.text[:2000])
    assert n3

    paid = sum(int(x[0]) for x in stack.query(
        f"SELECT total FROM s{tid}_orders WHERE paid_at IS NOT NULL"))
    refunded = int(stack.query(
        f"SELECT SUM(amount) FROM s{tid}_refunds WHERE status = "
        f"'succeeded'")[0][0])
    tax = _ledger(stack, tid, 2200)
    shipping = _ledger(stack, tid, 4100)
    gross = _ledger(stack, tid, 4000)
    refunds_net = -_ledger(stack, tid, 4020)
    today = datetime.datetime.now(datetime.timezone.utc).date()

    for params in ({'date_min': str(today), 'date_max': str(today)},
                   {}, {'period': 'week'}, {'period': 'month'}):
        r = api.get('reports/sales', params)
        assert r.status == 200, (params, r.text)
        o = body(r)[0]
        assert o['total_orders'] == 2, (params, o)
        assert o['total_items'] == 4
        assert _dec(o['total_sales']) == paid - refunded
        assert _dec(o['net_sales']) == gross - refunds_net
        assert _dec(o['total_tax']) == tax
        assert _dec(o['total_shipping']) == shipping > 0
        assert round(o['total_refunds'] * 100) == refunded
        assert o['total_discount'] == 0
        assert o['totals_grouped_by'] == 'day'
        day = o['totals'][str(today)]
        assert day['orders'] == 2
        assert _dec(day['sales']) == paid - refunded
        assert _dec(day['tax']) == tax
    r = api.get('reports/sales', {'period': 'week'})
    assert len(body(r)[0]['totals']) == 7
    r = api.get('reports/sales', {'period': 'year'})
    o = body(r)[0]
    assert o['totals_grouped_by'] == 'month'
    assert o['totals'][str(today)[:7]]['orders'] == 2

    # Shop B sold nothing.
    o = body(b_api.get('reports/sales'))[0]
    assert o['total_orders'] == 0 and o['total_sales'] == '0.00'

    for bad in ({'period': 'decade'}, {'date_min': '2026-13-01',
                                       'date_max': '2026-12-01'},
                {'date_min': '2026-01-01'},
                {'date_min': '2026-02-01', 'date_max': '2026-01-01'}):
        r = api.get('reports/sales', bad)
        assert r.status == 400, (bad, r.text)
        assert body(r)['code'] == 'rest_invalid_param'

    r = api.get('reports')
    assert r.status == 200
    assert [x['slug'] for x in body(r)] == [
        'sales', 'orders/totals', 'products/totals', 'customers/totals',
        'top_sellers', 'coupons/totals', 'reviews/totals']

    # Top sellers: the loaf's units of the paid orders (3 + 1), by the
    # same periods as the sales; shop B has none.
    for params in ({}, {'period': 'week'},
                   {'date_min': str(today), 'date_max': str(today)}):
        r = api.get('reports/top_sellers', params)
        assert r.status == 200, r.text
        assert body(r) == [{'name': body(api.get(f'products/{loaf}'))[
            'name'], 'product_id': loaf, 'quantity': 4}], body(r)
    assert body(b_api.get('reports/top_sellers')) == []
    assert api.get('reports/top_sellers', {'period': 'decade'}).status \
        == 400
    # Coupons by the API's discount_type; reviews: souk keeps none.
    want = stack.query(f"SELECT COALESCE(SUM(kind = 'percent'), 0), "
                       f"COALESCE(SUM(kind <> 'percent'), 0) "
                       f"FROM s{tid}_coupons")[0]
    t = {x['slug']: x['total']
         for x in body(api.get('reports/coupons/totals'))}
    assert t == {'percent': int(want[0]), 'fixed_cart': int(want[1]),
                 'fixed_product': 0}, t
    t = body(api.get('reports/reviews/totals'))
    assert [x['slug'] for x in t] == [f'rated_{i}_out_of_5'
                                      for i in range(1, 6)]
    assert [x['total'] for x in t] == [0] * 5
    assert t[0]['name'] == 'Rated 1 out of 5'

    # Totals: two paid orders processing, the unpaid one on hold.
    want = {k: int(v) for k, v in stack.query(
        f"SELECT status, COUNT(*) FROM s{tid}_orders GROUP BY status")}
    t = {x['slug']: x['total'] for x in body(api.get('reports/orders/totals'))}
    assert t['processing'] == want.get('processing', 0) == 2, t
    assert t['on-hold'] == want.get('on-hold', 0) == 1, t
    assert t['refunded'] == 0 and t['failed'] == 0 and t['pending'] == 0
    assert list(t) == ['pending', 'processing', 'on-hold', 'completed',
                       'cancelled', 'refunded', 'failed']
    t = {x['slug']: x['total']
         for x in body(api.get('reports/products/totals'))}
    assert t == {'external': 0, 'grouped': 0, 'simple': 1, 'variable': 0}
    t = {x['slug']: x['total']
         for x in body(api.get('reports/customers/totals'))}
    n_acc = int(stack.query(f"SELECT COUNT(*) FROM s{tid}_customers "
                            f"WHERE email IS NOT NULL")[0][0])
    assert t['paying'] + t['non_paying'] == n_acc
    t = {x['slug']: x['total']
         for x in body(b_api.get('reports/orders/totals'))}
    assert sum(t.values()) == 0


def test_system_status(stack):
    slug, tid, loaf, admin, api = _shop(stack, 'wcsys')
    r = api.get('system_status')
    assert r.status == 200, r.text
    o = body(r)
    env = o['environment']
    assert env['home_url'] == f'http://{slug}.localhost:{stack.port}/'
    assert env['mysql_version_string'] and \
        re.match(r'\d+\.\d+', env['mysql_version'])
    assert 'nginx' in env['server_info']
    assert env['default_timezone']
    assert env['max_upload_size'] > 0
    assert env['wp_version'] == '' and env['php_version'] == ''
    db = o['database']
    assert db['database_prefix'] == f's{tid}_'
    assert int(db['wc_database_version']) >= 14
    s = o['settings']
    assert s['currency'] == 'EUR'
    assert s['currency_symbol'] == '€'
    assert s['currency_position'] == 'left'
    assert s['thousand_separator'] == ','
    assert s['decimal_separator'] == '.'
    assert s['number_of_decimals'] == 2
    assert o['active_plugins'] == [] and o['theme']['name'] == 'default'
    assert o['security']['secure_connection'] is False
