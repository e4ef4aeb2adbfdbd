import type Redis from 'ioredis';
import { binaryEvent } from './data/redis-event-binary';
import { SEGMENTS_READ_LUA_FN, packSegments, segmentIds } from './data/redis-segments';
import { USER_LOG_LUA } from './data/redis-user-log';
import { binaryProfile, expandBinaryProfile, isBinaryProfile } from './data/redis-profile-binary';
import { compactProfile, expandProfile } from './data/redis-profile-codec';
import { AT_FIELD, type RedisKeys } from './redis-layout';
import type { StoredForm } from './sealed';
import type { StoreLimits, WriteBatch } from './store';

/*
 * The turn path of the Redis store: `readUser` and `write`, which run once each per chatbot
 * turn, each as ONE server-side script call (EVALSHA; ioredis sends EVAL the first time on a
 * connection and again on NOSCRIPT).
 *
 * Why scripts and not MULTI: a MULTI costs the client one ioredis Command per Redis command
 * (a write is a dozen or more), each with its argument conversion, its promise and its slot in
 * the EXEC reply; a profile showed ~85 KB allocated per turn on this path, and the scavenges
 * that garbage triggers were what pushed the per-turn p99 over its target. One script call is
 * one Command whose arguments are plain strings. Each event is stored once, in the global log,
 * in its binary form (see data/redis-event-binary.ts), and its id appended to the user's log;
 * see {@link RedisKeys} for the layout.
 */

/**
 * Opcodes of {@link TURN_WRITE_LUA}, one per kind of write, each with a fixed layout:
 * - event `e <field> <stored event>` (field `b` binary, `c` compact text, `e` plain JSON, see
 *   `EVENT_FIELD` in redis-layout.ts); keys: the user's log;
 * - profile `P <packed profile>` (binary, see data/redis-profile-binary.ts, else the compact
 *   text of data/redis-profile-codec.ts), one string replacing whatever the key held; keys: the profile;
 * - profile `p <n> <field> <value> …` (n pairs), the plain hash, for a profile the compact
 *   form cannot hold exactly; keys: the profile hash;
 * - session `s <sessionId> <stored json>`; keys: the session, the user's session index;
 * - membership `m <packed ids>` (see data/redis-segments.ts; '' for none); keys: the segments key;
 * - users `u <n> <userId> …` (marks them active now); keys: none (the users index is KEYS[2]);
 * - counter `c <n> <member> <increment> …`; keys: the counter zset.
 */
const OP = { event: 'e', compactProfile: 'P', profile: 'p', session: 's', membership: 'm', users: 'u', counter: 'c' } as const;

/**
 * Applies a write batch, in batch order. KEYS: the global event log, the users index, the
 * first indexed id of the global log (set by the first event ever written with an index
 * entry), then each operation's keys in operation order. ARGV: now (ms), the expiry score of sessions
 * written now (ms), the per-user log cap (unused here: the user's log keeps every id, and reads take the latest), the session TTL, the profile TTL ('' for none),
 * '1' to track the snapshot keys written for client-side caching (else ''), then the operations (see {@link OP}). Scores and increments pass through as the strings the
 * client sent, never through Lua numbers. `unpack` is capped by Lua's C stack, hence chunks.
 */
