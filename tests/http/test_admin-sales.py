"""The shop admin's selling pages over HTTP (web/admin_sales.c):
shipping zones and their methods, tax rates and tax settings, payment
methods, coupons. Each form saves what it should, and refuses bad input
(unknown countries, malformed bands, negative and huge amounts, bad
rates and dates, taken codes) with a 422 and the message beside the
field, writing nothing; another shop's ids are 404s, read or written."""
import html
import re

from souk_client import admin_login, signup

PW = 'correct horse battery'


def _shop(stack, prefix, currency='EUR', locale='en'):
    """A new shop and its logged-in admin: (client, tenant id)."""
    slug = stack.unique(prefix)
    email = f'{slug}@sales.test'
    signup(stack.port, slug, email, locale=locale, currency=currency)
    tid = int(stack.query(
        f"SELECT id FROM souk_tenants WHERE slug = '{slug}'")[0][0])
    return admin_login(stack.port, slug, email), tid


def _rows(stack, sql):
    return [tuple(r) for r in stack.query(sql)]


def _count(stack, tid, table, where='1'):
    return int(stack.query(
        f"SELECT COUNT(*) FROM s{tid}_{table} WHERE {where}")[0][0])


def _beside(r, field, message):
    """message is shown, and the form still holds field."""
    t = r.text
    assert r.status == 422, (r.status, t[:2000])
    assert html.escape(message, quote=True) in t, (message, t[:4000])
    assert f'name="{field}"' in t, field


def _zone(c, fields):
    return c.submit('/admin/shipping/new', '/admin/shipping', fields)


def test_zones_and_methods_are_saved_listed_and_deleted(stack):
    c, tid = _shop(stack, 'zones')
    r = _zone(c, {'name': 'Deutschland', 'countries': ['DE'],
                  'regions': '', 'postcodes': '', 'position': '0'})
    assert r.status == 303, r.text[:2000]
    zid = int(stack.query(
        f"SELECT id FROM s{tid}_ship_zones WHERE name = 'Deutschland'")[0][0])
    assert r.header('Location').startswith(f'/admin/shipping/{zid}')
    r = _zone(c, {'name': 'EU', 'countries': ['at', 'FR', 'NL'],
                  'regions': 'us:New York, US:CA', 'postcodes': '10* 2000',
                  'position': '1'})
    assert r.status == 303
    assert _rows(stack, f"SELECT countries, regions, postcodes FROM "
                       f"s{tid}_ship_zones WHERE name = 'EU'")[0] == \
        ('AT FR NL', 'US:New York, US:CA', '10* 2000')
    # Each kind of method.
    base = f'/admin/shipping/{zid}/methods'
    for f in ({'kind': 'flat', 'name': 'DHL Paket', 'cost': '4.90'},
              {'kind': 'free', 'name': 'Frei', 'min_total': '50'},
              {'kind': 'weight', 'name': 'Schwer',
               'bands': '1000:490 5000:990 *:1990'},
              {'kind': 'pickup', 'name': 'Abholung', 'cost': '0'}):
        f.setdefault('position', '0')
        f['enabled'] = '1'
        r = c.submit(base + '/new', base, f)
        assert r.status == 303, (f, r.status, r.text[:3000])
    rows = _rows(stack, f"SELECT kind, cost, min_total, bands FROM "
                       f"s{tid}_ship_methods WHERE zone_id = {zid} "
                       f"ORDER BY id")
    assert rows == [('flat', '490', '0', ''), ('free', '0', '5000', ''),
                    ('weight', '0', '0', '1000:490 5000:990 *:1990'),
                    ('pickup', '0', '0', '')], rows
    page = c.get('/admin/shipping')
    assert page.status == 200
    for text in ('Deutschland', 'DHL Paket', 'Germany', 'France',
                 'up to 5000 g: €9.90', 'heavier: €19.90'):
        assert text in page.text, text
    # Edit a method, then delete it; edit the zone.
    mid = int(stack.query(f"SELECT id FROM s{tid}_ship_methods WHERE "
                          f"name = 'DHL Paket'")[0][0])
    r = c.submit(f'{base}/{mid}', f'{base}/{mid}',
                 {'kind': 'flat', 'name': 'DHL', 'cost': '5,90',
                  'position': '3', 'enabled': '1'})
    assert r.status == 303
    assert _rows(stack, f"SELECT name, cost, position FROM "
                       f"s{tid}_ship_methods WHERE id = {mid}")[0] == \
        ('DHL', '590', '3')
    r = c.post(f'{base}/{mid}/delete', {'csrf': c.get(base + '/new').csrf()})
    assert r.status == 303 and _count(stack, tid, 'ship_methods',
                                      f'id = {mid}') == 0
    r = c.submit(f'/admin/shipping/{zid}', f'/admin/shipping/{zid}',
                 {'name': 'Germany', 'countries': ['DE', 'AT'],
                  'regions': '', 'postcodes': '', 'position': '0'})
    assert r.status == 303
    assert _rows(stack, f"SELECT name, countries FROM s{tid}_ship_zones "
                       f"WHERE id = {zid}")[0] == ('Germany', 'DE AT')
    # Deleting the zone takes its methods.
    r = c.post(f'/admin/shipping/{zid}/delete',
               {'csrf': c.get('/admin/shipping').csrf()})
    assert r.status == 303
    assert _count(stack, tid, 'ship_zones', f'id = {zid}') == 0
    assert _count(stack, tid, 'ship_methods', f'zone_id = {zid}') == 0


