import type { AttuneEvent } from '../core/event';
import type { Profile } from '../core/profile';
import type { Session } from '../core/session';

/**
 * Storage is split by role, botbuilder-style: small interfaces, each implemented by both the
 * memory store (embedded default) and the Redis store, which pass one contract suite
 * (test/store/contract.ts) with identical behaviour, errors included:
 * - a malformed argument (empty id, bad cursor, bad name) → ValidationError;
 * - a missing thing → `null` (never an error);
 * - a back-end failure → StoreError with the cause kept.
 */

/** Everything one turn needs about a user, read in one round trip. */
export interface UserSnapshot {
  profile: Profile | null;
  /** The session, unless it expired or never existed. */
  session: Session | null;
  /** Segment ids the user is in. */
  segments: string[];
}

/**
 * Everything one turn (or one ingested batch) changes, written in one pipelined round trip.
 * Writes are applied in this order: events, profiles, sessions, memberships, counters.
 */
export interface WriteBatch {
  /** Appended to the event log (global and per user). Already de-duplicated by the caller. */
  events?: AttuneEvent[];
  /** Replaces each user's profile. */
  profiles?: Profile[];
  /** Replaces each session and restarts its inactivity TTL. */
  sessions?: Session[];
  /** Replaces each user's segment memberships. */
  memberships?: { userId: string; segments: string[] }[];
  /** Adds to named counters (e.g. item popularity per context). */
  counters?: { name: string; increments: Record<string, number> }[];
}

/** A page of the event log. */
export interface EventPage {
  events: AttuneEvent[];
  /**
   * Pass as `after` to read on. Present whenever the page has events (so a tailing reader can
   * resume after the last one it saw); absent on an empty page. The end is reached when a
   * page holds fewer events than the limit.
   */
  cursor?: string;
}

/** Which events to read. Events come back in the order they were appended. */
export interface EventQuery {
  /** Only this user's events (from the per-user log, which keeps the latest `maxEventsPerUser`). */
  userId?: string;
  /** Opaque cursor from a previous page. */
  after?: string;
  /** At most this many (default 1000, max 10000). */
  limit?: number;
}

/** The append-only event log, the source of truth for training. */
export interface EventLog {
  /**
   * Claims message ids for de-duplication: `true` for each id seen for the first time (within
   * the de-duplication window), `false` for a repeat.
   */
  claim(messageIds: readonly string[]): Promise<boolean[]>;
  /** Reads events in append order. */
  readEvents(query?: EventQuery): Promise<EventPage>;
}

/** Users' profiles, sessions and memberships. */
export interface UserStore {
  /** One round trip: profile, live session (when `sessionId` is given) and segments. */
  readUser(userId: string, sessionId?: string): Promise<UserSnapshot>;
}

/** Named counters (popularity). */
export interface CounterStore {
  /** The `k` highest counters of `name`, highest first (ties by key ascending). */
  topCounters(name: string, k: number): Promise<{ key: string; value: number }[]>;
}

/** What can be recomputed: thrown away freely, expires on its own. */
export interface Cache {
  /** A cached value, or null when absent or expired. `userId` scopes it to a user. */
  cacheGet(key: string, userId?: string): Promise<string | null>;
  cacheSet(key: string, value: string, ttlSeconds: number, userId?: string): Promise<void>;
}

/** Versioned model artifacts. */
export interface ArtifactStore {
  /** Saves a new version and returns its number (1, 2, …). */
  putArtifact(name: string, data: string): Promise<number>;
  /** A version (default: the latest), or null. */
  getArtifact(name: string, version?: number): Promise<{ version: number; data: string } | null>;
}

/**
 * The whole store: every role plus the pipelined write.
 *
 * ```ts
 * const store = openStore(process.env.ATTUNE_REDIS_URL); // MemoryStore when unset
 * const snap = await store.readUser('u1', 's1');
 * await store.write({ profiles: [profile] });
 * ```
 */
export interface Store extends EventLog, UserStore, CounterStore, Cache, ArtifactStore {
  /** `memory` or `redis`. */
  readonly kind: string;
  /** Applies a batch in one round trip. */
  write(batch: WriteBatch): Promise<void>;
  /** Resolves when the back end answers; StoreError otherwise. */
  ping(): Promise<void>;
  /** Releases connections. The store is unusable afterwards. */
  close(): Promise<void>;
}

/** Options common to every store. */
export interface StoreOptions {
  /** Sessions expire after this many seconds without a turn (default 1800). */
  sessionTtlSeconds?: number;
  /** The per-user log keeps at most this many events (default 1000). */
  maxEventsPerUser?: number;
  /** How long a message id is remembered for de-duplication (default 7 days). */
  dedupTtlSeconds?: number;
  /** Time source (epoch ms), for tests. */
  clock?: () => number;
}

/** Defaults of {@link StoreOptions}. */
export const STORE_DEFAULTS = { sessionTtlSeconds: 1800, maxEventsPerUser: 1000, dedupTtlSeconds: 7 * 24 * 3600 } as const;
