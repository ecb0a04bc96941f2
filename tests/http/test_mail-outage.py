"""mail-outage: the shop's mail survives its SMTP server being down,
the server dying mid-session, and souk-worker killed with SIGKILL while
it sends; in the end every mail arrived once as far as souk can tell:
one Message-ID per job, each there (a copy that went out before the
kill carries the same id: RFC 1047's window, README "E-mail"), and the
retries show in souk_jobs.attempts while they happen.

The jobs are shop.account_created for customers inserted with SQL and
shop.order_received for an order inserted with SQL, enqueued with SQL
as the shop's writes do (jobs_enqueue()). The stand-in
(tests/smtp_server.py) stalls on request: DIR/.stall holding "rcpt" or
"dot" (before its reply to the final dot, after storing the message).
"""
import os
import signal

from souk_client import mailbox
from wait import wait_until

# This test's souk-worker: a short lease, so a job cut off by a killed
# worker is taken again within seconds (a send is cut off after a
# quarter of it: 4 s, ample for a local stand-in), a first retry after
# 1 s instead of 30, and jobs looked for every 200 ms.
FAST = {'job_lease_secs': 16, 'job_retry_secs': 1, 'worker_poll_ms': 200}


def shop(stack):
    slug = stack.unique('outage')
    stack.create_shop(slug, 'Pannen-Laden', locale='de', currency='EUR')
    tid = int(stack.query(
        f"SELECT id FROM souk_tenants WHERE slug = '{slug}'")[0][0])
    return tid


def customer(stack, tid, n):
    email = f'kunde{n}.{tid}@outage.test'
    stack.query(f"INSERT INTO s{tid}_customers (email, pw_hash, name, "
                f"locale) VALUES ('{email}', 'x', 'Kunde {n}', 'de')")
    cid = int(stack.query(f"SELECT id FROM s{tid}_customers "
                          f"WHERE email = '{email}'")[0][0])
    return cid, email


def order(stack, tid):
    stack.query(
        f"INSERT INTO s{tid}_orders (number, status, email, locale, "
        "idem_key, access_key, currency, prices_include_tax, subtotal, "
        "discount, shipping, shipping_tax, tax, total, display_currency, "
        "fx_rate, display_total, payment_method, ship_name, ship_line1, "
        "ship_postcode, ship_city, ship_country, ship_kind, ship_method) "
        "VALUES (1001, 'on-hold', 'bestellung@outage.test', 'de', "
        "REPEAT('a', 32), REPEAT('b', 32), 'EUR', 1, 1990, 0, 490, 78, "
        "396, 2480, 'EUR', 100000000, 2480, 'bacs', 'Käthe Kruse', "
        "'Heidestraße 17', '50667', 'Köln', 'DE', 'flat', 'DHL Paket')")
    oid = stack.query(f"SELECT id FROM s{tid}_orders WHERE number = 1001")
    stack.query(
        f"INSERT INTO s{tid}_order_lines (order_id, product_id, sku, name, "
        "qty, unit_price, tax_class, tax_rate, subtotal, discount, tax, "
        f"total) VALUES ({oid[0][0]}, 1, 'BROT', 'Roggenbrot', 2, 995, "
        "'standard', 190000, 1990, 0, 318, 1990)")
    stack.query(f"INSERT INTO s{tid}_settings (name, text) VALUES "
                "('bank_details', 'IBAN DE02 1203 0000 0000 2020 51')")


def enqueue(stack, tid, kind, payload):
    """Inserts a job as jobs_enqueue() does; returns its id."""
    rows = stack.query(
        "INSERT INTO souk_jobs (tenant_id, kind, payload, due_at) VALUES "
        f"({tid}, '{kind}', '{payload}', NOW(3)); SELECT LAST_INSERT_ID()")
    return int(rows[-1][0])


