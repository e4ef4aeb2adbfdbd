import Redis, { type ChainableCommander } from 'ioredis';
import { ValidationError } from '../core/errors';
import { execTx, guard } from './redis-exec';
import {
  LATEST_ARTIFACT_LUA,
  PRUNE_ARTIFACTS_LUA,
  PUT_ARTIFACT_LUA,
  RedisKeys,
  STREAM_ID,
  TOP_COUNTERS_LUA,
  entryEvent,
  type StreamEntry,
} from './redis-layout';
import { RedisPrivacy } from './redis-privacy';
import { fieldsOf, turnReadKeys, turnScripts, turnWrite, type TurnScripts } from './redis-turn';
import { StoredForm, suppressionDigest } from './sealed';
import {
  storeLimits,
  type AuditFields,
  type AuditPage,
  type EventPage,
  type EventQuery,
  type RetentionPolicy,
  type Store,
  type StoreLimits,
  type StoreOptions,
  type UserExport,
  type UserSnapshot,
  type WriteBatch,
} from './store';
import { checkAudit, checkId, checkK, checkLimit, checkName, checkRetention, checkTtl, checkVersion, compareKeys, validateBatch } from './validate';

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions extends StoreOptions {
  /** `redis://` or `rediss://` URL; default `ATTUNE_REDIS_URL`, else `redis://127.0.0.1:6379`. */
  url?: string;
  /**
   * An existing client to use instead of opening one. The store never closes a client it was
   * given: its owner may share it. The store defines its turn scripts on it as the commands
   * `attuneTurnWrite` and `attuneTurnRead` (ioredis `defineCommand`).
   */
  redis?: Redis;
  /** Put before every key, so several apps (or test runs) can share a database. Default `attune:`. */
  keyPrefix?: string;
}

