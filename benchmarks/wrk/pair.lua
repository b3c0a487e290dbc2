-- A signed-in reader's article page: the page, then its personal request, again and again.
-- Arguments: the page's path, the personal request's path. The session cookie comes as -H.
--
-- wrk calls request() per thread, not per connection: run it with as many threads as
-- connections (-t16 -c16), so that each connection sends page, personal, page, ... in turn
-- and a pair's time (the page's request to the personal response) can be taken here.
local common = dofile((os.getenv("BENCH_WRK_DIR") or "benchmarks/wrk") .. "/common.lua")

setup = common.setup

function init(args)
  page, personal = args[1], args[2]
  page_next = true
  started = 0
  pair_us = {}
  client_errors, server_errors = 0, 0
end

function request()
  if page_next then
    started = common.now_us()
    return wrk.format("GET", page)
  end
  return wrk.format("GET", personal)
end

function response(status, headers, body)
  common.count_error(status)
  if page_next then
    page_next = false
  else
    pair_us[#pair_us + 1] = common.now_us() - started
    page_next = true
  end
end

function done(summary, latency, requests)
  local pairs_done = common.merged("pair_us")
  common.report(summary, latency, {
    pairs = #pairs_done,
    pair_p50_us = common.percentile(pairs_done, 50),
    pair_p99_us = common.percentile(pairs_done, 99),
    client_errors = common.total("client_errors"),
    server_errors = common.total("server_errors"),
  })
end
