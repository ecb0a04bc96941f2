"""Plans in the operator console (/operator/plans: create, edit, bad
input, default, delete refused while in use; a shop's plan from the
console's list) and on the shop's admin (/admin/plan: the plan, its
trial, the shop's use of each limit; the owner switches at once, staff
of other roles are refused). The pages are looked at in Chromium
(tests/browser/plans_shots.mjs), the PNGs kept in
build/screenshots/plans/."""
import os
import re
import subprocess

from souk_client import Client, admin_login
from wc_setup import shop

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
OPERATOR = ('plans-ops@souk.test', 'operator password')


def _operator(stack):
    stack.add_operator(*OPERATOR, check=False)
    c = Client(stack.port)
    r = c.submit('/login', '/login', {'email': OPERATOR[0],
                                      'password': OPERATOR[1]})
    assert r.status == 303, r.text[:2000]
    return c


def _plan_id(stack, code):
    return int(stack.query(f"SELECT id FROM souk_plans WHERE code = "
                           f"'{code}'")[0][0])


def test_plans_operator_console(stack):
    ops = _operator(stack)
    code = stack.unique('pc')
    page = ops.get('/operator/plans')
    assert page.status == 200 and 'Unlimited' in page.text
    # Bad input: each field says what is wrong; nothing is made.
    r = ops.post('/operator/plans', {
        'csrf': page.csrf(), 'code': 'Not A Code', 'name': '',
        'price': 'nine', 'products': '-5', 'trial_days': '400'})
    assert r.status == 422, r.text[:2000]
    for msg in ("A code is 1 to 40 of a-z", "Name the plan",
                "Enter the monthly price", "A limit is a whole number",
                "Trial days are 0 to 365"):
        assert msg in r.text, msg
    assert 'value="nine"' in r.text
    # A name of 100 Japanese characters is fine; 101 is not.
    r = ops.post('/operator/plans', {
        'csrf': page.csrf(), 'code': code, 'name': '茶' * 101,
        'price': '9'})
    assert r.status == 422 and 'Name the plan' in r.text
    r = ops.post('/operator/plans', {
        'csrf': page.csrf(), 'code': code, 'name': '茶' * 100,
        'price': '12.50', 'products': '40', 'media_mb': '200',
        'staff': '', 'trial_days': '7'})
    assert r.status == 303, r.text[:2000]
    row = stack.query("SELECT name, price, max_products, max_media_bytes, "
                      "max_staff, trial_days FROM souk_plans WHERE code = "
                      f"'{code}'")
    assert row == [['茶' * 100, '1250', '40', '200000000', None, '7']]
    pid = _plan_id(stack, code)
    # Its form, filled; an edit; the code another plan has is refused.
    page = ops.get(f'/operator/plans/{pid}')
    assert page.status == 200 and 'value="12.50"' in page.text
    assert 'value="200"' in page.text
    r = ops.post(f'/operator/plans/{pid}', {
        'csrf': page.csrf(), 'code': code, 'name': 'Tea plan',
        'price': '15', 'products': '', 'trial_days': '0'})
    assert r.status == 303, r.text[:2000]
    assert stack.query("SELECT name, price, max_products FROM souk_plans "
                       f"WHERE id = {pid}") == [['Tea plan', '1500', None]]
    r = ops.post(f'/operator/plans/{pid}', {
        'csrf': page.csrf(), 'code': 'unlimited', 'name': 'Clash',
        'price': '1'})
    assert r.status == 422 and 'Another plan has this code' in r.text
    assert ops.get('/operator/plans/999999').status == 404

    # A shop's plan from the console's list, at once; then the plan is
    # in use and cannot go.
    _, tid, slug = shop(stack, 'pcshop')
    # The console lists 100 shops a page, by id.
    before = int(stack.query("SELECT COUNT(*) FROM souk_tenants WHERE "
                             f"id < {tid}")[0][0])
    console = f'/operator?page={before // 100}'
    page = ops.get(console)
    assert f'/operator/shops/{tid}/plan' in page.text
    r = ops.post(f'/operator/shops/{tid}/plan', {'csrf': page.csrf(),
                                                 'plan': str(pid)})
    assert r.status == 303
    assert stack.query(f"SELECT plan_id FROM souk_tenants WHERE id = "
                       f"{tid}") == [[str(pid)]]
    row = ops.get(console).text
    assert re.search(rf'<option value="{pid}" selected>Tea plan', row)
    r = ops.post(f'/operator/plans/{pid}/delete', {'csrf': page.csrf()})
    assert r.status == 409 and 'move them first' in r.text
    r = ops.post(f'/operator/shops/{tid}/plan', {'csrf': page.csrf(),
                                                 'plan': '999999'})
    assert r.status == 404
    # The default: new shops start on it.
    old = stack.query("SELECT id FROM souk_plans WHERE is_default = 1")[0][0]
    r = ops.post(f'/operator/plans/{pid}/default', {'csrf': page.csrf()})
    assert r.status == 303
    try:
        _, tid2, _ = shop(stack, 'pcnew')
        assert stack.query(f"SELECT plan_id FROM souk_tenants WHERE id = "
                           f"{tid2}") == [[str(pid)]]
    finally:
        ops.post(f'/operator/plans/{old}/default', {'csrf': page.csrf()})
    assert stack.query("SELECT id FROM souk_plans WHERE is_default = 1") \
        == [[old]]
    # Shoppers' and merchants' accounts cannot reach the console.
    other = Client(stack.port)
    assert other.get('/operator/plans').status in (302, 303)


