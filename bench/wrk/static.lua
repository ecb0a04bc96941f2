-- title: nginx static file (a product page's size)
-- baseline: static
-- order: 1
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
wrk.path = "/product.html"
wrk.headers["Host"] = b.env("BENCH_STATIC_HOST")
