-- title: category page ~50 (keyset ?after=), no cache
-- order: 50
-- target: hello 0.45
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
wrk.path = "/c/" .. b.env("BENCH_CATEGORY") .. "?after=" ..
    b.env("BENCH_DEEP_AFTER")
for k, v in pairs(b.nocache(b.env("BENCH_BIG_HOST"))) do
	wrk.headers[k] = v
end
