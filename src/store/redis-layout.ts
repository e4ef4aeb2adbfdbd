import type { AttuneEvent } from '../core/event';
import type { Profile } from '../core/profile';

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

  /** SET: the user's segment ids. */
  segments(userId: string): string {
    return this.user(userId, 'segments');
  }

  /** STREAM: the user's latest events (capped). */
  userEvents(userId: string): string {
    return this.user(userId, 'events');
  }

  /** STRING with EX: a cache entry scoped to the user. */
  userCache(userId: string, key: string): string {
    return this.user(userId, `cache:${key}`);
  }

  /** STREAM: every event, in append order. */
  events(): string {
    return `${this.prefix}events`;
  }

  /** STRING with NX and EX: a claimed message id. */
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

/** Profile → HSET fields. Undefined properties are left out, as JSON would drop them. */
export function profileFields(profile: Profile): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(profile)) if (v !== undefined) fields[k] = JSON.stringify(v);
  return fields;
}

/** HGETALL reply → profile, or null when the hash does not exist. */
export function profileFromFields(fields: Record<string, string>): Profile | null {
  const entries = Object.entries(fields);
  if (!entries.length) return null;
  return Object.fromEntries(entries.map(([k, v]) => [k, JSON.parse(v)])) as Profile;
}

/** The one field each stream entry carries. */
export const EVENT_FIELD = 'e';

/** XRANGE reply entry → the event it holds. */
export function eventFromEntry([, fields]: [string, string[]]): AttuneEvent {
  const at = fields.indexOf(EVENT_FIELD);
  if (at < 0 || at % 2 !== 0) throw new Error('stream entry has no event field');
  return JSON.parse(fields[at + 1]) as AttuneEvent;
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

/** Numbers the next version and stores it atomically, so no version is ever without data. */
export const PUT_ARTIFACT_LUA = `
local v = redis.call('HINCRBY', KEYS[1], 'latest', 1)
redis.call('HSET', KEYS[1], tostring(v), ARGV[1])
return v
`;

/** The latest version and its data in one round trip, or nil. */
export const LATEST_ARTIFACT_LUA = `
local v = redis.call('HGET', KEYS[1], 'latest')
if not v then return nil end
return { v, redis.call('HGET', KEYS[1], v) }
`;
