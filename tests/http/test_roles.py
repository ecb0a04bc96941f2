"""Staff roles: every admin route tried with every role, from the table
below, against the permission table it writes down independently of
souk's (fcgi-app/shop/perm.c); the table lists every route of the
admin's C route tables (checked). Then the team: the owner invites a
clerk by e-mail, the link is single-use, the invitation counts against
the plan, the clerk's role changes at once, and a removed clerk's open
session is refused on the next request."""
import glob
import os
import re

from souk_client import Client, admin_login, mail_names, wait_mail
from wc_setup import shop

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PW = 'correct horse battery'

# What each role may do: the issue's words (a clerk handles orders but
# not settings, payments or staff; a manager everything but staff and
# plan), made a table.
ALLOWED = {
    'dashboard': {'owner', 'manager', 'clerk'},
    'orders': {'owner', 'manager', 'clerk'},
    'refunds': {'owner', 'manager'},
    'returns': {'owner', 'manager', 'clerk'},
    'customers': {'owner', 'manager', 'clerk'},
    'catalog': {'owner', 'manager'},
    'reports': {'owner', 'manager'},
    'coupons': {'owner', 'manager'},
    'shipping': {'owner', 'manager'},
    'payments': {'owner', 'manager'},
    'settings': {'owner', 'manager'},
    'integrations': {'owner', 'manager'},
    'audit': {'owner', 'manager'},
    'staff': {'owner'},
    'plan': {'owner'},
}

