import type { HeldEvent, HeldProfile, HeldSession, Holding } from './memory-holding';
import { liveValue, type Expiring } from '../cache/memory-side';
import { ErasableLog, pageAfter } from './memory-log';
import type { ErasedCounts, RetentionPolicy, UserExport } from '../store';

export type { Expiring } from '../cache/memory-side';

/** What erasure and export reach on the recomputable side (see cache/memory-side.ts). */
export interface UserScoped {
  /** The user's live entries, by key. */
  entriesOf(userId: string): { key: string; value: string }[];
  /** Removes them; returns how many were live. */
  eraseUser(userId: string): number;
}

/** One event log entry; the same object sits in the global log and in its user's entries. */
export interface Logged {
  seq: number;
  /** When the store received it, by the store's clock: what retention ages count from. */
  at: number;
  userId: string;
  /** The event as held (see {@link Holding}). */
  raw: HeldEvent;
  /** Set once it left the log (see {@link ErasableLog}); when erased, its user id and event are blanked. */
  gone: boolean;
}

/**
 * A user's entries of the global log, in order, and their events as held beside them: an
 * export reads the events from one array instead of visiting entries scattered through a
 * heap as large as the log (a cache miss each, in a large one).
 */
export interface UserEntries {
  logged: Logged[];
  raws: HeldEvent[];
}

/**
 * The source of truth a {@link MemoryStore} holds: the event log and users' data, kept apart
 * from what can be recomputed (cache/memory-side.ts) and from what is about no one (claims),
 * together with what must reach all of a user's data on both sides: export, erasure,
 * retention and key rotation. Each structure mirrors a Redis key of the same role.
 */
export class MemoryData {
  /** The global log (see {@link ErasableLog}: how erasing costs what the user has). */
  readonly log = new ErasableLog<Logged>();
  /**
   * Every entry of each user's in the global log, in order, uncapped: the index that export
   * and erasure go by, so they never pass over the whole log. The per-user log, which keeps
   * the latest `maxEventsPerUser`, is its tail (see {@link MemoryData.page}). It holds the
   * same objects as the global log, so it costs a reference per event.
   */
  readonly userLogs = new Map<string, UserEntries>();
  /** Profiles as held (see {@link Holding}). */
  readonly profiles = new Map<string, Expiring<HeldProfile>>();
  /** Sessions by user, then by session id, as held. */
  readonly sessions = new Map<string, Map<string, Expiring<HeldSession>>>();
  /** Segment memberships, each list sorted and frozen, so that reads can share it. */
  readonly memberships = new Map<string, readonly string[]>();
  /** The store's clock at the latest write touching each user: what inactivity counts from. */
  readonly activity = new Map<string, number>();
  /** SHA-256 digests of suppressed ids; survives erase by design. */
  readonly suppressed = new Set<string>();
  /** Append-only; nothing here deletes from it. */
  readonly audit: { seq: number; raw: string }[] = [];
  private seq = 0;

  constructor(
    private readonly now: () => number,
    private readonly form: Holding,
    /** What each user's log keeps, as Redis's capped per-user stream does (`maxEventsPerUser`). */
    private readonly maxEventsPerUser: number,
    /** The user's entries on the recomputable side, which export and erasure reach too. */
    private readonly scoped: UserScoped,
  ) {}

  /** Appends an entry to the global log and to its user's entries. */
  append(logged: Logged): void {
    this.log.push(logged);
    const mine = this.userLogs.get(logged.userId);
    if (mine) {
      mine.logged.push(logged);
      mine.raws.push(logged.raw);
    } else this.userLogs.set(logged.userId, { logged: [logged], raws: [logged.raw] });
  }

  /**
   * A page of the user's log as the capped stream holds it (the latest `maxEventsPerUser`
   * entries), or of the global log when no user is given.
   */
  page(userId: string | undefined, after: number, limit: number): Logged[] {
    if (userId === undefined) return this.log.pageAfter(after, limit);
    const mine = this.userLogs.get(userId)?.logged ?? [];
    return pageAfter(mine, after, limit, Math.max(0, mine.length - this.maxEventsPerUser));
  }

  /** The next sequence number (cursors of both logs). */
  next(): number {
    return ++this.seq;
  }

  /** The highest sequence number issued so far. */
  lastSeq(): number {
    return this.seq;
  }

  /** Records activity of a user now; the map stays ordered from least to most recently active. */
  touch(userId: string): void {
    this.activity.delete(userId);
    this.activity.set(userId, this.now());
  }

  /**
   * Keeps at most `maxUsers` users (those inactive longest go whole, as the sweep takes
   * inactive users) and `maxEvents` entries of the global log (the oldest go, as a sweep by age
   * takes them). Returns how many users and events went.
   */
  enforceCaps(maxUsers: number, maxEvents: number): { users: number; events: number } {
    let users = 0;
    for (const userId of this.activity.keys()) {
      if (this.activity.size <= maxUsers) break;
      this.erase(userId);
      users += 1;
    }
    let events = 0;
    const over = this.log.length - maxEvents;
    if (over > 0) {
      let n = 0;
      events = this.log.dropWhile(() => n++ < over);
      this.dropGoneHeads();
    }
    return { users, events };
  }

