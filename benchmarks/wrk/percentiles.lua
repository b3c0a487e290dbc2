-- GET the URL given to wrk (headers from -H), reporting p95 beside p50 and p99: search's
-- target is a p95 (benchmarks/scale.py).
local common = dofile((os.getenv("BENCH_WRK_DIR") or "benchmarks/wrk") .. "/common.lua")

setup = common.setup

function done(summary, latency, requests)
  common.report(summary, latency, { p95_us = latency:percentile(95) })
end
