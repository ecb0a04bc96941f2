-- bench/wrk/_soak.lua: bench/soak.py's traffic (not a `make bench`
-- scenario: the leading "_" keeps run.py from picking it up).
-- Each request: a random shop of SOAK_SHOPS starting at SOAK_FIRST
-- (BENCH_SHOP_HOST_FORMAT, e.g. "soak-%05d.localhost"), then a random
-- page of it: 60% a product page (one of BENCH_SHOP_PRODUCTS), 20% the
-- home page, 20% a category page (c-1..c-5, bench/load.py's small
-- shop). The bypass cookie keeps nginx's microcache out of it both
-- ways, as for a shopper with a cart.
local b = dofile(os.getenv("BENCH_LIB"))
local fmt = b.env("BENCH_SHOP_HOST_FORMAT")
local first = b.num("SOAK_FIRST")
local shops = b.num("SOAK_SHOPS")
local n = b.num("BENCH_SHOP_PRODUCTS")
local cookie = b.env("BENCH_NOCACHE_COOKIE")

function request()
	local r = math.random(10)
	local path
	if r <= 6 then
		path = "/p/p-" .. math.random(n)
	elseif r <= 8 then
		path = "/"
	else
		path = "/c/c-" .. math.random(5)
	end
	return wrk.format("GET", path, {
		Host = string.format(fmt, first + math.random(shops) - 1),
		Cookie = cookie,
	})
end
