import type { Profile } from '../../core/profile';
import type { Session } from '../../core/session';
import type { UserSnapshot } from '../store';

/*
 * The in-process cache of user snapshots of the Redis store: what `readUser` returned or
 * `write` wrote, per user, kept current by Redis server-assisted client-side caching (see
 * redis-tracking.ts, which decides when the cache may be used and tells it what changed).
 *
 * This file holds no connection: it is the bookkeeping that keeps a cached value from ever
 * being older than what the store's own connection would read, given that every change to a
 * user's snapshot keys is reported to it (by tracking for other connections, by the store for
 * its own writes, which tracking's NOLOOP leaves out).
 */

/** Options of the user snapshot cache (`RedisStoreOptions.userCache`). */
export interface UserCacheOptions {
  /** Users whose snapshots are kept, least recently used dropped first (default 10,000; 0 turns the cache off). */
  maxUsers?: number;
}

/** Default {@link UserCacheOptions.maxUsers}. */
export const DEFAULT_CACHED_USERS = 10_000;

/** Sessions kept per cached user (a user rarely has more than one live at a time). */
const SESSIONS_PER_USER = 4;

/** Monotonic milliseconds: TTLs run on real time, whatever the store's `clock` says. */
export const monotonicMs = (): number => performance.now();

/**
 * When a value with `ttlMs` left, counted from `from` (a time no later than Redis's own count
 * started), must stop being served. A little early, not on the dot: clocks of two machines
 * run at slightly different rates, and a key Redis expires is gone at once for its readers.
 * Keys without a TTL (`ttlMs` negative, as PTTL answers) never expire here.
 */
export function expiryOf(from: number, ttlMs: number): number {
  return ttlMs < 0 ? Infinity : from + ttlMs - (10 + ttlMs / 1000);
}

/** A part of a snapshot as cached: decoded on first use (a write caches the stored form), frozen, with its expiry. */
class Part<T> {
  private value: T | undefined;
  private decode: (() => T) | undefined;

  constructor(
    source: (() => T) | { value: T },
    readonly expiresAt: number,
  ) {
    if (typeof source === 'function') this.decode = source;
    else this.value = source.value;
  }

  get(): T {
    if (this.decode) {
      this.value = this.decode();
      this.decode = undefined;
    }
    return this.value as T;
  }
}

interface Entry {
  profile?: Part<Profile | null>;
  segments?: Part<string[]>;
  /** By session id; null values are sessions known not to exist. */
  sessions?: Map<string, Part<Session | null>>;
}

/** Taken by a read that missed; the read's result is cached only if nothing changed its user meanwhile. */
export interface ReadTicket {
  readonly userId: string;
  readonly epoch: number;
  readonly generation: number;
}

/** A part of a snapshot to cache: its value, or how to decode it on first use; when it expires (monotonic ms). */
export interface KnownPart<T> {
  source: (() => T) | { value: T };
  expiresAt: number;
}

/** What a write or a read puts in the cache for one user; parts absent are left as they were. */
export interface Known {
  profile?: KnownPart<Profile | null>;
  segments?: KnownPart<string[]>;
  /** In order: a later one for the same id wins. */
  sessions?: (KnownPart<Session | null> & { id: string })[];
}

/**
 * Snapshots by user, bounded (least recently used first out). Each part (profile, segments,
 * each session) is cached on its own, so a write that touches a user's session only keeps
 * their cached profile, which it did not change. Three rules keep it from serving stale data:
 *
 * - it serves only while {@link UserCache.serving} (tracking confirmed live: see
 *   redis-tracking.ts); {@link UserCache.clear} drops everything and, through the epoch,
 *   every read then in flight;
 * - a read that missed caches its result only if no change to its user was reported while it
 *   was in flight (a per-user generation, kept for users with reads in flight only): the
 *   change may have reached Redis after the read ran there, and its report before the reply;
 * - every part expires (a little early) when Redis would expire its key.
 */
export class UserCache {
  private readonly entries = new Map<string, Entry>();
  /** Users with reads in flight: how many, and their generation (bumped by each change). */
  private readonly inFlight = new Map<string, { reads: number; generation: number }>();
  private epoch = 0;
  private on = false;
  private leaseUntil = -Infinity;

  constructor(private readonly maxUsers: number) {}

  /**
   * Whether cached snapshots may be served now: tracking is active and was proven live
   * recently (see {@link UserCache.renew}).
   */
  serving(now = monotonicMs()): boolean {
    return this.on && now < this.leaseUntil;
  }