def job_row(stack, jid):
    """(attempts, last_error or '') of job jid, or None once it is
    done."""
    rows = stack.query("SELECT attempts, last_error, dead_at FROM souk_jobs "
                       f"WHERE id = {jid}")
    if not rows:
        return None
    assert rows[0][2] is None, f'job {jid} died: {rows[0][1]}'
    return int(rows[0][0]), rows[0][1]


def msgid(stack, jid, tid):
    return f'<job-{jid}.{tid}@{stack.platform_domain}>'


def copies(ident):
    """The stored messages whose Message-ID is ident."""
    return [m for _, m in mailbox() if m['Message-ID'] == ident]


def stall(stack, point):
    path = os.path.join(stack.mail_dir, '.stall')
    if point is None:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        return
    with open(path + '.tmp', 'w') as f:
        f.write(point)
    os.rename(path + '.tmp', path)


def smtp_log_has(stack, text, since):
    with open(stack.smtp.log, 'rb') as f:
        f.seek(since)
        return text in f.read().decode('utf-8', 'replace')


def log_size(path):
    return os.path.getsize(path)


def kill(stack, name):
    """SIGKILL to the stack's process name ('smtp' or 'worker'), reaped."""
    p = getattr(stack, name)
    os.kill(p.pid, signal.SIGKILL)
    p.stop()
    setattr(stack, name, None)


def restart_worker(stack, conf=None):
    if stack.worker is not None:
        stack.worker.stop()
        stack.worker = None
    stack.start_mail(conf)


