"""Returns (issue 11, part 3) over the whole stack: a guest and a
signed-in shopper ask to return lines of a shipped order from its page;
the merchant approves, marks the goods received (back in stock) and
refunds (a refund row; the books balance), or refuses; each step mails
the shopper in the order's language (German here, while the shop and
its admin speak English), and the merchant hears of each request.
Refused: an order not shipped, past the window, a shop that takes no
returns, more than was bought, a line refunded already, a line of
another order, a wrong key, no token, another shop's return (404 both
ways); two requests for the same units at once: one wins."""
import re
import threading

from souk_client import Client, admin_login, mailbox
from shop_setup import selling_shop, add_to_cart, checkout_to_review, \
    place_fields
from wait import wait_until

SHOPPER_PW = 'correct horse battery'


def _one(stack, sql):
    return stack.query(sql)[0][0]


def _buy(stack, c, pid, qty):
    """Client c buys qty of pid by bank transfer: (number, access key)."""
    r = add_to_cart(stack, c, {'product_id': str(pid), 'qty': str(qty)})
    assert r.status == 303, (r.status, r.text[:2000])
    r = c.post('/checkout/place', place_fields(checkout_to_review(c)))
    assert r.status == 303, (r.status, r.text[:3000])
    m = re.match(r'/checkout/done/(\d+)\?key=([0-9a-f]{32})',
                 r.header('Location'))
    assert m, r.header('Location')
    return int(m.group(1)), m.group(2)


def _act(admin, path, action, fields=None):
    page = admin.get(path)
    assert page.status == 200, (path, page.status)
    f = dict(fields or {})
    f['csrf'] = page.csrf()
    return admin.post(f'{path}/{action}', f)


def _ship(stack, admin, tid, number):
    """Paid and shipped, the order's mails in German from now on."""
    path = f'/admin/orders/{number}'
    assert _act(admin, path, 'paid').status == 303
    assert _act(admin, path, 'ship', {'carrier': 'DHL'}).status == 303
    stack.query(f"UPDATE s{tid}_orders SET locale = 'de' WHERE number ="
                f' {number}')


def _line(stack, tid, number):
    return int(_one(stack, f'SELECT l.id FROM s{tid}_order_lines l JOIN'
                           f' s{tid}_orders o ON o.id = l.order_id WHERE'
                           f' o.number = {number} ORDER BY l.id LIMIT 1'))


def _stock(stack, tid, pid):
    return int(_one(stack, f'SELECT stock FROM s{tid}_products WHERE id ='
                           f' {pid}'))


def _count(stack, tid, table, where='1'):
    return int(_one(stack, f'SELECT COUNT(*) FROM s{tid}_{table} WHERE'
                           f' {where}'))


def _mail(to, *texts):
    """The first mail to address to whose subject and text hold every
    one of texts: (subject, text)."""
    def find():
        for _, msg in mailbox():
            if msg['To'] != to:
                continue
            subject = str(msg['Subject'])
            body = msg.get_body(('plain',)).get_content()
            if all(t in subject + '\n' + body for t in texts):
                return subject, body
        return None
    return wait_until(find, 20, f'a mail to {to} with {texts}')


def _shop(stack, prefix):
    slug, tid, pid = selling_shop(stack, prefix, stock=50)
    admin = admin_login(stack.port, slug, f'{slug}@x.test')
    return slug, tid, pid, admin


