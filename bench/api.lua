-- wrk script for bench/api.sh: cycles through the paths given after `--` (else requests the
-- URL's own path), and prints one line when done:
--   RESULT <requests/s> <p50 ms> <p99 ms> <errors, non-2xx included>
local paths = {}
local n = 0

function init(args)
  for _, p in ipairs(args) do
    paths[#paths + 1] = p
  end
end

function request()
  if #paths == 0 then
    return wrk.format()
  end
  n = n % #paths + 1
  return wrk.format(nil, paths[n])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.2f %.2f %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
