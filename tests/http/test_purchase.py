"""A guest buys from the German demo shop (soukctl demo load --kind
bakery): two sizes (variants) of one product in the cart, the demo
coupon WILLKOMMEN10 (10 % off), the address in Köln, DHL Paket (flat
4,90 €), bank transfer. The VAT and the shipping on the review page, the
confirmation and the order row are the figures computed here by hand:
German prices include VAT, so each line's VAT is taken out of what it
costs after its share of the discount (rounded half away from zero per
line), and shipping is taxed at the standard 19 %. The order's mail
reaches the SMTP stand-in, in German, with the bank details and the
total.

The same for a shopper who registers first: the order is theirs (their
account's history), the merchant marks it paid and ships it with a
tracking link, and the shopper sees the link on their order's page and
in the German mails of each step."""
import re

from souk_client import Client, admin_login, mail_names, mailbox, \
    wait_mail
from shop_setup import ADDRESS, add_to_cart, checkout_to_review, \
    hidden, place_fields

QTY = 10        # 10 units: each line's 10 % is a whole number of cents
PW = 'correct horse battery'


def _round_div(n, d):
    """n / d rounded half away from zero (n, d > 0)."""
    return (2 * n + d) // (2 * d)


def _euro(minor):
    """German money as ICU writes it, spaces made plain."""
    return f'{minor // 100},{minor % 100:02d} €'


def _plain(text):
    return text.replace('\u00a0', ' ').replace('\u202f', ' ')


def _dd(text, label):
    """The amount beside label in the totals."""
    m = re.search(r'<dt[^>]*>%s[^<]*(?:<small>[^<]*</small>)?</dt>'
                  r'<dd[^>]*>([^<]*)</dd>' % re.escape(label), text)
    assert m, f'no {label!r} in the totals:\n' + text[:5000]
    return m.group(1)


def _bakery(stack):
    """A German bakery demo shop: (slug, tenant id, owner's e-mail)."""
    slug = stack.unique('bakery')
    owner = f'owner@{slug}.example'
    stack.create_shop(slug, 'Bäckerei Müller', owner, PW, 'de', 'EUR')
    stack.soukctl('demo', 'load', '--slug', slug, '--kind', 'bakery')
    tid = stack.query(f"SELECT id FROM souk_tenants WHERE slug = '{slug}'"
                      )[0][0]
    return slug, tid, owner


