-- title: place order (POST, one transaction: prices, stock, number, order, lines, history, 2 jobs)
-- order: 91
-- target: hello 0.10
-- p99: 50
-- expect: 303
-- Each request places the order of its own cart, made by bench/run.py
-- (cart_setup()): one line of one of 1,000 products (its first
-- variant, stock plenty), the address and methods filled in (Germany,
-- flat shipping 4.90, bank transfer). The total the review page would
-- have shown is the product's price plus shipping (prices include tax).
-- A cart is used once: each wrk thread takes its own range of carts,
-- reserved in a file so later runs take fresh ones.
local b = dofile(os.getenv("BENCH_LIB"))
local chunk = b.num("BENCH_PLACE_CHUNK")
local carts = b.num("BENCH_PLACE_CARTS")
local ship = b.num("BENCH_PLACE_SHIPPING")
local file = b.env("BENCH_PLACE_OFFSET_FILE")
local host = b.env("BENCH_BIG_HOST")
local first, next_k = 0, 0

local function price_of(pid)
	return 100 + (pid * 7919) % 49900
end

function init(args)
	math.randomseed(os.time() * 100 + (bench_tid or 0))
	local f = io.open(file, "r")
	local off = f and tonumber(f:read("*l")) or 0
	if f then
		f:close()
	end
	f = io.open(file, "w")
	f:write(tostring(off + 2 * chunk) .. "\n")
	f:close()
	first = off + (bench_tid or 1) * chunk
	next_k = first
end

function request()
	local k = next_k
	next_k = next_k + 1
	if k >= carts or k >= first + chunk then
		error("bench: out of prepared carts (raise BENCH_PLACE_CARTS)")
	end
	local pid = k % 1000 + 1
	local h = {
		Host = host,
		Cookie = string.format("cart=9%063d; souk_csrf=%s", k,
		    "0123456789abcdef0123456789abcdef"),
		["Content-Type"] = "application/x-www-form-urlencoded",
	}
	return wrk.format("POST", "/checkout/place", h, string.format(
	    "csrf=0123456789abcdef0123456789abcdef&idem_key=%08x%08x%016d" ..
	    "&total=%d", math.random(0, 2147483647), bench_tid or 0, k,
	    price_of(pid) + ship))
end
