"""The shop's books over the whole stack (issue 11, parts 2 to 5): two
shops sell through the real checkout (VAT at 19 % and 7 %, one order
with a coupon), the merchant marks orders paid and refunds part of them
by amount and by lines (once with the items back in stock) from the
admin's order page, and a shopper returns a shipped jar (asked,
approved, received, refunded); an unpaid order is cancelled and never
reaches the books. Then `soukctl shop books-check` passes for both
shops; the tax per rate the test works out from the orders and refunds
(its own arithmetic, as the issue asks) equals the ledger's and the tax
report's; shop A's refund form cannot reach shop B's order (404); and
every kind of bad input on the refund form is answered with its message
and writes nothing."""
import csv
import datetime
import io
import re

from souk_client import Client, create_product, admin_login, mailbox
from shop_setup import selling_shop, add_to_cart, checkout_to_review, \
    place_fields
from wait import wait_until


def _shop(stack, prefix):
    """A selling shop with a 19 % loaf (4.00) and a 7 % jam (3.50), and a
    coupon SAVE10; (slug, tid, admin, loaf id, jam id)."""
    slug, tid, loaf = selling_shop(stack, prefix, stock=50)
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    jam = create_product(admin, {'name_en': 'Jam', 'slug': 'jam',
                                 'price': '3.50', 'stock': '50'})
    p = f's{tid}_'
    stack.query(f"UPDATE {p}products SET tax_class = 'reduced' WHERE id ="
                f" {jam}")
    stack.query(f"INSERT INTO {p}tax_rates (class, country, rate, name) "
                "VALUES ('reduced', 'DE', 70000, 'VAT')")
    stack.query(f"INSERT INTO {p}coupons (code, kind, amount) VALUES"
                " ('SAVE10', 'percent', 1000)")
    return slug, tid, admin, loaf, jam


KEYS = {}      # (slug, order number): the guest's access key


def _buy(stack, slug, items, coupon=None):
    """A guest buys items ({product id: qty}) by bank transfer; the
    order's number (its key in KEYS)."""
    c = Client(stack.port, f'{slug}.localhost')
    for pid, qty in items.items():
        r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': str(qty)})
        assert r.status == 303, (r.status, r.text[:2000])
    if coupon:
        cart = c.get('/cart')
        r = c.post('/cart/coupon', {'csrf': cart.csrf(), 'coupon': coupon})
        assert r.status == 303, (r.status, r.text[:2000])
    r = c.post('/checkout/place', place_fields(checkout_to_review(c)))
    assert r.status == 303, (r.status, r.text[:3000])
    m = re.match(r'/checkout/done/(\d+)\?key=([0-9a-f]+)',
                 r.header('Location'))
    assert m, r.header('Location')
    KEYS[(slug, int(m.group(1)))] = m.group(2)
    return int(m.group(1))


def _act(admin, number, action, fields=None):
    page = admin.get(f'/admin/orders/{number}')
    assert page.status == 200, page.status
    f = dict(fields or {})
    f['csrf'] = page.csrf()
    return admin.post(f'/admin/orders/{number}/{action}', f)


def _one(stack, sql):
    return stack.query(sql)[0][0]


def _count(stack, tid, table):
    return int(_one(stack, f'SELECT COUNT(*) FROM s{tid}_{table}'))


def _line_ids(stack, tid, number):
    rows = stack.query(f'SELECT l.id, l.product_id FROM s{tid}_order_lines l'
                       f' JOIN s{tid}_orders o ON o.id = l.order_id'
                       f' WHERE o.number = {number} ORDER BY l.id')
    return {int(r[1]): int(r[0]) for r in rows}


def _stock(stack, tid, pid):
    return int(_one(stack, f'SELECT stock FROM s{tid}_products WHERE id ='
                           f' {pid}'))


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


