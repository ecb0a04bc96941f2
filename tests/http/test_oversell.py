"""oversell: 200 shoppers place their order for the same product at the
same moment, with 10 in stock. Exactly 10 orders are placed, the stock
ends at 0 (never below), the 190 others are told the product is out of
stock, and nothing is half-written: 10 orders, 10 lines, 10 history
rows, 20 jobs (order received, new order), the 10 buyers' carts empty,
the 190 others' carts as they were."""
import concurrent.futures
import http.client
import re
import threading
import urllib.parse

from shop_setup import selling_shop, shopper

SHOPPERS = 200
STOCK = 10


def _place(stack, host, c, fields, barrier):
    """One POST /checkout/place, sent when every shopper is ready."""
    body = urllib.parse.urlencode(fields)
    conn = http.client.HTTPConnection('127.0.0.1', stack.port, timeout=120)
    try:
        conn.connect()
        barrier.wait(timeout=120)
        conn.request('POST', '/checkout/place', body=body, headers={
            'Host': f'{host}:{stack.port}',
            'Cookie': c._cookie_header(host),
            'Content-Type': 'application/x-www-form-urlencoded'})
        r = conn.getresponse()
        return r.status, r.getheader('Location'), r.read().decode(
            'utf-8', 'replace')
    finally:
        conn.close()


def test_oversell(stack):
    slug, tid, pid = selling_shop(stack, 'oversell', stock=STOCK)
    host = f'{slug}.localhost'
    p = f's{tid}_'
    # Every shopper at the review page, 1 in the cart (all 200 could buy
    # it when they put it there).
    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        ready = list(ex.map(lambda i: shopper(stack, slug, pid),
                            range(SHOPPERS)))
    assert len(ready) == SHOPPERS
    # The job queue held still while we count what was written.
    if getattr(stack, 'worker', None) is not None:
        assert stack.worker.stop() == 0
        stack.worker = None
    try:
        barrier = threading.Barrier(SHOPPERS)
        with concurrent.futures.ThreadPoolExecutor(SHOPPERS) as ex:
            res = list(ex.map(lambda cf: _place(stack, host, cf[0], cf[1],
                                                barrier), ready))
        placed = [r for r in res if r[0] == 303]
        refused = [r for r in res if r[0] == 409]
        assert len(placed) == STOCK, [(s, loc) for s, loc, _ in res
                                      if s != 409][:20]
        assert len(refused) == SHOPPERS - STOCK, sorted(
            set(s for s, _, _ in res))
        numbers = sorted(int(re.match(r'/checkout/done/(\d+)\?key=[0-9a-f]'
                                      r'{32}$', loc).group(1))
                         for _, loc, _ in placed)
        # Numbers are the orders' ids from 1001: the refused ones took
        # none (their stock update failed before the insert); a
        # deadlock's retry could leave a gap, never a repeat.
        assert numbers[0] == 1001 and len(set(numbers)) == STOCK, numbers
        assert stack.query(f"SELECT COUNT(*) FROM {p}orders WHERE "
                           f"number = id + 1000") == [[str(STOCK)]]
        for _, _, text in refused:
            m = re.search(r'<p class="error" role="alert">([^<]*)</p>', text)
            assert m, 'no message:\n' + text[:1500]
            assert m.group(1) == 'Sorry, “Last loaf” is out of stock.', \
                m.group(1)
        q = stack.query
        assert q(f"SELECT stock FROM {p}products WHERE id = {pid}") == \
            [['0']]
        assert q(f"SELECT COUNT(*), COUNT(DISTINCT number), SUM(total) "
                 f"FROM {p}orders") == [[str(STOCK), str(STOCK),
                                         str(STOCK * (400 + 490))]]
        assert q(f"SELECT COUNT(*), SUM(qty) FROM {p}order_lines") == \
            [[str(STOCK), str(STOCK)]]
        assert q(f"SELECT COUNT(*) FROM {p}order_lines l LEFT JOIN "
                 f"{p}orders o ON o.id = l.order_id WHERE o.id IS NULL") \
            == [['0']]
        assert q(f"SELECT COUNT(*) FROM {p}order_events WHERE "
                 "to_status = 'on-hold'") == [[str(STOCK)]]
        assert q("SELECT kind, COUNT(*) FROM souk_jobs WHERE tenant_id = "
                 f"{tid} GROUP BY kind ORDER BY kind") == [
            ['shop.order_new', str(STOCK)],
            ['shop.order_received', str(STOCK)]]
        # The buyers' carts are empty, the others' hold their loaf.
        assert q(f"SELECT COUNT(*), SUM(qty) FROM {p}cart_items") == \
            [[str(SHOPPERS - STOCK), str(SHOPPERS - STOCK)]]
    finally:
        # The orders' jobs were counted; they are no mail to send (the
        # addresses are made up).
        stack.query(f"DELETE FROM souk_jobs WHERE tenant_id = {tid}")
        stack.start_mail()