# Every admin route (method, pattern) and the permission it needs.
ROUTES = [
    ('POST', '/admin/logout', 'dashboard'),
    ('GET', '/admin', 'dashboard'),
    ('GET', '/admin/orders', 'orders'),
    ('GET', '/admin/orders/:number', 'orders'),
    ('POST', '/admin/orders/:number/paid', 'orders'),
    ('POST', '/admin/orders/:number/ship', 'orders'),
    ('POST', '/admin/orders/:number/complete', 'orders'),
    ('POST', '/admin/orders/:number/cancel', 'orders'),
    ('POST', '/admin/orders/:number/note', 'orders'),
    ('POST', '/admin/orders/:number/refund', 'refunds'),
    ('GET', '/admin/orders/:number/packing-slip', 'orders'),
    ('GET', '/admin/orders/:number/invoice', 'orders'),
    ('GET', '/admin/orders/:number/credit-notes/:refund', 'orders'),
    ('GET', '/admin/returns', 'returns'),
    ('POST', '/admin/returns/settings', 'settings'),
    ('GET', '/admin/returns/:id', 'returns'),
    ('POST', '/admin/returns/:id/approve', 'returns'),
    ('POST', '/admin/returns/:id/refuse', 'returns'),
    ('POST', '/admin/returns/:id/receive', 'returns'),
    ('POST', '/admin/returns/:id/cancel', 'returns'),
    ('POST', '/admin/returns/:id/refund', 'refunds'),
    ('GET', '/admin/customers', 'customers'),
    ('GET', '/admin/customers/:id', 'customers'),
    ('GET', '/admin/products', 'catalog'),
    ('POST', '/admin/products', 'catalog'),
    ('GET', '/admin/products/new', 'catalog'),
    ('GET', '/admin/products/export', 'catalog'),
    ('GET', '/admin/products/:id', 'catalog'),
    ('POST', '/admin/products/:id', 'catalog'),
    ('POST', '/admin/products/:id/delete', 'catalog'),
    ('POST', '/admin/products/:id/images', 'catalog'),
    ('POST', '/admin/products/:id/image', 'catalog'),
    ('POST', '/admin/products/:id/images/:image/up', 'catalog'),
    ('POST', '/admin/products/:id/images/:image/down', 'catalog'),
    ('POST', '/admin/products/:id/images/:image/delete', 'catalog'),
    ('POST', '/admin/products/:id/images/:image/alt', 'catalog'),
    ('GET', '/admin/products/:id/variants', 'catalog'),
    ('POST', '/admin/products/:id/variants', 'catalog'),
    ('POST', '/admin/products/:id/variants/generate', 'catalog'),
    ('POST', '/admin/products/:id/variants/:vid/delete', 'catalog'),
    ('GET', '/admin/categories', 'catalog'),
    ('POST', '/admin/categories', 'catalog'),
    ('GET', '/admin/attributes', 'catalog'),
    ('POST', '/admin/attributes', 'catalog'),
    ('GET', '/admin/attributes/:id', 'catalog'),
    ('POST', '/admin/attributes/:id', 'catalog'),
    ('POST', '/admin/attributes/:id/delete', 'catalog'),
    ('GET', '/admin/import', 'catalog'),
    ('POST', '/admin/import', 'catalog'),
    ('GET', '/admin/import/too-large', 'catalog'),
    ('GET', '/admin/import/:id', 'catalog'),
    ('POST', '/admin/import/:id/start', 'catalog'),
    ('POST', '/admin/import/:id/discard', 'catalog'),
    ('GET', '/admin/reports', 'reports'),
    ('GET', '/admin/reports/export', 'reports'),
    ('GET', '/admin/coupons', 'coupons'),
    ('GET', '/admin/coupons/new', 'coupons'),
    ('POST', '/admin/coupons', 'coupons'),
    ('GET', '/admin/coupons/:id', 'coupons'),
    ('POST', '/admin/coupons/:id', 'coupons'),
    ('POST', '/admin/coupons/:id/active', 'coupons'),
    ('GET', '/admin/shipping', 'shipping'),
    ('GET', '/admin/shipping/new', 'shipping'),
    ('POST', '/admin/shipping', 'shipping'),
    ('GET', '/admin/shipping/:id', 'shipping'),
    ('POST', '/admin/shipping/:id', 'shipping'),
    ('POST', '/admin/shipping/:id/delete', 'shipping'),
    ('GET', '/admin/shipping/:id/methods/new', 'shipping'),
    ('POST', '/admin/shipping/:id/methods', 'shipping'),
    ('GET', '/admin/shipping/:id/methods/:mid', 'shipping'),
    ('POST', '/admin/shipping/:id/methods/:mid', 'shipping'),
    ('POST', '/admin/shipping/:id/methods/:mid/delete', 'shipping'),
    ('GET', '/admin/taxes', 'shipping'),
    ('POST', '/admin/taxes', 'shipping'),
    ('GET', '/admin/taxes/rates/new', 'shipping'),
    ('POST', '/admin/taxes/rates', 'shipping'),
    ('GET', '/admin/taxes/rates/:id', 'shipping'),
    ('POST', '/admin/taxes/rates/:id', 'shipping'),
    ('POST', '/admin/taxes/rates/:id/delete', 'shipping'),
    ('GET', '/admin/payments', 'payments'),
    ('POST', '/admin/payments', 'payments'),
    ('POST', '/admin/payments/stripe', 'payments'),
    ('POST', '/admin/payments/stripe/disconnect', 'payments'),
    ('GET', '/admin/settings', 'settings'),
    ('POST', '/admin/settings', 'settings'),
    ('POST', '/admin/settings/logo', 'settings'),
    ('GET', '/admin/api-keys', 'integrations'),
    ('POST', '/admin/api-keys', 'integrations'),
    ('POST', '/admin/api-keys/:id/revoke', 'integrations'),
    ('GET', '/admin/webhooks', 'integrations'),
    ('GET', '/admin/webhooks/new', 'integrations'),
    ('POST', '/admin/webhooks', 'integrations'),
    ('GET', '/admin/webhooks/:id', 'integrations'),
    ('POST', '/admin/webhooks/:id', 'integrations'),
    ('POST', '/admin/webhooks/:id/status', 'integrations'),
    ('POST', '/admin/webhooks/:id/delete', 'integrations'),
    ('GET', '/admin/audit', 'audit'),
    ('GET', '/admin/theme', 'settings'),
    ('POST', '/admin/theme', 'settings'),
    ('GET', '/admin/domains', 'settings'),
    ('POST', '/admin/domains', 'settings'),
    ('POST', '/admin/domains/verify', 'settings'),
    ('POST', '/admin/domains/remove', 'settings'),
    ('GET', '/admin/plan', 'plan'),
    ('POST', '/admin/plan', 'plan'),
    ('GET', '/admin/staff', 'staff'),
    ('POST', '/admin/staff/invite', 'staff'),
    ('POST', '/admin/staff/:id/role', 'staff'),
    ('POST', '/admin/staff/:id/remove', 'staff'),
    ('POST', '/admin/staff/invites/:id/cancel', 'staff'),
]

# Routes before login: anyone (no role to check).
ANON = {('GET', '/admin/login'), ('POST', '/admin/login'),
        ('GET', '/admin/invite/:token'), ('POST', '/admin/invite/:token')}


