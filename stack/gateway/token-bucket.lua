-- Traefik's rateLimit middleware (a token bucket per client, golang.org/x/time/rate) for haproxy.
-- Same arithmetic as token-bucket.ts, which the unit tests pin at the seed's numbers.
--
--   http-request lua.token_bucket <name> <average> <period_sec> <burst>
--
-- sets txn.rate_limited when the request is refused; the config answers 429 on it. Buckets are
-- keyed by the X-Client-Id header, else the source IP (see rate-limits.ts for why). haproxy runs
-- one Lua state shared by its threads, so the tables below are the only copy.

local buckets = {}   -- name -> key -> {tokens, last}
local calls = 0

local function now()
  local t = core.now()
  return t.sec + t.usec / 1e6
end

-- Buckets idle for a whole refill are full again, i.e. the same as absent: drop them so a run with
-- many client ids does not grow the table without bound.
local function sweep(t)
  for _, by_key in pairs(buckets) do
    for key, b in pairs(by_key) do
      if t - b.last > b.refill_sec then by_key[key] = nil end
    end
  end
end

core.register_action("token_bucket", { "http-req" }, function(txn, name, average, period, burst)
  average, period, burst = tonumber(average), tonumber(period), tonumber(burst)
  local rate = average / period
  -- Traefik waits up to maxDelay for a token before it refuses (rate_limiter.go).
  local max_delay
  if rate < 1 then max_delay = 0.5 else max_delay = 1 / (2 * math.floor(rate)) end
  local threshold = 1 - rate * max_delay

  local key = txn.f:req_hdr("x-client-id")
  if key == nil or key == "" then key = "ip:" .. tostring(txn.f:src()) end

  local t = now()
  calls = calls + 1
  if calls % 10000 == 0 then sweep(t) end

  local by_key = buckets[name]
  if by_key == nil then by_key = {}; buckets[name] = by_key end
  local b = by_key[key]
  if b == nil then
    b = { tokens = burst, last = t, refill_sec = burst / rate }
    by_key[key] = b
  end
  b.tokens = math.min(burst, b.tokens + math.max(0, t - b.last) * rate)
  b.last = t
  if b.tokens < threshold then
    txn:set_var("txn.rate_limited", 1)
    return
  end
  b.tokens = b.tokens - 1
  if b.tokens < 0 then core.msleep(math.ceil(-b.tokens / rate * 1000)) end
end, 4)
