-- GET the URL given to wrk, with the headers given on its command line (-H).
local common = dofile((os.getenv("BENCH_WRK_DIR") or "benchmarks/wrk") .. "/common.lua")

setup = common.setup

function done(summary, latency, requests)
  common.report(summary, latency)
end
