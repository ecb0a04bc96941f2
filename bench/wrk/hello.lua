-- title: libfcgi hello (same pool settings, same body size)
-- baseline: hello
-- order: 2
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
wrk.path = "/"
wrk.headers["Host"] = b.env("BENCH_HELLO_HOST")
