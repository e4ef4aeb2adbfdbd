import type Redis from 'ioredis';
import { execTx, guard } from '../redis-exec';
import { LATEST_ARTIFACT_LUA, PRUNE_ARTIFACTS_LUA, PUT_ARTIFACT_LUA, TOP_COUNTERS_LUA, type RedisKeys } from '../redis-layout';
import { compareKeys } from '../validate';

/** What {@link RedisCacheSide} works with: the store's client, layout, clock and turn deadline. */
export interface RedisCacheSideContext {
  redis: Redis;
  keys: RedisKeys;
  now: () => number;
  /** The deadline of turn-path calls (counters, the cache), in ms. */
  deadlineMs: number;
}

/**
 * The recomputable side of the Redis store: counters (ZSETs), cache entries (STRINGs with EX,
 * a user's indexed so that export and erase reach them) and model artifacts (a HASH of
 * versions). Anything here can be thrown away and rebuilt from the source of truth (data/);
 * what is about a user goes with the user's erasure (see data/redis-privacy.ts). Arguments
 * were checked in front (validated.ts).
 */
export class RedisCacheSide {
  constructor(private readonly ctx: RedisCacheSideContext) {}

  async topCounters(name: string, k: number): Promise<{ key: string; value: number }[]> {
    const { redis, keys, deadlineMs } = this.ctx;
    return guard(
      'topCounters',
      async () => {
        const flat = (await redis.eval(TOP_COUNTERS_LUA, 1, keys.counter(name), k)) as string[];
        const top: { key: string; value: number }[] = [];
        for (let i = 0; i < flat.length; i += 2) top.push({ key: flat[i], value: Number(flat[i + 1]) });
        return top.sort((a, b) => b.value - a.value || compareKeys(a.key, b.key));
      },
      deadlineMs,
    );
  }

  async cacheGet(key: string, userId?: string): Promise<string | null> {
    const { redis, keys, deadlineMs } = this.ctx;
    return guard('cacheGet', () => redis.get(userId === undefined ? keys.cache(key) : keys.userCache(userId, key)), deadlineMs);
  }

  async cacheSet(key: string, value: string, ttlSeconds: number, userId?: string): Promise<void> {
    const { redis, keys, deadlineMs } = this.ctx;
    if (userId === undefined) {
      await guard('cacheSet', () => redis.set(keys.cache(key), value, 'EX', ttlSeconds), deadlineMs);
      return;
    }
    // Indexed like sessions, so export and erase reach every entry; the index's TTL is its
    // longest entry's (NX sets a first TTL, GT only ever lengthens it).
    const now = this.ctx.now();
    const index = keys.userCacheKeys(userId);
    const tx = redis.multi().set(keys.userCache(userId, key), value, 'EX', ttlSeconds);
    tx.zadd(index, now + ttlSeconds * 1000, key).zremrangebyscore(index, '-inf', now).expire(index, ttlSeconds, 'NX').expire(index, ttlSeconds, 'GT');
    await execTx(tx, 'cacheSet', deadlineMs);
  }

  async putArtifact(name: string, data: string): Promise<number> {
    const { redis, keys } = this.ctx;
    return guard('putArtifact', async () => Number(await redis.eval(PUT_ARTIFACT_LUA, 1, keys.artifact(name), data)));
  }

  async getArtifact(name: string, version?: number): Promise<{ version: number; data: string } | null> {
    const { redis, keys } = this.ctx;
    const key = keys.artifact(name);
    return guard('getArtifact', async () => {
      if (version !== undefined) {
        const data = await redis.hget(key, String(version));
        return data === null ? null : { version, data };
      }
      const latest = (await redis.eval(LATEST_ARTIFACT_LUA, 1, key)) as [string, string] | null;
      return latest && latest.length === 2 ? { version: Number(latest[0]), data: latest[1] } : null;
    });
  }

  async pruneArtifacts(name: string, keep: number): Promise<number> {
    const { redis, keys } = this.ctx;
    return guard('pruneArtifacts', async () => Number(await redis.eval(PRUNE_ARTIFACTS_LUA, 1, keys.artifact(name), keep)));
  }
}
