-- bench/wrk/_lib.lua: what every scenario shares. A scenario is one
-- file bench/wrk/<name>.lua: a header of "-- key: value" lines that
-- bench/run.py reads (title, order, target, p99, expect, baseline; see
-- run.py), then `local b = dofile(os.getenv("BENCH_LIB"))` and either
-- wrk.path/wrk.headers (one fixed request) or a request() function.
-- Facts about the loaded data come in BENCH_* environment variables.
local b = {}

function b.env(name)
	local v = os.getenv(name)
	if v == nil or v == "" then
		error("bench: $" .. name .. " is not set")
	end
	return v
end

function b.num(name)
	return tonumber(b.env(name))
end

-- Headers of a storefront request that must reach souk: the bypass
-- cookie makes nginx skip the microcache both ways (as for a shopper
-- with a session or cart); souk itself does not read it.
function b.nocache(host)
	return { Host = host, Cookie = b.env("BENCH_NOCACHE_COOKIE") }
end

function b.split(s)
	local t = {}
	for w in string.gmatch(s, "[^,]+") do
		t[#t + 1] = w
	end
	return t
end

-- Each thread its own random sequence.
local nthreads = 0
function setup(thread)
	nthreads = nthreads + 1
	thread:set("bench_tid", nthreads)
end

function init(args)
	math.randomseed(os.time() * 100 + (bench_tid or 0))
end

-- One line of JSON for run.py.
function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format('BENCH_JSON {"requests": %d, ' ..
	    '"duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
	    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, ' ..
	    '"p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
	    summary.requests, summary.duration, summary.bytes, e.connect,
	    e.read, e.write, e.status, e.timeout,
	    latency:percentile(50), latency:percentile(90),
	    latency:percentile(99), latency.max, latency.mean))
end

return b