def _c_routes():
    """(method, pattern) of every route in the admin's C tables."""
    found = set()
    for path in glob.glob(os.path.join(REPO, 'fcgi-app', 'web', '*.c')):
        text = open(path, encoding='utf-8').read()
        for m in re.finditer(r'\{ HTTP_(GET|POST),\s*"(/admin[^"]*)"', text):
            found.add((m.group(1), m.group(2)))
    return found


# Queries a route needs to be answered past its fields' check (a bad
# query is a 400 before the session is looked at).
QUERY = {'/admin/products/export': '?format=woo',
         '/admin/reports/export': '?report=sales'}


def _path(pattern):
    """A pattern with its parameters: ids no row has, so that what is
    allowed answers 404 (or a form's 4xx) and changes nothing."""
    return re.sub(r':\w+', '999999', pattern) + QUERY.get(pattern, '')


def _staff(stack, tid, slug, role):
    email = f'{role}-{stack.unique("r")}@{slug}.test'
    stack.query(f"INSERT INTO s{tid}_staff (email, pw_hash, role) SELECT "
                f"'{email}', pw_hash, '{role}' FROM s{tid}_staff WHERE "
                "role = 'owner'")
    return admin_login(stack.port, slug, email), email


def test_roles_every_route(stack):
    c_routes = _c_routes()
    listed = {(m, p) for m, p, _ in ROUTES}
    assert c_routes - ANON == listed, (
        f'routes not in the test: {sorted(c_routes - ANON - listed)}; '
        f'in the test, not in souk: {sorted(listed - c_routes)}')
    owner, tid, slug = shop(stack, 'roles')
    clients = {'owner': owner,
               'manager': _staff(stack, tid, slug, 'manager')[0],
               'clerk': _staff(stack, tid, slug, 'clerk')[0]}
    csrf = {role: c.get('/admin/orders').csrf()
            for role, c in clients.items()}
    wrong = []
    for method, pattern, perm in ROUTES:
        if pattern == '/admin/logout':
            continue    # tried last: it ends the session
        for role, c in clients.items():
            if method == 'GET':
                r = c.get(_path(pattern))
            else:
                r = c.post(_path(pattern), {'csrf': csrf[role]})
            refused = r.status == 403 and 'does not allow this' in r.text
            if refused == (role in ALLOWED[perm]):
                wrong.append((role, method, pattern, r.status))
    assert not wrong, wrong
    # The refusal names the role.
    r = clients['clerk'].get('/admin/settings')
    assert r.status == 403 and 'Your role, Clerk, does not allow this' \
        in r.text, r.text[:2000]
    # The Staff page shows the same table souk enforces.
    page = owner.get('/admin/staff')
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>',
                      page.text)
    assert len(rows) == len(ALLOWED)
    # The menus show a clerk only what it may open.
    page = clients['clerk'].get('/admin')
    assert 'href="/admin/orders"' in page.text
    for link in ('/admin/products', '/admin/settings', '/admin/reports',
                 '/admin/payments'):
        assert f'href="{link}"' not in page.text, link
    for role, c in clients.items():
        r = c.post('/admin/logout', {'csrf': csrf[role]})
        assert r.status == 303, (role, r.status)


def _invite_link(stack, email, seen):
    _, msg = wait_mail(email, seen)
    body = msg.get_body(('plain',)).get_content()
    m = re.search(r'(http://\S+/admin/invite/[0-9a-f]{64})', body)
    assert m, body
    return m.group(1), msg