def test_bad_zones_and_methods_are_refused_beside_their_fields(stack):
    c, tid = _shop(stack, 'badzone')
    r = _zone(c, {'name': 'X', 'countries': ['XX'], 'position': '0'})
    _beside(r, 'countries', 'List country codes such as DE AT FR, or * '
            'for every country.')
    r = _zone(c, {'name': 'X', 'countries': ['DEU'], 'position': '0'})
    _beside(r, 'countries', 'Choose at most 60 countries from the list, '
            'or every country.')
    r = _zone(c, {'name': '', 'countries': [], 'position': '0'})
    _beside(r, 'name', 'Enter a name of at most 200 characters.')
    assert 'A zone covers at least one country or region.' in r.text
    r = _zone(c, {'name': 'X', 'countries': ['DE'], 'regions': 'CA',
                  'postcodes': '9...1', 'position': '-4'})
    _beside(r, 'regions', 'List regions as country code and region, such '
            'as US:CA US:NY.')
    assert 'List postcodes such as 10115' in r.text
    assert 'Enter a whole number from 0 to 1000000.' in r.text
    assert _count(stack, tid, 'ship_zones') == 0
    r = _zone(c, {'name': 'DE', 'countries': ['DE'], 'position': '0'})
    assert r.status == 303
    zid = int(stack.query(f"SELECT id FROM s{tid}_ship_zones")[0][0])
    base = f'/admin/shipping/{zid}/methods'
    bad = [
        ({'kind': 'weight', 'bands': '1000:490 500:300'}, 'bands',
         'Write bands as grams:cost in ascending weight'),
        ({'kind': 'weight', 'bands': '*:100 1000:490'}, 'bands',
         'Write bands as grams:cost in ascending weight'),
        ({'kind': 'weight', 'bands': 'heavy:lots'}, 'bands',
         'Write bands as grams:cost in ascending weight'),
        ({'kind': 'flat', 'cost': '-1'}, 'cost',
         'Enter an amount such as 4.90.'),
        ({'kind': 'flat', 'cost': '99999999999'}, 'cost',
         'Enter an amount of 0 or more, under ten million.'),
        ({'kind': 'flat', 'cost': '4.999'}, 'cost',
         'Enter an amount such as 4.90.'),
        ({'kind': 'free', 'min_total': 'lots'}, 'min_total',
         'Enter an amount such as 4.90.'),
        ({'kind': 'teleport'}, 'kind', 'Choose a kind of shipping.'),
    ]
    for f, field, msg in bad:
        f['position'] = '0'
        r = c.submit(base + '/new', base, f)
        _beside(r, field, msg)
    assert _count(stack, tid, 'ship_methods') == 0