def _staff(stack, tid, slug, role):
    """A staff member of role with the owner's password; logged in."""
    email = f'{role}-{stack.unique("s")}@{slug}.test'
    stack.query(f"INSERT INTO s{tid}_staff (email, pw_hash, role) SELECT "
                f"'{email}', pw_hash, '{role}' FROM s{tid}_staff WHERE "
                "role = 'owner'")
    return admin_login(stack.port, slug, email)


def test_plans_admin_page(stack):
    admin, tid, slug = shop(stack, 'pad')
    small, big = stack.unique('pas'), stack.unique('pab')
    stack.soukctl('plan', 'create', small, '--name', 'Seedling',
                  '--price', '500', '--products', '2', '--trial-days', '10')
    stack.soukctl('plan', 'create', big, '--name', 'Orchard', '--price',
                  '4900', '--products', '1000')
    stack.soukctl('plan', 'assign', slug, small, '--trial-until',
                  '2027-01-15')
    for i in range(2):
        page = admin.get('/admin/products/new')
        r = admin.post('/admin/products', {
            'csrf': page.csrf(), 'name_en': f'Pot {i}', 'price': '3.00',
            'stock': '1', 'active': '1'})
        assert r.status == 303
    page = admin.get('/admin/plan')
    assert page.status == 200, page.text[:2000]
    t = page.text
    assert 'Seedling' in t and '€5.00' in t and 'Orchard' in t
    assert '2027-01-15' in t and 'Limit reached' in t
    assert 'Switch to this plan' in t
    # The refusal names the plan and this page.
    page = admin.get('/admin/products/new')
    r = admin.post('/admin/products', {
        'csrf': page.csrf(), 'name_en': 'Pot 3', 'price': '3.00',
        'stock': '1', 'active': '1'})
    assert r.status == 403 and 'Seedling' in r.text and 'Plan page' in r.text
    # Switching holds at once; the trial runs on.
    big_id = _plan_id(stack, big)
    page = admin.get('/admin/plan')
    r = admin.post('/admin/plan', {'csrf': page.csrf(),
                                   'plan': str(big_id)})
    assert r.status == 303 and r.header('Location') == \
        '/admin/plan?switched=1'
    assert stack.query("SELECT plan_id, trial_ends_at FROM souk_tenants "
                       f"WHERE id = {tid}") == [[str(big_id), '2027-01-15']]
    assert stack.query("SELECT COUNT(*) FROM souk_plan_changes WHERE "
                       f"tenant_id = {tid} AND to_plan_id = {big_id}") \
        == [['1']]
    r = admin.post('/admin/products', {
        'csrf': page.csrf(), 'name_en': 'Pot 3', 'price': '3.00',
        'stock': '1', 'active': '1'})
    assert r.status == 303
    page = admin.get('/admin/plan?switched=1')
    assert 'new plan from now on' in page.text
    r = admin.post('/admin/plan', {'csrf': page.csrf(), 'plan': '999999'})
    assert r.status == 404
    r = admin.post('/admin/plan', {'csrf': page.csrf(), 'plan': 'x'})
    assert r.status == 422
    # Only the owner: a manager and a clerk are refused, to look or
    # to switch.
    for role in ('manager', 'clerk'):
        c = _staff(stack, tid, slug, role)
        assert c.get('/admin/plan').status == 403
        p = c.get('/admin/orders')
        r = c.post('/admin/plan', {'csrf': p.csrf(), 'plan': str(big_id)})
        assert r.status == 403


def test_plans_browser(stack):
    """The operator's plans, a plan's form and the shop list at 1280 px,
    and an owner's Plan page at 1280 and 390 px."""
    if not os.path.isdir(os.path.join(REPO, 'tests', 'browser',
                                      'node_modules', 'playwright-core')):
        raise stack.Skip('playwright-core is not installed')
    stack.add_operator(*OPERATOR, check=False)
    _, tid, slug = shop(stack, 'pbr')
    code = stack.unique('pbp')
    stack.soukctl('plan', 'create', code, '--name', 'Corner shop',
                  '--price', '1900', '--products', '50', '--staff', '3',
                  '--media-mb', '1000', '--domains', '1')
    stack.soukctl('plan', 'assign', slug, code)
    out = os.path.join(REPO, 'build', 'screenshots', 'plans')
    r = subprocess.run(
        ['node', os.path.join(REPO, 'tests', 'browser', 'plans_shots.mjs'),
         f'http://localhost:{stack.port}', out, ':'.join(OPERATOR),
         f'http://{slug}.localhost:{stack.port}',
         f'{slug}@api.test:correct horse battery'],
        cwd=os.path.join(REPO, 'tests', 'browser'), capture_output=True,
        text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    for png in ('operator-plans-1280', 'operator-plan-edit-1280',
                'operator-shops-1280', 'operator-usage-1280',
                'operator-usage-shop-1280', 'admin-plan-1280',
                'admin-plan-390'):
        assert os.path.getsize(os.path.join(out, png + '.png')) > 5000
