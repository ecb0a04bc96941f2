"""The merchant's orders over the whole stack (issue 9, items 6 and 7):
the dashboard as the admin's first page, the orders list with its
filters, the order page and its actions (mark paid, ship with tracking,
complete, cancel, notes), the guest's order page by its access key with
the tracking link, the shopper's cancel, another shop's staff getting
404 for a number, and bad input on every form.

Most orders are inserted with SQL through the test database's socket,
as a checkout leaves them, to reach every state at once; the last test
places them through the checkout's pages (web/cart.c)."""
import re
import secrets

from souk_client import Client, admin_login, mailbox
from shop_setup import selling_shop, shopper
from wait import wait_until

PW = 'souk-demo-password'
SHOPPER_PW = 'correct horse battery'


def _q(stack, sql):
    return stack.db.query(sql, db=stack.db_name)


def _demo_shop(stack, prefix='ord'):
    """A German bakery demo shop, its id and its logged-in owner."""
    slug = stack.unique(prefix)
    email = f'owner@{slug}.example'
    stack.create_shop(slug, 'Bäckerei Müller', email, PW, 'de', 'EUR')
    stack.soukctl('demo', 'load', '--slug', slug, '--kind', 'bakery')
    tid = int(_q(stack, f"SELECT id FROM souk_tenants WHERE slug = '{slug}'")
              [0][0])
    return slug, tid, admin_login(stack.port, slug, email, PW)


def _product(stack, tid):
    """A product of the shop without variants: (id, stock)."""
    row = _q(stack, f'SELECT p.id, p.stock FROM s{tid}_products p WHERE NOT'
                    f' EXISTS (SELECT 1 FROM s{tid}_variants v WHERE'
                    f' v.product_id = p.id) ORDER BY p.id LIMIT 1')[0]
    return int(row[0]), int(row[1])


def _stock(stack, tid, pid):
    return int(_q(stack, f'SELECT stock FROM s{tid}_products WHERE id = {pid}')
               [0][0])


def _email(tid):
    return f'kaethe.{tid}@example.com'


def _mail_with(to, text):
    """The text of the first mail to address to that holds text, polled
    for until it comes."""
    def find():
        for _, msg in mailbox():
            if msg['To'] == to:
                body = msg.get_body(('plain',)).get_content()
                if text in body:
                    return body
        return None
    return wait_until(find, 20, f'a mail to {to} with {text}')


def _order(stack, tid, number, status='on-hold', qty=2, name='Käthe Kruse'):
    """Order number of 2 units of the shop's product, as placed; its
    access key."""
    pid, _ = _product(stack, tid)
    key = secrets.token_hex(16)
    _q(stack, f"""INSERT INTO s{tid}_orders (number, status, email, locale,
        idem_key, access_key, currency, prices_include_tax, subtotal,
        discount, shipping, shipping_tax, tax, total, display_currency,
        fx_rate, display_total, payment_method, ship_kind, ship_method,
        bill_name, ship_name, ship_line1, ship_city, ship_postcode,
        ship_country, created_at)
        VALUES ({number}, '{status}', '{_email(tid)}', 'de',
        '{secrets.token_hex(16)}', '{key}', 'EUR', 1, 700, 0, 490, 78, 190,
        1190, 'EUR', 100000000, 1190, 'bacs', 'flat', 'DHL Paket', '{name}',
        '{name}', 'Heidestraße 17', 'Köln', '50667', 'DE', UTC_TIMESTAMP())""")
    oid = _q(stack, f'SELECT id FROM s{tid}_orders WHERE number = {number}'
                    )[0][0]
    _q(stack, f"""INSERT INTO s{tid}_order_lines (order_id, product_id,
        variant_id, name, qty, unit_price, tax_class, tax_rate, subtotal,
        discount, tax, total) VALUES ({oid}, {pid}, 0, 'Roggenbrot', {qty},
        350, 'reduced', 70000, 700, 0, 46, 700)""")
    _q(stack, f"""INSERT INTO s{tid}_order_events (order_id, actor, kind,
        to_status, note) VALUES ({oid}, 'shopper', 'status', '{status}',
        '')""")
    return key


def _status(stack, tid, number):
    return _q(stack, f'SELECT status FROM s{tid}_orders WHERE number ='
                     f' {number}')[0][0]