def test_tax_rates_and_settings(stack):
    c, tid = _shop(stack, 'tax')
    new = '/admin/taxes/rates/new'
    for f in ({'tax_class': 'standard', 'country': 'DE', 'rate': '19',
               'name': 'MwSt.', 'shipping': '1'},
              {'tax_class': 'reduced', 'country': 'DE', 'rate': '7,0',
               'name': 'MwSt.'},
              {'tax_class': 'standard', 'country': 'US', 'region': 'CA',
               'postcodes': '90000...91999', 'rate': '9.5 %',
               'name': 'Sales tax'}):
        f['position'] = '0'
        r = c.submit(new, '/admin/taxes/rates', f)
        assert r.status == 303, (f, r.text[:3000])
    rows = _rows(stack, f"SELECT class, country, region, postcodes, rate, "
                       f"shipping FROM s{tid}_tax_rates ORDER BY id")
    assert rows == [('standard', 'DE', '', '', '190000', '1'),
                    ('reduced', 'DE', '', '', '70000', '0'),
                    ('standard', 'US', 'CA', '90000...91999', '95000',
                     '0')], rows
    page = c.get('/admin/taxes')
    assert 'Germany' in page.text and '9.5 %' in page.text
    rid = int(rows and stack.query(
        f"SELECT id FROM s{tid}_tax_rates WHERE rate = 95000")[0][0])
    r = c.submit(f'/admin/taxes/rates/{rid}', f'/admin/taxes/rates/{rid}',
                 {'tax_class': 'standard', 'country': 'US', 'region': 'CA',
                  'rate': '7.25', 'position': '0'})
    assert r.status == 303
    assert _rows(stack, f"SELECT rate, postcodes FROM s{tid}_tax_rates "
                       f"WHERE id = {rid}")[0] == ('72500', '')
    for f, field, msg in [
            ({'rate': '101'}, 'rate', 'Enter a rate from 0 to 100 %'),
            ({'rate': 'abc'}, 'rate', 'Enter a rate from 0 to 100 %'),
            ({'rate': '-5'}, 'rate', 'Enter a rate from 0 to 100 %'),
            ({'rate': '7.12345'}, 'rate', 'Enter a rate from 0 to 100 %'),
            ({'rate': '5', 'country': 'XX'}, 'country',
             'Choose a country from the list.'),
            ({'rate': '5', 'country': 'ÄÖ'}, 'country',
             'Choose a country from the list.'),
            ({'rate': '5', 'region': 'CA'}, 'region',
             'A region needs its country.'),
            ({'rate': '5', 'tax_class': 'luxury'}, 'tax_class',
             'Choose a tax class.')]:
        f.setdefault('tax_class', 'standard')
        f['position'] = '0'
        r = c.submit(new, '/admin/taxes/rates', f)
        _beside(r, field, msg)
    assert _count(stack, tid, 'tax_rates') == 3
    r = c.post(f'/admin/taxes/rates/{rid}/delete',
               {'csrf': page.csrf()})
    assert r.status == 303 and _count(stack, tid, 'tax_rates') == 2
    # The tax settings.
    r = c.submit('/admin/taxes', '/admin/taxes',
                 {'prices_include_tax': '0', 'tax_round_total': '1',
                  'country': 'US'})
    assert r.status == 303, r.text[:2000]
    got = dict(_rows(stack, f"SELECT name, COALESCE(num, text) FROM "
                           f"s{tid}_settings"))
    assert got['prices_include_tax'] == '0' and \
        got['tax_round_total'] == '1' and got['tax_shipping'] == '0' and \
        got['country'] == 'US', got
    r = c.submit('/admin/taxes', '/admin/taxes',
                 {'prices_include_tax': '1', 'tax_round_total': '0',
                  'country': 'ZZ'})
    _beside(r, 'country', 'Choose a country from the list.')
    r = c.submit('/admin/taxes', '/admin/taxes',
                 {'prices_include_tax': '2', 'tax_round_total': '0'})
    _beside(r, 'prices_include_tax', 'Choose yes or no.')
    got = dict(_rows(stack, f"SELECT name, COALESCE(num, text) FROM "
                           f"s{tid}_settings"))
    assert got['prices_include_tax'] == '0' and got['country'] == 'US'


