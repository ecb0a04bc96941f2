"""The admin's reports over the whole stack (issue 11, part 5): two shops
sell through the real checkout to Germany and Austria (VAT at 19 %/7 %
and 20 %/10 %), one order with a coupon, every one with shipping; the
merchant marks them paid and refunds lines of two of them; an unpaid
order stays out. The reports page and each CSV then give the figures
the test works out itself from the orders it placed (sales, tax per rate
and country, payments, refunds, products), the CSVs parse with Python's
csv module, bad ranges are a 400 with their message, and shop B's
reports show nothing of shop A's."""
import csv
import datetime
import io
import re

from souk_client import Client, create_product, admin_login
from shop_setup import selling_shop, add_to_cart, checkout_to_review, \
    place_fields, ADDRESS

AUSTRIA = dict(ADDRESS, ship_name='Anna Wien', ship_line1='Ring 1',
               ship_postcode='1010', ship_city='Wien', ship_country='AT')


def _shop(stack, prefix):
    """A shop selling a 19 % loaf (4.00) and a 7 % jam (3.50) in Germany,
    20 % and 10 % in Austria (shipping 5.90 there), and a coupon SAVE10;
    (slug, tid, admin, loaf id, jam id)."""
    slug, tid, loaf = selling_shop(stack, prefix, stock=50)
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    jam = create_product(admin, {'name_en': 'Jam', 'slug': 'jam',
                                 'price': '3.50', 'stock': '50'})
    p = f's{tid}_'
    stack.query(f"UPDATE {p}products SET tax_class = 'reduced' WHERE id ="
                f" {jam}")
    stack.query(f"INSERT INTO {p}tax_rates (class, country, rate, name)"
                " VALUES ('reduced', 'DE', 70000, 'VAT'),"
                " ('standard', 'AT', 200000, 'USt'),"
                " ('reduced', 'AT', 100000, 'USt')")
    stack.query(f"INSERT INTO {p}ship_zones (name, countries) VALUES"
                " ('Austria', 'AT')")
    stack.query(f"INSERT INTO {p}ship_methods (zone_id, kind, name, cost)"
                f" SELECT id, 'flat', 'Post AT', 590 FROM {p}ship_zones"
                " WHERE name = 'Austria'")
    stack.query(f"INSERT INTO {p}coupons (code, kind, amount) VALUES"
                " ('SAVE10', 'percent', 1000)")
    return slug, tid, admin, loaf, jam


def _buy(stack, slug, items, coupon=None, address=None):
    c = Client(stack.port, f'{slug}.localhost')
    for pid, qty in items.items():
        r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': str(qty)})
        assert r.status == 303, (r.status, r.text[:2000])
    if coupon:
        cart = c.get('/cart')
        r = c.post('/cart/coupon', {'csrf': cart.csrf(), 'coupon': coupon})
        assert r.status == 303, (r.status, r.text[:2000])
    r = c.post('/checkout/place', place_fields(checkout_to_review(
        c, address=address)))
    assert r.status == 303, (r.status, r.text[:3000])
    m = re.match(r'/checkout/done/(\d+)\?key=', r.header('Location'))
    assert m, r.header('Location')
    return int(m.group(1))


def _act(admin, number, action, fields=None):
    page = admin.get(f'/admin/orders/{number}')
    assert page.status == 200, page.status
    f = dict(fields or {})
    f['csrf'] = page.csrf()
    return admin.post(f'/admin/orders/{number}/{action}', f)


def _line_ids(stack, tid, number):
    rows = stack.query(f'SELECT l.id, l.product_id FROM s{tid}_order_lines l'
                       f' JOIN s{tid}_orders o ON o.id = l.order_id'
                       f' WHERE o.number = {number} ORDER BY l.id')
    return {int(r[1]): int(r[0]) for r in rows}


def _half_up(n, d):
    return (2 * n + d) // (2 * d)


