-- wrk script: sends the pre-signed requests of a file written by dev.idpgateway.bench.PreSign.
--   wrk -t T -c C -d D -s presigned.lua http://127.0.0.1:PORT/ -- <file> <T>
-- Each thread takes its own share of the lines (line i goes to thread i mod T) and cycles through
-- it. done() prints one RESULT line that src/bench/report.py reads.

local next_thread = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

local requests = {}
local sent = 0

local function split(line)
  local fields = {}
  for field in string.gmatch(line, "[^\t]+") do
    fields[#fields + 1] = field
  end
  return fields
end

function init(args)
  local path, threads = args[1], tonumber(args[2])
  local index = 0
  for line in io.lines(path) do
    if index % threads == thread_index then
      local fields = split(line)
      local headers = {}
      for i = 2, #fields do
        local name, value = string.match(fields[i], "^([^:]+): (.*)$")
        headers[name] = value
      end
      requests[#requests + 1] = wrk.format("POST", "/", headers, fields[1])
    end
    index = index + 1
  end
end

function request()
  sent = sent + 1
  return requests[(sent - 1) % #requests + 1]
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d p999_us=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency:percentile(99.9), errors.connect + errors.read + errors.write + errors.timeout))
end