  /** A live value, dropping it when expired (as Redis expires on access). */
  live<T>(map: Map<string, Expiring<T>> | undefined, key: string): T | undefined {
    return liveValue(map, key, this.now());
  }

  exportUser(userId: string): UserExport {
    const profile = this.live(this.profiles, userId);
    const liveOf = <T>(map: Map<string, Expiring<T>> | undefined) =>
      [...(map?.keys() ?? [])].sort().flatMap((key) => {
        const value = this.live(map, key);
        return value === undefined ? [] : [{ key, value }];
      });
    return {
      userId,
      profile: profile ? this.form.readProfile(profile) : null,
      sessions: liveOf(this.sessions.get(userId)).flatMap((s) => this.form.readSession(s.value) ?? []),
      segments: [...(this.memberships.get(userId) ?? [])].sort(),
      events: (this.userLogs.get(userId)?.raws ?? []).map((raw) => this.form.readEvent(raw)),
      cache: this.scoped.entriesOf(userId),
    };
  }

  /**
   * Removes everything of the user but the suppression entry; returns what was live, by side:
   * `data` (events, profile, sessions, the membership set), `cache` (cache entries).
   */
  erase(userId: string): ErasedCounts {
    const mine = this.eventsOf(userId);
    let removed = this.log.erase(mine);
    // An erased entry may sit in the log until it is squeezed out: nothing of the user stays in it.
    for (const l of mine) {
      l.userId = '';
      l.raw = '';
    }
    if (this.live(this.profiles, userId) !== undefined) removed += 1;
    const liveIn = <T>(map: Map<string, Expiring<T>> | undefined) => [...(map?.keys() ?? [])].filter((k) => this.live(map, k) !== undefined).length;
    removed += liveIn(this.sessions.get(userId));
    const cached = this.scoped.eraseUser(userId);
    if (this.memberships.has(userId)) removed += 1;
    this.userLogs.delete(userId);
    this.profiles.delete(userId);
    this.sessions.delete(userId);
    this.memberships.delete(userId);
    this.activity.delete(userId);
    return { data: removed, cache: cached };
  }

  sweep(policy: RetentionPolicy): { events: number; profiles: number } {
    const now = this.now();
    let events = 0;
    if (policy.eventsMaxAgeSeconds !== undefined) {
      const cutoff = now - policy.eventsMaxAgeSeconds * 1000;
      events = this.log.dropWhile((l) => l.at < cutoff);
      this.dropGoneHeads();
    }
    let profiles = 0;
    if (policy.inactiveProfileMaxAgeSeconds !== undefined) {
      const cutoff = now - policy.inactiveProfileMaxAgeSeconds * 1000;
      for (const [userId, at] of [...this.activity]) {
        if (at >= cutoff) continue;
        this.erase(userId);
        profiles += 1;
      }
    }
    return { events, profiles };
  }

  /**
   * What left the global log is a head of it, so a head of each user's list: exactly what goes
   * from the list, which must keep listing every entry of theirs the log still holds.
   */
  private dropGoneHeads(): void {
    for (const [userId, { logged, raws }] of this.userLogs) {
      let n = 0;
      while (n < logged.length && logged[n].gone) n += 1;
      if (!n) continue;
      logged.splice(0, n);
      raws.splice(0, n);
      if (!logged.length) this.userLogs.delete(userId);
    }
  }

  /** Rewrites every stale value under the current key; returns how many. */
  reencrypt(): number {
    let n = 0;
    for (const l of this.log) {
      if (!this.form.stale(l.raw)) continue;
      l.raw = this.form.event(this.form.readEvent(l.raw));
      n += 1;
    }
    if (n) for (const mine of this.userLogs.values()) mine.raws = mine.logged.map((l) => l.raw);
    for (const entry of this.profiles.values()) {
      const profile = this.form.stale(entry.value) ? this.form.readProfile(entry.value) : null;
      if (!profile) continue;
      entry.value = this.form.profile(profile);
      n += 1;
    }
    for (const mine of this.sessions.values()) {
      for (const entry of mine.values()) {
        if (!this.form.stale(entry.value)) continue;
        const session = this.form.readSession(entry.value);
        if (session) entry.value = this.form.session(session);
        n += 1;
      }
    }
    return n;
  }

  /** Every structure, keys and values, as one JSON string (see MemoryStore.rawDump). */
  dump(rest: Record<string, Map<string, unknown>>): string {
    const flat = (v: unknown): unknown => (v instanceof Map ? [...v].map(([k, x]) => [k, flat(x)]) : v instanceof Set ? [...v] : v);
    const all: Record<string, unknown> = {
      log: this.log,
      userLogs: this.userLogs,
      profiles: this.profiles,
      sessions: this.sessions,
      memberships: this.memberships,
      activity: this.activity,
      suppressed: this.suppressed,
      audit: this.audit,
      ...rest,
    };
    return JSON.stringify(Object.fromEntries(Object.entries(all).map(([k, v]) => [k, flat(v)])));
  }

  /** The user's entries of the global log, in order (none is ever only in their own log here). */
  private eventsOf(userId: string): readonly Logged[] {
    return this.userLogs.get(userId)?.logged ?? [];
  }
}