def _act(admin, number, action, fields=None):
    page = admin.get(f'/admin/orders/{number}')
    assert page.status == 200, page.status
    f = dict(fields or {})
    f['csrf'] = page.csrf()
    return admin.post(f'/admin/orders/{number}/{action}', f)


def test_admin_orders_merchant_runs_an_order(stack):
    slug, tid, admin = _demo_shop(stack)
    pid, stock0 = _product(stack, tid)
    key = _order(stack, tid, 1001)
    _order(stack, tid, 1002, name='Jürgen Weiß')

    # The admin's first page is the dashboard, the login lands there.
    r = admin.get('/admin')
    assert r.status == 200 and 'stats' in r.text, r.status
    assert '/admin/orders/1002' in r.text
    assert re.search(r'status=on-hold"><span class="label">[^<]+</span>'
                     r'<span class="big">2<', r.text), r.text
    assert 'href="/admin/orders"' in r.text      # in the nav

    # The list, newest first, filtered and searched.
    r = admin.get('/admin/orders')
    assert r.status == 200
    assert r.text.index('#1002') < r.text.index('#1001')
    r = admin.get('/admin/orders?q=wei%C3%9F')
    assert '#1002' in r.text and '#1001' not in r.text
    r = admin.get('/admin/orders?q=1001')
    assert '#1001' in r.text and '#1002' not in r.text
    r = admin.get('/admin/orders?status=shipped')
    assert r.status == 200 and '#100' not in r.text

    # The order page: lines, totals, address with its country's name.
    r = admin.get('/admin/orders/1001')
    assert r.status == 200
    for text in ('Roggenbrot', 'Heidestraße 17', 'Deutschland', '11,90',
                 'DHL Paket', 'action="/admin/orders/1001/paid"'):
        assert text in r.text, text
    assert '/admin/orders/1001/ship' not in r.text   # not before paid

    # Mark paid; a second click changes nothing and says so.
    r = _act(admin, 1001, 'paid')
    assert r.status == 303 and r.header('Location').endswith(
        '/admin/orders/1001?done=paid'), r.header('Location')
    assert _status(stack, tid, 1001) == 'processing'
    r = _act(admin, 1001, 'paid')
    assert r.status == 303 and r.header('Location').endswith('done=same')
    assert 'class="flash"' in admin.get('/admin/orders/1001?done=same').text
    events = _q(stack, f'SELECT actor, actor_email, to_status FROM'
                       f' s{tid}_order_events e JOIN s{tid}_orders o ON'
                       f' o.id = e.order_id WHERE o.number = 1001'
                       f' ORDER BY e.id')
    assert events[-1] == ['staff', f'owner@{slug}.example', 'processing']
    assert len(events) == 2

    # The guest sees no tracking before it ships.
    guest = Client(stack.port, f'{slug}.localhost')
    r = guest.get(f'/order/1001?key={key}')
    assert r.status == 200 and 'Roggenbrot' in r.text
    assert 'no-store' in (r.header('Cache-Control') or '')
    assert 'tracking' not in r.text

    # Ship with a link that is not http(s): refused beside the field.
    r = _act(admin, 1001, 'ship', {'carrier': 'DHL',
                                   'tracking_number': '00340434',
                                   'tracking_url': 'javascript:alert(1)'})
    assert r.status == 422
    assert re.search(r'name="tracking_url"[^>]*></label>\s*<p class="ferr">', r.text)
    assert 'value="javascript:alert(1)"' in r.text
    assert _status(stack, tid, 1001) == 'processing'
    r = _act(admin, 1001, 'ship', {
        'carrier': 'DHL', 'tracking_number': '00340434',
        'tracking_url': 'https://www.dhl.de/de/privatkunden.html?piececode=00340434'})
    assert r.status == 303
    assert _status(stack, tid, 1001) == 'shipped'

    # The shopper's mail of the shipping (souk-worker, the SMTP
    # stand-in) carries the tracking link; the one of the payment the
    # link to the order's page.
    _mail_with(_email(tid), 'piececode=00340434')
    body = _mail_with(_email(tid), f'/order/1001?key={key}')
    assert re.search(r'https?://[^/\s]+/order/1001\?key=' + key, body)

    # The guest sees the tracking link now; not cached.
    r = guest.get(f'/order/1001?key={key}')
    assert r.status == 200
    assert ('href="https://www.dhl.de/de/privatkunden.html?piececode='
            '00340434"') in r.text
    assert 'no-store' in (r.header('Cache-Control') or '')
    assert '/order/1001/cancel' not in r.text   # shipped: no cancel

    # Notes: one to the shopper, one private.
    r = _act(admin, 1001, 'note', {'note': 'Das Brot ist unterwegs.'})
    assert r.status == 303
    r = _act(admin, 1001, 'note', {'note': 'Kundin ruft oft an.',
                                   'private': '1'})
    assert r.status == 303
    r = guest.get(f'/order/1001?key={key}')
    assert 'Das Brot ist unterwegs.' in r.text
    assert 'Kundin ruft oft an.' not in r.text
    r = admin.get('/admin/orders/1001')
    assert 'Das Brot ist unterwegs.' in r.text
    assert 'Kundin ruft oft an.' in r.text

    # Complete; a shipped or completed order cannot be cancelled.
    r = _act(admin, 1001, 'complete')
    assert r.status == 303 and _status(stack, tid, 1001) == 'completed'
    page = admin.get('/admin/orders/1001')
    r = admin.post('/admin/orders/1001/cancel', {'csrf': page.csrf()})
    assert r.status == 409 and _status(stack, tid, 1001) == 'completed'
    assert _stock(stack, tid, pid) == stock0

    # The merchant cancels 1002: its stock comes back, once.
    r = _act(admin, 1002, 'cancel', {'reason': 'Kundin hat angerufen.'})
    assert r.status == 303 and _status(stack, tid, 1002) == 'cancelled'
    assert _stock(stack, tid, pid) == stock0 + 2
    r = _act(admin, 1002, 'cancel')
    assert r.status == 303 and r.header('Location').endswith('done=same')
    assert _stock(stack, tid, pid) == stock0 + 2
    assert 'Kundin hat angerufen.' in admin.get('/admin/orders/1002').text

    # The dashboard counts what is left: nothing waits.
    r = admin.get('/admin')
    assert re.search(r'status=on-hold"><span class="label">[^<]+</span>'
                     r'<span class="big">0<', r.text)


