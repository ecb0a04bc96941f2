-- title: category page 1 with two facets selected (Size M, Colour Blue), no cache
-- order: 42
-- target: hello 0.30
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
wrk.path = "/c/" .. b.env("BENCH_CATEGORY") .. "?" .. b.env("BENCH_FACET_QUERY")
for k, v in pairs(b.nocache(b.env("BENCH_BIG_HOST"))) do
	wrk.headers[k] = v
end
