"""galera: souk on a three-node MariaDB Galera cluster (galera-4) on
loopback ports, a pool and nginx on each of two nodes, and the 200-way
race of http/oversell split across the two front ends: the last loaf
bought by 200 shoppers at once, half through each node, with 10 in
stock. Exactly 10 orders, each once, the stock at 0 (never below), the
190 others told it is out of stock, nothing half-written, on every node
the same. The two nodes' stock updates of the same row conflict at
certification: the losers' transactions are aborted (ER_LOCK_DEADLOCK,
at a statement or at COMMIT) and db_tx_run() runs them again, which the
pools' logs and the nodes' wsrep counters show."""
import concurrent.futures
import http.client
import os
import re
import threading
import time
import urllib.parse

import stack as stackmod
from wait import wait_until
from shop_setup import selling_shop, shopper

SHOPPERS = 200
STOCK = 10
RETRIED = 'transaction retried after: '


def _place(port, host, c, fields, barrier):
    """One POST /checkout/place to the front end on port, sent when
    every shopper is ready."""
    body = urllib.parse.urlencode(fields)
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
    try:
        conn.connect()
        barrier.wait(timeout=120)
        conn.request('POST', '/checkout/place', body=body, headers={
            'Host': f'{host}:{port}',
            'Cookie': c._cookie_header(host),
            'Content-Type': 'application/x-www-form-urlencoded'})
        r = conn.getresponse()
        return port, r.status, r.getheader('Location'), r.read().decode(
            'utf-8', 'replace')
    finally:
        conn.close()


def _wsrep(node):
    """The node's certification failures and brute-force aborts."""
    return {k: int(node.status(k)) for k in (
        'wsrep_local_cert_failures', 'wsrep_local_bf_aborts')}


