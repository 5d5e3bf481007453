-- wrk script of the benchmark: POSTs pre-signed webhook events, each once.
--
--   wrk -t2 -c64 -d8s -s events.lua URL -- <events file> <threads>
--
-- The events file has one event per line: "<momento-signature> <JSON body>". Thread i of n sends
-- lines i, i+n, i+2n, ... in order; when its share runs out it starts over and counts a wrap
-- (repeats are duplicates to the processor, so the driver makes enough for a run).
-- With WRK_DELAY_MS set, every connection waits a random 0..2x that long before each request:
-- an offered rate of about connections * 1000 / WRK_DELAY_MS requests/s.
-- At the end it prints one line "WRK_JSON {...}" for the driver to read.

local threads = {}
local count = 0

function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end

function init(args)
  local file, n = args[1], tonumber(args[2])
  requests_ = {}
  local i = 0
  for line in io.lines(file) do
    if i % n == id then
      local space = line:find(" ", 1, true)
      requests_[#requests_ + 1] = wrk.format("POST", nil, {
        ["Content-Type"] = "application/json",
        ["momento-signature"] = line:sub(1, space - 1),
      }, line:sub(space + 1))
    end
    i = i + 1
  end
  next_ = 0
  wraps = 0
end

function request()
  next_ = next_ + 1
  if next_ > #requests_ then
    next_ = 1
    wraps = wraps + 1
  end
  return requests_[next_]
end

local pace = tonumber(os.getenv("WRK_DELAY_MS") or "")
if pace then
  function delay()
    return math.random(0, 2 * pace)
  end
end

function done(summary, latency, requests)
  local wrapped = 0
  for _, thread in ipairs(threads) do
    wrapped = wrapped + thread:get("wraps")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"durationMicros":%d,"connectErrors":%d,"readErrors":%d,' ..
    '"writeErrors":%d,"statusErrors":%d,"timeouts":%d,"p50Micros":%d,"p99Micros":%d,' ..
    '"p999Micros":%d,"maxMicros":%d,"meanMicros":%.1f,"wraps":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max,
    latency.mean, wrapped))
end