def _order_tax(stack, p, oid, shipping, inclusive):
    """The VAT per rate of one order, from its lines and shipping:
    lines' own tax, and the shipping shared over the lines by what they
    cost, taxed per rate."""
    out = {}
    one = 1000000 if inclusive == '0' else 0
    lines = stack.query(f'SELECT tax_rate, subtotal - discount, tax FROM'
                        f' {p}order_lines WHERE order_id = {oid} ORDER'
                        ' BY id')
    rates = [int(r[0]) for r in lines]
    nets = [int(r[1]) for r in lines]
    for r in lines:
        out[int(r[0])] = out.get(int(r[0]), 0) + int(r[2])
    parts = _spread(int(shipping), nets)
    for rate in set(rates):
        part = sum(x for x, r in zip(parts, rates) if r == rate)
        out[rate] = out.get(rate, 0) + _half_up(part * rate,
                                                1000000 + rate - one)
    return out


def _tax_by_rate(stack, tid):
    """The VAT per rate of the shop's paid orders (prices with VAT)."""
    p = f's{tid}_'
    out = {}
    orders = stack.query(f'SELECT id, shipping, prices_include_tax FROM'
                         f' {p}orders WHERE paid_at IS NOT NULL')
    for oid, shipping, inclusive in orders:
        for rate, tax in _order_tax(stack, p, oid, shipping,
                                    inclusive).items():
            out[rate] = out.get(rate, 0) + tax
    return {k: v for k, v in out.items() if v}


def _muldiv(x, n, d):
    """x * n / d, half away from zero (quote_muldiv(), x >= 0)."""
    q, r = divmod(x * n, d)
    return q + (1 if 2 * r >= d else 0)


def _refund_tax_by_rate(stack, tid):
    """The VAT per rate given back by the shop's refunds, worked out as
    the issue's rules say: by lines, each line's tax for the units
    refunded so far less its tax before; by amount, the order's tax
    times what was refunded so far over its total, less the same before,
    shared over the order's rates by their tax (the units lost to
    flooring to the largest)."""
    p = f's{tid}_'
    out = {}
    for oid, shipping, inclusive, otax, total in stack.query(
            f'SELECT id, shipping, prices_include_tax, tax, total FROM'
            f' {p}orders WHERE paid_at IS NOT NULL'):
        sale = _order_tax(stack, p, oid, shipping, inclusive)
        before, units = 0, {}
        for rid, amount in stack.query(
                f"SELECT id, amount FROM {p}refunds WHERE order_id = {oid}"
                " AND status = 'succeeded' ORDER BY id"):
            lines = stack.query(
                f'SELECT rl.order_line_id, rl.qty, l.qty, l.tax, l.tax_rate'
                f' FROM {p}refund_lines rl JOIN {p}order_lines l ON l.id ='
                f' rl.order_line_id WHERE rl.refund_id = {rid}')
            for lid, k, q, ltax, rate in lines:
                k0 = units.get(lid, 0)
                k1 = k0 + int(k)
                units[lid] = k1
                t = _muldiv(int(ltax), k1, int(q)) - \
                    _muldiv(int(ltax), k0, int(q))
                out[int(rate)] = out.get(int(rate), 0) + t
            if not lines:
                t = _muldiv(int(otax), before + int(amount), int(total)) - \
                    _muldiv(int(otax), before, int(total))
                w = sum(sale.values())
                big = max(sale, key=lambda r: sale[r])
                given = 0
                for rate, v in sale.items():
                    share = t * v // w
                    out[rate] = out.get(rate, 0) + share
                    given += share
                out[big] += t - given
            before += int(amount)
    return out


