-- title: category page 1, no cache
-- order: 40
-- target: hello 0.45
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
wrk.path = "/c/" .. b.env("BENCH_CATEGORY")
for k, v in pairs(b.nocache(b.env("BENCH_BIG_HOST"))) do
	wrk.headers[k] = v
end