/**
 * The Redis store (ioredis). Behaves exactly as {@link MemoryStore} does, errors included
 * (the contract suite in test/store proves it), with these Redis-specific points:
 * - a turn costs one round trip to read (`readUser`) and one to write (`write`), each one Lua
 *   script call (see redis-turn.ts: one command instead of a MULTI of a dozen cuts the client's
 *   allocation per turn); per-user keys sit in the user's hash-tag slot (see {@link RedisKeys});
 * - expiry (sessions, cache, profiles, de-duplication) is Redis's own; the `clock` option only
 *   sets what the store timestamps itself (receipt of events, users' activity, the sweep's now);
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
  private readonly opts: StoreLimits;
  private readonly now: () => number;
  private readonly form: StoredForm;
  private readonly privacy: RedisPrivacy;
  private readonly scripts: TurnScripts;
  private closed = false;

  constructor(options: RedisStoreOptions = {}) {
    const { url, redis, keyPrefix = 'attune:' } = options;
    this.opts = storeLimits(options);
    this.now = options.clock ?? Date.now;
    this.form = new StoredForm(options.cipher);
    this.keys = new RedisKeys(keyPrefix);
    this.owned = redis === undefined;
    // `||`, not `??`: an empty option or variable (a common leftover in .env files) means unset.
    this.redis = redis ?? openClient(url || process.env.ATTUNE_REDIS_URL || 'redis://127.0.0.1:6379');
    this.privacy = new RedisPrivacy({ redis: this.redis, keys: this.keys, form: this.form, now: this.now, limits: this.opts });
    this.scripts = turnScripts(this.redis);
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
      const events = entries.map((entry) => this.form.readEvent(entryEvent(entry as StreamEntry)));
      return entries.length ? { events, cursor: entries[entries.length - 1][0] } : { events };
    });
  }

  async readUser(userId: string, sessionId?: string): Promise<UserSnapshot> {
    this.open();
    checkId('userId', userId);
    if (sessionId !== undefined) checkId('sessionId', sessionId);
    const keys = turnReadKeys(this.keys, userId, sessionId);
    return this.guard('readUser', async () => {
      const [fields, members, session] = await this.scripts.read(keys);
      return {
        profile: this.form.readProfile(fieldsOf(fields)),
        session: typeof session === 'string' ? this.form.readSession(session) : null,
        segments: Object.freeze(members.sort()) as string[],
      };
    });
  }

  async write(batch: WriteBatch): Promise<void> {
    this.open();
    // Everything is checked before the script call is built, so a bad batch sends nothing.
    validateBatch(batch);
    const call = turnWrite(batch, { keys: this.keys, form: this.form, limits: this.opts, now: this.now() });
    // An empty batch costs no round trip.
    if (call) await this.guard('write', () => this.scripts.write(call));
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
    if (userId === undefined) {
      await this.guard('cacheSet', () => this.redis.set(this.keys.cache(key), value, 'EX', ttlSeconds));
      return;
    }
    // Indexed like sessions, so export and erase reach every entry; the index's TTL is its
    // longest entry's (NX sets a first TTL, GT only ever lengthens it).
    const now = this.now();
    const index = this.keys.userCacheKeys(userId);
    const tx = this.redis.multi().set(this.keys.userCache(userId, key), value, 'EX', ttlSeconds);
    tx.zadd(index, now + ttlSeconds * 1000, key).zremrangebyscore(index, '-inf', now).expire(index, ttlSeconds, 'NX').expire(index, ttlSeconds, 'GT');
    await this.exec(tx, 'cacheSet');
  }

  async putArtifact(name: string, data: string): Promise<number> {
    this.open();
    checkName('artifact name', name);
    return this.guard('putArtifact', async () => Number(await this.redis.eval(PUT_ARTIFACT_LUA, 1, this.keys.artifact(name), data)));
  }

  async getArtifact(name: string, version?: number): Promise<{ version: number; data: string } | null> {
    this.open();
    checkName('artifact name', name);
    if (version !== undefined) checkVersion(version);
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

  async pruneArtifacts(name: string, keep: number): Promise<number> {
    this.open();
    checkName('artifact name', name);
    checkVersion(keep);
    return this.guard('pruneArtifacts', async () => Number(await this.redis.eval(PRUNE_ARTIFACTS_LUA, 1, this.keys.artifact(name), keep)));
  }

  async exportUser(userId: string): Promise<UserExport> {
    this.open();
    checkId('userId', userId);
    return this.privacy.exportUser(userId);
  }

  async eraseUser(userId: string): Promise<{ removed: number }> {
    this.open();
    checkId('userId', userId);
    return { removed: await this.privacy.erase([userId]) };
  }

  async suppress(userIds: readonly string[]): Promise<void> {
    this.open();
    userIds.forEach((id) => checkId('userId', id));
    if (!userIds.length) return;
    await this.guard('suppress', () => this.redis.sadd(this.keys.suppressed(), ...userIds.map(suppressionDigest)));
  }

  async isSuppressed(userIds: readonly string[]): Promise<boolean[]> {
    this.open();
    userIds.forEach((id) => checkId('userId', id));
    if (!userIds.length) return [];
    const found = await this.guard('isSuppressed', () => this.redis.smismember(this.keys.suppressed(), ...userIds.map(suppressionDigest)));
    return found.map((f) => f === 1);
  }

  async appendAudit(record: AuditFields): Promise<void> {
    this.open();
    checkAudit(record);
    // One JSON field, not one stream field per record field: numbers and booleans keep their type.
    await this.guard('appendAudit', () => this.redis.xadd(this.keys.audit(), '*', 'r', JSON.stringify(record)));
  }

  async readAudit(query: { after?: string; limit?: number } = {}): Promise<AuditPage> {
    this.open();
    const limit = checkLimit(query.limit);
    if (query.after !== undefined && !STREAM_ID.test(query.after)) throw new ValidationError('cursor is not one this store issued');
    const start = query.after === undefined ? '-' : `(${query.after}`;
    return this.guard('readAudit', async () => {
      const entries = (await this.redis.xrange(this.keys.audit(), start, '+', 'COUNT', limit)) as StreamEntry[];
      const records = entries.map(([, fields]) => JSON.parse(fields[1]) as AuditFields);
      return entries.length ? { records, cursor: entries[entries.length - 1][0] } : { records };
    });
  }

  async sweep(policy: RetentionPolicy): Promise<{ events: number; profiles: number }> {
    this.open();
    checkRetention(policy);
    return this.privacy.sweep(policy);
  }

  async reencryptAll(): Promise<number> {
    this.open();
    return this.privacy.reencryptAll();
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

  private exec(tx: ChainableCommander, what: string): Promise<unknown[]> {
    return execTx(tx, what);
  }

  private guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return guard(what, fn);
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