def test_galera(ctx):
    t0 = time.monotonic()
    nodes = stackmod.galera_cluster(os.path.join(ctx.dir, 'galera'))
    stacks = []
    try:
        one, two = nodes[0], nodes[1]
        # The user and database are made on one node and replicate;
        # both pools log in with the same password.
        one.ensure_user('souk')
        one.create_database('souk', 'souk')
        two.password = one.password
        for i, node in enumerate((one, two)):
            st = stackmod.Stack(ctx.bin, os.path.join(ctx.dir,
                f'stack{i + 1}'), fast=True, private_themes=True,
                db=node)
            stacks.append(st)
            st.start()
        a, b = stacks
        ctx.log(f'cluster and two stacks up in {time.monotonic() - t0:.1f}s')
        assert one.query("SHOW GLOBAL STATUS LIKE 'wsrep_cluster_size'") \
            == [['wsrep_cluster_size', '3']]
        # Galera replicates InnoDB tables with a primary key only: every
        # table souk made must be one (tests/lint.py checks the SQL).
        assert one.query(
            "SELECT t.table_name FROM information_schema.tables t WHERE "
            "t.table_schema = 'souk' AND (t.engine <> 'InnoDB' OR NOT "
            "EXISTS (SELECT 1 FROM information_schema.table_constraints c "
            "WHERE c.table_schema = t.table_schema AND c.table_name = "
            "t.table_name AND c.constraint_type = 'PRIMARY KEY'))") == []

        slug, tid, pid = selling_shop(a, 'galera', stock=STOCK)
        host = f'{slug}.localhost'
        p = f's{tid}_'
        # Half the shoppers fill their cart through each front end and
        # place their order through it.
        with concurrent.futures.ThreadPoolExecutor(8) as ex:
            ready = list(ex.map(lambda i: (stacks[i % 2],) + shopper(
                stacks[i % 2], slug, pid), range(SHOPPERS)))
        for st in stacks:
            assert st.worker.stop() == 0
            st.worker = None
        # Node 2 has applied every cart before the race starts: a read
        # with wsrep_sync_wait waits for the cluster's last commit.
        assert two.query(f"SET SESSION wsrep_sync_wait = 1; SELECT "
                         f"COUNT(*) FROM {p}cart_items", 'souk') == \
            [[str(SHOPPERS)]]
        before = [_wsrep(n) for n in nodes]
        marks = [st.log_marks() for st in stacks]
        barrier = threading.Barrier(SHOPPERS)
        t1 = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(SHOPPERS) as ex:
            res = list(ex.map(lambda r: _place(r[0].port, host, r[1], r[2],
                                               barrier), ready))
        ctx.log(f'race: {time.monotonic() - t1:.1f}s')
        placed = [r for r in res if r[1] == 303]
        refused = [r for r in res if r[1] == 409]
        assert len(placed) == STOCK, [(port, s, loc) for port, s, loc, _
                                      in res if s != 409][:20]
        assert len(refused) == SHOPPERS - STOCK, sorted(
            set(s for _, s, _, _ in res))
        for _, _, _, text in refused:
            m = re.search(r'<p class="error" role="alert">([^<]*)</p>', text)
            assert m, 'no message:\n' + text[:1500]
            assert m.group(1) == 'Sorry, “Last loaf” is out of stock.', \
                m.group(1)
        numbers = sorted(int(re.match(r'/checkout/done/(\d+)\?key=[0-9a-f]'
                                      r'{32}$', loc).group(1))
                         for _, _, loc, _ in placed)
        assert len(set(numbers)) == STOCK, numbers

        # The same rows on every node (each read waits for the
        # cluster's last commit).
        def q(node, sql):
            return node.query("SET SESSION wsrep_sync_wait = 1; " + sql,
                              'souk')
        for node in nodes:
            assert q(node, f"SELECT stock FROM {p}products WHERE "
                     f"id = {pid}") == [['0']]
            assert q(node, f"SELECT COUNT(*), COUNT(DISTINCT number), "
                     f"SUM(total), MIN(number) >= 1001 FROM {p}orders") == \
                [[str(STOCK), str(STOCK), str(STOCK * (400 + 490)), '1']]
            assert q(node, f"SELECT number FROM {p}orders ORDER BY "
                     f"number") == [[str(n)] for n in numbers]
            assert q(node, f"SELECT COUNT(*), SUM(qty) FROM "
                     f"{p}order_lines") == [[str(STOCK), str(STOCK)]]
            assert q(node, f"SELECT COUNT(*) FROM {p}order_lines l LEFT "
                     f"JOIN {p}orders o ON o.id = l.order_id WHERE o.id "
                     f"IS NULL") == [['0']]
            assert q(node, f"SELECT COUNT(*) FROM {p}order_events WHERE "
                     "to_status = 'on-hold'") == [[str(STOCK)]]
            assert q(node, "SELECT kind, COUNT(*) FROM souk_jobs WHERE "
                     f"tenant_id = {tid} GROUP BY kind ORDER BY kind") == [
                ['shop.order_new', str(STOCK)],
                ['shop.order_received', str(STOCK)]]
            assert q(node, f"SELECT COUNT(*), SUM(qty) FROM "
                     f"{p}cart_items") == [[str(SHOPPERS - STOCK),
                                            str(SHOPPERS - STOCK)]]

        # Both front ends sold, and conflicts were retried.
        sold = {port for port, s, _, _ in placed}
        after = [_wsrep(n) for n in nodes]
        conflicts = sum(x[k] - y[k] for x, y in zip(after, before)
                        for k in x)
        retried = []
        for st, m in zip(stacks, marks):
            log = stackmod.tail(st.log_files()['souk-fcgi'], 100000,
                                m['souk-fcgi'])
            retried.append([ln for ln in log.splitlines()
                            if RETRIED in ln])
        ctx.log(f'orders through front ends {sorted(sold)}; wsrep '
                f'cert failures + bf aborts: {conflicts}; db_tx_run '
                f'retries: {[len(r) for r in retried]}')
        assert conflicts > 0, (before, after)
        assert sum(len(r) for r in retried) > 0, 'no retry logged'
        assert any('Deadlock' in ln for r in retried for ln in r), \
            retried[0][:3] + retried[1][:3]
        for st in stacks:
            st.query(f"DELETE FROM souk_jobs WHERE tenant_id = {tid}")

        # A node outside the primary component (here: told to refuse
        # work) answers a ping but no statement (1047): its front end's
        # /_health answers 503, so a load balancer stops sending it
        # shoppers, and ok again once the node serves.
        assert b.get('/_health').status == 200
        two.query("SET GLOBAL wsrep_reject_queries = ALL")
        try:
            wait_until(lambda: b.get('/_health').status == 503,
                       what='503 from the refusing node\'s front end')
            r = b.get('/_health')
            assert 'WSREP' in r.text and r.status == 503, r.text
            assert a.get('/_health').status == 200
        finally:
            two.query("SET GLOBAL wsrep_reject_queries = NONE")
        wait_until(lambda: b.get('/_health').status == 200,
                   what='200 once the node serves again')
        ctx.log(f'total {time.monotonic() - t0:.1f}s')
    finally:
        for st in reversed(stacks):
            st.stop()
        for node in reversed(nodes):
            node.stop()
