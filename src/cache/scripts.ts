/**
 * The Redis side of the shared entries: one script per command, so each check and its write are atomic, timed by
 * Redis's own clock. An entry is `<when its read began>|<json>`, served while at most the TTL old. An invalidation
 * sets marks (`m:u:<id>`, `m:c:<parent>`, `m:c*`) to its time and deletes what it names; a fill is refused when a mark
 * is at or after its read began, so a read older than a write never stores what it found. Reads check what a delete
 * cannot reach: every-tenant marks (`forward` webhooks) and the tenant's last flush of its pages.
 */

/**
 * KEYS: `floors` flush marks, then one entry per item, then one every-tenant mark per item.
 * ARGV: ttl, floors, then one field per item ('' for a string entry). Returns [now, json or nil per item].
 */
export const READ = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local ttl = tonumber(ARGV[1])
local floors = tonumber(ARGV[2])
local floor = 0
for i = 1, floors do
  local f = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  if f > floor then floor = f end
end
local n = (#KEYS - floors) / 2
local out = { now }
for i = 1, n do
  local key = KEYS[floors + i]
  local field = ARGV[2 + i]
  local v
  if field == '' then v = redis.call('GET', key) else v = redis.call('HGET', key, field) end
  local answer = false
  if v then
    local bar = string.find(v, '|', 1, true)
    local at = bar and tonumber(string.sub(v, 1, bar - 1))
    local mark = tonumber(redis.call('GET', KEYS[floors + n + i]) or '0') or 0
    if at and at > floor and at > mark and now - at <= ttl then answer = string.sub(v, bar + 1) end
  end
  out[i + 1] = answer
end
return out
`;

/**
 * KEYS: the entry (a string, or the parent's hash), then every mark that would make it stale.
 * ARGV: when its read began, ttl, field ('' for a string entry), json. Returns 1 if stored.
 */
export const FILL = `
local start = tonumber(ARGV[1])
for i = 2, #KEYS do
  local mark = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
  if mark >= start then return 0 end
end
local field = ARGV[3]
local cur
if field == '' then cur = redis.call('GET', KEYS[1]) else cur = redis.call('HGET', KEYS[1], field) end
if cur then
  local at = tonumber(string.match(cur, '^(%d+)|'))
  if at and at > start then return 0 end
end
local value = ARGV[1] .. '|' .. ARGV[4]
if field == '' then
  redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
else
  redis.call('HSET', KEYS[1], field, value)
  if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
end
return 1
`;

/**
 * KEYS: the marks to set, then the entries to delete. ARGV: how many marks, how long they are kept, the channel,
 * the message every other instance hears (published in the same step, so no instance hears it before Redis has it).
 */
export const FORGET = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local marks = tonumber(ARGV[1])
for i = 1, marks do redis.call('SET', KEYS[i], now, 'PX', ARGV[2]) end
for i = marks + 1, #KEYS do redis.call('DEL', KEYS[i]) end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return now
`;

/**
 * KEYS: the generation's key. ARGV: a new generation, its ttl, 'adopt' (keep the current one, if any) or 'new', the
 * channel, the announcement of the new one. Returns the generation in force. Set and announced in one step, so
 * every instance hears generations in the order they were set and ends on the one Redis holds.
 */
export const EPOCH = `
local current = redis.call('GET', KEYS[1])
if current and ARGV[3] == 'adopt' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return current
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return ARGV[1]
`;
