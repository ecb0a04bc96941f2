-- title: product page, anonymous, nginx microcache (one hot page)
-- order: 10
-- target: static 0.50
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
wrk.path = "/p/" .. b.env("BENCH_HOT_SLUG")
wrk.headers["Host"] = b.env("BENCH_BIG_HOST")