def test_admin_orders_guest_page_and_cancel(stack):
    slug, tid, admin = _demo_shop(stack)
    pid, stock0 = _product(stack, tid)
    key = _order(stack, tid, 1001)
    other = _order(stack, tid, 1002, status='processing')
    guest = Client(stack.port, f'{slug}.localhost')

    # A wrong, short, missing or another order's key: the same 404.
    for path in (f'/order/1001?key={secrets.token_hex(16)}',
                 '/order/1001?key=abc', '/order/1001',
                 f'/order/1001?key={other}', f'/order/1003?key={key}',
                 f'/order/1001?key={key.upper()}'):
        r = guest.get(path)
        assert r.status == 404, (path, r.status)
        assert 'Roggenbrot' not in r.text
        assert 'no-store' in (r.header('Cache-Control') or '')

    # The shopper cancels while on hold; the stock comes back.
    page = guest.get(f'/order/1001?key={key}')
    assert page.status == 200 and '/order/1001/cancel' in page.text
    r = guest.post('/order/1001/cancel', {'csrf': page.csrf(), 'key': key})
    assert r.status == 303, r.status
    assert _status(stack, tid, 1001) == 'cancelled'
    assert _stock(stack, tid, pid) == stock0 + 2
    r = guest.get(r.header('Location').split('localhost', 1)[-1])
    assert r.status == 200 and 'class="flash"' in r.text
    ev = _q(stack, f"SELECT actor, COALESCE(staff_id, 0) FROM"
                   f" s{tid}_order_events WHERE to_status = 'cancelled'")
    assert ev == [['shopper', '0']]

    # Paid orders are the merchant's to cancel: no button, and a POST
    # is refused.
    page = guest.get(f'/order/1002?key={other}')
    assert page.status == 200 and '/order/1002/cancel' not in page.text
    csrf = guest.jars[f'{slug}.localhost']['souk_csrf']
    r = guest.post('/order/1002/cancel', {'csrf': csrf, 'key': other})
    assert r.status == 409 and _status(stack, tid, 1002) == 'processing'
    # A wrong key or no CSRF token cancels nothing.
    r = guest.post('/order/1002/cancel', {'csrf': csrf, 'key': key})
    assert r.status == 404
    r = guest.post('/order/1002/cancel', {'key': other})
    assert r.status == 403
    # The account pages need a signed-in shopper.
    r = guest.get('/account/orders')
    assert r.status in (302, 303) and 'no-store' in (
        r.header('Cache-Control') or '')


