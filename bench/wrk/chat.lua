-- wrk script: POST a realistic chat completion request (~600 bytes).
--
-- Env (set by run.sh):
--   BENCH_STREAM=1       ask for a streamed reply ("stream": true)
--   BENCH_MAX_TOKENS=N   max_tokens; the mock sends that many events when streaming
--   BENCH_DELAY_MS=N     bench-only field: mock sleeps N ms between streamed events
--
-- done() prints one line "BENCH_JSON {...}" with exact figures (latency in µs),
-- so run.sh does not have to parse wrk's human-readable units.
local stream = os.getenv("BENCH_STREAM") == "1"
local max_tokens = tonumber(os.getenv("BENCH_MAX_TOKENS") or "") or (stream and 200 or 128)
local delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "") or 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = stream and "text/event-stream" or "application/json"
wrk.body = string.format('{"model":"llama-3.1-8b-instruct","messages":['
  .. '{"role":"system","content":"You are a concise technical assistant for an '
  .. 'infrastructure team. Answer in plain English, use short paragraphs, and say so '
  .. 'when you are not sure. Do not invent command-line flags."},'
  .. '{"role":"user","content":"We run several llama.cpp servers behind one endpoint. '
  .. 'Explain what a reverse proxy adds in latency and CPU per request, why response '
  .. 'buffering must be off for streamed completions, and how keep-alive to the '
  .. 'backends helps. Two paragraphs at most, please."}],'
  .. '"temperature":0.7,"top_p":0.95,"max_tokens":%d,"stream":%s,"bench_delay_ms":%d}',
  max_tokens, stream and "true" or "false", delay_ms)

-- Main-state list of threads so done() can collect their counters.
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

if stream then
  -- A streamed reply counts as good only if it ran to its last numbered event and
  -- [DONE]. Checking just the tail (room left for a trailing usage chunk) keeps wrk's
  -- own CPU cost low; the Python stream client does the full event-by-event check.
  bad = 0
  local last = '" tok' .. max_tokens .. '"'
  function response(status, headers, body)
    if status == 200 then
      local n = #body
      if not body:find("data: ?%[DONE%]%s*$", n - 24) or not body:find(last, n - 2000, true) then
        bad = bad + 1
      end
    end
  end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do
    bad_total = bad_total + (tonumber(t:get("bad")) or 0)
  end
  local e = summary.errors
  io.write(string.format('BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,'
    .. '"rps":%.2f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,'
    .. '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d,'
    .. '"bad_body":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout, bad_total))
end