def test_roles_invite_change_remove(stack):
    owner, tid, slug = shop(stack, 'team')
    code = stack.unique('rteam')
    stack.soukctl('plan', 'create', code, '--name', 'Duo', '--price', '0',
                  '--staff', '1')
    stack.soukctl('plan', 'assign', slug, code)
    email = f'clerk-{slug}@team.test'
    seen = mail_names()
    r = owner.submit('/admin/staff', '/admin/staff/invite',
                     {'email': email.upper(), 'role': 'clerk'})
    assert r.status == 303, r.text[:2000]
    link, msg = _invite_link(stack, email, seen)
    assert 'You are invited to join' in msg['Subject']
    path = link[link.index('/admin/invite/'):]
    # One open invitation fills the plan's one staff place.
    r = owner.submit('/admin/staff', '/admin/staff/invite',
                     {'email': f'two-{slug}@team.test', 'role': 'manager'})
    assert r.status == 403 and 'Duo' in r.text, r.text[:2000]
    # A new link for the same address replaces the first (still fits).
    seen = mail_names()
    r = owner.submit('/admin/staff', '/admin/staff/invite',
                     {'email': email, 'role': 'clerk'})
    assert r.status == 303
    link2, _ = _invite_link(stack, email, seen)
    path2 = link2[link2.index('/admin/invite/'):]
    guest = Client(stack.port, f'{slug}.localhost')
    assert guest.get(path).status == 410
    page = guest.get(path2)
    assert page.status == 200 and email in page.text and 'Clerk' in page.text
    assert page.header('Referrer-Policy') == 'no-referrer'
    r = guest.post(path2, {'csrf': page.csrf(), 'password': 'short',
                           'password2': 'short'})
    assert r.status == 422 and 'at least 8 characters' in r.text
    r = guest.post(path2, {'csrf': page.csrf(), 'password': PW,
                           'password2': PW + 'x'})
    assert r.status == 422 and 'differ' in r.text
    r = guest.post(path2, {'csrf': page.csrf(), 'password': PW,
                           'password2': PW})
    assert r.status == 303 and r.header('Location') == '/admin'
    clerk = guest
    assert clerk.get('/admin/orders').status == 200
    assert clerk.get('/admin/products').status == 403
    # Single use.
    other = Client(stack.port, f'{slug}.localhost')
    assert other.get(path2).status == 410
    p = other.get('/admin/login')
    assert other.post(path2, {'csrf': p.csrf(), 'password': PW,
                              'password2': PW}).status == 410
    # Another shop's link is not this shop's.
    _, _, slug_b = shop(stack, 'teamb')
    assert Client(stack.port, f'{slug_b}.localhost').get(
        path2).status == 410
    sid = int(stack.query(f"SELECT id FROM s{tid}_staff WHERE email = "
                          f"'{email}'")[0][0])
    # A role change holds at the clerk's next request.
    page = owner.get('/admin/staff')
    assert email in page.text
    r = owner.post(f'/admin/staff/{sid}/role', {'csrf': page.csrf(),
                                                'role': 'manager'})
    assert r.status == 303
    assert clerk.get('/admin/products').status == 200
    # The owner cannot be changed or removed.
    owner_id = int(stack.query(f"SELECT id FROM s{tid}_staff WHERE role = "
                               "'owner'")[0][0])
    assert owner.post(f'/admin/staff/{owner_id}/remove',
                      {'csrf': page.csrf()}).status == 404
    assert owner.post(f'/admin/staff/{owner_id}/role', {
        'csrf': page.csrf(), 'role': 'clerk'}).status == 404
    # Removed: the open session is refused on the next request.
    r = owner.post(f'/admin/staff/{sid}/remove', {'csrf': page.csrf()})
    assert r.status == 303
    r = clerk.get('/admin/orders')
    assert r.status in (302, 303) and r.header('Location') == '/admin/login', \
        (r.status, r.header('Location'), r.text[:1000])
    assert stack.query(f"SELECT COUNT(*) FROM s{tid}_sessions WHERE "
                       f"staff_id = {sid}") == [['0']]
    # The place is free again; a withdrawn invitation's link is dead.
    seen = mail_names()
    r = owner.submit('/admin/staff', '/admin/staff/invite',
                     {'email': f'three-{slug}@team.test', 'role': 'clerk'})
    assert r.status == 303
    link3, _ = _invite_link(stack, f'three-{slug}@team.test', seen)
    iid = stack.query("SELECT id FROM souk_staff_invites WHERE tenant_id = "
                      f"{tid}")[0][0]
    page = owner.get('/admin/staff')
    assert owner.post(f'/admin/staff/invites/{iid}/cancel',
                      {'csrf': page.csrf()}).status == 303
    assert Client(stack.port, f'{slug}.localhost').get(
        link3[link3.index('/admin/invite/'):]).status == 410
    # Bad input: a bad address, an unknown role, a staff member.
    r = owner.submit('/admin/staff', '/admin/staff/invite',
                     {'email': 'not an address', 'role': 'clerk'})
    assert r.status == 422
    r = owner.submit('/admin/staff', '/admin/staff/invite',
                     {'email': f'x-{slug}@team.test', 'role': 'owner'})
    assert r.status == 422
    r = owner.submit('/admin/staff', '/admin/staff/invite',
                     {'email': f'{slug}@api.test', 'role': 'clerk'})
    assert r.status == 422 and 'on the staff already' in r.text
