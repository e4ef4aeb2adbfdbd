import type Redis from 'ioredis';
import { guard } from '../redis-exec';
import type { RedisKeys } from '../redis-layout';

/**
 * Lua shared by the claim scripts: reads ARGV's prefixes and window, and names the buckets
 * from Redis's clock: `b` is the bucket of now (a sixth of the window wide), and the `back`
 * buckets before it still hold claims within the window.
 */
const BUCKETS_LUA = `
local prefix, legacy, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local width = math.max(1, math.floor(ttl / 6))
local b = math.floor(now / width)
local back = math.ceil(ttl / width)
`;

/**
 * De-duplication claims, by time bucket: a claimed message id is a field of a small hash per
 * (time bucket, shard of the id), and each bucket hash expires once every claim in it is at
 * least `dedupTtlSeconds` old. A key per message cost ~80 bytes a claim (key, value object,
 * expiry entry); a field of a listpack-encoded hash costs ~12. Buckets are a sixth of the
 * window wide, so a claim lives at least the window and at most 7/6 of it (exactly-once
 * within the window, as before); the id's shard (the first 3 hex digits of its SHA-1, 4,096
 * shards) keeps each hash under `hash-max-listpack-entries` for up to ~2 million claims a
 * bucket. Time is Redis's (TIME), as key expiry is.
 *
 * Claims written by earlier versions (a key per message, {@link RedisKeys.claim}) are still
 * honoured, until they expire on their own.
 *
 * The script names its bucket keys itself (they depend on Redis's clock), which standalone
 * Redis allows; on Redis Cluster, claims would need a hash tag of their own.
 *
 * KEYS: none. ARGV: the bucket key prefix, the legacy claim key prefix, the window (ms), then
 * the ids. Returns 1 for each id claimed now, 0 for a repeat (also within the call).
 */
export const CLAIM_LUA = `${BUCKETS_LUA}local out = {}
for i = 4, #ARGV do
  local id = ARGV[i]
  local shard = ':' .. string.sub(redis.sha1hex(id), 1, 3)
  local seen = redis.call('EXISTS', legacy .. id) == 1
  local j = b - back
  while not seen and j <= b do
    seen = redis.call('HEXISTS', prefix .. j .. shard, id) == 1
    j = j + 1
  end
  if seen then
    out[#out + 1] = 0
  else
    local key = prefix .. b .. shard
    redis.call('HSET', key, id, 1)
    redis.call('PEXPIREAT', key, (b + 1) * width + ttl)
    out[#out + 1] = 1
  end
end
return out
`;

/** Gives claims back: the id leaves every live bucket (and its legacy key). ARGV as {@link CLAIM_LUA}'s. */
export const RELEASE_LUA = `${BUCKETS_LUA}for i = 4, #ARGV do
  local id = ARGV[i]
  local shard = ':' .. string.sub(redis.sha1hex(id), 1, 3)
  redis.call('DEL', legacy .. id)
  for j = b - back, b do redis.call('HDEL', prefix .. j .. shard, id) end
end
return 0
`;

/** What {@link RedisClaims} works with. */
export interface RedisClaimsContext {
  redis: Redis;
  keys: RedisKeys;
  dedupTtlSeconds: number;
  /** The deadline of these calls (they are on the ingestion path), in ms. */
  deadlineMs: number;
}

/**
 * The Redis side of de-duplication claims (see {@link CLAIM_LUA}): one script call per claim
 * or release, whatever the number of ids.
 *
 * ```ts
 * await claims.claim(['m1', 'm1']); // [true, false]
 * ```
 */
export class RedisClaims {
  constructor(private readonly ctx: RedisClaimsContext) {
    ctx.redis.defineCommand('attuneClaim', { lua: CLAIM_LUA, numberOfKeys: 0 });
    ctx.redis.defineCommand('attuneRelease', { lua: RELEASE_LUA, numberOfKeys: 0 });
  }

  async claim(messageIds: readonly string[]): Promise<boolean[]> {
    const client = this.ctx.redis as Redis & { attuneClaim(...args: string[]): Promise<number[]> };
    const replies = await guard('claim', () => client.attuneClaim(...this.head(), ...messageIds), this.ctx.deadlineMs);
    return replies.map((r) => Number(r) === 1);
  }

  async release(messageIds: readonly string[]): Promise<void> {
    const client = this.ctx.redis as Redis & { attuneRelease(...args: string[]): Promise<number> };
    await guard('release', () => client.attuneRelease(...this.head(), ...messageIds), this.ctx.deadlineMs);
  }

  private head(): string[] {
    const { keys, dedupTtlSeconds } = this.ctx;
    return [keys.claimBuckets(), keys.claim(''), String(dedupTtlSeconds * 1000)];
  }
}