def test_payment_methods(stack):
    c, tid = _shop(stack, 'pay')
    page = c.get('/admin/payments')
    assert page.status == 200 and 'name="pay_bacs" value="1" checked' in \
        page.text
    r = c.submit('/admin/payments', '/admin/payments',
                 {'pay_bacs': '1', 'bank_details': ''})
    _beside(r, 'bank_details', 'Enter the bank details shoppers pay into, '
            'or turn bank transfer off.')
    r = c.submit('/admin/payments', '/admin/payments',
                 {'pay_cod': '1', 'order_email': 'not an address'})
    _beside(r, 'order_email', 'Enter an e-mail address such as '
            'name@example.com.')
    r = c.submit('/admin/payments', '/admin/payments',
                 {'bank_details': 'x' * 2001, 'pay_bacs': '1'})
    _beside(r, 'bank_details', 'Bank details have at most 2000 characters.')
    assert _count(stack, tid, 'settings') == 0
    details = 'Surf GmbH\nIBAN DE89 3704 0044 0532 0130 00\nBIC COBADEFFXXX'
    r = c.submit('/admin/payments', '/admin/payments',
                 {'pay_bacs': '1', 'bank_details': details,
                  'pay_cheque': '1', 'cheque_payee': 'Surf GmbH',
                  'pay_cod': '1', 'order_email': 'Orders@Example.com',
                  'low_stock': '5'})
    assert r.status == 303, r.text[:2000]
    got = dict(_rows(stack, f"SELECT name, COALESCE(num, text) FROM "
                           f"s{tid}_settings"))
    assert got['pay_cod'] == '1' and got['pay_cheque'] == '1' and \
        got['bank_details'].replace('\\n', '\n') == details and \
        got['order_email'] == 'orders@example.com' and \
        got['low_stock'] == '5', got
    page = c.get('/admin/payments?saved=1')
    assert 'IBAN DE89' in page.text and 'Saved.' in page.text


