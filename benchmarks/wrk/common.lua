-- What the benchmark's wrk scripts share: a registry of wrk's threads (to read their
-- counters at the end) and one machine-readable line, "BENCH {json}", that
-- benchmarks/pages.py reads instead of wrk's text. Times are in microseconds.
local common = { threads = {} }

function common.setup(thread)
  thread:set("thread_id", #common.threads + 1)
  table.insert(common.threads, thread)
end

-- The sum of a numeric global over every thread.
function common.total(name)
  local sum = 0
  for _, thread in ipairs(common.threads) do
    sum = sum + (thread:get(name) or 0)
  end
  return sum
end

-- Every thread's list `name`, in one sorted list.
function common.merged(name)
  local all = {}
  for _, thread in ipairs(common.threads) do
    for _, value in ipairs(thread:get(name) or {}) do
      all[#all + 1] = value
    end
  end
  table.sort(all)
  return all
end

-- Counts a 4xx or 5xx answer in this thread's client_errors or server_errors (globals the
-- script's init sets to 0); true when the answer was one.
function common.count_error(status)
  if status >= 500 then
    server_errors = server_errors + 1
    return true
  elseif status >= 400 then
    client_errors = client_errors + 1
    return true
  end
  return false
end

function common.percentile(sorted, share)
  if #sorted == 0 then
    return 0
  end
  local index = math.max(1, math.ceil(#sorted * share / 100))
  return sorted[index]
end

-- `extra`: more numeric fields for the line.
function common.report(summary, latency, extra)
  local errors = summary.errors
  local fields = {
    requests = summary.requests,
    bytes = summary.bytes,
    duration_us = summary.duration,
    status_errors = errors.status,
    connect_errors = errors.connect,
    read_errors = errors.read,
    write_errors = errors.write,
    timeouts = errors.timeout,
    p50_us = latency:percentile(50),
    p99_us = latency:percentile(99),
    mean_us = latency.mean,
    max_us = latency.max,
  }
  for name, value in pairs(extra or {}) do
    fields[name] = value
  end
  local parts = {}
  for name, value in pairs(fields) do
    if value ~= value then -- NaN: no request finished
      value = 0
    end
    parts[#parts + 1] = string.format('"%s":%.17g', name, value)
  end
  io.write("BENCH {" .. table.concat(parts, ",") .. "}\n")
end

-- A monotonic clock through LuaJIT's FFI (wrk itself gives scripts none).
local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *out);
]])
local now = ffi.new("bench_timespec")
function common.now_us()
  ffi.C.clock_gettime(1, now) -- CLOCK_MONOTONIC
  return tonumber(now.tv_sec) * 1e6 + tonumber(now.tv_nsec) / 1e3
end

return common