export const TURN_WRITE_LUA = `${USER_LOG_LUA}
local now, expires, sttl, pttl, track = ARGV[1], ARGV[2], ARGV[4], ARGV[5], ARGV[6] == '1'
local snapshot = {}
local function chunked(cmd, key, from, to)
  for i = from, to, 1000 do redis.call(cmd, key, unpack(ARGV, i, math.min(i + 999, to))) end
end
local k, a = 4, 7
local indexed = false
while a <= #ARGV do
  local op = ARGV[a]
  if op == '${OP.event}' then
    -- The id's ms part is the receipt time (no field for it), unless the log's last id is past
    -- the store's clock: then Redis picks the id and a field keeps the time.
    local id = redis.pcall('XADD', KEYS[1], now .. '-*', ARGV[a + 1], ARGV[a + 2])
    if type(id) == 'table' then id = redis.call('XADD', KEYS[1], '*', ARGV[a + 1], ARGV[a + 2], '${AT_FIELD}', now) end
    -- The one copy is the global log's; the user's log holds its id (ids only grow).
    log_append(KEYS[k], id)
    if not indexed then
      redis.call('SET', KEYS[3], id, 'NX')
      indexed = true
    end
    k, a = k + 1, a + 3
  elseif op == '${OP.compactProfile}' then
    redis.call('SET', KEYS[k], ARGV[a + 1])
    if pttl ~= '' then redis.call('EXPIRE', KEYS[k], pttl) end
    snapshot[#snapshot + 1] = KEYS[k]
    k, a = k + 1, a + 2
  elseif op == '${OP.profile}' then
    local n = tonumber(ARGV[a + 1])
    redis.call('DEL', KEYS[k])
    chunked('HSET', KEYS[k], a + 2, a + 1 + 2 * n)
    if pttl ~= '' then redis.call('EXPIRE', KEYS[k], pttl) end
    snapshot[#snapshot + 1] = KEYS[k]
    k, a = k + 1, a + 2 + 2 * n
  elseif op == '${OP.session}' then
    redis.call('SET', KEYS[k], ARGV[a + 2], 'EX', sttl)
    snapshot[#snapshot + 1] = KEYS[k]
    -- The index lets export and erase find every session; expired ids are pruned here, and
    -- the index itself lives no longer than its newest session.
    redis.call('ZADD', KEYS[k + 1], expires, ARGV[a + 1])
    redis.call('ZREMRANGEBYSCORE', KEYS[k + 1], '-inf', now)
    redis.call('EXPIRE', KEYS[k + 1], sttl)
    k, a = k + 2, a + 3
  elseif op == '${OP.membership}' then
    -- SET drops a TTL as DEL did: memberships live until replaced or erased.
    if ARGV[a + 1] == '' then redis.call('DEL', KEYS[k]) else redis.call('SET', KEYS[k], ARGV[a + 1]) end
    snapshot[#snapshot + 1] = KEYS[k]
    k, a = k + 1, a + 2
  elseif op == '${OP.users}' then
    local n = tonumber(ARGV[a + 1])
    for i = a + 2, a + 1 + n do redis.call('ZADD', KEYS[2], now, ARGV[i]) end
    a = a + 2 + n
  elseif op == '${OP.counter}' then
    local n = tonumber(ARGV[a + 1])
    for i = a + 2, a + 2 * n, 2 do redis.call('ZINCRBY', KEYS[k], ARGV[i + 1], ARGV[i]) end
    k, a = k + 1, a + 2 + 2 * n
  else
    return redis.error_reply('attune turn write: unknown operation ' .. tostring(op))
  end
end
-- Client-side caching (cache/redis-tracking.ts): writing a tracked key untracks it, and the caller's
-- write is not reported to it (NOLOOP); a read-only command on the keys tracks them again for
-- the caller, so a later change by anyone else is reported. EXISTS reads nothing but the keys.
if track then
  for i = 1, #snapshot, 1000 do redis.call('EXISTS', unpack(snapshot, i, math.min(i + 999, #snapshot))) end
end
return 1
`;

/**
 * Reads what a turn needs. KEYS: the profile, the segments key, optionally the session.
 * Returns `{ the profile, the memberships (packed string, or a SET's SMEMBERS), { PTTL of each key }, GET (nil when missing) }`, the
 * profile as its compact string, or as HGETALL's flat list when it is a plain hash (or missing),
 * the last only when a session key was given. The PTTLs (-1: no TTL, -2: no key) tell the
 * store's snapshot cache how long what it read lives (see cache/redis-cache.ts).
 */
