import { BINARY_EVENT_FIELD, expandBinaryEvent } from './data/redis-event-binary';
import { COMPACT_EVENT_FIELD, PLAIN_EVENT_FIELD, expandEvent } from './data/redis-event-codec';
import { USER_LOG_LUA } from './data/redis-user-log';

/**
 * Where the Redis store keeps each thing. Every per-user key carries the user's id as a hash
 * tag (`attune:u:{<userId>}:…`), so one user's keys share a Redis Cluster slot and a turn's
 * read stays one round trip to one node. Global keys (the event log, claims, counters, global
 * cache, artifacts) sit outside any user's tag.
 *
 * ```ts
 * new RedisKeys('attune:').profile('u1'); // 'attune:u:{u1}:profile'
 * ```
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** HASH: one field per top-level profile property, JSON values. */
  profile(userId: string): string {
    return this.user(userId, 'profile');
  }

  /** STRING: the session as JSON, with EX = the inactivity TTL. */
  session(userId: string, sessionId: string): string {
    return this.user(userId, `s:${sessionId}`);
  }

  /** STRING: the user's segment ids, packed (see data/redis-segments.ts); a SET of them before. */
  segments(userId: string): string {
    return this.user(userId, 'segments');
  }

  /**
   * STRING: the user's log, as the ids of their events in the global log ({@link RedisKeys.events}),
   * in append order, appended by the same script call as the event: each event is stored once,
   * in the global log, and this log is how a user's events are found there (the user's latest
   * `maxEventsPerUser` are the user's log; export and erase read all of it). The ids are packed
   * into one string, a few bytes each (see data/redis-user-log.ts); logs written before are
   * LISTs of ids, read as well, and rewritten as the string on their next append.
   */
  userLog(userId: string): string {
    return this.user(userId, 'log');
  }

  /**
   * Legacy STREAM: the user's latest events (capped), a second copy of each, as stores wrote
   * them before {@link RedisKeys.userLog}. No longer written; read until the user is migrated
   * (see data/redis-migrate.ts), trimmed, rotated and erased like the rest.
   */
  userEvents(userId: string): string {
    return this.user(userId, 'events');
  }

  /**
   * Legacy STREAM: the user's index of the global log (one empty entry under each global id of
   * theirs), as stores wrote it before {@link RedisKeys.userLog}: a stream costs a 4 KB node
   * even for ten entries. No longer written; its ids move to the user's log on migration.
   */
  userEventIds(userId: string): string {
    return this.user(userId, 'eventids');
  }

  /** STRING with EX: a cache entry scoped to the user. */
  userCache(userId: string, key: string): string {
    return this.user(userId, `cache:${key}`);
  }

  /** ZSET: the user's session ids, scored by expiry (store clock, ms); EX = the session TTL. */
  userSessions(userId: string): string {
    return this.user(userId, 'sessions');
  }

  /** ZSET: the user's cache keys, scored by expiry (store clock, ms); EX = the longest entry's. */
  userCacheKeys(userId: string): string {
    return this.user(userId, 'cachekeys');
  }

  /** STREAM: the re-encrypted copy of a user's log while keys rotate, then renamed over it. */
  userEventsRotating(userId: string): string {
    return this.user(userId, 'events:rotate');
  }

  /** ZSET: every user with data, scored by the store clock (ms) of their latest write. */
  users(): string {
    return `${this.prefix}users`;
  }

  /** SET: SHA-256 digests of suppressed user ids. Never touched by erase or sweep. */
  suppressed(): string {
    return `${this.prefix}suppressed`;
  }

  /** STREAM: the audit log, one JSON field per entry. No TTL, never trimmed. */
  audit(): string {
    return `${this.prefix}audit`;
  }

  /** STREAM: the re-encrypted copy of the global log while keys rotate. */
  eventsRotating(): string {
    return `${this.prefix}events:rotate`;
  }

  /** STREAM: every event, in append order. */
  events(): string {
    return `${this.prefix}events`;
  }

  /**
   * STRING: the id of the first global entry written with an index entry (see
   * {@link RedisKeys.userEventIds}), set once. Entries below it (or all of them, while it is
   * unset) were written before users' indexes existed; export and erase find those by walking
   * that part of the log, which only ever shrinks.
   */
  eventsIndexedFrom(): string {
    return `${this.prefix}events:indexed`;
  }

  /**
   * HASH with PEXPIREAT, one per (time bucket, shard): `<this><bucket>:<shard>`, the claimed
   * message ids as fields (see data/redis-claims.ts). The prefix of those keys.
   */
  claimBuckets(): string {
    return `${this.prefix}msgs:`;
  }

  /** Legacy STRING with NX and EX: a claimed message id, as earlier versions claimed them (still honoured until they expire). */
  claim(messageId: string): string {
    return `${this.prefix}msg:${messageId}`;
  }

  /** ZSET: one named counter. */
  counter(name: string): string {
    return `${this.prefix}counter:${name}`;
  }

  /** STRING with EX: a cache entry not scoped to a user. */
  cache(key: string): string {
    return `${this.prefix}cache:${key}`;
  }

  /** HASH: field `latest` is the version counter, field `<n>` holds version n. */
  artifact(name: string): string {
    return `${this.prefix}artifact:${name}`;
  }

  private user(userId: string, part: string): string {
    return `${this.prefix}u:{${hashTag(userId)}}:${part}`;
  }
}