def test_admin_orders_other_shop_gets_404(stack):
    _, tid_a, admin_a = _demo_shop(stack, 'orda')
    _, tid_b, admin_b = _demo_shop(stack, 'ordb')
    _order(stack, tid_a, 1001)
    _order(stack, tid_a, 1002)
    _order(stack, tid_b, 1001, name='Bea Beta')
    csrf = admin_b.get('/admin/orders').csrf()

    # B's 1002 does not exist, whatever A has; B's 1001 is B's own.
    assert admin_b.get('/admin/orders/1002').status == 404
    for action in ('paid', 'ship', 'complete', 'cancel', 'note'):
        r = admin_b.post(f'/admin/orders/1002/{action}',
                         {'csrf': csrf, 'note': 'x'})
        assert r.status == 404, (action, r.status)
    assert _status(stack, tid_a, 1002) == 'on-hold'
    r = admin_b.get('/admin/orders/1001')
    assert 'Bea Beta' in r.text and 'Käthe' not in r.text
    assert 'Käthe' not in admin_b.get('/admin/orders').text
    assert 'Käthe' not in admin_b.get('/admin/orders?q=k%C3%A4the').text
    # The packing slip too: B's 1002 is nothing, B's 1001 is Bea's.
    assert admin_b.get('/admin/orders/1002/packing-slip').status == 404
    assert 'Bea Beta' in admin_b.get('/admin/orders/1001/packing-slip').text
    # A's session cookie is nothing on B.
    token = admin_a.jars[admin_a.host]['souk_admin']
    stranger = Client(stack.port, admin_b.host)
    r = stranger.get('/admin/orders/1001',
                     raw_cookies=f'souk_admin={token}')
    assert r.status == 302


def test_admin_orders_packing_slip(stack):
    """The slip for the parcel: the shop, the number, the address and
    each line with its quantity, no price; linked from the order; staff
    only; a cancelled order's slip says not to ship it."""
    slug, tid, admin = _demo_shop(stack, 'slip')
    _order(stack, tid, 1001, qty=3, name='Jürgen Weiß')
    _order(stack, tid, 1002, status='cancelled')
    page = admin.get('/admin/orders/1001')
    assert '/admin/orders/1001/packing-slip' in page.text
    r = admin.get('/admin/orders/1001/packing-slip')
    assert r.status == 200, r.status
    assert r.header('Cache-Control') == 'no-store'
    t = r.text
    assert 'Lieferschein' in t and '#1001' in t and 'Bäckerei Müller' in t
    assert 'Jürgen Weiß' in t and 'Heidestraße 17' in t and '50667' in t
    assert 'Deutschland' in t and 'DHL Paket' in t
    row = re.search(r'<td>Roggenbrot</td>.*?</tr>', t, re.S).group(0)
    assert '<strong>3</strong>' in row
    assert '€' not in t and '3,50' not in t and '11,90' not in t
    assert 'nicht versenden' not in t
    assert 'nicht versenden' in admin.get(
        '/admin/orders/1002/packing-slip').text
    assert admin.get('/admin/orders/1003/packing-slip').status == 404
    assert admin.get('/admin/orders/x/packing-slip').status in (400, 404)
    anon = Client(stack.port, f'{slug}.localhost')
    r = anon.get('/admin/orders/1001/packing-slip')
    assert r.status == 302 and 'Jürgen' not in r.text


