-- title: API products list (GET /wp-json/wc/v3/products?per_page=20, read key)
-- order: 95
-- target: hello 0.30
-- expect: 200
-- The first page of 20 products of the big shop as WooCommerce's REST
-- API v3 answers it (issue 12), with a read key in HTTP Basic as an
-- integration sends it over HTTPS: the key looked up and its secret
-- checked, the rate limit counted in shared memory, the page read and
-- written as JSON with its paging headers. Never cached (no-store).
local b = dofile(os.getenv("BENCH_LIB"))

wrk.method = "GET"
wrk.path = "/wp-json/wc/v3/products?per_page=20"
wrk.headers["Host"] = b.env("BENCH_BIG_HOST")
wrk.headers["Authorization"] = b.env("BENCH_API_AUTH")
