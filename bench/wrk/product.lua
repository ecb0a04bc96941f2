-- title: product page, no cache (random of the big shop's products)
-- order: 20
-- target: hello 0.60
-- p99: 8 40
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
local n = b.num("BENCH_PRODUCTS")
local h = b.nocache(b.env("BENCH_BIG_HOST"))

function request()
	return wrk.format("GET", "/p/p-" .. math.random(n), h)
end
