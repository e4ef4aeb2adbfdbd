import type Redis from 'ioredis';
import { ConfigError, ValidationError } from '../core/errors';
import { endClient } from './redis-client';
import { guard, withDeadline } from './redis-exec';
import { RedisKeys, STREAM_ID, USER_EVENTS_LUA, entryEvent, streamEntries, type RawStreamEntry, type StreamEntry } from './redis-layout';
import { migrateUserLog } from './data/redis-migrate';
import { RedisClaims } from './data/redis-claims';
import { DEFAULT_CACHED_USERS, UserCache, expiryOf, monotonicMs, type Known, type UserCacheOptions } from './cache/redis-cache';
import { RedisPrivacy } from './data/redis-privacy';
import { RedisStream } from './data/redis-stream';
import { RedisCacheSide } from './cache/redis-side';
import { Tracking } from './cache/redis-tracking';
import { profileFields, turnReadKeys, turnScripts, turnWrite, type TurnScripts, type TurnWriteSink } from './redis-turn';
import { StoredForm, suppressionDigest } from './sealed';
import {
  storeLimits,
  type AuditFields,
  type AuditPage,
  type ClaimedEvent,
  type Erased,
  type EventPage,
  type EventQuery,
  type GroupRead,
  type GroupStart,
  type PendingSummary,
  type RetentionPolicy,
  type StaleClaim,
  type Store,
  type StoreLimits,
  type StoreOptions,
  type StreamedEvent,
  type UserExport,
  type UserSnapshot,
  type WriteBatch,
} from './store';
import { PAGE_DEFAULT } from './validate';
import { validated } from './validated';

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
  /**
   * The in-process cache of user snapshots, which lets `readUser` answer without a round trip
   * (see {@link RedisStore}, "Snapshot cache"): at most `maxUsers` users (default 10,000), or
   * `false` to read every snapshot from Redis. Needs Redis ≥ 6 (CLIENT TRACKING); without it
   * the cache stays off by itself.
   */
  userCache?: UserCacheOptions | false;
  /**
   * How long a call on the turn path (`readUser`, `write`, `claim`, `release`, `isSuppressed`,
   * the cache, `topCounters`, `ping`) waits for Redis before failing with a StoreError (default
   * `ATTUNE_REDIS_TIMEOUT_MS`, else {@link REDIS_DEFAULTS}.commandTimeoutMs). A down Redis
   * must cost a turn this much at most, never a hang: the turn then runs unpersonalized, and a
   * circuit breaker (see `openStore`) stops trying after a few such failures. Calls off the
   * turn path (export, erase, sweep, key rotation, artifacts, the event and audit logs) have no
   * deadline of their own, since a long sweep must not be cut short; they fail when the
   * connection does (`socketTimeoutMs`).
   */
  commandTimeoutMs?: number;
  /**
   * For a client the store opens itself: a connection with commands in flight that receives
   * nothing for this long is taken for dead (a silent network partition gives no other sign),
   * dropped and opened again (default {@link REDIS_DEFAULTS}.socketTimeoutMs). A client passed
   * as `redis` keeps its owner's settings.
   */
  socketTimeoutMs?: number;
}

/** Defaults of the Redis store's deadlines. */
export const REDIS_DEFAULTS = { commandTimeoutMs: 150, socketTimeoutMs: 3000 } as const;

/**
 * The stores on each client, so that a store writing through a shared client can tell the
 * others: tracking's NOLOOP keeps Redis from reporting a connection's own writes to it.
 */
const storesOn = new WeakMap<Redis, Set<RedisStore>>();
/** The store whose cache a client's tracking serves: a connection redirects to one subscriber only. */
const trackedBy = new WeakMap<Redis, RedisStore>();

