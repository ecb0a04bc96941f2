-- title: search, one common word (random of 27), no cache
-- order: 60
-- target: hello 0.25
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
local words = b.split(b.env("BENCH_SEARCH_WORDS"))
local h = b.nocache(b.env("BENCH_BIG_HOST"))

function request()
	return wrk.format("GET", "/search?q=" .. words[math.random(#words)],
	    h)
end
