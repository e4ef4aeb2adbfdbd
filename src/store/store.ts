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

/** One entry of the event stream as a consumer group hands it out. */
export interface StreamedEvent {
  /** The entry's id: pass it to {@link EventStream.ack}. Opaque, as cursors are. */
  id: string;
  event: AttuneEvent;
}

/** An entry moved to a new consumer by {@link EventStream.claimStale}. */
export interface ClaimedEvent extends StreamedEvent {
  /** How many times the entry has been handed out, this claim included (≥ 2). */
  deliveries: number;
}

/** Where a new consumer group starts: at the first entry still held, or after the last one. */
export interface GroupStart {
  /** Default `end`: a new group sees only entries appended after it was made. */
  from?: 'start' | 'end';
}

/** What {@link EventStream.readGroup} reads. */
export interface GroupRead {
  /** At most this many entries (1 to 10000). */
  count: number;
  /**
   * When there is nothing new, wait up to this long (1 to 600000 ms) for an entry to be
   * appended instead of answering empty at once. Absent: answer at once.
   */
  blockMs?: number;
}

/** What {@link EventStream.claimStale} moves. */
export interface StaleClaim {
  /** Only entries delivered at least this long ago (ms, ≥ 0) and not acknowledged. */
  minIdleMs: number;
  /** At most this many entries (1 to 10000). */
  count: number;
}

/** The entries of a group delivered and not yet acknowledged (the pending entries list). */
export interface PendingSummary {
  count: number;
  /** The lowest and highest pending ids, when any is pending. */
  lowest?: string;
  highest?: string;
  /** Pending entries per consumer, by consumer name; consumers with none are left out. */
  consumers: { name: string; count: number }[];
}

/**
 * The event log read as a stream by workers, in consumer groups (Redis Streams semantics:
 * XREADGROUP, XACK, XAUTOCLAIM): each group sees every entry, each entry is handed to one
 * consumer of the group, stays pending until acknowledged, and an entry a consumer took and
 * never acknowledged (it crashed) is moved to another by {@link EventStream.claimStale}.
 * Delivery is at least once: a worker must tolerate seeing an entry again.
 *
 * Erasure and retention reach the stream: once a user is erased (or an entry swept), their
 * entries are never handed to a consumer again, neither as new entries nor by a claim. An
 * entry already handed out before the erasure may still be in a worker's hands; its id stays
 * pending until acknowledged (an id holds nothing about anyone) and a claim drops it.
 * Group names and consumer names match `[A-Za-z0-9._:-]{1,128}`; a call on a group never
 * made (see {@link EventStream.ensureGroup}) is a ValidationError, except `ack`, which
 * acknowledges nothing.
 *
 * ```ts
 * await store.ensureGroup('profiles', { from: 'start' });
 * for (const { id, event } of await store.readGroup('profiles', 'worker-1', { count: 100 })) {
 *   await handle(event);
 *   await store.ack('profiles', [id]);
 * }
 * ```
 */
export interface EventStream {
  /** Makes the group unless it exists (then it changes nothing, wherever it stands). */
  ensureGroup(group: string, options?: GroupStart): Promise<void>;
  /** Entries the group has not handed out yet, in append order; they become pending for `consumer`. */
  readGroup(group: string, consumer: string, options: GroupRead): Promise<StreamedEvent[]>;
  /** Acknowledges entries: they leave the pending list and never come back. Returns how many were pending. */
  ack(group: string, ids: readonly string[]): Promise<number>;
  /** Moves entries pending longer than `minIdleMs` to `consumer`, oldest first (XAUTOCLAIM). */
  claimStale(group: string, consumer: string, options: StaleClaim): Promise<ClaimedEvent[]>;
  /** The group's pending entries. */
  pending(group: string): Promise<PendingSummary>;
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
   * Removes everything {@link UserRights.exportUser} returns, from every structure of both
   * sides: the source of truth and what is recomputed from it (see {@link Erased}). The
   * store's in-process copies (the Redis snapshot cache) are dropped too. De-duplication
   * claims stay: they hold message ids only, nothing about the user.
   */
  eraseUser(userId: string): Promise<Erased>;
}

/** What an erasure removed on each side of the store. */
export interface ErasedCounts {
  /** Source of truth: events, the profile, sessions and the membership set that were there. */
  data: number;
  /** Recomputable: the user's cache entries that were live. */
  cache: number;
}

/** What {@link UserRights.eraseUser} removed: `removed` is the sum, `data` and `cache` its parts. */
export interface Erased extends ErasedCounts {
  removed: number;
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
export interface Store extends EventLog, EventStream, UserStore, CounterStore, Cache, ArtifactStore, UserRights, SuppressionList, AuditLog, Retention, KeyRotation {
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