/**
 * The Redis store (ioredis). Behaves exactly as {@link MemoryStore} does, errors included
 * (the contract suite in test/store proves it), with these Redis-specific points:
 * - a turn costs one round trip to read (`readUser`) and one to write (`write`), each one Lua
 *   script call (see redis-turn.ts: one command instead of a MULTI of a dozen cuts the client's
 *   allocation per turn); per-user keys sit in the user's hash-tag slot (see {@link RedisKeys});
 * - expiry (sessions, cache, profiles, de-duplication) is Redis's own; the `clock` option only
 *   sets what the store timestamps itself (receipt of events, users' activity, the sweep's now);
 * - cursors are stream ids of the log they came from (the global log or one user's); pass a
 *   cursor back only to the log that issued it;
 * - a down or silent Redis costs a turn-path call `commandTimeoutMs` at most (a StoreError),
 *   never a hang; `openStore` puts a circuit breaker in front (see breaker.ts), so that a
 *   Redis known to be down is not even asked.
 *
 * A batch spanning several users touches several slots, so on Redis Cluster `write` would have
 * to be split per slot; the key layout is ready for that, this class takes a standalone client.
 *
 * Snapshot cache. `readUser` answers from an in-process cache of snapshots (option
 * `userCache`, on by default) whenever it holds every part asked for, so a turn's critical
 * path does no network I/O; `write` updates it (write-through: it holds what the store wrote,
 * decoded from the stored form on first read, so exactly what a read from Redis would return).
 * Its consistency model:
 * - within one store, nothing changes: calls apply in the order made, a read sees every
 *   earlier write, erase, sweep or key rotation made through the store;
 * - across processes (bot replicas, a REST API process), a change by another connection is
 *   seen once Redis's invalidation for it arrives, normally well under a millisecond after
 *   the change: the cache is kept by Redis server-assisted client-side caching (CLIENT
 *   TRACKING with NOLOOP, invalidations redirected to a second connection; see
 *   {@link Tracking}), and serves only while that is confirmed live (a heartbeat bounds how
 *   long a connection that died silently could go unnoticed to a few seconds). This fits the
 *   store's cross-process model, which is already "last write wins": two processes writing
 *   one user at once were never ordered;
 * - a read that missed is cached only if no change of its user was reported while it was in
 *   flight, and cached parts expire (a little early) with their keys' TTLs;
 * - a write is applied to the cache when it is issued, as the calls-in-order rule wants; if
 *   Redis then fails it, the users it wrote are dropped, so a read made in that round trip
 *   may have seen a write that did not land (the same write a read made after it would have
 *   seen partly or not at all, had the failure been mid-script).
 * Several stores on one client share its connection, so only the first of them caches; the
 * others read from Redis and tell it about their writes.
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
  private readonly stream: RedisStream;
  private readonly claims: RedisClaims;
  /** Counters, cache entries and artifacts: what can be recomputed (see cache/redis-side.ts). */
  private readonly recomputable: RedisCacheSide;
  private readonly scripts: TurnScripts;
  /** The snapshot cache, when on (see the class comment). */
  private readonly cache: UserCache | undefined;
  private readonly tracking: Tracking | undefined;
  /** The deadline of turn-path calls, in ms. */
  private readonly deadline: number;
  private closed = false;

  constructor(options: RedisStoreOptions = {}) {
    const { url, redis, keyPrefix = 'attune:' } = options;
    this.opts = storeLimits(options);
    this.now = options.clock ?? Date.now;
    this.form = new StoredForm(options.cipher);
    this.keys = new RedisKeys(keyPrefix);
    this.owned = redis === undefined;
    this.deadline = turnDeadline(options.commandTimeoutMs);
    const socketTimeout = positiveMs('socketTimeoutMs', options.socketTimeoutMs ?? REDIS_DEFAULTS.socketTimeoutMs);
    // `||`, not `??`: an empty option or variable (a common leftover in .env files) means unset.
    this.redis = redis ?? openClient(url || process.env.ATTUNE_REDIS_URL || 'redis://127.0.0.1:6379', socketTimeout);
    this.privacy = new RedisPrivacy({ redis: this.redis, keys: this.keys, form: this.form, now: this.now, limits: this.opts });
    this.stream = new RedisStream({ redis: this.redis, keys: this.keys, form: this.form });
    this.claims = new RedisClaims({ redis: this.redis, keys: this.keys, dedupTtlSeconds: this.opts.dedupTtlSeconds, deadlineMs: this.deadline });
    this.recomputable = new RedisCacheSide({ redis: this.redis, keys: this.keys, now: this.now, deadlineMs: this.deadline });
    this.scripts = turnScripts(this.redis);
    const peers = storesOn.get(this.redis) ?? new Set<RedisStore>();
    storesOn.set(this.redis, peers.add(this));
    const maxUsers = options.userCache === false ? 0 : (options.userCache?.maxUsers ?? DEFAULT_CACHED_USERS);
    if (maxUsers > 0 && !trackedBy.has(this.redis)) {
      trackedBy.set(this.redis, this);
      this.cache = new UserCache(maxUsers);
      this.tracking = new Tracking({ redis: this.redis, userKeyPrefix: `${keyPrefix}u:{`, cache: this.cache });
    }
    // Arguments are checked in front of every method, the same way for every back end.
    validated(this, STREAM_ID);
  }

  async claim(messageIds: readonly string[]): Promise<boolean[]> {
    this.open();
    if (!messageIds.length) return [];
    // One script call; a repeat inside it sees the earlier claim: claim(['a', 'a']) is [true, false], as in memory.
    return this.claims.claim(messageIds);
  }

  async release(messageIds: readonly string[]): Promise<void> {
    this.open();
    if (!messageIds.length) return;
    await this.claims.release(messageIds);
  }

  async readEvents(query: EventQuery = {}): Promise<EventPage> {
    this.open();
    const limit = query.limit ?? PAGE_DEFAULT;
    const { userId } = query;
    return this.guard('readEvents', async () => {
      let entries: StreamEntry[];
      if (userId === undefined) {
        // `(id` is exclusive: the page starts after the cursor, whether or not that entry still exists.
        const start = query.after === undefined ? '-' : `(${query.after}`;
        entries = streamEntries((await this.redis.xrangeBuffer(this.keys.events(), start, '+', 'COUNT', limit)) as RawStreamEntry[]);
      } else {
        entries = await this.userEntries(userId, query.after ?? '', limit);
      }
      const events = entries.map((entry) => this.form.readEvent(entryEvent(entry)));
      return entries.length ? { events, cursor: entries[entries.length - 1][0] } : { events };
    });
  }

  async ensureGroup(group: string, options?: GroupStart): Promise<void> {
    this.open();
    await this.stream.ensureGroup(group, options);
  }

  async readGroup(group: string, consumer: string, options: GroupRead): Promise<StreamedEvent[]> {
    this.open();
    return this.stream.readGroup(group, consumer, options);
  }

  async ack(group: string, ids: readonly string[]): Promise<number> {
    this.open();
    return this.stream.ack(group, ids);
  }

  async claimStale(group: string, consumer: string, options: StaleClaim): Promise<ClaimedEvent[]> {
    this.open();
    return this.stream.claimStale(group, consumer, options);
  }

  async pending(group: string): Promise<PendingSummary> {
    this.open();
    return this.stream.pending(group);
  }

  async readUser(userId: string, sessionId?: string): Promise<UserSnapshot> {
    this.open();
    const cache = this.cache;
    const hit = cache?.get(userId, sessionId);
    if (hit) return hit;
    const keys = turnReadKeys(this.keys, userId, sessionId);
    const ticket = cache?.begin(userId);
    const sentAt = ticket ? monotonicMs() : 0;
    // Past its deadline a read still in flight may answer later, after writes its ticket no
    // longer sees (the ticket ended): what it read then must not reach the cache.
    let over = false;
    try {
      return await this.turn('readUser', async () => {
        const [fields, members, ttls, stored] = await this.scripts.read(keys);
        const profile = this.form.readProfile(profileFields(fields, userId));
        const session = typeof stored === 'string' ? this.form.readSession(stored) : null;
        const segments = Object.freeze(members.sort()) as string[];
        if (ticket && !over) {
          cache?.fill(ticket, {
            profile: { source: { value: profile }, expiresAt: expiryOf(sentAt, ttls[0]) },
            segments: { source: { value: segments }, expiresAt: expiryOf(sentAt, ttls[1]) },
            sessions: sessionId === undefined ? [] : [{ id: sessionId, source: { value: session }, expiresAt: expiryOf(sentAt, ttls[2]) }],
          });
        }
        return { profile, session, segments };
      });
    } finally {
      over = true;
      if (ticket) cache?.end(ticket);
    }
  }

  async write(batch: WriteBatch): Promise<void> {
    this.open();
    // The batch was checked before this was called (see validated.ts), so a bad one sends nothing.
    const at = monotonicMs();
    const wrote = new Map<string, Known>();
    const call = turnWrite(batch, { keys: this.keys, form: this.form, limits: this.opts, now: this.now(), track: this.cache !== undefined, sink: this.writeThrough(wrote, at) });
    // An empty batch costs no round trip.
    if (!call) return;
    const sent = this.turn('write', () => this.scripts.write(call));
    // Issued: every later call on this connection sees it, and so does the cache.
    for (const [userId, known] of wrote) this.cache?.wrote(userId, known);
    if (wrote.size) this.tellPeers(wrote.keys());
    try {
      await sent;
    } catch (e) {
      // It may have landed in part, or not at all: read those users from Redis again.
      for (const userId of wrote.keys()) this.cache?.drop(userId);
      throw e;
    }
  }

  async topCounters(name: string, k: number): Promise<{ key: string; value: number }[]> {
    this.open();
    return this.recomputable.topCounters(name, k);
  }

  async cacheGet(key: string, userId?: string): Promise<string | null> {
    this.open();
    return this.recomputable.cacheGet(key, userId);
  }

  async cacheSet(key: string, value: string, ttlSeconds: number, userId?: string): Promise<void> {
    this.open();
    return this.recomputable.cacheSet(key, value, ttlSeconds, userId);
  }

  async putArtifact(name: string, data: string): Promise<number> {
    this.open();
    return this.recomputable.putArtifact(name, data);
  }

  async getArtifact(name: string, version?: number): Promise<{ version: number; data: string } | null> {
    this.open();
    return this.recomputable.getArtifact(name, version);
  }

  async pruneArtifacts(name: string, keep: number): Promise<number> {
    this.open();
    return this.recomputable.pruneArtifacts(name, keep);
  }

  async exportUser(userId: string): Promise<UserExport> {
    this.open();
    return this.privacy.exportUser(userId);
  }

  async eraseUser(userId: string): Promise<Erased> {
    this.open();
    // Dropped before (reads from now on go to Redis) and after (what was read meanwhile).
    return this.changing([userId], async () => {
      const { data, cache } = await this.privacy.erase([userId]);
      return { removed: data + cache, data, cache };
    });
  }

  async suppress(userIds: readonly string[]): Promise<void> {
    this.open();
    if (!userIds.length) return;
    await this.guard('suppress', () => this.redis.sadd(this.keys.suppressed(), ...userIds.map(suppressionDigest)));
  }

  async unsuppress(userIds: readonly string[]): Promise<void> {
    this.open();
    if (!userIds.length) return;
    await this.guard('unsuppress', () => this.redis.srem(this.keys.suppressed(), ...userIds.map(suppressionDigest)));
  }

  async isSuppressed(userIds: readonly string[]): Promise<boolean[]> {
    this.open();
    if (!userIds.length) return [];
    const found = await this.turn('isSuppressed', () => this.redis.smismember(this.keys.suppressed(), ...userIds.map(suppressionDigest)));
    return found.map((f) => f === 1);
  }

  async appendAudit(record: AuditFields): Promise<void> {
    this.open();
    // One JSON field, not one stream field per record field: numbers and booleans keep their type.
    await this.guard('appendAudit', () => this.redis.xadd(this.keys.audit(), '*', 'r', JSON.stringify(record)));
  }

  async readAudit(query: { after?: string; limit?: number } = {}): Promise<AuditPage> {
    this.open();
    const limit = query.limit ?? PAGE_DEFAULT;
    const start = query.after === undefined ? '-' : `(${query.after}`;
    return this.guard('readAudit', async () => {
      const entries = (await this.redis.xrange(this.keys.audit(), start, '+', 'COUNT', limit)) as StreamEntry[];
      const records = entries.map(([, fields]) => JSON.parse(fields[1]) as AuditFields);
      return entries.length ? { records, cursor: entries[entries.length - 1][0] } : { records };
    });
  }

  async sweep(policy: RetentionPolicy): Promise<{ events: number; profiles: number }> {
    this.open();
    return this.changing('all', () => this.privacy.sweep(policy));
  }

  async reencryptAll(): Promise<number> {
    this.open();
    return this.changing('all', () => this.privacy.reencryptAll());
  }

  async ping(): Promise<void> {
    this.open();
    await this.turn('ping', () => this.redis.ping());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    storesOn.get(this.redis)?.delete(this);
    if (trackedBy.get(this.redis) === this) trackedBy.delete(this.redis);
    this.stream.close();
    await this.tracking?.stop();
    if (!this.owned) return;
    // QUIT lets replies in flight arrive, for a second at most: on a connection gone silent it
    // would hold close() until the socket timeout. A client not connected has nothing to flush.
    if (this.redis.status === 'ready') await withDeadline('quit', this.redis.quit(), 1000).catch(() => endClient(this.redis));
    else endClient(this.redis);
  }

  /**
   * A page of the user's log (their latest `maxEventsPerUser` events, read from the global log
   * by id, one script call); a user still on the legacy layout is migrated first, once.
   */
  private async userEntries(userId: string, after: string, limit: number): Promise<StreamEntry[]> {
    const keys = [this.keys.userLog(userId), this.keys.events(), this.keys.userEventIds(userId), this.keys.userEvents(userId)];
    // Buffers: binary event values must reach streamEntries as the bytes they are.
    const page = async (): Promise<[StreamEntry[], number]> => {
      const [raw, legacy] = (await this.redis.callBuffer('EVAL', USER_EVENTS_LUA, keys.length, ...keys, this.opts.maxEventsPerUser, after, limit)) as [RawStreamEntry[], number];
      return [streamEntries(raw), Number(legacy)];
    };
    const [entries, legacy] = await page();
    if (legacy !== 1) return entries;
    await migrateUserLog(this.redis, this.keys, userId, await this.privacy.legacyIds(userId));
    return (await page())[0];
  }

  private open(): void {
    if (this.closed) throw new ValidationError('store is closed');
  }

  /**
   * What a write call tells the snapshot cache: each user's parts as they will be in Redis,
   * decoded from the stored form only when read (as a read from Redis would decode them).
   */
  private writeThrough(wrote: Map<string, Known>, at: number): TurnWriteSink | undefined {
    if (!this.cache && (storesOn.get(this.redis)?.size ?? 0) < 2) return undefined;
    const { form, opts } = this;
    const known = (userId: string) => {
      let k = wrote.get(userId);
      if (!k) wrote.set(userId, (k = {}));
      return k;
    };
    const profileExpiry = opts.profileTtlSeconds === undefined ? Infinity : expiryOf(at, opts.profileTtlSeconds * 1000);
    const sessionExpiry = expiryOf(at, opts.sessionTtlSeconds * 1000);
    return {
      profile: (userId, fields) => {
        // The script replaces the hash; with no field left it is gone, and reads as null.
        known(userId).profile = { source: () => form.readProfile(fields), expiresAt: profileExpiry };
      },
      session: (userId, sessionId, stored) => {
        (known(userId).sessions ??= []).push({ id: sessionId, source: () => form.readSession(stored), expiresAt: sessionExpiry });
      },
      membership: (userId, segments) => {
        // As SMEMBERS then sort would give it back: de-duplicated, sorted.
        known(userId).segments = { source: { value: Object.freeze([...new Set(segments)].sort()) as string[] }, expiresAt: Infinity };
      },
    };
  }

  /**
   * Runs a change of users' data made outside the write script (erase, sweep, key rotation):
   * their snapshots are dropped before it starts and again once it is over, here and in the
   * other stores on this client, since Redis reports none of it to this connection.
   */
  private async changing<T>(users: readonly string[] | 'all', fn: () => Promise<T>): Promise<T> {
    const drop = () => {
      if (users === 'all') for (const store of storesOn.get(this.redis) ?? []) store.cache?.clear();
      else {
        for (const userId of users) this.cache?.drop(userId);
        this.tellPeers(users);
      }
    };
    drop();
    try {
      return await fn();
    } finally {
      drop();
    }
  }

  /** Tells the other stores on this client that these users' data changed. */
  private tellPeers(users: Iterable<string>): void {
    const peers = storesOn.get(this.redis);
    if (!peers || peers.size < 2) return;
    const ids = [...users];
    for (const peer of peers) if (peer !== this && peer.cache) for (const userId of ids) peer.cache.drop(userId);
  }

  /** A call off the turn path: no deadline of its own (see `commandTimeoutMs`). */
  private guard<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return guard(what, fn);
  }

  /** A call on the turn path: a StoreError once Redis has not answered within the deadline. */
  private turn<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return guard(what, fn, this.deadline);
  }
}

