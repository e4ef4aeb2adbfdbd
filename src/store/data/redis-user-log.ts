/** Bytes up to which an append rewrites the log whole (see log_append). */
const WHOLE_UP_TO = 4096;

/**
 * The user's log (see `RedisKeys.userLog`) as ONE string: the global ids of the user's events,
 * in log order, each as its distance from the first id's ms part, `<base>:<d>-<seq> <d>-<seq> …`
 * (`1796420602911:0-0 0-1 5210-0`). A list of ten ids cost ~380 bytes in Redis (a quicklist
 * node and a listpack around 17-byte strings); the string costs its text and one key. Ids in
 * the global log only grow, so every distance is ≥ 0, and it fits a Lua number (ms parts have
 * at most 15 digits); sequence numbers stay text (they may not fit one).
 *
 * Logs written before this form are LISTs of ids; every function here reads both, and the
 * first append to a list rewrites it as the string (the user's whole log, once).
 *
 * {@link USER_LOG_LUA} is a Lua preamble for the scripts that touch a log: `log_ids(key)` (every
 * id, in order), `log_tail(key, n)` (the latest n, reading only the string's tail),
 * `log_append(key, id)`, and `log_write(key, ids)` (replaces it; none deletes the key).
 */
export const USER_LOG_LUA = `
local function log_split(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), string.sub(id, dash + 1)
end
local function log_ms(n) return string.format('%.0f', n) end
local function log_parse(text, base, out)
  for d, seq in string.gmatch(text, '(%d+)-(%d+)') do out[#out + 1] = log_ms(base + tonumber(d)) .. '-' .. seq end
  return out
end
local function log_base(key)
  return tonumber(string.match(redis.call('GETRANGE', key, 0, 20), '^(%d+):'))
end
local function log_ids(key)
  local kind = redis.call('TYPE', key).ok
  if kind == 'list' then return redis.call('LRANGE', key, 0, -1) end
  if kind ~= 'string' then return {} end
  local text = redis.call('GET', key)
  local colon = string.find(text, ':', 1, true)
  return log_parse(string.sub(text, colon + 1), tonumber(string.sub(text, 1, colon - 1)), {})
end
local function log_tail(key, n)
  if n <= 0 then return {} end
  local kind = redis.call('TYPE', key).ok
  if kind == 'list' then return redis.call('LRANGE', key, -n, -1) end
  if kind ~= 'string' then return {} end
  -- An entry is at most 37 bytes (' ', 15 digits, '-', 20 digits): this much tail holds n whole ones.
  local want = 40 * n + 40
  local len = redis.call('STRLEN', key)
  if want >= len then
    local all = log_ids(key)
    local out = {}
    for i = math.max(1, #all - n + 1), #all do out[#out + 1] = all[i] end
    return out
  end
  local tail = redis.call('GETRANGE', key, len - want, -1)
  -- The first entry may be cut: what precedes the first space is dropped.
  local all = log_parse(string.sub(tail, string.find(tail, ' ', 1, true) + 1), log_base(key), {})
  local out = {}
  for i = math.max(1, #all - n + 1), #all do out[#out + 1] = all[i] end
  return out
end
local function log_write(key, ids)
  redis.call('DEL', key)
  if #ids == 0 then return end
  local base
  for _, id in ipairs(ids) do
    local ms = log_split(id)
    if base == nil or ms < base then base = ms end
  end
  local parts = {}
  for i, id in ipairs(ids) do
    local ms, seq = log_split(id)
    parts[i] = log_ms(ms - base) .. '-' .. seq
  end
  redis.call('SET', key, log_ms(base) .. ':' .. table.concat(parts, ' '))
end
local function log_append(key, id)
  local kind = redis.call('TYPE', key).ok
  local ms, seq = log_split(id)
  if kind == 'none' then
    redis.call('SET', key, log_ms(ms) .. ':0-' .. seq)
    return
  end
  local base = kind == 'string' and log_base(key) or nil
  if base == nil or ms < base then
    -- A list of the earlier form (or an id below the base, which the log's order rules out): rewritten whole.
    local ids = log_ids(key)
    ids[#ids + 1] = id
    log_write(key, ids)
    return
  end
  local entry = ' ' .. log_ms(ms - base) .. '-' .. seq
  -- APPEND allocates greedily (room for as much again), which would double a short log's
  -- bytes; a log up to a few KB is written whole instead, to its exact size.
  if redis.call('STRLEN', key) <= ${WHOLE_UP_TO} then redis.call('SET', key, redis.call('GET', key) .. entry)
  else redis.call('APPEND', key, entry) end
end
`;

/** Every id of a user's log, in order, either form. KEYS: the log. */
export const LOG_IDS_LUA = `${USER_LOG_LUA}
return log_ids(KEYS[1])
`;
