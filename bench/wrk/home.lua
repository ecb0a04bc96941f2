-- title: home page, no cache
-- order: 30
-- target: hello 0.45
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
wrk.path = "/"
for k, v in pairs(b.nocache(b.env("BENCH_BIG_HOST"))) do
	wrk.headers[k] = v
end
