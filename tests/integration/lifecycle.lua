-- wrk script for tests/integration/lifecycle.sh: counts answers by status across all threads
-- and prints machine-readable lines at the end:
--   lonua-requests N
--   lonua-bad-responses N          (status >= 300)
--   lonua-status CODE N            (one line per status seen)
--   lonua-socket-errors connect=N read=N write=N timeout=N
--   lonua-latency-ms p50=… p99=… max=…
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  by_status = {}
end

function response(status, headers, body)
  if status >= 300 then
    bad = bad + 1
  end
  by_status[status] = (by_status[status] or 0) + 1
end

function done(summary, latency, requests)
  local total_bad = 0
  local statuses = {}
  for _, t in ipairs(threads) do
    total_bad = total_bad + t:get("bad")
    for code, n in pairs(t:get("by_status")) do
      statuses[code] = (statuses[code] or 0) + n
    end
  end
  io.write(string.format("lonua-requests %d\n", summary.requests))
  io.write(string.format("lonua-bad-responses %d\n", total_bad))
  for code, n in pairs(statuses) do
    io.write(string.format("lonua-status %d %d\n", code, n))
  end
  local e = summary.errors
  io.write(string.format("lonua-socket-errors connect=%d read=%d write=%d timeout=%d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write(string.format("lonua-latency-ms p50=%.1f p99=%.1f max=%.1f\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
