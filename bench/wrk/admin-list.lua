-- title: admin product list (logged in)
-- order: 70
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
wrk.path = "/admin/products"
wrk.headers["Host"] = b.env("BENCH_BIG_HOST")
wrk.headers["Cookie"] = b.env("BENCH_ADMIN_COOKIE")