/** `commandTimeoutMs`, else `ATTUNE_REDIS_TIMEOUT_MS`, else the default. */
function turnDeadline(option: number | undefined): number {
  if (option !== undefined) return positiveMs('commandTimeoutMs', option);
  // `||`, not `??`: an empty variable (a common leftover in .env files) means unset.
  const env = process.env.ATTUNE_REDIS_TIMEOUT_MS || undefined;
  return env === undefined ? REDIS_DEFAULTS.commandTimeoutMs : positiveMs('ATTUNE_REDIS_TIMEOUT_MS', Number(env));
}

function positiveMs(name: string, ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw new ConfigError(`${name} must be a positive number of milliseconds, got ${ms}`);
  return ms;
}

/**
 * ioredis, loaded on first use: an app on the memory store (the demo, tests, most first runs)
 * never pays the ~40–60 ms its modules cost at start-up.
 */
function ioredis(): typeof Redis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('ioredis') as { default: typeof Redis }).default;
}

function openClient(url: string, socketTimeout: number): Redis {
  const IORedis = ioredis();
  const client = new IORedis(url, {
    // No retry: a command in flight when its connection drops fails then and there, and is
    // never sent again on the next connection. Its caller may have given up at its deadline
    // already, and a claim (or any write) that landed after its caller was told it failed
    // would turn the client's retry of the same event into a "duplicate", lost for good.
    // Commands made while no connection is up wait in ioredis's offline queue (a store is used
    // before its first connection is up) until the next attempt connects or fails.
    maxRetriesPerRequest: 0,
    // A connection that went silent (a partition, a black hole) is dropped and opened again,
    // so that personalization resumes by itself once Redis is reachable.
    socketTimeout,
    // At once after a connection is lost (a read waiting for it has a deadline), then every
    // 100 ms more up to a second, not ioredis's default 5: personalization resumes soon after
    // Redis is back. The jitter keeps replicas from reconnecting in step.
    retryStrategy: (times) => {
      const delay = Math.min(100 * (times - 1), 1000);
      return delay + Math.floor(Math.random() * (delay / 5));
    },
  });
  // Failures reach callers as StoreErrors; without a listener ioredis would also print every
  // reconnect attempt as an unhandled error event.
  client.on('error', () => undefined);
  return client;
}