  /** Tracking is on: start caching from empty, serving until `leaseUntil` unless renewed. */
  activate(leaseUntil: number): void {
    this.clear();
    this.on = true;
    this.leaseUntil = leaseUntil;
  }

  /** Tracking is off or unknown: drop everything and cache nothing until activated again. */
  deactivate(): void {
    this.on = false;
    this.clear();
  }

  /**
   * Tracking was proven live: every change made before a moment has been reported, so cached
   * values may be served until `leaseUntil`. Never shortens the lease.
   */
  renew(leaseUntil: number): void {
    if (leaseUntil > this.leaseUntil) this.leaseUntil = leaseUntil;
  }

  /** Drops every snapshot, and keeps reads in flight from caching theirs. */
  clear(): void {
    this.epoch += 1;
    this.entries.clear();
  }

  /** Whether tracking is active (the cache fills), whether or not its lease lets it serve now. */
  get active(): boolean {
    return this.on;
  }

  /** Whether anything is cached (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }

  /** A user's data changed (or may have): drop their snapshot, and keep reads in flight from caching it. */
  drop(userId: string): void {
    this.entries.delete(userId);
    const pending = this.inFlight.get(userId);
    if (pending) pending.generation += 1;
  }

  /** The snapshot, if every part asked for is cached, unexpired, and the cache is serving. */
  get(userId: string, sessionId?: string): UserSnapshot | undefined {
    if (!this.on) return undefined;
    const entry = this.entries.get(userId);
    if (!entry) return undefined;
    const now = monotonicMs();
    if (now >= this.leaseUntil) return undefined;
    const { profile, segments } = entry;
    if (!profile || !segments || now >= profile.expiresAt || now >= segments.expiresAt) return undefined;
    let session: Part<Session | null> | undefined;
    if (sessionId !== undefined) {
      session = entry.sessions?.get(sessionId);
      if (!session || now >= session.expiresAt) return undefined;
    }
    let snapshot: UserSnapshot;
    try {
      snapshot = { profile: profile.get(), session: session ? session.get() : null, segments: segments.get() };
    } catch {
      // A value that does not decode is left for the read from Redis to report.
      this.drop(userId);
      return undefined;
    }
    // Most recently used last: Map keeps insertion order.
    this.entries.delete(userId);
    this.entries.set(userId, entry);
    return snapshot;
  }

  /** A read of `userId` is about to go to Redis; undefined when its result may not be cached. */
  begin(userId: string): ReadTicket | undefined {
    if (!this.on) return undefined;
    let pending = this.inFlight.get(userId);
    if (!pending) this.inFlight.set(userId, (pending = { reads: 0, generation: 0 }));
    pending.reads += 1;
    return { userId, epoch: this.epoch, generation: pending.generation };
  }

  /** Caches what a read returned, if nothing changed its user since {@link UserCache.begin}. */
  fill(ticket: ReadTicket, known: Known): void {
    if (!this.on || ticket.epoch !== this.epoch || this.inFlight.get(ticket.userId)?.generation !== ticket.generation) return;
    this.put(ticket.userId, known);
  }

  /** Ends a read begun with {@link UserCache.begin}, whatever its outcome. */
  end(ticket: ReadTicket): void {
    const pending = this.inFlight.get(ticket.userId);
    if (pending && --pending.reads === 0) this.inFlight.delete(ticket.userId);
  }

  /**
   * Our own connection is writing these parts of a user's data (commands on one connection
   * apply in order, so every later read sees them): they replace the cached parts, and reads
   * in flight, which ran before the write, cache nothing.
   */
  wrote(userId: string, known: Known): void {
    const pending = this.inFlight.get(userId);
    if (pending) pending.generation += 1;
    if (this.on) this.put(userId, known);
  }

  private put(userId: string, known: Known): void {
    let entry = this.entries.get(userId);
    if (entry) this.entries.delete(userId);
    else entry = {};
    if (known.profile) entry.profile = new Part(known.profile.source, known.profile.expiresAt);
    if (known.segments) entry.segments = new Part(known.segments.source, known.segments.expiresAt);
    for (const session of known.sessions ?? []) {
      const sessions = (entry.sessions ??= new Map());
      sessions.delete(session.id);
      sessions.set(session.id, new Part(session.source, session.expiresAt));
      if (sessions.size > SESSIONS_PER_USER) sessions.delete(sessions.keys().next().value as string);
    }
    this.entries.set(userId, entry);
    if (this.entries.size > this.maxUsers) this.entries.delete(this.entries.keys().next().value as string);
  }
}
