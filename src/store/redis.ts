import Redis, { type ChainableCommander } from 'ioredis';
import { AttuneError, StoreError, ValidationError } from '../core/errors';
import type { Session } from '../core/session';
import { validateBatch } from './memory';
import {
  EVENT_FIELD,
  LATEST_ARTIFACT_LUA,
  PUT_ARTIFACT_LUA,
  RedisKeys,
  STREAM_ID,
  TOP_COUNTERS_LUA,
  eventFromEntry,
  profileFields,
  profileFromFields,
} from './redis-layout';
import { STORE_DEFAULTS, type EventPage, type EventQuery, type Store, type StoreOptions, type UserSnapshot, type WriteBatch } from './store';
import { checkId, checkK, checkLimit, checkName, checkTtl, compareKeys } from './validate';

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions extends StoreOptions {
  /** `redis://` or `rediss://` URL; default `ATTUNE_REDIS_URL`, else `redis://127.0.0.1:6379`. */
  url?: string;
  /**
   * An existing client to use instead of opening one. The store never closes a client it was
   * given: its owner may share it.
   */
  redis?: Redis;
  /** Put before every key, so several apps (or test runs) can share a database. Default `attune:`. */
  keyPrefix?: string;
}

/**
 * The Redis store (ioredis). Behaves exactly as {@link MemoryStore} does, errors included
 * (the contract suite in test/store proves it), with these Redis-specific points:
 * - a turn costs one round trip to read (`readUser`) and one to write (`write`), each a MULTI
 *   whose keys sit in the user's hash-tag slot (see {@link RedisKeys} for the layout);
 * - expiry (sessions, cache, de-duplication) is Redis's own, so the `clock` option is ignored;
 * - cursors are stream ids of the log they came from (the global log or one user's); pass a
 *   cursor back only to the log that issued it.
 *
 * A batch spanning several users touches several slots, so on Redis Cluster `write` would have
 * to be split per slot; the key layout is ready for that, this class takes a standalone client.
 *
 * ```ts
 * const store = new RedisStore({ url: 'redis://127.0.0.1:6379/0', sessionTtlSeconds: 900 });
 * await store.ping();
 * const snap = await store.readUser('u1', 's1');
 * await store.close();
 * ```
 */
export class RedisStore implements Store {
  readonly kind = 'redis';
  private readonly redis: Redis;
  private readonly owned: boolean;
  private readonly keys: RedisKeys;
  private readonly opts: Required<Omit<StoreOptions, 'clock'>>;
  private closed = false;

  constructor(options: RedisStoreOptions = {}) {
    const { url, redis, keyPrefix = 'attune:', sessionTtlSeconds, maxEventsPerUser, dedupTtlSeconds } = options;
    this.opts = {
      sessionTtlSeconds: sessionTtlSeconds ?? STORE_DEFAULTS.sessionTtlSeconds,
      maxEventsPerUser: maxEventsPerUser ?? STORE_DEFAULTS.maxEventsPerUser,
      dedupTtlSeconds: dedupTtlSeconds ?? STORE_DEFAULTS.dedupTtlSeconds,
    };
    this.keys = new RedisKeys(keyPrefix);
    this.owned = redis === undefined;
    // `||`, not `??`: an empty option or variable (a common leftover in .env files) means unset.
    this.redis = redis ?? openClient(url || process.env.ATTUNE_REDIS_URL || 'redis://127.0.0.1:6379');
  }

  async claim(messageIds: readonly string[]): Promise<boolean[]> {
    this.open();
    messageIds.forEach((id) => checkId('messageId', id));
    if (!messageIds.length) return [];
    // Replies come back in command order, so a repeat inside one call sees the earlier SET:
    // claim(['a', 'a']) is [true, false], as in memory.
    const tx = this.redis.multi();
    for (const id of messageIds) tx.set(this.keys.claim(id), '1', 'EX', this.opts.dedupTtlSeconds, 'NX');
    const replies = await this.exec(tx, 'claim');
    return replies.map((r) => r === 'OK');
  }

  async readEvents(query: EventQuery = {}): Promise<EventPage> {
    this.open();
    const limit = checkLimit(query.limit);
    if (query.userId !== undefined) checkId('userId', query.userId);
    if (query.after !== undefined && !STREAM_ID.test(query.after)) throw new ValidationError('cursor is not one this store issued');
    const key = query.userId !== undefined ? this.keys.userEvents(query.userId) : this.keys.events();
    // `(id` is exclusive: the page starts after the cursor, whether or not that entry still exists.
    const start = query.after === undefined ? '-' : `(${query.after}`;
    return this.guard('readEvents', async () => {
      const entries = await this.redis.xrange(key, start, '+', 'COUNT', limit);
      const events = entries.map(eventFromEntry);
      return entries.length ? { events, cursor: entries[entries.length - 1][0] } : { events };
    });
  }

  async readUser(userId: string, sessionId?: string): Promise<UserSnapshot> {
    this.open();
    checkId('userId', userId);
    if (sessionId !== undefined) checkId('sessionId', sessionId);
    const tx = this.redis.multi().hgetall(this.keys.profile(userId)).smembers(this.keys.segments(userId));
    if (sessionId !== undefined) tx.get(this.keys.session(userId, sessionId));
    const [fields, members, session] = await this.exec(tx, 'readUser');
    return this.guard('readUser', async () => ({
      profile: profileFromFields(fields as Record<string, string>),
      session: typeof session === 'string' ? (JSON.parse(session) as Session) : null,
      segments: (members as string[]).sort(),
    }));
  }

