"""The month's billing (platform/billing.h). Two accounts, three shops,
a month two months back: one shop moves from a cheaper plan to a dearer
one on the 11th, one is made on the 20th with a trial to the 24th, one
is on one plan all month. The invoices equal what this test computes
itself (pro rata of the days, half up; trial days free), are numbered
without gaps (two runs at once write each once), and reach the
operator's billing system signed (HMAC-SHA256 of "t.body"). The owner
reads and prints theirs (another account's is a 404); a failed payment
reported through the tenant API suspends the account's shops only
after the grace period, and paying resumes them."""
import calendar
import datetime
import hashlib
import hmac
import json
import os
import subprocess
import threading
import time

from souk_client import Client
from webhook_receiver import Receiver

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PW = 'correct horse battery'
SECRET = 'billing-secret-Ü-0123456789'


def _month(stack):
    """The month two months before this one (UTC): YYYY-MM, its days."""
    today = datetime.date.fromisoformat(stack.query("SELECT UTC_DATE()")
                                        [0][0])
    y, m = today.year, today.month - 2
    if m < 1:
        y, m = y - 1, m + 12
    return f'{y:04d}-{m:02d}', calendar.monthrange(y, m)[1]


def _shop(stack, prefix, email):
    slug = stack.unique(prefix)
    stack.create_shop(slug, owner_email=email)
    tid = int(stack.query(f"SELECT id FROM souk_tenants WHERE slug = "
                          f"'{slug}'")[0][0])
    return slug, tid


def _plan_id(stack, code):
    return int(stack.query(f"SELECT id FROM souk_plans WHERE code = "
                           f"'{code}'")[0][0])


def _history(stack, tid, created, rows):
    """The shop's history, rewritten: made at created, then each
    (from_plan, to_plan, trial_ends_at or None, changed_at)."""
    stack.query(f"UPDATE souk_tenants SET created_at = '{created}' "
                f"WHERE id = {tid}")
    stack.query(f"DELETE FROM souk_plan_changes WHERE tenant_id = {tid}")
    for frm, to, trial, at in rows:
        stack.query(
            "INSERT INTO souk_plan_changes (tenant_id, from_plan_id, "
            "to_plan_id, trial_ends_at, changed_at) VALUES "
            f"({tid}, {frm if frm else 'NULL'}, {to}, "
            f"{repr(trial) if trial else 'NULL'}, '{at}')")


def _amount(price, days, mdays):
    return (price * 2 * days + mdays) // (2 * mdays)


def _expected_lines(month, mdays, s1, s2, p1, p2):
    """What the test computes: [(tenant, plan, first, last, days,
    trial, amount)] per shop and stretch."""
    d = lambda n: f'{month}-{n:02d}'
    return [
        (s1, p1[0], d(1), d(10), 10, 0, _amount(p1[1], 10, mdays)),
        (s1, p2[0], d(11), d(mdays), mdays - 10, 0,
         _amount(p2[1], mdays - 10, mdays)),
        (s2, p2[0], d(20), d(24), 5, 1, 0),
        (s2, p2[0], d(25), d(mdays), mdays - 24, 0,
         _amount(p2[1], mdays - 24, mdays)),
    ]


def _invoice_rows(stack, email, month):
    rows = stack.query(
        "SELECT i.number, i.total, i.status, l.tenant_id, l.plan_id, "
        "DATE_FORMAT(l.first_day, '%Y-%m-%d'), "
        "DATE_FORMAT(l.last_day, '%Y-%m-%d'), l.days, l.trial, l.amount "
        "FROM souk_invoices i JOIN souk_invoice_lines l ON "
        f"l.invoice_id = i.id WHERE i.email = '{email}' AND "
        f"i.period = '{month}' ORDER BY l.id")
    return rows


def _api(stack, method, path, token, body=None):
    headers = {'Authorization': f'Bearer {token}', 'Accept':
               'application/json'}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers['Content-Type'] = 'application/json'
    r = stack.http(method, path, headers=headers, body=data)
    r.json = json.loads(r.body) if r.body else None
    return r


def _op_key(stack):
    email = f"{stack.unique('bops')}@souk.test"
    stack.add_operator(email, 'operator password')
    return stack.soukctl('operator', 'api-key', 'create', '--email', email,
                         '--description', 'billing').stdout.strip()


def _status(stack, tid):
    return stack.query(f"SELECT status, status_reason FROM souk_tenants "
                       f"WHERE id = {tid}")[0]


