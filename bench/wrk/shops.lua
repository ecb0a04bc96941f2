-- title: product page, no cache, random of {shops} small shops
-- order: 90
-- target: product 0.85
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
local fmt = b.env("BENCH_SHOP_HOST_FORMAT")
local shops = b.num("BENCH_SHOPS")
local n = b.num("BENCH_SHOP_PRODUCTS")
local cookie = b.env("BENCH_NOCACHE_COOKIE")

function request()
	return wrk.format("GET", "/p/p-" .. math.random(n), {
		Host = string.format(fmt, math.random(shops)),
		Cookie = cookie,
	})
end