/**
 * The user id as it appears between the braces. Redis takes the tag up to the first `}`, so a
 * raw `}` in an id would cut the tag short and could make one user's key spell another's; `{`,
 * `}` and the escape character itself are percent-encoded to keep ids and keys one-to-one.
 */
export function hashTag(userId: string): string {
  return userId.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The fields of event stream entries: the event in stored form, binary (`b`, see
 * data/redis-event-binary.ts), compact text (`c`, data/redis-event-codec.ts) or plain JSON
 * (`e`); the store's clock when it was received (what retention ages count from), in the
 * entry's id (its ms part) when the write could give it that id, else (the store's clock
 * behind the log's last id) in a field `t`; and, on entries written before users' logs held
 * global ids, the user (`u`), so that erase and export can find those entries without
 * decoding them.
 */
export const EVENT_FIELD = PLAIN_EVENT_FIELD;
/** See {@link EVENT_FIELD}. */
export const USER_FIELD = 'u';
/** See {@link EVENT_FIELD}. */
export const AT_FIELD = 't';

/**
 * The one field of a legacy index entry (see {@link RedisKeys.userEventIds}), with an empty
 * value: a stream entry must have a field, and the index's content is the entry's id.
 */
export const INDEX_FIELD = 'i';

/**
 * A stream entry as the store works with it: XRANGE's reply, the value of a binary field
 * ({@link BINARY_EVENT_FIELD}) as a binary string (one character a byte, `latin1`), every
 * other value as its UTF-8 text. Read with the `…Buffer` commands and {@link streamEntries}:
 * a reply decoded as UTF-8 would mangle the bytes.
 */
export type StreamEntry = [id: string, fields: string[]];

/** A stream entry as the `…Buffer` commands return it. */
export type RawStreamEntry = [id: Buffer, fields: Buffer[]];

/** Entries read as Buffers, as {@link StreamEntry} values; nil entries (an id read but gone) are passed over. */
export function streamEntries(raw: readonly (RawStreamEntry | null)[]): StreamEntry[] {
  const out: StreamEntry[] = [];
  for (const entry of raw) if (entry) out.push(streamEntry(entry));
  return out;
}

/** One entry read as Buffers, as a {@link StreamEntry}. */
export function streamEntry([id, fields]: RawStreamEntry): StreamEntry {
  const text: string[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i].toString('utf8');
    text.push(name, fields[i + 1].toString(name === BINARY_EVENT_FIELD ? 'latin1' : 'utf8'));
  }
  return [id.toString('utf8'), text];
}

/** An entry's fields as XADD arguments: a binary value as its bytes again. */
export function fieldArgs(fields: readonly string[]): (string | Buffer)[] {
  return fields.map((v, i) => (i % 2 === 1 && fields[i - 1] === BINARY_EVENT_FIELD ? Buffer.from(v, 'latin1') : v));
}