def test_coupons(stack):
    c, tid = _shop(stack, 'cpn')
    r = c.submit('/admin/coupons/new', '/admin/coupons',
                 {'code': 'willkommen10', 'kind': 'percent', 'amount': '10',
                  'min_spend': '0', 'usage_limit': '0',
                  'per_customer': '1', 'active': '1'})
    assert r.status == 303, r.text[:3000]
    r = c.submit('/admin/coupons/new', '/admin/coupons',
                 {'code': 'FUENF', 'kind': 'fixed', 'amount': '5.00',
                  'min_spend': '25', 'expires_on': '2099-12-31',
                  'product_ids': '3, 17', 'usage_limit': '100',
                  'per_customer': '0', 'active': '1'})
    assert r.status == 303, r.text[:3000]
    rows = _rows(stack, f"SELECT code, kind, amount, min_spend, "
                       f"DATE(expires_at), product_ids, per_customer "
                       f"FROM s{tid}_coupons ORDER BY id")
    assert rows == [('WILLKOMMEN10', 'percent', '1000', '0', None, '', '1'),
                    ('FUENF', 'fixed', '500', '2500', '2099-12-31',
                     '3 17', '0')], rows
    page = c.get('/admin/coupons')
    assert 'WILLKOMMEN10' in page.text and '10 %' in page.text
    new = '/admin/coupons/new'
    base = {'min_spend': '0', 'usage_limit': '0', 'per_customer': '0'}
    for f, field, msg in [
            ({'code': 'A', 'kind': 'percent', 'amount': '0'}, 'amount',
             'Enter a percentage over 0 and at most 100'),
            ({'code': 'A', 'kind': 'percent', 'amount': '150'}, 'amount',
             'Enter a percentage over 0 and at most 100'),
            ({'code': 'A', 'kind': 'fixed', 'amount': '-5'}, 'amount',
             'Enter an amount over 0, under ten million.'),
            ({'code': 'A', 'kind': 'fixed', 'amount': '99999999999'},
             'amount', 'Enter an amount over 0, under ten million.'),
            ({'code': 'A', 'kind': 'fixed', 'amount': '1',
              'min_spend': '-1'}, 'min_spend',
             'Enter an amount such as 4.90.'),
            ({'code': 'A', 'kind': 'percent', 'amount': '5',
              'expires_on': '2026-02-30'}, 'expires_on',
             'Enter a date such as 2026-12-31, or nothing.'),
            ({'code': 'A', 'kind': 'percent', 'amount': '5',
              'usage_limit': '-1'}, 'usage_limit',
             'Enter a whole number of 0 (no limit) or more.'),
            ({'code': 'two words', 'kind': 'percent', 'amount': '5'},
             'code', 'A code has 1 to 40 letters, digits, - or _.'),
            ({'code': 'Grüße', 'kind': 'percent', 'amount': '5'},
             'code', 'A code has 1 to 40 letters, digits, - or _.'),
            ({'code': 'A', 'kind': 'percent', 'amount': '5',
              'product_ids': 'shirts'}, 'product_ids',
             'List product numbers separated by spaces'),
            ({'code': 'Willkommen10', 'kind': 'percent', 'amount': '5'},
             'code', 'Another coupon already has this code.')]:
        g = dict(base)
        g.update(f)
        r = c.submit(new, '/admin/coupons', g)
        _beside(r, field, msg)
    assert _count(stack, tid, 'coupons') == 2
    cid = int(stack.query(f"SELECT id FROM s{tid}_coupons WHERE "
                          f"code = 'FUENF'")[0][0])
    r = c.post(f'/admin/coupons/{cid}/active', {'csrf': page.csrf()})
    assert r.status == 303
    assert _rows(stack, f"SELECT active FROM s{tid}_coupons WHERE "
                       f"id = {cid}")[0][0] == '0'
    assert 'Off' in c.get('/admin/coupons').text
    r = c.submit(f'/admin/coupons/{cid}', f'/admin/coupons/{cid}',
                 {'code': 'FUENF', 'kind': 'free_shipping', 'amount': '',
                  'min_spend': '10', 'usage_limit': '0',
                  'per_customer': '0', 'active': '1'})
    assert r.status == 303, r.text[:2000]
    assert _rows(stack, f"SELECT kind, amount, active, expires_at FROM "
                       f"s{tid}_coupons WHERE id = {cid}")[0] == \
        ('free_shipping', '0', '1', None)


