-- Mock OpenAI-compatible backend for the benchmark (runs inside nginx + lua-nginx-module).
--
-- It must cost far less than any proxy in front of it, so everything that does not
-- depend on the request is built once at module load, and the request body is
-- inspected with plain Lua patterns (cjson is not guaranteed to be installed).
local M = {}

local ngx = ngx
local find, match = string.find, string.match
local tonumber, tostring = tonumber, tostring
local concat = table.concat

local FINGERPRINT = "b4273-bench"
local DEFAULT_MODEL = "llama-3.1-8b-instruct"
-- Caps keep a malformed request from holding a worker for minutes.
local MAX_EVENTS = 100000
local MAX_DELAY_MS = 10000

-- About 700 bytes of assistant text so the whole non-streaming reply is ~1 KB,
-- the size of a short real completion.
local CONTENT = "Sure. A reverse proxy sits between clients and one or more backend "
  .. "servers: it accepts the client's connection, forwards the request over its own "
  .. "pooled connection to a backend, and relays the response back. For an LLM "
  .. "gateway this means the proxy adds one extra hop, so what matters is how little "
  .. "latency and CPU it adds per request, whether it forwards streamed tokens as soon "
  .. "as they arrive instead of buffering them, and how it behaves when the backend is "
  .. "slow or down. Keep-alive to the backend avoids a TCP handshake per request; "
  .. "disabling response buffering keeps time to first token low; and a bounded "
  .. "connection pool protects the backend from bursts. Measure against a direct "
  .. "call and a plain nginx proxy on the same machine to see the real overhead."

local function json_string_escape_free(s)
  -- CONTENT is a constant without quotes or backslashes; assert it so an edit cannot
  -- silently produce invalid JSON.
  assert(not find(s, '["\\]'), "mock content must not need JSON escaping")
  return s
end
CONTENT = json_string_escape_free(CONTENT)

local MODELS_BODY = '{"object":"list","data":['
  .. '{"id":"llama-3.1-8b-instruct","object":"model","created":1721347200,"owned_by":"bench"},'
  .. '{"id":"qwen2.5-7b-instruct","object":"model","created":1726617600,"owned_by":"bench"}'
  .. ']}'

local seq = 0

local function read_body()
  ngx.req.read_body()
  local body = ngx.req.get_body_data()
  if body then
    return body
  end
  -- Only if the body exceeded client_body_buffer_size and was spooled to disk.
  local path = ngx.req.get_body_file()
  if path then
    local f = io.open(path, "rb")
    if f then
      body = f:read("*a")
      f:close()
      return body
    end
  end
  return ""
end

local function completion(id, created, model, max_tokens)
  ngx.header["Content-Type"] = "application/json"
  local completion_tokens = max_tokens < 142 and max_tokens or 142
  ngx.print('{"id":"', id, '","object":"chat.completion","created":', created,
    ',"model":"', model, '","system_fingerprint":"', FINGERPRINT,
    '","choices":[{"index":0,"message":{"role":"assistant","content":"', CONTENT,
    '"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":57,"completion_tokens":',
    completion_tokens, ',"total_tokens":', 57 + completion_tokens, '}}')
end

local function stream(id, created, model, n, delay_ms, usage)
  ngx.header["Content-Type"] = "text/event-stream"
  ngx.header["Cache-Control"] = "no-cache"
  local head = concat({ 'data: {"id":"', id, '","object":"chat.completion.chunk","created":',
    tostring(created), ',"model":"', model, '","system_fingerprint":"', FINGERPRINT,
    '","choices":[{"index":0,"delta":{' })
  local delay = delay_ms / 1000
  for i = 1, n do
    if i > 1 and delay > 0 then
      ngx.sleep(delay)
    end
    -- The sequence number in the content lets a client check order and completeness.
    local delta = (i == 1) and '"role":"assistant","content":" tok1"'
      or ('"content":" tok' .. i .. '"')
    local finish = (i == n) and '"stop"' or "null"
    ngx.print(head, delta, '},"logprobs":null,"finish_reason":', finish, '}]}\n\n')
    -- Flush every event on its own, as a real token-by-token backend does.
    local ok = ngx.flush(true)
    if not ok then
      return -- client went away
    end
  end
  if usage then
    -- what OpenAI and llama.cpp send when stream_options.include_usage is true: one more event, no choices
    ngx.print('data: {"id":"', id, '","object":"chat.completion.chunk","created":', tostring(created),
      ',"model":"', model, '","system_fingerprint":"', FINGERPRINT,
      '","choices":[],"usage":{"prompt_tokens":57,"completion_tokens":', n, ',"total_tokens":', 57 + n, '}}\n\n')
  end
  ngx.print("data: [DONE]\n\n")
  ngx.flush(true)
end

-- Value of a top-level-looking JSON field: find the quoted key with a plain search
-- (memchr-fast), then match the value with a pattern anchored right after it.
-- Unanchored patterns over the whole ~600-byte body cost ~10 µs per request in
-- LuaJIT (pattern matching is not JIT-compiled), as much as a proxy's whole work.
local function field(body, key, value_pattern)
  local init = 1
  while true do
    local _, e = find(body, key, init, true)
    if not e then
      return nil
    end
    local v = match(body, value_pattern, e + 1)
    if v then
      return v
    end
    init = e + 1
  end
end

function M.chat()
  if ngx.req.get_method() ~= "POST" then
    return ngx.exit(405)
  end
  local body = read_body()
  local is_stream = field(body, '"stream"', '^%s*:%s*(true)') ~= nil
  local include_usage = field(body, '"include_usage"', '^%s*:%s*(true)') ~= nil
  local max_tokens = tonumber(field(body, '"max_tokens"', '^%s*:%s*(%d+)')) or 16
  local delay_ms = tonumber(field(body, '"bench_delay_ms"', '^%s*:%s*(%d+)')) or 0
  -- Echo the requested model like a real server; the pattern excludes quotes and
  -- backslashes so the echoed value cannot break the JSON we write.
  local model = field(body, '"model"', '^%s*:%s*"([^"\\]*)"') or DEFAULT_MODEL
  if max_tokens < 1 then max_tokens = 1 end
  if max_tokens > MAX_EVENTS then max_tokens = MAX_EVENTS end
  if delay_ms > MAX_DELAY_MS then delay_ms = MAX_DELAY_MS end

  seq = seq + 1
  local id = "chatcmpl-bench" .. ngx.worker.pid() .. "x" .. seq
  local created = ngx.time()
  if is_stream then
    stream(id, created, model, max_tokens, delay_ms, include_usage)
  else
    completion(id, created, model, max_tokens)
  end
end

function M.models()
  ngx.header["Content-Type"] = "application/json"
  ngx.print(MODELS_BODY)
end

return M