def test_admin_orders_invoice(stack):
    """Marking an order paid issues its invoice, numbered from 1 without
    gaps; the merchant, the guest by the order's key and the "payment
    received" mail reach it; the figures add up (7 % VAT included, the
    shipping's tax on its own row); none before payment, none by a
    wrong key or from another shop."""
    slug, tid, admin = _demo_shop(stack, 'inv')
    key = _order(stack, tid, 1001)
    _order(stack, tid, 1002)
    # Figures as quote_totals.c makes them: 2 x 3,50 with 7 % in, 4,90
    # shipping whose tax follows the goods' rate.
    _q(stack, f'UPDATE s{tid}_orders SET shipping_tax = 32, tax = 78,'
              f' total = 1190 WHERE number = 1001')
    guest = Client(stack.port, f'{slug}.localhost')
    assert admin.get('/admin/orders/1001/invoice').status == 404
    assert guest.get(f'/order/1001/invoice?key={key}').status == 404
    assert '/invoice' not in admin.get('/admin/orders/1001').text

    # The seller's legal details, from the taxes page (too long: refused
    # with its message, nothing saved).
    taxes = {'prices_include_tax': '1', 'tax_round_total': '0',
             'tax_shipping': '1', 'country': 'DE',
             'legal_details': 'x' * 2001}
    r = admin.post('/admin/taxes', dict(taxes,
                   csrf=admin.get('/admin/taxes').csrf()))
    assert r.status == 422 and 'höchstens 2000 Zeichen' in r.text, r.status
    taxes['legal_details'] = ('Bäckerei Müller GmbH\nHauptstraße 1, 50667 '
                              'Köln\nUSt-IdNr. DE123456789')
    r = admin.post('/admin/taxes', dict(taxes,
                   csrf=admin.get('/admin/taxes').csrf()))
    assert r.status == 303, r.status

    assert _act(admin, 1001, 'paid').status == 303
    assert '/admin/orders/1001/invoice' in admin.get(
        '/admin/orders/1001').text
    r = admin.get('/admin/orders/1001/invoice')
    assert r.status == 200 and r.header('Cache-Control') == 'no-store'
    t = r.text
    assert 'Rechnung 1<' in t and '#1001' in t and 'Käthe Kruse' in t
    assert 'Roggenbrot' in t and '7 %' in t
    assert 'Hauptstraße 1, 50667 Köln\nUSt-IdNr. DE123456789' in t
    assert re.search(r'USt\. 7 %</td><td class="num">6,54\xa0€</td>'
                     r'<td class="num">0,46\xa0€</td>', t), t
    assert re.search(r'Versand, USt\. 7 %</td><td class="num">4,58\xa0€</td>'
                     r'<td class="num">0,32\xa0€</td>', t), t
    assert '11,12\xa0€' in t and '0,78\xa0€' in t and '11,90\xa0€' in t

    # The guest, by the order's key: the same invoice, linked from the
    # order's page and from the mail; a wrong key is nothing.
    page = guest.get(f'/order/1001?key={key}')
    assert f'/order/1001/invoice?key={key}' in page.text
    r = guest.get(f'/order/1001/invoice?key={key}')
    assert r.status == 200 and 'Rechnung 1<' in r.text
    assert guest.get('/order/1001/invoice?key=' + '0' * 32).status == 404
    assert guest.get('/order/1001/invoice').status == 404
    body = _mail_with(_email(tid), 'Zahlung')
    assert f'/order/1001/invoice?key={key}' in body

    # The next one paid is invoice 2; another shop has neither.
    assert _act(admin, 1002, 'paid').status == 303
    assert 'Rechnung 2<' in admin.get('/admin/orders/1002/invoice').text
    _, _, admin_b = _demo_shop(stack, 'invb')
    assert admin_b.get('/admin/orders/1001/invoice').status == 404
    assert _q(stack, f'SELECT number FROM s{tid}_invoices ORDER BY number'
              ) == [['1'], ['2']]