def _buy(stack, slug, tid, c, email):
    """c (a guest, or signed in) buys two sizes with WILLKOMMEN10 by bank
    transfer, shipped to Köln; checks every figure and the German mail.
    Returns (order number, total, Location of the confirmation)."""
    p = f's{tid}_'
    # The first product with two sizes; enough of both for this test.
    rows = stack.query(
        f"SELECT p.id, p.slug, v.id, v.name, COALESCE(v.price, p.price), "
        f"p.tax_class FROM {p}products p JOIN {p}variants v ON "
        f"v.product_id = p.id WHERE p.status = 'active' AND p.id = (SELECT "
        f"MIN(product_id) FROM {p}variants GROUP BY product_id HAVING "
        f"COUNT(*) >= 2 ORDER BY MIN(product_id) LIMIT 1) ORDER BY "
        f"v.position, v.id LIMIT 2")
    assert len(rows) == 2, rows
    pid, pslug = rows[0][0], rows[0][1]
    stack.query(f"UPDATE {p}variants SET stock = 50 WHERE id IN "
                f"({rows[0][2]}, {rows[1][2]})")
    rate = {'standard': 190000, 'reduced': 70000, 'zero': 0}[rows[0][5]]

    page = c.get(f'/p/{pslug}')
    assert page.status == 200
    for r in rows:
        assert f'<option value="{r[2]}"' in page.text, r
        resp = add_to_cart(stack, c, {'product_id': pid,
                                      'variant_id': r[2], 'qty': str(QTY)})
        assert resp.status == 303, (resp.status, resp.text[:2000])
    cart = c.get('/cart')
    assert 'class="cartcount">%d<' % (2 * QTY) in cart.text
    r = c.post('/cart/coupon', {'csrf': cart.csrf(),
                                'coupon': 'willkommen10'})
    assert r.status == 303, (r.status, r.text[:3000])
    cart = c.get('/cart')
    assert 'WILLKOMMEN10' in cart.text

    # DHL Paket, the flat rate, chosen by its name.
    address = dict(ADDRESS, email=email)
    r = c.submit('/checkout', '/checkout', address)
    assert r.status == 303, (r.status, r.text[:3000])
    page = c.get('/checkout/shipping')
    m = re.search(r'name="method_id" value="(\d+)"[^>]*> <span '
                  r'class="cname">DHL Paket</span>', page.text)
    assert m, page.text[:4000]
    review = checkout_to_review(c, address, method=m.group(1))

    # By hand: each line 10 units, less its 10 %; VAT out of it.
    prices = [int(r[4]) for r in rows]
    subtotal = sum(QTY * x for x in prices)
    discount = sum(QTY * x // 10 for x in prices)
    line_vat = [_round_div((QTY * x - QTY * x // 10) * rate, 1000000 + rate)
                for x in prices]
    shipping = 490
    # Shipping is taxed as the goods it carries: all at one rate here.
    shipping_vat = _round_div(shipping * rate, 1000000 + rate)
    total = subtotal - discount + shipping
    text = _plain(review.text)
    assert _dd(text, 'Zwischensumme') == _euro(subtotal)
    assert _dd(text, 'Rabatt') == '-' + _euro(discount)
    assert _dd(text, 'Versand') == _euro(shipping)
    assert _dd(text, 'Gesamt') == _euro(total)
    by_rate = {}
    for v in line_vat:
        by_rate[rate] = by_rate.get(rate, 0) + v
    by_rate[rate] += shipping_vat
    for r_, amount in by_rate.items():
        label = 'Enthaltene MwSt. %d %%' % (r_ // 10000)
        assert _dd(text, label) == _euro(amount), (label, by_rate)
    assert hidden(review.text, 'total') == str(total)

    stack.start_mail()
    seen = mail_names()
    r = c.post('/checkout/place', place_fields(review))
    assert r.status == 303, (r.status, r.text[:3000])
    number = re.match(r'/checkout/done/(\d+)\?key=', r.header('Location'))
    assert number, r.header('Location')
    done = c.get(r.header('Location'))
    text = _plain(done.text)
    assert 'Vielen Dank für Ihre Bestellung' in text
    assert 'IBAN DE89 3704 0044 0532 0130 00' in text
    assert _dd(text, 'Gesamt') == _euro(total)
    assert stack.query(
        f"SELECT status, subtotal, discount, shipping, shipping_tax, tax, "
        f"total, coupon_code, payment_method, ship_method, currency, "
        f"display_currency, fx_rate FROM {p}orders WHERE number = "
        f"{number.group(1)}") == [[
            'on-hold', str(subtotal), str(discount), str(shipping),
            str(shipping_vat), str(sum(line_vat) + shipping_vat),
            str(total), 'WILLKOMMEN10', 'bacs', 'DHL Paket', 'EUR', 'EUR',
            '100000000']]
    assert stack.query(
        f"SELECT o.variant_id, o.qty, o.unit_price, o.discount, o.tax, "
        f"o.tax_rate FROM {p}order_lines o JOIN {p}orders x ON "
        f"x.id = o.order_id WHERE x.number = {number.group(1)} "
        f"ORDER BY o.variant_id") == \
        sorted([[str(r[2]), str(QTY), str(int(r[4])),
                 str(QTY * int(r[4]) // 10), str(v), str(rate)]
                for r, v in zip(rows, line_vat)], key=lambda x: int(x[0]))
    # Stock taken: 50 - 10 of each.
    assert stack.query(f"SELECT stock FROM {p}variants WHERE id IN "
                       f"({rows[0][2]}, {rows[1][2]})") == [['40'], ['40']]
    # The shopper's mail, in the order's language (German).
    _, msg = wait_mail(email, seen)
    body = _plain(msg.get_body(('plain',)).get_content())
    html = _plain(msg.get_body(('html',)).get_content())
    assert 'Vielen Dank für Ihre Bestellung' in html, html[:3000]
    assert number.group(1) in msg['Subject'] + body, msg['Subject']
    assert 'IBAN DE89 3704 0044 0532 0130 00' in body, body[:3000]
    assert _euro(total) in body, body[:3000]
    return int(number.group(1)), total, r.header('Location')


def test_guest_buys_from_the_german_demo_shop(stack):
    slug, tid, _ = _bakery(stack)
    c = Client(stack.port, f'{slug}.localhost')
    number, _, _ = _buy(stack, slug, tid, c, ADDRESS['email'])
    assert stack.query(f"SELECT COALESCE(customer_id, 0) FROM s{tid}_orders"
                       f" WHERE number = {number}") == [['0']]


def _mail_to(to, text, seen):
    """The plain text of a new mail to to that holds text, polled for."""
    def find():
        for name, msg in mailbox():
            if name in seen or msg['To'] != to:
                continue
            body = _plain(msg.get_body(('plain',)).get_content())
            if text in body:
                return body
        return None
    from wait import wait_until
    return wait_until(find, 20, f'a mail to {to} with {text}')


def test_registered_shopper_buys_and_follows_the_order(stack):
    slug, tid, owner = _bakery(stack)
    host = f'{slug}.localhost'
    email = f'erika.{tid}@example.com'
    stack.start_mail()
    seen = mail_names()

    # Registers (a welcome mail in German), signs in.
    c = Client(stack.port, host)
    r = c.submit('/account/register', '/account/register',
                 {'name': 'Erika Mustermann', 'email': email,
                  'password': PW})
    assert r.status == 303, (r.status, r.text[:2000])
    r = c.submit('/account/login', '/account/login',
                 {'email': email, 'password': PW})
    assert r.status == 303 and r.header('Location') == '/account', \
        (r.status, r.header('Location'))
    _mail_to(email, email, seen)     # the welcome, before the order's

    number, total, done = _buy(stack, slug, tid, c, email)
    cid = stack.query(f"SELECT id FROM s{tid}_customers WHERE email = "
                      f"'{email}'")[0][0]
    assert stack.query(f"SELECT customer_id FROM s{tid}_orders WHERE "
                       f"number = {number}") == [[cid]]
    # The confirmation offers no account to someone who has one.
    assert 'action="/account/register"' not in c.get(done).text

    # Their history lists it; its page says on hold, no tracking yet.
    r = c.get('/account/orders')
    assert r.status == 200 and f'/account/orders/{number}' in r.text
    assert 'no-store' in (r.header('Cache-Control') or '')
    r = c.get(f'/account/orders/{number}')
    assert r.status == 200 and 'In Wartestellung' in r.text, r.text[:3000]
    assert _euro(total) in _plain(r.text)

    # The merchant sees it on the dashboard, marks it paid, ships it.
    admin = admin_login(stack.port, slug, owner, PW)
    assert f'/admin/orders/{number}' in admin.get('/admin').text
    page = admin.get(f'/admin/orders/{number}')
    assert page.status == 200 and email in page.text
    r = admin.post(f'/admin/orders/{number}/paid', {'csrf': page.csrf()})
    assert r.status == 303, (r.status, r.text[:2000])
    url = 'https://www.dhl.de/de/privatkunden.html?piececode=00340434'
    r = admin.post(f'/admin/orders/{number}/ship',
                   {'csrf': page.csrf(), 'carrier': 'DHL',
                    'tracking_number': '00340434', 'tracking_url': url})
    assert r.status == 303, (r.status, r.text[:2000])
    assert stack.query(f"SELECT status FROM s{tid}_orders WHERE number "
                       f"= {number}") == [['shipped']]

    # The shopper sees the tracking link on their order's page...
    r = c.get(f'/account/orders/{number}')
    assert r.status == 200 and f'href="{url}"' in r.text, r.text[:3000]
    assert 'Versandt' in r.text
    # ... and in the German mails of the payment and the shipping.
    _mail_to(email, str(number), seen)
    body = _mail_to(email, 'piececode=00340434', seen)
    assert 'DHL' in body
    # Another shopper of the shop cannot open it.
    other = Client(stack.port, host)
    r = other.get(f'/account/orders/{number}')
    assert r.status in (302, 303, 404), r.status
    assert 'Erika' not in r.text and url not in r.text
