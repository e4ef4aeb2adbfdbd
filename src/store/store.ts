import type { AttuneEvent } from '../core/event';
import type { Profile } from '../core/profile';
import type { Session } from '../core/session';
import type { Cipher } from '../privacy/cipher';

/**
 * Storage is split by role, botbuilder-style: small interfaces, each implemented by both the
 * memory store (embedded default) and the Redis store, which pass one contract suite
 * (test/store/contract.ts) with identical behaviour, errors included:
 * - a malformed argument (empty id, bad cursor, bad name) → ValidationError;
 * - a missing thing → `null` (never an error);
 * - a back-end failure → StoreError with the cause kept.
 *
 * Values are immutable: whatever a read returns is frozen in depth, and a write freezes the
 * profiles, sessions and events it is given (the store took them over). Build changed values
 * by copying (`{ ...profile, counts: { ...profile.counts, turns: 2 } }`); the parts left as
 * they were are shared, which is what lets the memory store serve a turn without copying.
 *
 * Calls are applied in the order they are made: a read made after `write()` returned (even
 * before its promise resolved) sees that write. The engine relies on this to let a user's
 * next turn read without waiting for the previous turn's write to be acknowledged.
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
  /**
   * Gives claims back, for events whose write failed: the client's retry of the same messageId
   * must then be accepted, not dropped as a duplicate. Releasing an unclaimed id is harmless.
   */
  release(messageIds: readonly string[]): Promise<void>;
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
  /**
   * Deletes every version of `name` below `keep` (models hold users' factors, so an erasure
   * retrains and drops the older versions). Returns how many went; numbering goes on as before.
   */
  pruneArtifacts(name: string, keep: number): Promise<number>;
}

/** Everything a store holds about one user (GDPR Art. 15 and 20), decrypted. */
export interface UserExport {
  userId: string;
  profile: Profile | null;
  /** Every live session, by id. */
  sessions: Session[];
  /** Segment ids, sorted. */
  segments: string[];
  /** Every event of theirs still held, in append order. */
  events: AttuneEvent[];
  /** Live cache entries scoped to the user, by key. */
  cache: { key: string; value: string }[];
}

/** The data subject's rights: access and erasure. */
export interface UserRights {
  /** Everything held about the user; an unknown user gives an export with nothing in it. */
  exportUser(userId: string): Promise<UserExport>;
  /**
   * Removes everything {@link UserRights.exportUser} returns, from every structure. `removed`
   * counts events, the profile, sessions, cache entries and the membership set that were
   * there. De-duplication claims stay: they hold message ids only, nothing about the user.
   */
  eraseUser(userId: string): Promise<{ removed: number }>;
}

/**
 * Ids whose late events the engine drops after an erasure. Kept apart from user data, so it
 * survives erase; stored as SHA-256 digests, so after an erasure no key or value spells the id.
 */
export interface SuppressionList {
  suppress(userIds: readonly string[]): Promise<void>;
  /** One answer per id, in order. */
  isSuppressed(userIds: readonly string[]): Promise<boolean[]>;
  /** Lifts the suppression (the user consented again, explicitly); unknown ids are harmless. */
  unsuppress(userIds: readonly string[]): Promise<void>;
}

/** One audit record: flat, small facts only (the caller keeps personal data out). */
export type AuditFields = Readonly<Record<string, string | number | boolean>>;

/** A page of the audit log; `cursor` as in {@link EventPage}. */
export interface AuditPage {
  records: AuditFields[];
  cursor?: string;
}

/** The append-only audit log: no TTL, untouched by erase and sweep. */
export interface AuditLog {
  appendAudit(record: AuditFields): Promise<void>;
  /** Records in append order; `limit` as in {@link EventQuery}. */
  readAudit(query?: { after?: string; limit?: number }): Promise<AuditPage>;
}

/** What {@link Retention.sweep} deletes; an absent limit deletes nothing of that kind. */
export interface RetentionPolicy {
  /** Events stored longer ago than this leave the global and per-user logs. */
  eventsMaxAgeSeconds?: number;
  /** Users with no write for this long are erased whole. */
  inactiveProfileMaxAgeSeconds?: number;
}

/** Retention limits, enforced on demand (the sweeper) with the store's `clock` as now. */
export interface Retention {
  /**
   * Ages count from when the store received a thing, not from the event's own timestamp,
   * which a client can set to anything. `events` counts entries removed from the global log
   * by age; `profiles` counts users erased for inactivity.
   */
  sweep(policy: RetentionPolicy): Promise<{ events: number; profiles: number }>;
}

/** Key rotation of encryption at rest. */
export interface KeyRotation {
  /**
   * Re-encrypts every stored value not under the cipher's current key (and encrypts values
   * written before encryption was turned on). Returns how many events, profiles and sessions
   * were rewritten; 0 without a cipher.
   */
  reencryptAll(): Promise<number>;
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
export interface Store extends EventLog, UserStore, CounterStore, Cache, ArtifactStore, UserRights, SuppressionList, AuditLog, Retention, KeyRotation {
  /** `memory` or `redis`. */
  readonly kind: string;
  /** Applies a batch in one round trip. Its profiles, sessions and events are frozen by it. */
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
  /**
   * Profiles expire after this many seconds without a write (default: never). Set it to the
   * retention policy's `inactiveProfileMaxAgeSeconds`, so a profile goes even if no sweep runs.
   */
  profileTtlSeconds?: number;
  /**
   * Encrypts at rest: event properties, traits and context, profile traits, session turns,
   * entities and slots, each bound to its user. Without it values are stored as plain JSON.
   */
  cipher?: Cipher;
  /**
   * Time source (epoch ms), for tests. Expiry by TTL follows it in memory only (Redis expires
   * on its own clock); what the store timestamps itself (receipt, activity, the sweep's now)
   * follows it on every store.
   */
  clock?: () => number;
}

/** Defaults of {@link StoreOptions}. */
export const STORE_DEFAULTS = { sessionTtlSeconds: 1800, maxEventsPerUser: 1000, dedupTtlSeconds: 7 * 24 * 3600 } as const;

/** The numeric options with their defaults applied. */
export interface StoreLimits {
  sessionTtlSeconds: number;
  maxEventsPerUser: number;
  dedupTtlSeconds: number;
  profileTtlSeconds?: number;
}

/** Applies {@link STORE_DEFAULTS}; an option given as `undefined` counts as unset. */
export function storeLimits(options: StoreOptions): StoreLimits {
  const limits: StoreLimits = {
    sessionTtlSeconds: options.sessionTtlSeconds ?? STORE_DEFAULTS.sessionTtlSeconds,
    maxEventsPerUser: options.maxEventsPerUser ?? STORE_DEFAULTS.maxEventsPerUser,
    dedupTtlSeconds: options.dedupTtlSeconds ?? STORE_DEFAULTS.dedupTtlSeconds,
  };
  if (options.profileTtlSeconds !== undefined) limits.profileTtlSeconds = options.profileTtlSeconds;
  return limits;
}
