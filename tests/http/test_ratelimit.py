"""The API's rate limit (core/ratelimit.c on the pool's shared memory,
web/wc_auth.c): 100 requests per 15 minutes per key by default. 50
clients at once make 150 requests with one key: whichever of the pool's
workers answers, exactly 100 pass and 50 get WooCommerce's 429 with
Retry-After; every answer carries the X-RateLimit-* headers. Another
key of the same shop is not limited by the first's count."""
import concurrent.futures
import time

from wc_setup import Api, body, make_key, shop


def test_ratelimit_exact_under_50_clients(stack):
    admin, _, slug = shop(stack, 'ratelim')
    ck, cs, _ = make_key(admin, 'read')
    now = time.time()
    # Not across a window's edge (windows are aligned to 900 s).
    if 900 - now % 900 < 60:
        time.sleep(900 - now % 900 + 1)

    def one(i):
        api = Api(stack, slug, ck, cs)
        r = api.get('products', {'per_page': '1'},
                    how='basic' if i % 2 else 'query')
        return (r.status, r.header('X-RateLimit-Limit'),
                r.header('X-RateLimit-Remaining'),
                r.header('X-RateLimit-Reset'), r.header('Retry-After'),
                body(r))

    with concurrent.futures.ThreadPoolExecutor(50) as ex:
        res = list(ex.map(one, range(150)))
    ok = [r for r in res if r[0] == 200]
    limited = [r for r in res if r[0] == 429]
    assert len(ok) == 100 and len(limited) == 50, \
        sorted(set(r[0] for r in res))
    assert all(r[1] == '100' for r in res)
    # Each passing request saw its own remaining count: 99 down to 0.
    assert sorted(int(r[2]) for r in ok) == list(range(100))
    assert all(r[2] == '0' for r in limited)
    reset = {r[3] for r in res}
    assert len(reset) == 1 and int(reset.pop()) % 900 == 0
    for r in limited:
        assert 0 < int(r[4]) <= 900
        assert r[5]['code'] == 'woocommerce_rest_too_many_requests'
        assert r[5]['data'] == {'status': 429}
    # Another key is counted apart.
    ck2, cs2, _ = make_key(admin, 'read')
    r = Api(stack, slug, ck2, cs2).get('products')
    assert r.status == 200 and r.header('X-RateLimit-Remaining') == '99'