export const TURN_READ_LUA = `${SEGMENTS_READ_LUA_FN}
local ttls = {}
for i = 1, #KEYS do ttls[i] = redis.call('PTTL', KEYS[i]) end
local profile
if redis.call('TYPE', KEYS[1]).ok == 'string' then profile = redis.call('GET', KEYS[1]) else profile = redis.call('HGETALL', KEYS[1]) end
local reply = { profile, read_segments(KEYS[2]), ttls }
if #KEYS > 2 then reply[4] = redis.call('GET', KEYS[3]) end
return reply
`;

/** One script call: its KEYS and ARGV. */
export interface ScriptCall {
  keys: string[];
  /** Strings, and Buffers for binary values (events, see data/redis-event-binary.ts). */
  argv: (string | Buffer)[];
}

/**
 * What {@link TURN_READ_LUA} returns, as {@link TurnScripts.read} gives it: the profile (its
 * packed string as the bytes it is, or a plain hash's fields flat), segment ids, the keys'
 * PTTLs, the stored session.
 */
export type TurnReadReply = [profile: Buffer | string[], segments: string[], ttls: number[], session?: string | null];

/** The two turn scripts on one client. */
export interface TurnScripts {
  /** Runs {@link TURN_WRITE_LUA}. */
  write(call: ScriptCall): Promise<unknown>;
  /** Runs {@link TURN_READ_LUA} on the keys of {@link turnReadKeys}. */
  read(keys: string[]): Promise<TurnReadReply>;
}

/** TURN_READ_LUA's reply as Buffers (a binary profile must reach the codec as its bytes). */
type RawTurnRead = [profile: Buffer | Buffer[], segments: Buffer | Buffer[], ttls: number[], session?: Buffer | null];

/** What the client looks like once {@link turnScripts} defined its commands. */
interface ScriptedClient {
  attuneTurnWrite(numKeys: number, keys: string[], argv: (string | Buffer)[]): Promise<unknown>;
  attuneTurnReadBuffer(numKeys: number, keys: string[]): Promise<RawTurnRead>;
}

/**
 * Defines the turn scripts on `redis` (as the commands `attuneTurnWrite` and `attuneTurnRead`,
 * through ioredis `defineCommand`, which caches the script per connection and falls back to
 * EVAL on NOSCRIPT; reads go through its `…Buffer` variant). Defining them again, e.g. for a
 * second store on a shared client, is harmless.
 */
export function turnScripts(redis: Redis): TurnScripts {
  redis.defineCommand('attuneTurnWrite', { lua: TURN_WRITE_LUA });
  redis.defineCommand('attuneTurnRead', { lua: TURN_READ_LUA, readOnly: true });
  const client = redis as Redis & ScriptedClient;
  // Keys and ARGV go as arrays: ioredis flattens them into the command's arguments once.
  return {
    write: ({ keys, argv }) => client.attuneTurnWrite(keys.length, keys, argv),
    read: async (keys) => {
      const [profile, segments, ttls, session] = await client.attuneTurnReadBuffer(keys.length, keys);
      const reply: TurnReadReply = [Array.isArray(profile) ? profile.map(String) : profile, segmentIds(segments), ttls];
      if (keys.length > 2) reply[3] = session ? session.toString('utf8') : null;
      return reply;
    },
  };
}

/** The keys {@link TURN_READ_LUA} reads for a user, and a session if given. */
export function turnReadKeys(keys: RedisKeys, userId: string, sessionId?: string): string[] {
  const read = [keys.profile(userId), keys.segments(userId)];
  if (sessionId !== undefined) read.push(keys.session(userId, sessionId));
  return read;
}

/**
 * A stored profile as read (its packed string, binary or the compact text, or HGETALL's flat
 * `[field, value, …]`) as the record of its fields (no prototype, so any field name is data).
 * A Buffer is told binary or text by its first byte (see data/redis-profile-binary.ts).
 */
export function profileFields(read: Buffer | string | readonly string[], userId: string): Record<string, string> {
  if (Buffer.isBuffer(read)) return isBinaryProfile(read) ? expandBinaryProfile(read, userId) : expandProfile(read.toString('utf8'), userId);
  return typeof read === 'string' ? expandProfile(read, userId) : fieldsOf(read);
}