def test_returns_guest_approved_received_refunded(stack):
    stack.start_mail()
    slug, tid, pid, admin = _shop(stack, 'reta')
    slug_b, tid_b, pid_b, admin_b = _shop(stack, 'retb')
    host = f'{slug}.localhost'
    guest = Client(stack.port, host)
    n1, key = _buy(stack, guest, pid, 3)
    n2, key2 = _buy(stack, Client(stack.port, host), pid, 1)
    order_url = f'/order/{n1}?key={key}'
    form_url = f'/order/{n1}/return?key={key}'

    # Not shipped: no link, and the form's URL says why.
    page = guest.get(order_url)
    assert page.status == 200 and '/return?key=' not in page.text
    r = guest.get(form_url)
    assert r.status == 409 and 'once the order has been shipped' in r.text
    _ship(stack, admin, tid, n1)
    _ship(stack, admin, tid, n2)

    # Shipped: the link, and the form with the line and what is left.
    page = guest.get(order_url)
    assert f'href="{form_url}"' in page.text, page.text[:5000]
    line = _line(stack, tid, n1)
    form = guest.get(form_url)
    assert form.status == 200 and 'no-store' in form.header('Cache-Control')
    assert f'name="qty_{line}"' in form.text and 'max="3"' in form.text
    assert 'Arrived damaged or faulty' in form.text
    assert guest.get(f'/order/{n1}/return?key={"0" * 32}').status == 404
    assert guest.get(f'/order/{n1}/return').status == 404

    # Bad input: the form again with the message, nothing written.
    good = {'key': key, f'qty_{line}': '2', 'reason': 'damaged',
            'note': 'The crust was crushed.'}
    other_line = _line(stack, tid, n2)
    bad = [
        ({f'qty_{line}': '4'}, 'more than is left to return', 422),
        ({f'qty_{line}': '0'}, 'Choose how many', 422),
        ({f'qty_{line}': '-1'}, 'quantity of 0 or more', 422),
        ({'reason': ''}, 'Choose a reason', 422),
        ({'reason': 'bored'}, 'Choose a reason', 422),
        ({'note': 'x' * 1001}, 'at most 1000 characters', 422),
        ({f'qty_{line}': '0', f'qty_{other_line}': '1'},
         'not part of this order', 422),
        ({'key': '0' * 32}, 'does not exist', 404),
    ]
    for change, message, status in bad:
        f = dict(good)
        f.update(change)
        f['csrf'] = form.csrf()
        r = guest.post(f'/order/{n1}/return', f)
        assert r.status == status, (change, r.status, r.text[:3000])
        assert message in r.text, (change, message, r.text[:4000])
    r = guest.post(f'/order/{n1}/return', dict(good, csrf='f' * 32))
    assert r.status == 403
    assert _count(stack, tid, 'returns') == 0

    # Shop B's ids run elsewhere: 100 there, 1 here.
    stack.query(f'ALTER TABLE s{tid_b}_returns AUTO_INCREMENT = 100')
    nb, keyb = _buy(stack, Client(stack.port, f'{slug_b}.localhost'), pid_b,
                    1)
    _ship(stack, admin_b, tid_b, nb)
    stack.query(f"UPDATE s{tid_b}_orders SET email = 'b@example.com'")
    gb = Client(stack.port, f'{slug_b}.localhost')
    fb = gb.get(f'/order/{nb}/return?key={keyb}')
    r = gb.post(f'/order/{nb}/return', {
        'csrf': fb.csrf(), 'key': keyb, f'qty_{_line(stack, tid_b, nb)}':
        '1', 'reason': 'unwanted'})
    assert r.status == 303, (r.status, r.text[:3000])

    # Asked.
    r = guest.post(f'/order/{n1}/return', dict(good, csrf=form.csrf()))
    assert r.status == 303 and r.header('Location') == order_url, \
        (r.status, r.text[:3000])
    rid = int(_one(stack, f'SELECT id FROM s{tid}_returns'))
    assert rid == 1
    page = guest.get(order_url)
    assert 'Return 1' in page.text and 'Requested' in page.text
    assert 'The crust was crushed.' in page.text
    # One unit is left to return: the link stays, for at most 1.
    assert f'href="{form_url}"' in page.text
    assert 'max="1"' in guest.get(form_url).text
    subject, body = _mail('kaethe@example.com', str(n1), 'Rücksendeanfrage')
    assert '2 × Last loaf' in body and 'The crust was crushed.' in body
    subject, body = _mail(f'{slug}@x.test', f'Return 1 requested for order'
                          f' {n1}')
    assert f'/admin/returns/{rid}' in body

    # The merchant's list, its filter and the menu's count.
    page = admin.get('/admin/returns')
    assert page.status == 200 and f'href="/admin/returns/{rid}"' in page.text
    assert 'class="navcount"' in page.text
    assert 'href="/admin/returns/1"' not in admin.get(
        '/admin/returns?status=refused').text
    assert admin.get('/admin/returns?status=lost').status == 400
    assert f'href="/admin/returns/{rid}"' in admin.get(
        f'/admin/orders/{n1}').text

    # Isolation, both ways: each shop's ids are the other's 404.
    assert admin_b.get(f'/admin/returns/{rid}').status == 404
    assert admin.get('/admin/returns/100').status == 404
    page_b = admin_b.get('/admin/returns/100')
    assert page_b.status == 200
    r = admin_b.post(f'/admin/returns/{rid}/approve',
                     {'csrf': page_b.csrf()})
    assert r.status == 404
    r = admin_b.post(f'/admin/returns/{rid}/refund', {'csrf': page_b.csrf()})
    assert r.status == 404
    assert _one(stack, f'SELECT status FROM s{tid}_returns') == 'requested'

    # The guest's withdraw button, by the key only.
    page = guest.get(order_url)
    assert f'action="/order/{n1}/returns/{rid}/cancel"' in page.text
    r = guest.post(f'/order/{n1}/returns/{rid}/cancel',
                   {'csrf': page.csrf(), 'key': '0' * 32})
    assert r.status == 404

    # Refund before approval: refused; approved with a note.
    path = f'/admin/returns/{rid}'
    r = _act(admin, path, 'refund')
    assert r.status == 409 and 'Only an approved or received' in r.text
    r = _act(admin, path, 'approve', {'note': 'Send it to Hall 3.'})
    assert r.status == 303 and r.header('Location').endswith('done=approved')
    _, body = _mail('kaethe@example.com', 'genehmigt', str(n1))
    assert 'Send it to Hall 3.' in body
    r = _act(admin, path, 'approve')
    assert r.status == 303 and r.header('Location').endswith('done=same')
    page = guest.get(order_url)
    assert f'/returns/{rid}/cancel' not in page.text
    r = guest.post(f'/order/{n1}/returns/{rid}/cancel',
                   {'csrf': page.csrf(), 'key': key})
    assert r.status == 409

    # Received: back in stock (the box ticked by default).
    page = admin.get(path)
    assert 'name="restock" value="1" checked' in page.text
    stock = _stock(stack, tid, pid)
    r = _act(admin, path, 'receive', {'restock': '1'})
    assert r.status == 303
    assert _stock(stack, tid, pid) == stock + 2
    _mail('kaethe@example.com', 'angekommen', str(n1))

    # Refunded: the lines' own money, no second restock, the books.
    r = _act(admin, path, 'refund')
    assert r.status == 303 and r.header('Location').endswith('done=refunded')
    assert _stock(stack, tid, pid) == stock + 2
    row = stack.query(f'SELECT r.status, f.amount, f.restock FROM'
                      f' s{tid}_returns r JOIN s{tid}_refunds f ON f.id ='
                      f' r.refund_id')[0]
    unit = int(_one(stack, f'SELECT total DIV qty FROM s{tid}_order_lines'
                           f' WHERE id = {line}'))
    assert row == ['refunded', str(2 * unit), '0'], row
    assert _count(stack, tid, 'refund_lines', f'order_line_id = {line}'
                  ' AND qty = 2') == 1
    r = _act(admin, path, 'refund')
    assert r.status == 303 and r.header('Location').endswith('done=same')
    assert _count(stack, tid, 'refunds') == 1
    for s in (slug, slug_b):
        r = stack.soukctl('shop', 'books-check', s)
        assert r.returncode == 0 and ': 0 problems' in r.stdout, r.stdout
    page = guest.get(order_url)
    assert 'Refunded' in page.text
    _mail('kaethe@example.com', str(n1), 'Erstattung')


