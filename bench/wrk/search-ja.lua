-- title: search, Japanese word inside longer words (random of 10), no cache
-- order: 61
-- target: hello 0.25
-- expect: 200
local b = dofile(os.getenv("BENCH_LIB"))
local h = b.nocache(b.env("BENCH_BIG_HOST"))
local words = {}

for _, w in ipairs(b.split(b.env("BENCH_JA_SEARCH_WORDS"))) do
	words[#words + 1] = w:gsub("[^%w]", function(c)
		return string.format("%%%02X", string.byte(c))
	end)
end

function request()
	return wrk.format("GET", "/search?lang=ja&q=" ..
	    words[math.random(#words)], h)
end
