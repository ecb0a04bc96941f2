-- title: add to cart (POST, cookie cart, random variant of the big shop)
-- order: 90
-- target: hello 0.25
-- expect: 303
-- A shopper of one of 10,000 cookie carts (the first add creates it)
-- adds one unit of a random product's variant in stock from the
-- product page's form: one INSERT ... SELECT checks the product, the
-- variant and the stock with what the cart holds and adds the line (a
-- first add makes the cart in the same transaction), then souk answers
-- 303 to /cart. The form carries no token (the page is in the
-- microcache): the browser's Origin vouches for it.
local b = dofile(os.getenv("BENCH_LIB"))
local n = b.num("BENCH_PRODUCTS")
local host = b.env("BENCH_BIG_HOST")

function request()
	local pid = math.random(n)
	local k = math.random(0, 3)
	-- bench/load.py: variant k of product i has id (i - 1) * 4 + k + 1
	-- and stock (i + k) % 50.
	-- At least 10 in stock: the same cart may draw the same variant
	-- again in a run, and an add beyond the stock is refused (409),
	-- which the run would count as an error. A product whose four
	-- variants all hold fewer than 10 (i % 50 from 0 to 6) is drawn
	-- again, so the loop always ends.
	while (pid + k) % 50 < 10 do
		pid = math.random(n)
		k = math.random(0, 3)
	end
	local h = {
		Host = host,
		Origin = "http://" .. host,
		Cookie = string.format("cart=%064d", math.random(10000)),
		["Content-Type"] = "application/x-www-form-urlencoded",
	}
	return wrk.format("POST", "/cart/add", h, string.format(
	    "product_id=%d&variant_id=%d&qty=1", pid, (pid - 1) * 4 + k + 1))
end