def _shopper(stack, host, email):
    c = Client(stack.port, host)
    f = {'name': 'Käthe Kruse', 'email': email, 'password': SHOPPER_PW}
    r = c.submit('/account/register', '/account/register', f)
    assert r.status == 303, r.status
    r = c.submit('/account/login', '/account/login',
                 {'email': email, 'password': SHOPPER_PW})
    assert r.status == 303, r.status
    return c


def test_returns_signed_in_refused_window_refunded_race(stack):
    stack.start_mail()
    slug, tid, pid, admin = _shop(stack, 'retc')
    host = f'{slug}.localhost'
    anna = _shopper(stack, host, f'anna.{tid}@example.com')
    n1, _ = _buy(stack, anna, pid, 2)
    n2, _ = _buy(stack, anna, pid, 1)
    n3, key3 = _buy(stack, anna, pid, 2)
    for n in (n1, n2, n3):
        _ship(stack, admin, tid, n)
    stack.query(f"UPDATE s{tid}_orders SET email = 'anna@example.com'")
    line = _line(stack, tid, n1)

    # Her order page links the form; another shopper gets 404.
    page = anna.get(f'/account/orders/{n1}')
    assert f'href="/account/orders/{n1}/return"' in page.text
    other = _shopper(stack, host, f'o.{tid}@example.com')
    assert other.get(f'/account/orders/{n1}/return').status == 404
    form = anna.get(f'/account/orders/{n1}/return')
    assert form.status == 200 and 'acct-layout' in form.text
    r = other.post(f'/account/orders/{n1}/return', {
        'csrf': other.get('/account/orders').csrf(),
        f'qty_{line}': '1', 'reason': 'other'})
    assert r.status == 404
    assert Client(stack.port, host).get(
        f'/account/orders/{n1}/return').status == 302

    # Asked, then refused with a note: mailed, shown, units free again.
    r = anna.post(f'/account/orders/{n1}/return', {
        'csrf': form.csrf(), f'qty_{line}': '1', 'reason': 'wrong_item'})
    assert r.status == 303 and r.header('Location') == \
        f'/account/orders/{n1}', (r.status, r.text[:3000])
    rid = int(_one(stack, f'SELECT MAX(id) FROM s{tid}_returns'))
    _mail('anna@example.com', 'Rücksendeanfrage', str(n1))
    r = _act(admin, f'/admin/returns/{rid}', 'refuse',
             {'note': 'Opened and eaten.'})
    assert r.status == 303
    _, body = _mail('anna@example.com', 'Opened and eaten.', str(n1))
    assert 'Rücksendung nicht angenommen' in body, body
    page = anna.get(f'/account/orders/{n1}')
    assert 'Refused' in page.text and 'Opened and eaten.' in page.text
    assert 'max="2"' in anna.get(f'/account/orders/{n1}/return').text
    r = _act(admin, f'/admin/returns/{rid}', 'approve')
    assert r.status == 409 and 'present state' in r.text

    # Asked again and withdrawn by her while it waits; not once handled.
    form = anna.get(f'/account/orders/{n1}/return')
    r = anna.post(f'/account/orders/{n1}/return', {
        'csrf': form.csrf(), f'qty_{line}': '2', 'reason': 'unwanted'})
    assert r.status == 303
    rid2 = int(_one(stack, f'SELECT MAX(id) FROM s{tid}_returns'))
    page = anna.get(f'/account/orders/{n1}')
    action = f'/account/orders/{n1}/returns/{rid2}/cancel'
    assert f'action="{action}"' in page.text
    assert f'/returns/{rid}/cancel' not in page.text
    r = anna.post(f'/account/orders/{n2}/returns/{rid2}/cancel',
                  {'csrf': page.csrf()})
    assert r.status == 404
    r = other.post(action, {'csrf': other.get('/account/orders').csrf()})
    assert r.status == 404
    r = anna.post(f'/account/orders/{n1}/returns/{rid}/cancel',
                  {'csrf': page.csrf()})
    assert r.status == 409 and 'no longer be withdrawn' in r.text
    r = anna.post(action, {'csrf': page.csrf()})
    assert r.status == 303 and r.header('Location') == \
        f'/account/orders/{n1}'
    assert _one(stack, f'SELECT status FROM s{tid}_returns WHERE id ='
                       f' {rid2}') == 'cancelled'
    assert 'max="2"' in anna.get(f'/account/orders/{n1}/return').text

    # A line refunded already by hand cannot be returned.
    line2 = _line(stack, tid, n2)
    r = _act(admin, f'/admin/orders/{n2}', 'refund', {f'qty_{line2}': '1'})
    assert r.status == 303, (r.status, r.text[:3000])
    assert '/return"' not in anna.get(f'/account/orders/{n2}').text
    r = anna.get(f'/account/orders/{n2}/return')
    assert r.status == 409 and 'refunded already' in r.text
    r = anna.post(f'/account/orders/{n2}/return', {
        'csrf': form.csrf(), f'qty_{line2}': '1', 'reason': 'other'})
    assert r.status == 409

    # Two requests for the same units at once: one wins.
    line3 = _line(stack, tid, n3)
    g1, g2 = Client(stack.port, host), Client(stack.port, host)
    f1 = g1.get(f'/order/{n3}/return?key={key3}')
    f2 = g2.get(f'/order/{n3}/return?key={key3}')
    got = []

    def ask(c, page):
        got.append(c.post(f'/order/{n3}/return', {
            'csrf': page.csrf(), 'key': key3, f'qty_{line3}': '2',
            'reason': 'unwanted'}).status)
    ts = [threading.Thread(target=ask, args=a) for a in ((g1, f1), (g2, f2))]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert sorted(got) in ([303, 409], [303, 422]), got
    oid3 = _one(stack, f'SELECT id FROM s{tid}_orders WHERE number = {n3}')
    assert _count(stack, tid, 'returns', f'order_id = {oid3}') == 1

    # Past the window: no link, and the URL says why.
    stack.query(f'UPDATE s{tid}_orders SET shipped_at = UTC_TIMESTAMP() -'
                f' INTERVAL 31 DAY WHERE number = {n1}')
    assert '/return"' not in anna.get(f'/account/orders/{n1}').text
    r = anna.get(f'/account/orders/{n1}/return')
    assert r.status == 409 and 'within 30 days' in r.text

    # The merchant's settings: 60 days opens it again; 0, none at all.
    page = admin.get('/admin/returns')
    r = admin.post('/admin/returns/settings', {
        'csrf': page.csrf(), 'return_days': '3651'})
    assert r.status == 422 and 'from 0 to 3650' in r.text
    r = admin.post('/admin/returns/settings', {
        'csrf': page.csrf(), 'return_days': '60',
        'return_policy': 'Unopened loaves only.\nKeep the receipt.'})
    assert r.status == 303
    form = anna.get(f'/account/orders/{n1}/return')
    assert form.status == 200 and 'Unopened loaves only.' in form.text
    assert 'within 60 days' in form.text
    r = admin.post('/admin/returns/settings', {
        'csrf': page.csrf(), 'return_days': '0'})
    assert r.status == 303
    r = anna.get(f'/account/orders/{n1}/return')
    assert r.status == 409 and 'does not take returns' in r.text


