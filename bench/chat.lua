-- wrk script for bench/run.sh: POST /v1/chat/completions with a small OpenAI chat body.
--
--   wrk ... -s bench/chat.lua URL -- [key=vsk_...] [model=bench-model] [stream=0|1] [rate=N] [threads=N]
--
-- rate=N paces the whole run to about N requests per second (split evenly over wrk's threads; pass threads= the
-- same as -t): every thread keeps a schedule of send slots 1/rate apart and delay() holds each connection until
-- its slot. wrk starts the latency clock when it writes the request, so the pacing wait is not counted. A thread
-- that falls behind (every connection busy) sends its missed slots at once, up to BACKLOG_MS of them; older ones are
-- dropped (so a long stall lowers the achieved rate a little instead of causing a burst).
-- Without rate= it is a closed loop (each connection sends again as soon as it has its answer).
-- done() prints one machine-readable line: RESULT key=value ...

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local interval = nil -- ms between this thread's sends, when paced
local next_slot = nil

-- the next send slot of this thread; up to BACKLOG_MS of missed slots are caught up (sent at once), older ones dropped
local BACKLOG_MS = 10
local function paced_delay()
  local now = now_ms()
  if next_slot == nil or next_slot < now - BACKLOG_MS then
    next_slot = now
  end
  local wait = next_slot - now
  next_slot = next_slot + interval
  if wait <= 0 then return 0 end
  return math.floor(wait)
end

function init(args)
  local opts = { model = "bench-model", stream = "0", threads = "1" }
  for _, a in ipairs(args) do
    local k, v = a:match("^([%w_]+)=(.*)$")
    if k then opts[k] = v end
  end
  local stream = opts.stream == "1" and ',"stream":true' or ''
  wrk.method = "POST"
  wrk.body = '{"model":"' .. opts.model .. '","messages":[{"role":"system","content":"You are a terse assistant."},'
    .. '{"role":"user","content":"Say hello to the benchmark in one short sentence, please."}],'
    .. '"max_tokens":64,"temperature":0' .. stream .. '}'
  wrk.headers["Content-Type"] = "application/json"
  if opts.key and opts.key ~= "" then
    wrk.headers["Authorization"] = "Bearer " .. opts.key
  end
  if opts.rate then
    interval = 1000.0 * tonumber(opts.threads) / tonumber(opts.rate)
    -- defined only when pacing: wrk checks after init() whether the script has a delay() at all
    delay = paced_delay
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.1f "
      .. "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