def test_admin_orders_bad_input(stack):
    _, tid, admin = _demo_shop(stack)
    _order(stack, tid, 1001, status='processing')

    # The list's links.
    for q, status in (('status=paid', 400), ('before=abc', 400),
                      ('before=-1', 400), ('from=yesterday', 400),
                      ('q=' + 'x' * 201, 400)):
        r = admin.get('/admin/orders?' + q)
        assert r.status == status, (q, r.status)
    r = admin.get('/admin/orders?from=2026-02-30&to=2026-01-01')
    assert r.status == 400
    assert re.search(r'name="from" value="2026-02-30">'
                     r'<span class="ferr">', r.text), r.text
    r = admin.get('/admin/orders?from=2026-02-03&to=2026-02-01')
    assert r.status == 400 and re.search(
        r'name="to" value="2026-02-01"><span class="ferr">', r.text)
    # Numbers that cannot be orders.
    for path in ('/admin/orders/abc', '/admin/orders/0', '/admin/orders/-5',
                 '/admin/orders/99999999999999999999', '/admin/orders/1009'):
        assert admin.get(path).status == 404, path

    # Every form: too long in characters (kanji count one each), empty,
    # not a link, no CSRF.
    r = _act(admin, 1001, 'ship', {'carrier': '運' * 101})
    assert r.status == 422 and re.search(
        r'name="carrier" value="[^"]*"[^>]*></label>\s*<p class="ferr">', r.text)
    r = _act(admin, 1001, 'ship', {'tracking_number': 'x' * 101})
    assert r.status == 422 and re.search(
        r'name="tracking_number"[^>]*></label>\s*<p class="ferr">', r.text)
    for url in ('ftp://example.com/x', 'https://', 'dhl.de/track',
                'https://exämple.com/', 'https://a.example/' + 'x' * 500):
        r = _act(admin, 1001, 'ship', {'tracking_url': url})
        assert r.status == 422, (url, r.status)
        assert re.search(r'name="tracking_url"[^>]*></label>\s*<p class="ferr">',
                         r.text), url
    assert _status(stack, tid, 1001) == 'processing'
    r = _act(admin, 1001, 'note', {'note': ''})
    assert r.status == 422 and re.search(
        r'</textarea></label>\s*<p class="ferr">', r.text)
    r = _act(admin, 1001, 'note', {'note': '注' * 2001})
    assert r.status == 422
    r = _act(admin, 1001, 'note', {'note': '注' * 2000})
    assert r.status == 303
    r = _act(admin, 1001, 'cancel', {'reason': 'x' * 2001})
    assert r.status == 422 and _status(stack, tid, 1001) == 'processing'
    assert re.search(r'name="reason" value="x+"[^>]*></label>\s*'
                     r'<p class="ferr">', r.text)
    r = admin.post('/admin/orders/1001/paid', {})
    assert r.status == 403
    r = admin.post('/admin/orders/1001/cancel', {'csrf': 'f' * 32})
    assert r.status == 403 and _status(stack, tid, 1001) == 'processing'
    # Not from this state: processing cannot be marked paid again as a
    # change (the same state: nothing), nor go back.
    r = _act(admin, 1001, 'complete')
    assert r.status == 303
    r = _act(admin, 1001, 'ship', {'carrier': 'DHL'})
    assert r.status == 409 and 'class="error"' in r.text
    assert _status(stack, tid, 1001) == 'completed'


def test_admin_orders_after_a_real_checkout(stack):
    """The whole flow: a guest checks out through the pages
    (web/cart.c), the merchant marks the order paid and ships it, the
    guest sees the tracking link on the order's page; a cancel after
    checkout gives the stock back to what it was."""
    slug, tid, pid = selling_shop(stack, 'ordx', stock=10)
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    c, place = shopper(stack, slug, pid, qty=3)
    r = c.post('/checkout/place', place)
    assert r.status == 303, (r.status, r.text[:2000])
    m = re.match(r'/checkout/done/(\d+)\?key=([0-9a-f]{32})',
                 r.header('Location'))
    assert m, r.header('Location')
    number, key = m.group(1), m.group(2)
    assert _stock(stack, tid, pid) == 7

    r = admin.get('/admin')
    assert f'/admin/orders/{number}' in r.text
    r = admin.get(f'/admin/orders/{number}')
    assert r.status == 200 and 'Last loaf' in r.text
    assert f'action="/admin/orders/{number}/paid"' in r.text
    assert _act(admin, number, 'paid').status == 303
    r = _act(admin, number, 'ship', {
        'carrier': 'DHL', 'tracking_number': 'JJD000390007',
        'tracking_url': 'https://www.dhl.de/track?id=JJD000390007'})
    assert r.status == 303, r.status
    page = c.get(f'/order/{number}?key={key}')
    assert page.status == 200
    assert 'href="https://www.dhl.de/track?id=JJD000390007"' in page.text
    assert 'no-store' in page.header('Cache-Control')

    # A second order, cancelled by the guest: the stock is as before.
    c2, place = shopper(stack, slug, pid, qty=2)
    r = c2.post('/checkout/place', place)
    m = re.match(r'/checkout/done/(\d+)\?key=([0-9a-f]{32})',
                 r.header('Location'))
    assert m and _stock(stack, tid, pid) == 5
    page = c2.get(f'/order/{m.group(1)}?key={m.group(2)}')
    r = c2.post(f'/order/{m.group(1)}/cancel',
                {'csrf': page.csrf(), 'key': m.group(2)})
    assert r.status == 303 and _stock(stack, tid, pid) == 7