/** One field of a stream entry, or undefined. */
export function entryField([, fields]: StreamEntry, name: string): string | undefined {
  for (let i = 0; i < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/** The stored event of an entry (plain JSON, whichever field it has); an entry without one is a StoreError at the caller's guard. */
export function entryEvent(entry: StreamEntry): string {
  const binary = entryField(entry, BINARY_EVENT_FIELD);
  if (binary !== undefined) return expandBinaryEvent(Buffer.from(binary, 'latin1'), entryAt(entry));
  const compact = entryField(entry, COMPACT_EVENT_FIELD);
  if (compact !== undefined) return expandEvent(compact);
  const raw = entryField(entry, EVENT_FIELD);
  if (raw === undefined) throw new Error('stream entry has no event field');
  return raw;
}

/** When an entry was received: its `t` field, else its id's ms (see {@link EVENT_FIELD}). */
export function entryAt(entry: StreamEntry): number {
  const t = entryField(entry, AT_FIELD);
  return t === undefined ? Number(entry[0].split('-')[0]) : Number(t);
}

/** The smallest stream id above `id`, for an exclusive bound in XTRIM MINID. */
export function nextStreamId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${(BigInt(seq) + 1n).toString()}`;
}

/**
 * Stream ids as Redis issues them (`<ms>-<seq>`). The bounds keep every accepted cursor one
 * Redis also accepts (a u64 seq), so a well-formed cursor never turns into a StoreError.
 */
export const STREAM_ID = /^\d{1,15}-\d{1,19}$/;

/**
 * Top k of a sorted set by score descending, ties by member ascending, in one round trip.
 * ZREVRANGE orders equal scores by member descending, so the members tied at the cut-off are
 * re-read in ascending order with ZRANGEBYSCORE; the caller sorts the (at most k) pairs.
 * Returns a flat `[member, score, …]` list.
 */
export const TOP_COUNTERS_LUA = `
local k = tonumber(ARGV[1])
local top = redis.call('ZREVRANGE', KEYS[1], 0, k - 1, 'WITHSCORES')
if #top < 2 * k then return top end
local cut = top[2 * k]
local out = {}
for i = 1, #top, 2 do
  if tonumber(top[i + 1]) > tonumber(cut) then
    out[#out + 1] = top[i]
    out[#out + 1] = top[i + 1]
  end
end
local tied = redis.call('ZRANGEBYSCORE', KEYS[1], cut, cut, 'WITHSCORES', 'LIMIT', 0, k - #out / 2)
for i = 1, #tied do out[#out + 1] = tied[i] end
return out
`;

/**
 * The entries of a stream with the given ids, in the order given; ids no longer there (swept,
 * erased) are skipped. One call reads many entries by id, on one key. KEYS: the stream.
 * ARGV: the ids.
 */
export const ENTRIES_BY_ID_LUA = `
local out = {}
for i = 1, #ARGV do
  local found = redis.call('XRANGE', KEYS[1], ARGV[i], ARGV[i])
  if found[1] then out[#out + 1] = found[1] end
end
return out
`;

/**
 * Trims a user's index of the global log below an id ('' trims nothing), and deletes it once
 * empty, so that no key is left spelling the user's id. Entries at or above the id stay: they
 * were appended after the caller read the index, so their events are still in the log.
 * KEYS: the index. ARGV: the lowest id to keep, or ''.
 */
export const TRIM_INDEX_LUA = `
if ARGV[1] ~= '' then redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1]) end
if redis.call('XLEN', KEYS[1]) == 0 then redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Lua: whether stream id `a` is below `b` (ids compared as the pairs of integers they are;
 * `ms` has at most 15 digits, `seq` may not fit a Lua number, so it is compared as text of
 * equal length).
 */
export const ID_BELOW_LUA = `
local function split(id)
  local dash = string.find(id, '-', 1, true)
  return tonumber(string.sub(id, 1, dash - 1)), string.sub(id, dash + 1)
end
local function below(a, b)
  local am, as = split(a)
  local bm, bs = split(b)
  if am ~= bm then return am < bm end
  if #as ~= #bs then return #as < #bs end
  return as < bs
end
`;

/**
 * Trims a user's log (see {@link RedisKeys.userLog}) below an id (ids only grow, so what goes
 * is its head), and deletes it once empty, so that no key is left spelling the user's id. ''
 * trims nothing. KEYS: the log. ARGV: the lowest id to keep, or ''.
 */
export const TRIM_LOG_LUA = `${ID_BELOW_LUA}${USER_LOG_LUA}
if ARGV[1] ~= '' then
  local ids = log_ids(KEYS[1])
  local keep = {}
  for _, id in ipairs(ids) do if not below(id, ARGV[1]) then keep[#keep + 1] = id end end
  if #keep < #ids then log_write(KEYS[1], keep) end
end
return 0
`;

/**
 * A page of a user's log: of the user's latest `cap` ids, those above the cursor, read from
 * the global log by id, up to `limit` entries found (an id whose entry is gone is passed
 * over). Returns the entries and a legacy flag, 1 when the user still has keys of the
 * legacy layout (see data/redis-migrate.ts), and then nothing is read.
 * KEYS: the user's log, the global log, the legacy index, the legacy per-user stream.
 * ARGV: cap, the cursor ('' for none), limit.
 */
export const USER_EVENTS_LUA = `${ID_BELOW_LUA}${USER_LOG_LUA}
if redis.call('EXISTS', KEYS[3], KEYS[4]) > 0 then return { {}, 1 } end
local cap, after, limit = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local ids = log_tail(KEYS[1], cap)
local out = {}
for i = 1, #ids do
  if #out >= limit then break end
  if after == '' or below(after, ids[i]) then
    local found = redis.call('XRANGE', KEYS[2], ids[i], ids[i])
    if found[1] then out[#out + 1] = found[1] end
  end
end
return { out, 0 }
`;

/**
 * A stored profile as it is: its packed string (binary, data/redis-profile-binary.ts, or the
 * compact text, data/redis-profile-codec.ts; read it with a `…Buffer` command), else the plain
 * hash's HGETALL (empty when there is none). KEYS: the profile.
 */
export const READ_PROFILE_LUA = `
if redis.call('TYPE', KEYS[1]).ok == 'string' then return redis.call('GET', KEYS[1]) end
return redis.call('HGETALL', KEYS[1])
`;

/** Numbers the next version and stores it atomically, so no version is ever without data. */
export const PUT_ARTIFACT_LUA = `
local v = redis.call('HINCRBY', KEYS[1], 'latest', 1)
redis.call('HSET', KEYS[1], tostring(v), ARGV[1])
return v
`;

/** Deletes versions 1 … keep-1 (the counter field stays); returns how many existed. */
export const PRUNE_ARTIFACTS_LUA = `
local n = 0
local latest = tonumber(redis.call('HGET', KEYS[1], 'latest') or '0')
for v = 1, math.min(tonumber(ARGV[1]) - 1, latest) do n = n + redis.call('HDEL', KEYS[1], tostring(v)) end
return n
`;

/** The latest version and its data in one round trip, or nil. */
export const LATEST_ARTIFACT_LUA = `
local v = redis.call('HGET', KEYS[1], 'latest')
if not v then return nil end
return { v, redis.call('HGET', KEYS[1], v) }
`;

/**
 * Swaps a rewritten copy of a stream in for the live one, atomically, unless the live one
 * lost entries since the copy began (an erase or sweep ran: swapping would bring them back);
 * then returns 0 and drops the copy, for the caller to start over. Entries appended since are
 * carried over as they are, and the last issued id is kept, so cursors stay valid.
 * Consumer groups live inside the stream's value, which RENAME replaces, so each is made again
 * on the copy where it stood, its pending entries with their consumer, idle time and delivery
 * count (XCLAIM FORCE): workers carry on as if nothing happened.
 * KEYS: live, copy. ARGV: last copied id, number copied.
 */
export const SWAP_STREAM_LUA = `
local tail = redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+')
if redis.call('XLEN', KEYS[1]) ~= tonumber(ARGV[2]) + #tail then
  redis.call('DEL', KEYS[2])
  return 0
end
for _, entry in ipairs(tail) do redis.call('XADD', KEYS[2], entry[1], unpack(entry[2])) end
local info = redis.call('XINFO', 'STREAM', KEYS[1])
local last
for i = 1, #info, 2 do if info[i] == 'last-generated-id' then last = info[i + 1] end end
local groups = {}
for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local name, delivered, pending
  for i = 1, #g, 2 do
    if g[i] == 'name' then name = g[i + 1] end
    if g[i] == 'last-delivered-id' then delivered = g[i + 1] end
    if g[i] == 'pending' then pending = g[i + 1] end
  end
  local held = {}
  if pending > 0 then held = redis.call('XPENDING', KEYS[1], name, '-', '+', pending) end
  groups[#groups + 1] = { name, delivered, held }
end
redis.call('RENAME', KEYS[2], KEYS[1])
redis.call('XSETID', KEYS[1], last)
for _, g in ipairs(groups) do
  redis.call('XGROUP', 'CREATE', KEYS[1], g[1], g[2])
  for _, p in ipairs(g[3]) do
    redis.call('XCLAIM', KEYS[1], g[1], p[2], 0, p[1], 'IDLE', p[3], 'RETRYCOUNT', p[4], 'FORCE', 'JUSTID')
  end
end
return 1
`;

/** Sets a hash field only if it still holds what was read (a write in between wins). */
export const CAS_HFIELD_LUA = `
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`;

/** Sets a string only if it still holds what was read, keeping its TTL. */
export const CAS_STRING_LUA = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1
`;
