-- title: API one product (GET /wp-json/wc/v3/products/ID, read key)
-- order: 96
-- target: hello 0.40
-- expect: 200
-- A random product of the big shop as WooCommerce's REST API v3 answers
-- it (issue 12), with a read key in HTTP Basic: the key checked, the
-- rate limit counted, the product with its categories, images,
-- attributes and variation ids as JSON.
local b = dofile(os.getenv("BENCH_LIB"))
local n = b.num("BENCH_PRODUCTS")
local h = {
	Host = b.env("BENCH_BIG_HOST"),
	Authorization = b.env("BENCH_API_AUTH"),
}

function request()
	return wrk.format("GET", "/wp-json/wc/v3/products/" .. math.random(n),
	    h)
end
