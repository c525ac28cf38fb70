-- wrk script: replays requests prepared by benchkit.prepare_requests (one file per thread, so
-- message ids never repeat within a run), counts answers by status, and with DELAY_MS paces
-- each connection (a steady client rather than a flood).
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

-- The requests stay in the one string read from the file, with their offsets in two arrays
-- of numbers, and each request() cuts its own copy: the Lua heap then holds a handful of
-- objects instead of one string per request. With hundreds of thousands of strings, the
-- garbage the response() callback makes set off collections that walked all of them and
-- stalled wrk's thread (p99 350 ms in the hostile-clients run, 11 ms with this layout).
local data = ""
local starts = {}
local stops = {}
local count = 0
local index = 0
local pause = 0
statuses = {}

function init(args)
  local path = os.getenv("REQUESTS_DIR") .. "/requests-" .. tid .. ".bin"
  local file = assert(io.open(path, "rb"))
  data = file:read("*a")
  file:close()
  local position = 1
  while position <= #data do
    local newline = data:find("\n", position, true)
    local length = tonumber(data:sub(position, newline - 1))
    count = count + 1
    starts[count] = newline + 1
    stops[count] = newline + length
    position = newline + 1 + length
  end
  pause = tonumber(os.getenv("DELAY_MS") or "0") or 0
  collectgarbage("collect")
end

function request()
  index = index + 1
  if index > count then index = 1 end
  return data:sub(starts[index], stops[index])
end

-- Defined only when pacing: wrk arms a timer per request whenever the script has delay().
if (tonumber(os.getenv("DELAY_MS") or "0") or 0) > 0 then
  function delay()
    return pause
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT rps=%.1f requests=%d duration_s=%.3f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.1f err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
    summary.requests / (summary.duration / 1e6), summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do parts[#parts + 1] = status .. "=" .. n end
  io.write("STATUSES " .. table.concat(parts, " ") .. "\n")
end