  async write(batch: WriteBatch): Promise<void> {
    this.open();
    // Everything is checked before the MULTI is built, so a bad batch sends nothing.
    validateBatch(batch);
    const tx = this.redis.multi();
    let queued = 0;
    for (const e of batch.events ?? []) {
      const json = JSON.stringify(e);
      tx.xadd(this.keys.events(), '*', EVENT_FIELD, json);
      // Exact MAXLEN (not `~`): memory keeps exactly the latest N, and so must Redis.
      tx.xadd(this.keys.userEvents(e.userId), 'MAXLEN', this.opts.maxEventsPerUser, '*', EVENT_FIELD, json);
      queued += 2;
    }
    for (const p of batch.profiles ?? []) {
      const key = this.keys.profile(p.userId);
      tx.del(key).hset(key, profileFields(p));
      queued += 2;
    }
    for (const s of batch.sessions ?? []) {
      tx.set(this.keys.session(s.userId, s.id), JSON.stringify(s), 'EX', this.opts.sessionTtlSeconds);
      queued += 1;
    }
    for (const m of batch.memberships ?? []) {
      const key = this.keys.segments(m.userId);
      tx.del(key);
      if (m.segments.length) tx.sadd(key, ...m.segments);
      queued += 2;
    }
    for (const c of batch.counters ?? []) {
      const key = this.keys.counter(c.name);
      for (const [member, by] of Object.entries(c.increments)) {
        tx.zincrby(key, by, member);
        queued += 1;
      }
    }
    // Nothing is sent until exec, so an empty batch costs no round trip.
    if (queued > 0) await this.exec(tx, 'write');
  }

  async topCounters(name: string, k: number): Promise<{ key: string; value: number }[]> {
    this.open();
    checkName('counter name', name);
    checkK(k);
    return this.guard('topCounters', async () => {
      const flat = (await this.redis.eval(TOP_COUNTERS_LUA, 1, this.keys.counter(name), k)) as string[];
      const top: { key: string; value: number }[] = [];
      for (let i = 0; i < flat.length; i += 2) top.push({ key: flat[i], value: Number(flat[i + 1]) });
      return top.sort((a, b) => b.value - a.value || compareKeys(a.key, b.key));
    });
  }

  async cacheGet(key: string, userId?: string): Promise<string | null> {
    this.open();
    checkId('cache key', key);
    if (userId !== undefined) checkId('userId', userId);
    return this.guard('cacheGet', () => this.redis.get(this.cacheKey(key, userId)));
  }

  async cacheSet(key: string, value: string, ttlSeconds: number, userId?: string): Promise<void> {
    this.open();
    checkId('cache key', key);
    checkTtl(ttlSeconds);
    if (userId !== undefined) checkId('userId', userId);
    await this.guard('cacheSet', () => this.redis.set(this.cacheKey(key, userId), value, 'EX', ttlSeconds));
  }

  async putArtifact(name: string, data: string): Promise<number> {
    this.open();
    checkName('artifact name', name);
    return this.guard('putArtifact', async () => Number(await this.redis.eval(PUT_ARTIFACT_LUA, 1, this.keys.artifact(name), data)));
  }

  async getArtifact(name: string, version?: number): Promise<{ version: number; data: string } | null> {
    this.open();
    checkName('artifact name', name);
    if (version !== undefined && (!Number.isInteger(version) || version < 1)) throw new ValidationError('version must be a positive integer');
    const key = this.keys.artifact(name);
    return this.guard('getArtifact', async () => {
      if (version !== undefined) {
        const data = await this.redis.hget(key, String(version));
        return data === null ? null : { version, data };
      }
      const latest = (await this.redis.eval(LATEST_ARTIFACT_LUA, 1, key)) as [string, string] | null;
      return latest && latest.length === 2 ? { version: Number(latest[0]), data: latest[1] } : null;
    });
  }

  async ping(): Promise<void> {
    this.open();
    await this.guard('ping', () => this.redis.ping());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.owned) return;
    // QUIT lets replies in flight arrive; a client that is not connected has nothing to flush.
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => this.redis.disconnect());
    else if (this.redis.status !== 'end') this.redis.disconnect();
  }

  private open(): void {
    if (this.closed) throw new ValidationError('store is closed');
  }

  private cacheKey(key: string, userId: string | undefined): string {
    return userId === undefined ? this.keys.cache(key) : this.keys.userCache(userId, key);
  }

  /** Runs a MULTI and unwraps its replies; any failed command fails the whole call. */
  private async exec(tx: ChainableCommander, what: string): Promise<unknown[]> {
    const replies = await this.guard(what, () => tx.exec());
    if (!replies) throw new StoreError(`redis ${what} was aborted`);
    const failed = replies.find(([err]) => err);
    if (failed) throw new StoreError(`redis ${what} failed: ${failed[0]?.message ?? 'unknown error'}`, failed[0]);
    return replies.map(([, reply]) => reply);
  }

  /** Turns whatever Redis (or decoding what it returned) throws into a StoreError keeping the cause. */
  private async guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof AttuneError) throw e;
      throw new StoreError(`redis ${what} failed: ${e instanceof Error ? e.message : String(e)}`, e);
    }
  }
}

function openClient(url: string): Redis {
  // One retry per command: on the turn path a down Redis must fail fast (StoreError) so the
  // turn goes on unpersonalized, not hang through ioredis's default 20 retries.
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  // Failures reach callers as StoreErrors; without a listener ioredis would also print every
  // reconnect attempt as an unhandled error event.
  client.on('error', () => undefined);
  return client;
}