def _wait(pred, timeout=20):
    end = time.monotonic() + timeout
    while not pred():
        assert time.monotonic() < end, 'timed out'
        time.sleep(0.2)


def test_billing_month_invoices_webhook_and_grace(stack):
    month, mdays = _month(stack)
    rx = Receiver().start()
    conf = {'billing_webhook_url': rx.url('/billing'),
            'billing_webhook_secret': SECRET}
    stack.stop_mail()
    stack.start_mail(worker_conf=dict(conf, fetch_allow_private=1,
                                      billing_check_secs=1,
                                      job_retry_secs=1,
                                      job_retry_max_secs=2))
    try:
        _run(stack, month, mdays, rx, conf)
    finally:
        rx.stop()
        stack.stop_mail()
        stack.start_mail()


def _run(stack, month, mdays, rx, conf):
    ca, cb = stack.unique('bcheap'), stack.unique('bdear')
    stack.soukctl('plan', 'create', ca, '--name', 'Cheap', '--price', '3000')
    stack.soukctl('plan', 'create', cb, '--name', 'Dear', '--price', '9000')
    p1, p2 = (_plan_id(stack, ca), 3000), (_plan_id(stack, cb), 9000)
    ea = f"{stack.unique('acct-a')}@bill.test"
    eb = f"{stack.unique('acct-b')}@bill.test"
    s1, t1 = _shop(stack, 'bill1', ea)
    s2, t2 = _shop(stack, 'bill2', ea)
    s3, t3 = _shop(stack, 'bill3', eb)
    _history(stack, t1, f'{month}-01 00:00:00', [
        (None, p1[0], None, f'{month}-01 00:00:00'),
        (p1[0], p2[0], None, f'{month}-11 09:30:00')])
    _history(stack, t2, f'{month}-20 12:00:00', [
        (None, p2[0], f'{month}-24', f'{month}-20 12:00:00')])
    _history(stack, t3, f'{month}-05 08:00:00', [
        (None, p1[0], None, f'{month}-05 08:00:00')])
    before = int(stack.query("SELECT value FROM souk_counters WHERE "
                             "name = 'invoice'")[0][0])

    # Two runs at once: each invoice once, numbers without gaps.
    outs = []

    def run():
        outs.append(stack.soukctl('billing', 'run', '--month', month,
                                  conf=conf).stdout)
    ts = [threading.Thread(target=run) for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(120)
    made = sum(int(o.split()[0]) for o in outs)
    assert made == 2, outs
    assert 'written' in stack.soukctl('billing', 'run', '--month', month,
                                      conf=conf).stdout
    nums = [int(r[0]) for r in stack.query(
        "SELECT number FROM souk_invoices ORDER BY number")]
    assert nums == list(range(1, len(nums) + 1)), nums
    assert int(stack.query("SELECT value FROM souk_counters WHERE name = "
                           "'invoice'")[0][0]) == before + 2

    # Account A: the test's own computation, line by line.
    want = _expected_lines(month, mdays, t1, t2, p1, p2)
    rows = _invoice_rows(stack, ea, month)
    got = [(int(r[3]), int(r[4]), r[5], r[6], int(r[7]), int(r[8]),
            int(r[9])) for r in rows]
    assert got == want, (got, want)
    total_a = sum(x[6] for x in want)
    assert int(rows[0][1]) == total_a and rows[0][2] == 'open'
    number_a = int(rows[0][0])
    # Account B: one plan from the 5th.
    rows = _invoice_rows(stack, eb, month)
    assert [(int(r[3]), int(r[7]), int(r[9])) for r in rows] == [
        (t3, mdays - 4, _amount(3000, mdays - 4, mdays))], rows
    number_b = int(rows[0][0])

    # The billing system got both, signed.
    reqs = rx.wait(2, lambda r: r['path'] == '/billing')
    seen = {}
    for q in reqs:
        sig = q['headers']['souk-signature']
        parts = dict(p.split('=', 1) for p in sig.split(','))
        mac = hmac.new(SECRET.encode(), parts['t'].encode() + b'.' +
                       q['body'], hashlib.sha256).hexdigest()
        assert hmac.compare_digest(mac, parts['v1']), sig
        assert abs(int(parts['t']) - time.time()) < 300
        assert q['headers']['souk-event'] == 'invoice.created'
        b = json.loads(q['body'])
        seen[b['number']] = b
    assert set(seen) == {number_a, number_b}, seen.keys()
    assert seen[number_a]['total'] == total_a
    assert seen[number_a]['account']['email'] == ea
    assert len(seen[number_a]['lines']) == 4
    assert seen[number_a]['lines'][2]['trial'] is True
    assert seen[number_a]['url'].endswith(f'/invoices/{number_a}')

    # The owner reads it; another account does not.
    own = Client(stack.port)
    r = own.submit('/login', '/login', {'email': ea, 'password': PW})
    assert r.status == 303, r.status
    r = own.get('/invoices')
    assert r.status == 200 and f'/invoices/{number_a}' in r.text
    assert f'/invoices/{number_b}' not in r.text
    r = own.get(f'/invoices/{number_a}')
    assert r.status == 200 and s1 in r.text and 'free trial' in r.text
    other = Client(stack.port)
    assert other.submit('/login', '/login', {'email': eb, 'password': PW}
                        ).status == 303
    assert other.get(f'/invoices/{number_a}').status == 404
    assert other.get('/invoices/99999999').status == 404
    assert other.get('/invoices/abc').status in (400, 404)
    _browser(stack, ea, number_a)

    # The tenant API: the billing system reports a failed payment.
    key = _op_key(stack)
    r = _api(stack, 'GET', f'/api/v1/invoices/{number_a}', key)
    assert r.status == 200 and r.json['total'] == total_a
    for bad in ({'status': 'maybe'}, {}, {'status': 'paid', 'x': 1}):
        r = _api(stack, 'POST', f'/api/v1/invoices/{number_a}/payment',
                 key, bad)
        assert r.status == 400 and r.json['message'], (bad, r.status)
    r = _api(stack, 'POST', '/api/v1/invoices/99999999/payment', key,
             {'status': 'failed'})
    assert r.status == 404
    r = stack.http('POST', '/api/v1/auth/token', headers={
        'Content-Type': 'application/json'}, body=json.dumps(
        {'email': ea, 'password': PW}).encode())
    access = json.loads(r.body)['access_token']
    r = _api(stack, 'POST', f'/api/v1/invoices/{number_a}/payment', access,
             {'status': 'paid'})
    assert r.status == 403, r.status
    r = _api(stack, 'GET', '/api/v1/invoices', access)
    assert [x['number'] for x in r.json] == [number_a], r.json
    r = _api(stack, 'POST', f'/api/v1/invoices/{number_a}/payment', key,
             {'status': 'failed', 'reason': 'card declined'})
    assert r.status == 200 and r.json['status'] == 'failed', r.json
    assert r.json['suspend_after'] > r.json['failed_at']
    # Within the grace period (14 days) nothing happens.
    time.sleep(2.5)
    assert _status(stack, t1)[0] == 'ready'
    # The grace period ends: the account's shops, and only they, stop.
    stack.query("UPDATE souk_invoices SET suspend_after = UTC_TIMESTAMP() "
                f"- INTERVAL 1 MINUTE WHERE number = {number_a}")
    _wait(lambda: _status(stack, t1)[0] == 'suspended' and
          _status(stack, t2)[0] == 'suspended')
    assert _status(stack, t1)[1] == f'billing: unpaid invoice {number_a}'
    assert _status(stack, t3)[0] == 'ready'
    assert stack.http('GET', '/', host=f'{s1}.localhost').status == 503
    # Paid: they serve again.
    r = _api(stack, 'POST', f'/api/v1/invoices/{number_a}/payment', key,
             {'status': 'paid'})
    assert r.status == 200 and r.json['status'] == 'paid'
    assert _status(stack, t1)[0] == 'ready'
    assert _status(stack, t2)[0] == 'ready'
    r = stack.http('GET', '/', host=f'{s1}.localhost')
    assert r.status == 200, r.status


def _browser(stack, email, number):
    """The invoice as its owner sees it and prints it."""
    if not os.path.isdir(os.path.join(REPO, 'tests', 'browser',
                                      'node_modules', 'playwright-core')):
        return
    out = os.path.join(REPO, 'build', 'screenshots', 'billing')
    r = subprocess.run(
        ['node', os.path.join(REPO, 'tests', 'browser',
                              'invoice_shots.mjs'),
         f'http://localhost:{stack.port}', out, f'{email}:{PW}',
         str(number)], cwd=os.path.join(REPO, 'tests', 'browser'),
        capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    for png in ('invoices-1280', 'invoice-1280', 'invoice-390',
                'invoice-print'):
        assert os.path.getsize(os.path.join(out, png + '.png')) > 5000
