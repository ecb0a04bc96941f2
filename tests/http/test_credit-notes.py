"""Credit notes (issue 11, part 7): each refund that succeeds gets one,
numbered per shop from CN-1 in a series of its own, printable from the
admin's order page and, through the same key check as the invoice, by
the shopper; it names the invoice it corrects and shows the refunded
lines, the tax per rate and negative totals. Also the invoice's tax
summary: the shipping split over the goods' rates, a row per rate."""
import re

from souk_client import Client
from test_reports import _shop, _buy, _act, _line_ids, _dec


def _money_cells(text, label):
    """The net and tax cells of the tax summary's row named label."""
    m = re.search(re.escape(label) + r'</td><td class="num">([^<]*)</td>'
                  r'<td class="num">([^<]*)</td>', text)
    assert m, (label, text[:6000])
    return [_dec(v.replace('€', '').replace(',', '').replace('−', '-'))
            for v in m.groups()]


def test_credit_notes(stack):
    slug, tid, admin, loaf, jam = _shop(stack, 'cna')
    slug_b, tid_b, admin_b, _, _ = _shop(stack, 'cnb')
    p = f's{tid}_'
    n1 = _buy(stack, slug, {loaf: 3, jam: 2})
    n2 = _buy(stack, slug, {loaf: 1})
    for n in (n1, n2):
        assert _act(admin, n, 'paid').status == 303

    # The invoice: shipping (4.90 with VAT) split over 19 % and 7 %.
    t = admin.get(f'/admin/orders/{n1}/invoice').text
    ship, ship_tax = [int(x) for x in stack.query(
        f'SELECT shipping, shipping_tax FROM {p}orders WHERE number ='
        f' {n1}')[0]]
    hi = _money_cells(t, 'Shipping, tax 19 %')
    lo = _money_cells(t, 'Shipping, tax 7 %')
    assert hi[1] + lo[1] == ship_tax and hi[1] > 0 and lo[1] > 0, (hi, lo)
    assert hi[0] + hi[1] + lo[0] + lo[1] == ship, (hi, lo, ship)
    assert '>Shipping</td><td class="num">' not in t

    # No refund, no note.
    page = admin.get(f'/admin/orders/{n1}')
    assert 'credit-notes/' not in page.text
    lines = _line_ids(stack, tid, n1)
    r = _act(admin, n1, 'refund', {f'qty_{lines[jam]}': '1',
                                   'refund_reason': 'Broken jar'})
    assert r.status == 303, (r.status, r.text[:2000])
    r = _act(admin, n1, 'refund', {'amount': '2.00'})
    assert r.status == 303
    r = _act(admin, n2, 'refund', {'amount': '1.00'})
    assert r.status == 303
    rows = stack.query(f"SELECT i.number, i.refund_id, o.number, r.amount,"
                       f" r.tax FROM {p}invoices i JOIN {p}refunds r ON"
                       f" r.id = i.refund_id JOIN {p}orders o ON o.id ="
                       f" i.order_id WHERE i.kind = 'credit_note' ORDER BY"
                       " i.number")
    assert [(int(x[0]), int(x[2])) for x in rows] == [(1, n1), (2, n1),
                                                      (3, n2)], rows
    assert int(stack.query(f'SELECT COUNT(*) FROM {p}refunds')[0][0]) == 3
    cn1, cn2, cn3 = [int(x[1]) for x in rows]

    # The admin: links on the order page, the notes.
    page = admin.get(f'/admin/orders/{n1}')
    assert f'/admin/orders/{n1}/credit-notes/{cn1}' in page.text
    assert f'/admin/orders/{n1}/credit-notes/{cn2}' in page.text
    assert 'Credit note CN-1' in page.text
    r = admin.get(f'/admin/orders/{n1}/credit-notes/{cn1}')
    assert r.status == 200 and 'no-store' in r.header('Cache-Control')
    t = r.text
    assert 'Credit note CN-1' in t and 'Corrects invoice 1' in t
    assert 'Jam' in t and 'Last loaf' not in t and 'Broken jar' in t
    amount, tax = int(rows[0][3]), int(rows[0][4])
    assert _money_cells(t, 'Tax 7 %') == [-(amount - tax), -tax]
    total = re.search(r'<dd class="total">([^<]*)</dd>', t).group(1)
    assert total == '-€%d.%02d' % divmod(amount, 100), total
    # By amount: one line, the tax shared over the sale's rates.
    t = admin.get(f'/admin/orders/{n1}/credit-notes/{cn2}').text
    assert 'Credit note CN-2' in t and 'Refund of the order' in t
    assert re.search(r'<dd class="total">-€2\.00</dd>', t), t
    # Another order's refund under this order, a refund of none, another
    # shop: nothing.
    assert admin.get(f'/admin/orders/{n1}/credit-notes/{cn3}').status == 404
    assert admin.get(f'/admin/orders/{n1}/credit-notes/99999').status == 404
    assert admin.get(f'/admin/orders/{n1}/credit-notes/x').status == 404
    assert admin_b.get(f'/admin/orders/{n1}/credit-notes/{cn1}'
                       ).status == 404
    anon = Client(stack.port, f'{slug}.localhost')
    r = anon.get(f'/admin/orders/{n1}/credit-notes/{cn1}')
    assert r.status in (302, 303), r.status

    # The shopper, by the order's key.
    key = stack.query(f'SELECT access_key FROM {p}orders WHERE number ='
                      f' {n1}')[0][0]
    page = anon.get(f'/order/{n1}?key={key}')
    assert f'/order/{n1}/credit-notes/{cn1}?key={key}' in page.text
    r = anon.get(f'/order/{n1}/credit-notes/{cn1}?key={key}')
    assert r.status == 200 and 'Credit note CN-1' in r.text
    assert 'no-store' in r.header('Cache-Control')
    for bad in (f'/order/{n1}/credit-notes/{cn1}?key=' + '0' * 32,
                f'/order/{n1}/credit-notes/{cn1}',
                f'/order/{n1}/credit-notes/{cn3}?key={key}',
                f'/order/{n2}/credit-notes/{cn3}?key={key}'):
        assert anon.get(bad).status == 404, bad
    assert slug_b and tid_b