def test_another_shops_ids_are_not_found(stack):
    a, ta = _shop(stack, 'isoa')
    b, tb = _shop(stack, 'isob')
    r = _zone(a, {'name': 'A', 'countries': ['DE'], 'position': '0'})
    assert r.status == 303
    zid = int(stack.query(f"SELECT id FROM s{ta}_ship_zones")[0][0])
    r = a.submit(f'/admin/shipping/{zid}/methods/new',
                 f'/admin/shipping/{zid}/methods',
                 {'kind': 'flat', 'cost': '1', 'position': '0'})
    assert r.status == 303
    mid = int(stack.query(f"SELECT id FROM s{ta}_ship_methods")[0][0])
    r = a.submit('/admin/taxes/rates/new', '/admin/taxes/rates',
                 {'tax_class': 'standard', 'rate': '19', 'position': '0'})
    assert r.status == 303
    rid = int(stack.query(f"SELECT id FROM s{ta}_tax_rates")[0][0])
    r = a.submit('/admin/coupons/new', '/admin/coupons',
                 {'code': 'MINE', 'kind': 'percent', 'amount': '5',
                  'min_spend': '0', 'usage_limit': '0',
                  'per_customer': '0'})
    assert r.status == 303
    cid = int(stack.query(f"SELECT id FROM s{ta}_coupons")[0][0])
    for path in (f'/admin/shipping/{zid}',
                 f'/admin/shipping/{zid}/methods/new',
                 f'/admin/shipping/{zid}/methods/{mid}',
                 f'/admin/taxes/rates/{rid}', f'/admin/coupons/{cid}',
                 '/admin/shipping/0', '/admin/coupons/abc',
                 '/admin/taxes/rates/99999999999999999999'):
        assert b.get(path).status == 404, path
    token = b.get('/admin/coupons').csrf()
    for path, f in ((f'/admin/shipping/{zid}',
                     {'name': 'Mine', 'countries': ['FR'],
                      'position': '0'}),
                    (f'/admin/shipping/{zid}/delete', {}),
                    (f'/admin/shipping/{zid}/methods/{mid}/delete', {}),
                    (f'/admin/shipping/{zid}/methods',
                     {'kind': 'flat', 'cost': '1', 'position': '0'}),
                    (f'/admin/taxes/rates/{rid}',
                     {'tax_class': 'zero', 'rate': '0', 'position': '0'}),
                    (f'/admin/taxes/rates/{rid}/delete', {}),
                    (f'/admin/coupons/{cid}',
                     {'code': 'MINE', 'kind': 'percent', 'amount': '50',
                      'min_spend': '0', 'usage_limit': '0',
                      'per_customer': '0'}),
                    (f'/admin/coupons/{cid}/active', {})):
        f['csrf'] = token
        assert b.post(path, f).status == 404, path
    assert _rows(stack, f"SELECT name, countries FROM s{ta}_ship_zones")[0] \
        == ('A', 'DE')
    assert _count(stack, ta, 'ship_methods') == 1
    assert _count(stack, ta, 'tax_rates', 'rate = 190000') == 1
    assert _rows(stack, f"SELECT amount, active FROM s{ta}_coupons")[0] == \
        ('500', '0')
    assert _count(stack, tb, 'ship_methods') == 0
    # Without the session's token nothing is written either.
    r = a.post(f'/admin/coupons/{cid}/active', {'csrf': token})
    assert r.status == 403


def _settings_form(page, currency):
    """The shop settings form as the page has it, with currency."""
    t = page.text
    name = re.search(r'name="name" value="([^"]*)"', t).group(1)
    return {'csrf': page.csrf(), 'name': html.unescape(name),
            'color_primary': '#1e6be3', 'color_accent': '#ad5a47',
            'locales': ['en'], 'default_locale': 'en',
            'currency': currency}


def test_base_currency_is_kept_once_the_shop_has_an_order(stack):
    c, tid = _shop(stack, 'curr')
    r = _zone(c, {'name': 'DE', 'countries': ['DE'], 'position': '0'})
    zid = int(stack.query(f"SELECT id FROM s{tid}_ship_zones")[0][0])
    c.submit(f'/admin/shipping/{zid}/methods/new',
             f'/admin/shipping/{zid}/methods',
             {'kind': 'flat', 'cost': '4.90', 'position': '0'})
    # No order yet: the currency changes, shipping costs with it.
    r = c.post('/admin/settings',
               _settings_form(c.get('/admin/settings'), 'JPY'))
    assert r.status == 303, r.text[:2000]
    assert _rows(stack, f"SELECT cost FROM s{tid}_ship_methods") == [('5',)]
    stack.query(
        f"INSERT INTO s{tid}_orders (number, status, email, locale, "
        f"idem_key, access_key, currency, prices_include_tax, subtotal, "
        f"discount, shipping, shipping_tax, tax, total, display_currency, "
        f"fx_rate, display_total, payment_method) VALUES (1001, "
        f"'on-hold', 'a@example.com', 'en', REPEAT('a', 32), "
        f"REPEAT('b', 32), 'JPY', 1, 1000, 0, 0, 0, 0, 1000, 'JPY', "
        f"100000000, 1000, 'bacs')")
    r = c.post('/admin/settings',
               _settings_form(c.get('/admin/settings'), 'EUR'))
    assert r.status == 409, r.status
    msg = html.escape('The shop has orders: its currency cannot change, '
                      'or their amounts would no longer add up.', quote=True)
    # Beside the currency menu.
    assert re.search(r'name="currency".*?</select></label>\s*'
                     r'<p class="ferr">' + re.escape(msg), r.text, re.S), \
        r.text[:5000]
    assert stack.query(f"SELECT currency FROM souk_tenants WHERE "
                       f"id = {tid}")[0][0] == 'JPY'
    assert _rows(stack, f"SELECT cost FROM s{tid}_ship_methods") == [('5',)]