def _spread(total, weights):
    """quote_totals.c's spread(): floors, then a unit each to the largest
    remainders (ties to the larger weight, then the first)."""
    s = sum(weights)
    if s == 0 or total == 0:
        return [0] * len(weights)
    out = [total * w // s for w in weights]
    frac = [total * w % s for w in weights]
    left = total - sum(out)
    order = sorted(range(len(weights)),
                   key=lambda i: (-frac[i], -weights[i], i))
    for i in order[:left]:
        out[i] += 1
    return out


def _expected(stack, tid):
    """What the reports must say, worked out from the shop's paid orders,
    their lines and their refunds by lines."""
    p = f's{tid}_'
    e = {'orders': 0, 'gross_less_disc': 0, 'shipping': 0, 'tax': 0,
         'refunds': 0, 'refund_amount': 0, 'total': 0, 'paid': 0,
         'tax_rc': {}, 'base_rc': {}, 'units': {}, 'net': {},
         'nrefunds': 0}
    orders = stack.query(
        f'SELECT id, shipping, shipping_tax, prices_include_tax, total,'
        f" COALESCE(NULLIF(ship_country, ''), bill_country) FROM {p}orders"
        ' WHERE paid_at IS NOT NULL')
    for oid, shipping, ship_tax, inclusive, total, country in orders:
        e['orders'] += 1
        e['total'] += int(total)
        e['paid'] += int(total)
        ship_net = int(shipping) - (int(ship_tax) if inclusive == '1'
                                    else 0)
        e['shipping'] += ship_net
        if ship_net and int(ship_tax) == 0:
            k = (None, country)     # untaxed shipping: no rate
            e['base_rc'][k] = e['base_rc'].get(k, 0) + ship_net
        one = 1000000 if inclusive == '0' else 0
        lines = stack.query(f'SELECT tax_rate, subtotal - discount, tax,'
                            f' total, product_id, qty FROM {p}order_lines'
                            f' WHERE order_id = {oid} ORDER BY id')
        rates = [int(r[0]) for r in lines]
        for rate, _, tax, ltotal, pid, qty in lines:
            k = (int(rate), country)
            e['tax_rc'][k] = e['tax_rc'].get(k, 0) + int(tax)
            net = int(ltotal) - int(tax)
            e['base_rc'][k] = e['base_rc'].get(k, 0) + net
            e['gross_less_disc'] += net
            e['units'][int(pid)] = e['units'].get(int(pid), 0) + int(qty)
            e['net'][int(pid)] = e['net'].get(int(pid), 0) + net
        parts = _spread(int(shipping), [int(r[1]) for r in lines])
        for rate in set(rates):
            part = sum(x for x, r in zip(parts, rates) if r == rate)
            k = (rate, country)
            t = _half_up(part * rate, 1000000 + rate - one)
            e['tax_rc'][k] = e['tax_rc'].get(k, 0) + t
            # The shipping's taxable amount falls under the same rate.
            if int(ship_tax):
                e['base_rc'][k] = e['base_rc'].get(k, 0) + part - (
                    t if inclusive == '1' else 0)
    refunds = stack.query(
        f'SELECT rl.amount, rl.tax, l.tax_rate,'
        f" COALESCE(NULLIF(o.ship_country, ''), o.bill_country)"
        f' FROM {p}refund_lines rl JOIN {p}order_lines l'
        f' ON l.id = rl.order_line_id JOIN {p}orders o ON o.id = l.order_id'
        f' JOIN {p}refunds r ON r.id = rl.refund_id'
        " WHERE r.status = 'succeeded'")
    for amount, tax, rate, country in refunds:
        k = (int(rate), country)
        e['tax_rc'][k] -= int(tax)
        e['base_rc'][k] -= int(amount) - int(tax)
        e['refunds'] += int(amount) - int(tax)
        e['refund_amount'] += int(amount)
        e['total'] -= int(amount)
    e['nrefunds'] = int(stack.query(f"SELECT COUNT(*) FROM {p}refunds WHERE"
                                    " status = 'succeeded'")[0][0])
    e['tax'] = sum(e['tax_rc'].values())
    return e


def _dec(s):
    """"12.50" as minor units; anything else fails."""
    assert re.fullmatch(r'-?\d+\.\d\d', s), s
    neg = s.startswith('-')
    a, b = s.lstrip('-').split('.')
    v = int(a) * 100 + int(b)
    return -v if neg else v


def _csv(admin, query, report):
    r = admin.get(f'/admin/reports/export?{query}&report={report}')
    assert r.status == 200, (report, r.status, r.text[:2000])
    assert r.header('Content-Type').startswith('text/csv'), \
        r.header('Content-Type')
    assert r.header('Content-Disposition').startswith('attachment;'), \
        r.header('Content-Disposition')
    assert 'no-store' in r.header('Cache-Control')
    assert r.body.startswith(b'\xef\xbb\xbf')
    rows = list(csv.reader(io.StringIO(r.body[3:].decode('utf-8'),
                                       newline='')))
    assert rows and rows[0], rows
    return rows[0], rows[1:]


def _money(v):
    """page_money() in English for EUR: "€1,234.50", "-€0.50"."""
    s = '€{:,}.{:02d}'.format(abs(v) // 100, abs(v) % 100)
    return '-' + s if v < 0 else s


def _check_shop(admin, query, e, loaf, jam):
    page = admin.get(f'/admin/reports?{query}')
    assert page.status == 200, (page.status, page.text[:3000])
    text = page.text
    assert '<svg' in text and 'Net sales' in text
    # The sales table's total row.
    m = re.search(r'<tfoot><tr class="sum"><th scope="row">Total</th>'
                  r'(.*?)</tr></tfoot>', text)
    assert m, text[:6000]
    cells = re.findall(r'<td class="num">([^<]*)</td>', m.group(1))
    assert cells[0] == str(e['orders']), cells
    assert cells[4] == _money(e['gross_less_disc'] - e['refunds']), cells
    assert cells[5] == _money(e['shipping']), cells
    assert cells[6] == _money(e['tax']), cells
    assert cells[7] == _money(e['total']), cells

    # Sales: one row per day of the range, the sums as computed.
    head, rows = _csv(admin, query, 'sales')
    assert head[0] == 'Period start' and head[-1] == 'Currency', head
    assert len(rows) == 3, rows
    col = {h: i for i, h in enumerate(head)}

    def total(name):
        return sum(_dec(r[col[name]]) for r in rows)
    assert sum(int(r[col['Orders']]) for r in rows) == e['orders']
    assert total('Gross sales') - total('Discounts') == e['gross_less_disc']
    assert total('Refunds') == e['refunds']
    assert total('Net sales') == e['gross_less_disc'] - e['refunds']
    assert total('Shipping') == e['shipping']
    assert total('Tax') == e['tax']
    assert total('Total') == e['total']
    assert all(r[col['Currency']] == 'EUR' for r in rows)

    # Tax by rate and country.
    head, rows = _csv(admin, query, 'tax')
    assert head == ['Country', 'Tax rate (%)', 'Taxable amount', 'Tax',
                    'Currency'], head
    got_tax, got_base = {}, {}
    for country, rate, base, tax, cur in rows:
        k = (int(float(rate) * 10000) if rate else None, country)
        got_tax[k] = _dec(tax)
        got_base[k] = _dec(base)
    assert {k: v for k, v in got_tax.items() if v} == \
        {k: v for k, v in e['tax_rc'].items() if v}, (got_tax, e['tax_rc'])
    assert got_base == e['base_rc'], (got_base, e['base_rc'])

    # Payments by method.
    head, rows = _csv(admin, query, 'payments')
    assert [r[1] for r in rows] == ['bacs'], rows
    assert int(rows[0][2]) == e['orders'] and _dec(rows[0][3]) == e['paid']
    assert _dec(rows[0][4]) == 0
    assert 'Bank transfer' in page.text

    # Refunds.
    head, rows = _csv(admin, query, 'refunds')
    assert len(rows) == e['nrefunds'], rows
    assert sum(_dec(r[2]) for r in rows) == e['refund_amount']

    # Products: units and net sales (before refunds) per product; summed,
    # the books' gross less discounts.
    head, rows = _csv(admin, query, 'products')
    got = {int(r[0]): (int(r[2]), _dec(r[3])) for r in rows}
    assert got == {pid: (e['units'][pid], e['net'][pid])
                   for pid in e['units']}, (got, e)
    assert set(got) <= {loaf, jam}
    head, rows = _csv(admin, query, 'categories')
    assert len(rows) == 1 and rows[0][1] == 'No category', rows
    assert _dec(rows[0][3]) == e['gross_less_disc']
    return text


def test_reports(stack):
    slug_a, ta, admin_a, loaf_a, jam_a = _shop(stack, 'repa')
    slug_b, tb, admin_b, loaf_b, jam_b = _shop(stack, 'repb')

    a1 = _buy(stack, slug_a, {loaf_a: 3, jam_a: 2}, coupon='SAVE10')
    a2 = _buy(stack, slug_a, {loaf_a: 2, jam_a: 1}, address=AUSTRIA)
    a3 = _buy(stack, slug_a, {jam_a: 4})       # never paid
    b1 = _buy(stack, slug_b, {loaf_b: 1})
    for admin, n in ((admin_a, a1), (admin_a, a2), (admin_b, b1)):
        assert _act(admin, n, 'paid').status == 303
    la1, la2 = _line_ids(stack, ta, a1), _line_ids(stack, ta, a2)
    r = _act(admin_a, a1, 'refund', {f'qty_{la1[jam_a]}': '1',
                                     'refund_reason': 'Broken jar'})
    assert r.status == 303, (r.status, r.text[:3000])
    r = _act(admin_a, a2, 'refund', {f'qty_{la2[loaf_a]}': '1',
                                     'refund_reason': 'Stale loaf'})
    assert r.status == 303, (r.status, r.text[:3000])
    assert a3 and b1

    today = datetime.datetime.now(datetime.timezone.utc).date()
    one = datetime.timedelta(days=1)
    query = f'from={today - one}&to={today + one}&group=day'

    e_a = _expected(stack, ta)
    assert e_a['orders'] == 2 and len({k[1] for k in e_a['tax_rc']}) == 2
    assert len(e_a['tax_rc']) == 4, e_a['tax_rc']
    text_a = _check_shop(admin_a, query, e_a, loaf_a, jam_a)
    assert 'Broken jar' in text_a and 'Stale loaf' in text_a
    assert 'Austria' in text_a and 'Germany' in text_a

    e_b = _expected(stack, tb)
    assert e_b['orders'] == 1 and e_b['nrefunds'] == 0
    text_b = _check_shop(admin_b, query, e_b, loaf_b, jam_b)
    # Nothing of shop A's in shop B's reports.
    assert 'Broken jar' not in text_b and 'Austria' not in text_b
    assert _money(e_a['total']) not in text_b

    # By week and by month: the same sums in fewer rows.
    for group in ('week', 'month'):
        q = query.replace('group=day', f'group={group}')
        head, rows = _csv(admin_a, q, 'sales')
        assert 1 <= len(rows) <= 2, (group, rows)
        assert sum(_dec(r[-2]) for r in rows) == e_a['total'], (group, rows)
        assert sum(int(r[1]) for r in rows) == e_a['orders']

    # In the merchant's language: German words, money and dates as ICU
    # writes them.
    slug_de, tid_de, loaf_de = selling_shop(stack, 'repde', locale='de')
    admin_de = admin_login(stack.port, slug_de, f'{slug_de}@x.test')
    n_de = _buy(stack, slug_de, {loaf_de: 3})
    assert _act(admin_de, n_de, 'paid').status == 303
    total_de = int(stack.query(f'SELECT total FROM s{tid_de}_orders')[0][0])
    r = admin_de.get(f'/admin/reports?{query}')
    assert r.status == 200 and 'Nettoumsatz' in r.text, r.text[:3000]
    whole, cents = divmod(total_de, 100)
    assert '%d,%02d\xa0€' % (whole, cents) in r.text, r.text[:6000]
    assert re.search(r'\d\d?\. (Januar|Februar|März|April|Mai|Juni|Juli|'
                     r'August|September|Oktober|November|Dezember) \d{4}',
                     r.text)
    head, rows = _csv(admin_de, query, 'sales')
    assert head[0] == 'Beginn des Zeitraums', head
    assert sum(_dec(x[-2]) for x in rows) == total_de

    # The books agree.
    for slug in (slug_a, slug_b):
        r = stack.soukctl('shop', 'books-check', slug)
        assert r.returncode == 0 and ': 0 problems' in r.stdout, r.stdout

    # Presets and groups answer; the default is this month.
    for q in ('', 'preset=last-month', 'preset=this-year&group=month',
              'preset=last-30&group=week', 'from=2024-01-01&to=2026-12-31'
              '&group=month'):
        r = admin_a.get('/admin/reports' + (f'?{q}' if q else ''))
        assert r.status == 200, (q, r.status, r.text[:2000])
    r = admin_a.get('/admin/reports?preset=this-year&group=month')
    assert '<svg' in r.text

    # Bad ranges: a 400 and the reason, on the page and for the CSV.
    bad = [
        ('from=2026-13-01&to=2026-12-31', 'Enter a date such as'),
        ('from=2026-02-30&to=2026-03-01', 'Enter a date such as'),
        ('from=yesterday&to=2026-03-01', 'Enter a date such as'),
        ('from=2026-03-02&to=2026-03-01', 'end date comes before'),
        ('from=2020-01-01&to=2026-01-01&group=month', 'at most three years'),
        ('from=2025-01-01&to=2026-06-01&group=day', 'by week or by month'),
        ('from=2026-03-01', 'Enter a date such as'),
        ('from=2026-03-01&to=2026-03-02&group=fortnight', 'day, week or'),
        ('preset=forever', 'Choose a period'),
        ('from=%00&to=2026-03-01', ''),
    ]
    for q, message in bad:
        r = admin_a.get(f'/admin/reports?{q}')
        assert r.status == 400, (q, r.status)
        assert message in r.text, (q, r.text[:3000])
        r = admin_a.get(f'/admin/reports/export?{q}&report=sales')
        assert r.status == 400, (q, r.status)
        assert message in r.text, (q, r.text[:3000])
    r = admin_a.get(f'/admin/reports/export?{query}&report=nope')
    assert r.status == 400 and 'Choose a report' in r.text
    r = admin_a.get(f'/admin/reports/export?{query}')
    assert r.status == 400

    # Staff only: a shopper (no session) is sent to the login.
    anon = Client(stack.port, f'{slug_a}.localhost')
    r = anon.get(f'/admin/reports/export?{query}&report=sales')
    assert r.status in (302, 303) and '/admin/login' in \
        r.header('Location'), r.status


def test_reports_screenshots(stack):
    """The reports page in Chromium at desktop and phone width (tests/
    browser/reports_shots.mjs), kept in build/screenshots/reports/."""
    import os
    import subprocess
    repo = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    if not os.path.isdir(os.path.join(repo, 'tests', 'browser',
                                      'node_modules', 'playwright-core')):
        raise stack.Skip('playwright-core is not installed')
    slug, tid, admin, loaf, jam = _shop(stack, 'repshot')
    n1 = _buy(stack, slug, {loaf: 3, jam: 2}, coupon='SAVE10')
    n2 = _buy(stack, slug, {loaf: 2, jam: 1}, address=AUSTRIA)
    n3 = _buy(stack, slug, {jam: 6})
    for n in (n1, n2, n3):
        assert _act(admin, n, 'paid').status == 303
    lines = _line_ids(stack, tid, n1)
    assert _act(admin, n1, 'refund', {f'qty_{lines[jam]}': '1',
                'refund_reason': 'Broken jar'}).status == 303
    refund = int(stack.query(f'SELECT MAX(id) FROM s{tid}_refunds')[0][0])
    # Earlier days, so that the chart has more than one bar.
    p = f's{tid}_'
    for days, n in ((3, n2), (6, n3)):
        oid = f'(SELECT id FROM {p}orders WHERE number = {n})'
        stack.query(f'UPDATE {p}ledger SET posted_at = posted_at - INTERVAL'
                    f' {days} DAY WHERE order_id = {oid}')
        stack.query(f'UPDATE {p}payments SET created_at = created_at -'
                    f' INTERVAL {days} DAY WHERE order_id = {oid}')
    out = os.path.join(repo, 'build', 'screenshots', 'reports')
    os.makedirs(out, exist_ok=True)
    r = subprocess.run(
        ['node', os.path.join(repo, 'tests', 'browser', 'reports_shots.mjs'),
         f'http://{slug}.localhost:{stack.port}', out, f'{slug}@x.test',
         'correct horse battery', 'preset=last-30',
         f'/admin/orders/{n1}/invoice',
         f'/admin/orders/{n1}/credit-notes/{refund}'],
        cwd=os.path.join(repo, 'tests', 'browser'), capture_output=True,
        text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'wider than' not in r.stdout, r.stdout
    for png in ('dashboard-1280', 'reports-1280', 'reports-390',
                'reports-charts-390', 'reports-error', 'paper-1', 'paper-2'):
        path = os.path.join(out, png + '.png')
        assert os.path.getsize(path) > 5000, path