def test_returns_browser_shots(stack):
    """The shopper's form and the admin's pages in Chromium; the PNGs
    stay in build/screenshots/returns/: look at them."""
    import os
    import subprocess
    repo = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    pw = os.path.join(repo, 'tests', 'browser', 'node_modules',
                      'playwright-core')
    if not os.path.isdir(pw):
        raise stack.Skip('playwright-core is not installed')
    slug, tid, pid, admin = _shop(stack, 'rets')
    page = admin.get('/admin/returns')
    r = admin.post('/admin/returns/settings', {
        'csrf': page.csrf(), 'return_days': '30',
        'return_policy': 'Unopened goods within 30 days of delivery.\n'
                         'Bread and cakes only when they arrived damaged.'})
    assert r.status == 303
    number, key = _buy(stack, Client(stack.port, f'{slug}.localhost'), pid,
                       3)
    _ship(stack, admin, tid, number)
    out = os.path.join(repo, 'build', 'screenshots', 'returns')
    os.makedirs(out, exist_ok=True)
    r = subprocess.run(
        ['node', os.path.join(repo, 'tests', 'browser', 'returns_shots.mjs'),
         f'http://{slug}.localhost:{stack.port}', out, f'{slug}@x.test',
         SHOPPER_PW, str(number), key],
        cwd=os.path.join(repo, 'tests', 'browser'), capture_output=True,
        text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    assert 'returns shots: ok' in r.stdout
    for png in ('shop-return-form', 'shop-return-form-phone',
                'shop-return-errors', 'shop-order-with-return',
                'admin-returns', 'admin-return', 'admin-return-approved'):
        path = os.path.join(out, png + '.png')
        assert os.path.getsize(path) > 5000, path
    assert _one(stack, f'SELECT status FROM s{tid}_returns') == 'approved'