def _shopper(stack, host, email):
    """A shopper registered and signed in on host (web/account.c)."""
    c = Client(stack.port, host)
    f = {'name': 'Käthe Kruse', 'email': email, 'password': SHOPPER_PW}
    r = c.submit('/account/register', '/account/register', f)
    assert r.status == 303, r.status
    r = c.submit('/account/login', '/account/login',
                 {'email': email, 'password': SHOPPER_PW})
    assert r.status == 303, r.status
    return c


def test_admin_orders_shopper_account_history(stack):
    slug, tid, admin = _demo_shop(stack, 'ordc')
    host = f'{slug}.localhost'
    pid, stock0 = _product(stack, tid)
    kaethe = _shopper(stack, host, f'k.{tid}@example.com')
    other = _shopper(stack, host, f'o.{tid}@example.com')
    cid = _q(stack, f"SELECT id FROM s{tid}_customers WHERE email ="
                    f" 'k.{tid}@example.com'")[0][0]
    _order(stack, tid, 1001)
    _order(stack, tid, 1002)
    _order(stack, tid, 1003, status='shipped')
    _q(stack, f'UPDATE s{tid}_orders SET customer_id = {cid},'
              f" tracking_url = 'https://track.example/1003'"
              f' WHERE number IN (1001, 1003)')

    # Her history: her orders, newest first, never cached.
    r = kaethe.get('/account/orders')
    assert r.status == 200 and 'no-store' in r.header('Cache-Control')
    assert r.text.index('#1003') < r.text.index('#1001')
    assert '#1002' not in r.text
    r = kaethe.get('/account/orders/1003')
    assert r.status == 200 and 'href="https://track.example/1003"' in r.text
    assert '/account/orders/1003/cancel' not in r.text
    # Another's order, or another shopper's view of hers: 404.
    assert kaethe.get('/account/orders/1002').status == 404
    assert other.get('/account/orders/1001').status == 404
    assert '#1001' not in other.get('/account/orders').text
    page = other.get('/account/orders')
    r = other.post('/account/orders/1001/cancel', {'csrf': page.csrf()})
    assert r.status == 404 and _status(stack, tid, 1001) == 'on-hold'

    # She cancels while it is on hold: stock back, history says so.
    page = kaethe.get('/account/orders/1001')
    assert '/account/orders/1001/cancel' in page.text
    r = kaethe.post('/account/orders/1001/cancel', {'csrf': 'f' * 32})
    assert r.status == 403 and _status(stack, tid, 1001) == 'on-hold'
    r = kaethe.post('/account/orders/1001/cancel', {'csrf': page.csrf()})
    assert r.status == 303 and r.header('Location').endswith(
        '/account/orders/1001?done=cancelled')
    assert _status(stack, tid, 1001) == 'cancelled'
    assert _stock(stack, tid, pid) == stock0 + 2
    r = kaethe.post('/account/orders/1001/cancel', {'csrf': page.csrf()})
    assert r.status == 303 and r.header('Location').endswith('done=same')
    assert _stock(stack, tid, pid) == stock0 + 2
    # The merchant sees who cancelled, and her account.
    r = admin.get('/admin/orders/1001')
    assert f'href="/admin/customers/{cid}"' in r.text
    # Signed out: to the sign-in page, and back.
    r = Client(stack.port, host).get('/account/orders')
    assert r.status == 302 and '/account/login' in r.header('Location')