/** A profile's stored fields as one string: binary, else the compact text; undefined when neither holds them exactly (the plain hash does). */
export function packedProfile(fields: Readonly<Record<string, string>>, userId: string): Buffer | string | undefined {
  return binaryProfile(fields, userId) ?? compactProfile(fields, userId);
}

/** HGETALL's flat `[field, value, …]` as a record (no prototype, so any field name is data). */
export function fieldsOf(flat: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (let i = 0; i < flat.length; i += 2) fields[flat[i]] = flat[i + 1];
  return fields;
}

/** What the store writes with: its layout, stored form, limits and the time of the write. */
export interface TurnWriteContext {
  keys: RedisKeys;
  form: StoredForm;
  limits: StoreLimits;
  now: number;
  /** Whether the call ends by tracking the snapshot keys it wrote (a store with a snapshot cache). */
  track?: boolean;
  /** Told each snapshot part the call writes, in its stored form, in batch order. */
  sink?: TurnWriteSink;
}

/** What a write call replaces, as stored: what the store's snapshot cache needs for write-through. */
export interface TurnWriteSink {
  profile(userId: string, fields: Readonly<Record<string, string>>): void;
  session(userId: string, sessionId: string, stored: string): void;
  membership(userId: string, segments: readonly string[]): void;
}

/**
 * The {@link TURN_WRITE_LUA} call for a validated batch, or undefined when the batch writes
 * nothing (no round trip). Every user the batch touches is marked active once (what
 * inactivity counts from), after the memberships and before the counters.
 */
export function turnWrite(batch: WriteBatch, { keys, form, limits, now, track, sink }: TurnWriteContext): ScriptCall | undefined {
  const ttl = limits.sessionTtlSeconds;
  const call: ScriptCall = {
    keys: [keys.events(), keys.users(), keys.eventsIndexedFrom()],
    argv: [String(now), String(now + ttl * 1000), String(limits.maxEventsPerUser), String(ttl), limits.profileTtlSeconds === undefined ? '' : String(limits.profileTtlSeconds), track ? '1' : ''],
  };
  const { keys: k, argv: a } = call;
  const touched = new Set<string>();
  for (const e of batch.events ?? []) {
    k.push(keys.userLog(e.userId));
    const { field, value } = binaryEvent(form.event(e), now);
    a.push(OP.event, field, value);
    touched.add(e.userId);
  }
  for (const p of batch.profiles ?? []) {
    const fields = form.profile(p);
    k.push(keys.profile(p.userId));
    const packed = packedProfile(fields, p.userId);
    if (packed !== undefined) a.push(OP.compactProfile, packed);
    else {
      const names = Object.keys(fields);
      a.push(OP.profile, String(names.length));
      for (const name of names) a.push(name, fields[name]);
    }
    sink?.profile(p.userId, fields);
    touched.add(p.userId);
  }
  for (const s of batch.sessions ?? []) {
    k.push(keys.session(s.userId, s.id), keys.userSessions(s.userId));
    const stored = form.session(s);
    a.push(OP.session, s.id, stored);
    sink?.session(s.userId, s.id, stored);
    touched.add(s.userId);
  }
  for (const m of batch.memberships ?? []) {
    k.push(keys.segments(m.userId));
    a.push(OP.membership, packSegments(m.segments));
    sink?.membership(m.userId, m.segments);
    touched.add(m.userId);
  }
  if (touched.size) a.push(OP.users, String(touched.size), ...touched);
  let counted = false;
  for (const c of batch.counters ?? []) {
    const members = Object.keys(c.increments);
    if (!members.length) continue;
    k.push(keys.counter(c.name));
    a.push(OP.counter, String(members.length));
    for (const member of members) a.push(member, String(c.increments[member]));
    counted = true;
  }
  return touched.size > 0 || counted ? call : undefined;
}