def test_shop_time_zone_sets_the_dashboard_day_and_order_times(stack):
    """A Japanese shop starts on Tokyo's clock; the merchant can pick
    another zone from the list (an unknown one is refused beside its
    menu); an order's time is shown on the shop's clock, with its zone,
    and the dashboard's "today" is the shop's day."""
    c, tid = _shop(stack, 'tz', currency='JPY', locale='ja')
    assert stack.query(f"SELECT time_zone FROM souk_tenants WHERE "
                       f"id = {tid}") == [['Asia/Tokyo']]
    page = c.get('/admin/settings')
    assert '<option selected>Asia/Tokyo</option>' in page.text
    assert '<option>Europe/Berlin</option>' in page.text
    form = dict(_settings_form(page, 'JPY'), locales=['ja'],
                default_locale='ja')
    r = c.post('/admin/settings', dict(form, time_zone='Mars/Olympus'))
    assert r.status == 422, r.status
    assert '一覧からタイムゾーンを選んでください。' in r.text
    for bad in ('Europe/Berlín', 'x' * 65, "UTC'; --"):
        r = c.post('/admin/settings', dict(form, time_zone=bad))
        assert r.status == 422, (bad, r.status)
    assert stack.query(f"SELECT time_zone FROM souk_tenants WHERE "
                       f"id = {tid}") == [['Asia/Tokyo']]
    # An order placed at 23:30 UTC the day before the UTC date is 08:30
    # of the UTC date in Tokyo: shown so, and today's there when Tokyo's
    # date is that one.
    stack.query(
        f"INSERT INTO s{tid}_orders (number, status, email, locale, "
        f"idem_key, access_key, currency, prices_include_tax, subtotal, "
        f"discount, shipping, shipping_tax, tax, total, display_currency, "
        f"fx_rate, display_total, payment_method, created_at) VALUES "
        f"(1001, 'on-hold', 'a@example.com', 'ja', REPEAT('a', 32), "
        f"REPEAT('b', 32), 'JPY', 1, 1000, 0, 0, 0, 0, 1000, 'JPY', "
        f"100000000, 1000, 'bacs', CAST(UTC_DATE() AS DATETIME)"
        f" - INTERVAL 30 MINUTE)")
    oid = 1001
    utc_day, tokyo_day = stack.query(
        "SELECT UTC_DATE(), DATE(UTC_TIMESTAMP() + INTERVAL 9 HOUR)")[0]
    r = c.get(f'/admin/orders/{oid}')
    assert r.status == 200, r.status
    assert f'{utc_day} 08:30（Asia/Tokyo）' in r.text, r.text[:3000]
    dash = c.get('/admin')
    today = re.search(r'<div class="stat card"><span class="label">[^<]*'
                      r'</span><span class="big">(\d+)</span>', dash.text)
    assert today, dash.text[:3000]
    assert today.group(1) == ('1' if tokyo_day == utc_day else '0'), \
        (today.group(1), utc_day, tokyo_day)
    # Berlin: the same order is 00:30 of the UTC day there (CET) or
    # 01:30 (CEST).
    r = c.post('/admin/settings', dict(form, time_zone='Europe/Berlin'))
    assert r.status == 303, (r.status, r.text[:2000])
    assert stack.query(f"SELECT time_zone FROM souk_tenants WHERE "
                       f"id = {tid}") == [['Europe/Berlin']]
    r = c.get(f'/admin/orders/{oid}')
    assert re.search(re.escape(utc_day) + r' 0[01]:30（Europe/Berlin）',
                     r.text), r.text[:3000]