def _report_tax(admin):
    """The tax report's CSV of the last days: {rate: tax} (DE)."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    one = datetime.timedelta(days=1)
    r = admin.get(f'/admin/reports/export?report=tax&from={today - one}'
                  f'&to={today + one}&group=day')
    assert r.status == 200, (r.status, r.text[:2000])
    rows = list(csv.reader(io.StringIO(r.body.decode('utf-8-sig'),
                                       newline='')))
    assert rows[0][:4] == ['Country', 'Tax rate (%)', 'Taxable amount',
                           'Tax'], rows[0]
    out = {}
    for country, rate, _, tax, cur in rows[1:]:
        assert country == 'DE' and cur == 'EUR', rows
        a, b = tax.lstrip('-').split('.')
        v = (int(a) * 100 + int(b)) * (-1 if tax.startswith('-') else 1)
        # Every taxable amount under a rate, shipping's and refunds by
        # amount's included (the books split them as the sale did).
        assert rate, rows
        out[round(float(rate) * 10000)] = v
    return out


def _ledger_tax(stack, tid):
    rows = stack.query(f"SELECT tax_rate, SUM(credit) FROM s{tid}_ledger"
                       " WHERE entry_kind = 'sale' AND account = 2200"
                       " GROUP BY tax_rate")
    return {int(r[0]) if r[0] is not None else None: int(r[1])
            for r in rows}


def test_ledger(stack):
    stack.start_mail()
    slug_a, ta, admin_a, loaf_a, jam_a = _shop(stack, 'leda')
    slug_b, tb, admin_b, loaf_b, jam_b = _shop(stack, 'ledb')

    a1 = _buy(stack, slug_a, {loaf_a: 3, jam_a: 2}, coupon='SAVE10')
    a2 = _buy(stack, slug_a, {loaf_a: 1, jam_a: 4})
    a3 = _buy(stack, slug_a, {jam_a: 1})
    b1 = _buy(stack, slug_b, {loaf_b: 2})
    b2 = _buy(stack, slug_b, {jam_b: 5, loaf_b: 1}, coupon='SAVE10')
    b3 = _buy(stack, slug_b, {loaf_b: 1})
    b4 = _buy(stack, slug_b, {jam_b: 1})
    assert b4 > a3      # a number shop A does not have
    # Placed: nothing in the books yet.
    assert _count(stack, ta, 'ledger') == 0

    # Marked paid: the sale and the payment, the page says so.
    for admin, n in ((admin_a, a1), (admin_a, a2), (admin_b, b1),
                     (admin_b, b2), (admin_b, b4)):
        assert _act(admin, n, 'paid').status == 303
    total_a1 = int(_one(stack, f'SELECT total FROM s{ta}_orders WHERE'
                               f' number = {a1}'))
    page = admin_a.get(f'/admin/orders/{a1}')
    assert page.status == 200
    assert 'action="/admin/orders/%d/refund"' % a1 in page.text
    assert 'Paid' in page.text and 'Bank transfer' in page.text
    # Unpaid: no refund form.
    page = admin_a.get(f'/admin/orders/{a3}')
    assert '/refund"' not in page.text

    # A cancelled unpaid order posts nothing.
    assert _act(admin_a, a3, 'cancel').status == 303
    assert _count(stack, ta, 'ledger') > 0
    assert int(_one(stack, f'SELECT COUNT(*) FROM s{ta}_ledger l JOIN'
                           f' s{ta}_orders o ON o.id = l.order_id WHERE'
                           f' o.number = {a3}')) == 0

    # Bad input: a message beside the field, nothing written.
    lines_a1 = _line_ids(stack, ta, a1)
    lines_a2 = _line_ids(stack, ta, a2)
    refunds0 = _count(stack, ta, 'refunds')
    ledger0 = _count(stack, ta, 'ledger')
    bad = [
        ({'amount': '-5'}, 'Enter an amount such as 12.50.'),
        ({'amount': '0'}, 'Enter an amount, or the quantities'),
        ({'amount': '99999'}, 'more than is left to refund of this order'),
        ({'amount': 'abc'}, 'Enter an amount such as 12.50.'),
        ({'amount': '1.234'}, 'Enter an amount such as 12.50.'),
        ({f'qty_{lines_a2[jam_a]}': '1'}, 'not part of this order'),
        ({f'qty_{lines_a1[jam_a]}': '3'},
         'more than is left to refund of this line'),
        ({f'qty_{lines_a1[jam_a]}': '-1'}, 'quantity of 0 or more'),
        ({f'qty_{lines_a1[jam_a]}': 'x'}, 'quantity of 0 or more'),
        ({'amount': '1.00', f'qty_{lines_a1[jam_a]}': '1'},
         'either an amount or lines'),
        ({'amount': '1.00', 'restock': '1'}, 'Only refunded lines'),
        ({'amount': '1.00', 'refund_reason': 'x' * 501},
         'at most 500 characters'),
    ]
    for fields, message in bad:
        r = _act(admin_a, a1, 'refund', fields)
        assert r.status == 422, (fields, r.status, r.text[:2000])
        assert message in r.text, (fields, message, r.text[:4000])
        assert 'class="ferr"' in r.text, fields
    assert _count(stack, ta, 'refunds') == refunds0
    assert _count(stack, ta, 'ledger') == ledger0
    assert _count(stack, ta, 'refund_lines') == 0
    # Without the form's token: refused.
    r = admin_a.post(f'/admin/orders/{a1}/refund', {'amount': '1.00'})
    assert r.status == 403 and _count(stack, ta, 'refunds') == refunds0

    # Shop A's form cannot reach shop B's order: B has b4, A has not.
    refunds_b = _count(stack, tb, 'refunds')
    page = admin_a.get(f'/admin/orders/{a1}')
    r = admin_a.post(f'/admin/orders/{b4}/refund',
                     {'csrf': page.csrf(), 'amount': '1.00'})
    assert r.status == 404, r.status
    assert _count(stack, tb, 'refunds') == refunds_b

    # By amount, then by lines (jam back in stock), then a line without.
    r = _act(admin_a, a1, 'refund', {'amount': '5.00',
                                     'refund_reason': 'Late delivery'})
    assert r.status == 303 and r.header('Location').endswith(
        'done=refunded'), (r.status, r.text[:2000])
    stock = _stock(stack, ta, jam_a)
    r = _act(admin_a, a1, 'refund', {f'qty_{lines_a1[jam_a]}': '2',
                                     'restock': '1',
                                     'refund_reason': 'Broken jar'})
    assert r.status == 303, (r.status, r.text[:3000])
    assert _stock(stack, ta, jam_a) == stock + 2
    loaf_stock = _stock(stack, ta, loaf_a)
    r = _act(admin_a, a2, 'refund', {f'qty_{lines_a2[loaf_a]}': '1'})
    assert r.status == 303 and _stock(stack, ta, loaf_a) == loaf_stock
    r = _act(admin_b, b2, 'refund', {f'qty_{_line_ids(stack, tb, b2)[jam_b]}':
                                     '2', 'restock': '1'})
    assert r.status == 303
    r = _act(admin_b, b1, 'refund', {'amount': '0.01'})
    assert r.status == 303

    # The jam's refund: its line's own figures, no more left of it.
    jam_line = stack.query(f'SELECT total, tax FROM s{ta}_order_lines WHERE'
                           f' id = {lines_a1[jam_a]}')[0]
    got = stack.query(f'SELECT amount, tax FROM s{ta}_refund_lines WHERE'
                      f' order_line_id = {lines_a1[jam_a]}')[0]
    assert [int(x) for x in got] == [int(x) for x in jam_line]
    page = admin_a.get(f'/admin/orders/{a1}')
    assert f'name="qty_{lines_a1[jam_a]}"' not in page.text
    assert f'name="qty_{lines_a1[loaf_a]}"' in page.text
    assert 'Late delivery' in page.text and 'Broken jar' in page.text
    refunded = 500 + int(jam_line[0])
    assert int(_one(stack, f"SELECT SUM(amount) FROM s{ta}_refunds")) == \
        refunded + int(_one(stack, f'SELECT SUM(amount) FROM s{ta}_refunds'
                                   f' r JOIN s{ta}_orders o ON o.id ='
                                   f' r.order_id WHERE o.number = {a2}'))

    # A paid order cancelled: the page says what is left to refund; the
    # stock comes back but for the jam the refund put back already.
    jam_stock, loaf_stock = _stock(stack, ta, jam_a), _stock(stack, ta,
                                                              loaf_a)
    assert _act(admin_a, a1, 'cancel').status == 303
    assert _stock(stack, ta, jam_a) == jam_stock
    assert _stock(stack, ta, loaf_a) == loaf_stock + 3
    page = admin_a.get(f'/admin/orders/{a1}')
    assert 'To refund' in page.text, page.text[:5000]
    r = _act(admin_a, a1, 'refund', {f'qty_{lines_a1[loaf_a]}': '1',
                                     'restock': '1'})
    assert r.status == 422 and 'went back in stock' in r.text
    r = _act(admin_a, a1, 'refund', {'amount': '%d.%02d' % divmod(
        total_a1 - refunded, 100)})
    assert r.status == 303
    page = admin_a.get(f'/admin/orders/{a1}')
    assert 'To refund' not in page.text and '/refund"' not in page.text

    # A return: b4's jar, shipped, asked back by the shopper, approved,
    # received (back in stock) and refunded by its line.
    assert _act(admin_b, b4, 'ship', {'carrier': 'DHL'}).status == 303
    guest = Client(stack.port, f'{slug_b}.localhost')
    key = KEYS[(slug_b, b4)]
    form = guest.get(f'/order/{b4}/return?key={key}')
    assert form.status == 200, (form.status, form.text[:2000])
    r = guest.post(f'/order/{b4}/return', {
        'csrf': form.csrf(), 'key': key,
        f'qty_{_line_ids(stack, tb, b4)[jam_b]}': '1', 'reason': 'damaged'})
    assert r.status == 303, (r.status, r.text[:3000])
    rid = int(_one(stack, f'SELECT id FROM s{tb}_returns'))
    stock = _stock(stack, tb, jam_b)
    for action in ('approve', 'receive', 'refund'):
        path = f'/admin/returns/{rid}'
        page = admin_b.get(path)
        f = {'csrf': page.csrf()}
        if action == 'receive':
            f['restock'] = '1'
        r = admin_b.post(f'{path}/{action}', f)
        assert r.status == 303, (action, r.status, r.text[:3000])
    assert _stock(stack, tb, jam_b) == stock + 1
    assert stack.query(f'SELECT r.status, f.status FROM s{tb}_returns r JOIN'
                       f' s{tb}_refunds f ON f.id = r.refund_id') == \
        [['refunded', 'succeeded']]

    # The books: balanced, and the tax per rate the orders and refunds
    # say, in the ledger and in the tax report.
    for slug in (slug_a, slug_b):
        r = stack.soukctl('shop', 'books-check', slug)
        assert r.returncode == 0 and ': 0 problems' in r.stdout, r.stdout
    for tid, admin in ((ta, admin_a), (tb, admin_b)):
        assert _ledger_tax(stack, tid) == _tax_by_rate(stack, tid)
        assert set(_ledger_tax(stack, tid)) == {190000, 70000}
        sold, back = _tax_by_rate(stack, tid), _refund_tax_by_rate(stack,
                                                                     tid)
        assert back.get(70000) and (tid == tb or back.get(190000)), back
        net = {k: sold.get(k, 0) - back.get(k, 0) for k in sold}
        rows = stack.query(f'SELECT tax_rate, SUM(credit) - SUM(debit) FROM'
                           f' s{tid}_ledger WHERE account = 2200 GROUP BY'
                           ' tax_rate')
        assert {int(r[0]): int(r[1]) for r in rows if r[0] is not None} \
            == net, (rows, net)
        assert _report_tax(admin) == net, (_report_tax(admin), net)
        refund_tax = int(_one(stack, f'SELECT COALESCE(SUM(tax), 0) FROM'
                                     f" s{tid}_refunds WHERE status ="
                                     " 'succeeded'"))
        assert int(_one(stack, f"SELECT COALESCE(SUM(debit), 0) FROM"
                               f" s{tid}_ledger WHERE entry_kind ="
                               " 'refund' AND account = 2200")) == refund_tax
    # A broken book is found: soukctl exits non-zero.
    stack.query(f'UPDATE s{tb}_orders SET paid_at = UTC_TIMESTAMP() WHERE'
                f' number = {b3}')
    r = stack.soukctl('shop', 'books-check', slug_b, check=False)
    assert r.returncode == 1 and f'order {b3}' in r.stdout, r.stdout

    # The shopper's mail about a refund.
    def refund_mail():
        for _, msg in mailbox():
            if 'refund' in str(msg['Subject']).lower():
                return msg
        return None
    wait_until(refund_mail, 20, 'a refund mail')
