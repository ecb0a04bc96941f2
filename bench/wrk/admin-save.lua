-- title: admin product save (POST, session + CSRF, random product)
-- order: 80
-- target: hello 0.25
-- expect: 303
-- Sends back the product's slug, SKU, price, stock, category and
-- featured flag as loaded (bench/load.py's formulas), so listings stay
-- as they were; only its names and descriptions change. souk validates,
-- checks the category, locks the row, updates it and its texts in one
-- transaction and answers 303.
local b = dofile(os.getenv("BENCH_LIB"))
local n = b.num("BENCH_PRODUCTS")
local csrf = b.env("BENCH_CSRF")
local langs = b.split(b.env("BENCH_LANGS"))
local h = {
	Host = b.env("BENCH_BIG_HOST"),
	Cookie = b.env("BENCH_ADMIN_COOKIE"),
	["Content-Type"] = "application/x-www-form-urlencoded",
}

function request()
	local id = math.random(n)
	local price = 100 + (id * 7919) % 49900
	local stock = (id % 17 == 0) and 0 or 1 + (id * 31) % 200
	local cat = id <= 2400 and 61 or 62 + id % 239
	local body = string.format("csrf=%s&slug=p-%d&sku=SKU-%d" ..
	    "&price=%d.%02d&stock=%d&category_id=%d&active=1", csrf, id, id,
	    math.floor(price / 100), price % 100, stock, cat)
	if id % 100 == 0 then
		body = body .. "&featured=1"
	end
	for _, l in ipairs(langs) do
		body = body .. string.format("&name_%s=Bench+product+%d" ..
		    "&description_%s=Saved+by+the+benchmark.", l, id, l)
	end
	return wrk.format("POST", "/admin/products/" .. id, h, body)
end