def test_mail_outage(stack):
    restart_worker(stack, FAST)
    tid = shop(stack)
    order(stack, tid)
    jobs = {}       # job id -> recipient
    max_attempts = {}

    def watch(jid):
        row = job_row(stack, jid)
        if row is not None:
            max_attempts[jid] = max(max_attempts.get(jid, 0), row[0])
        return row

    try:
        # 1. The server is down: the jobs wait and are retried.
        stack.smtp.stop()
        stack.smtp = None
        down = []
        for n in (1, 2):
            cid, email = customer(stack, tid, n)
            jid = enqueue(stack, tid, 'shop.account_created',
                          f'{{"customer": {cid}}}')
            jobs[jid] = email
            down.append(jid)
        jid = enqueue(stack, tid, 'shop.order_received', '{"order": 1001}')
        jobs[jid] = 'bestellung@outage.test'
        down.append(jid)

        def retried():
            rows = [watch(j) for j in down]
            return all(r is not None and r[0] >= 2 and r[1] for r in rows)
        wait_until(retried, 60, 'the jobs retried while SMTP is down')
        assert all('smtp' in watch(j)[1].lower() or 'connect' in
                   watch(j)[1].lower() for j in down), \
            [watch(j) for j in down]
        stack.start_mail(FAST)
        wait_until(lambda: all(watch(j) is None for j in down), 60,
                   'the waiting mail sent once the server is back')
        for j in down:
            assert len(copies(msgid(stack, j, tid))) == 1, j

        # 2. The server dies mid-session (before answering RCPT).
        stall(stack, 'rcpt')
        mark = log_size(stack.smtp.log)
        cid, email = customer(stack, tid, 3)
        mid = enqueue(stack, tid, 'shop.account_created',
                      f'{{"customer": {cid}}}')
        jobs[mid] = email
        wait_until(lambda: smtp_log_has(stack, 'stalling at rcpt', mark),
                   30, 'the stand-in stalled at RCPT')
        kill(stack, 'smtp')
        stall(stack, None)

        def failed():
            row = watch(mid)
            return row is not None and bool(row[1])
        wait_until(failed, 30, 'the cut session recorded as failed')
        assert max_attempts[mid] >= 1
        assert copies(msgid(stack, mid, tid)) == []
        stack.start_mail(FAST)
        wait_until(lambda: watch(mid) is None, 60,
                   'the cut mail sent again')

        # 3. souk-worker killed while it sends: the stand-in has stored
        # the message and holds back its 250.
        stall(stack, 'dot')
        mark = log_size(stack.smtp.log)
        cid, email = customer(stack, tid, 4)
        kid = enqueue(stack, tid, 'shop.account_created',
                      f'{{"customer": {cid}}}')
        jobs[kid] = email
        wait_until(lambda: smtp_log_has(stack, 'stalling at dot', mark),
                   30, 'the stand-in stalled before its 250')
        kill(stack, 'worker')
        wait_until(lambda: smtp_log_has(
            stack, 'client gone while stalled at dot', mark), 30,
            'the stand-in saw the worker go')
        stall(stack, None)
        # The job was not recorded done (no 250 came): still there,
        # leased, one attempt.
        row = watch(kid)
        assert row is not None and row[0] == 1 and not row[1], row
        wmark = log_size(stack.log_files()['souk-worker'])
        stack.start_mail(FAST)
        wait_until(lambda: watch(kid) is None,
                   FAST['job_lease_secs'] + 60,
                   'the job taken again after its lease and sent')
        kc = copies(msgid(stack, kid, tid))
        # The copy stored before the kill and the resend: one message by
        # its Message-ID, as SMTP cannot tell souk the first one went.
        assert len(kc) == 2, len(kc)
        # ... and the operator is told why there may be two.
        with open(stack.log_files()['souk-worker'], 'rb') as f:
            f.seek(wmark)
            assert f'job {kid} (shop.account_created): attempt 2 follows ' \
                'one that ended without an outcome' in f.read().decode()
        assert all(m['To'] == jobs[kid] for m in kc)
    finally:
        stall(stack, None)
        restart_worker(stack)     # the other tests' worker again

    # In the end: every job's mail is there, under its own Message-ID,
    # once (the killed send aside), to its recipient, text and HTML.
    ids = {}
    for _, m in mailbox():
        if m['Message-ID'].endswith(f'.{tid}@{stack.platform_domain}>'):
            ids.setdefault(m['Message-ID'], []).append(m)
    assert sorted(ids) == sorted(msgid(stack, j, tid) for j in jobs)
    for jid, to in jobs.items():
        got = ids.get(msgid(stack, jid, tid), [])
        assert got, f'job {jid}: no mail'
        assert len(got) == 1 or jid == kid, f'job {jid}: {len(got)} copies'
        for m in got:
            assert m['To'] == to
            assert m.get_content_type() == 'multipart/alternative'
            text = m.get_body(('plain',)).get_content()
            html = m.get_body(('html',)).get_content()
            assert 'Pannen-Laden' in text and 'Pannen-Laden' in html
    rec = ids[msgid(stack, down[2], tid)][0]
    assert 'IBAN DE02 1203 0000 0000 2020 51' in \
        rec.get_body(('plain',)).get_content()
    assert 'Vielen Dank für Ihre Bestellung' in \
        rec.get_body(('html',)).get_content()
    assert stack.query("SELECT COUNT(*) FROM souk_jobs WHERE "
                       f"tenant_id = {tid}")[0][0] == '0'


def test_unknown_shop_buries_unknown_kind_waits(stack):
    """A shop's job for a shop that is gone is buried with the reason;
    a kind this souk does not know (a newer souk's) is retried later."""
    stack.start_mail()
    gone = enqueue(stack, 999999999, 'shop.account_created',
                   '{"customer": 1}')
    newer = enqueue(stack, 999999999, 'shop.gift_card_sent', '{"card": 1}')

    def row(jid):
        return stack.query("SELECT attempts, last_error, dead_at IS NOT NULL "
                           f"FROM souk_jobs WHERE id = {jid}")[0]
    wait_until(lambda: row(gone)[2] == '1', 30, 'the job of no shop buried')
    assert 'no shop 999999999' in row(gone)[1], row(gone)
    wait_until(lambda: row(newer)[1] == 'unknown kind', 30,
               'the unknown kind tried')
    assert row(newer)[2] == '0'
    assert stack.query("SELECT due_at > NOW(3) FROM souk_jobs WHERE "
                       f"id = {newer}") == [['1']]
    stack.query(f"DELETE FROM souk_jobs WHERE id IN ({gone}, {newer})")
