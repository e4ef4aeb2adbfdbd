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

/** One event log entry; the same object sits in the global log and in its user's record. */
export interface Logged {
  seq: number;
  /**
   * When the store received it, by the store's clock, in milliseconds since the store opened
   * (see {@link MemoryData.at}): what retention ages count from. Held so, it is a small
   * integer stored in the entry itself for 24 days, instead of a boxed number of its own.
   */
  at: number;
  /** Its user's id: the very string of their record, shared by all their entries. */
  userId: string;
  /** The event as held (see {@link Holding}). */
  raw: HeldEvent;
  /** Set once it left the log (see {@link ErasableLog}); when erased, its user id and event are blanked. */
  gone: boolean;
}

/**
 * Everything a {@link MemoryStore} keeps about one user, in one record: one map entry and one
 * copy of the id for all of it, instead of one per structure (five, before), and one place
 * that says whether a user is kept at all. Every field is set from the start, so that every
 * record has one shape.
 */
export interface UserRecord {
  readonly id: string;
  /** The user's entries of the global log, in order: what export and erasure go by. */
  logged: Logged[];
  profile: Expiring<HeldProfile> | undefined;
  /** Sessions by session id, as held. */
  sessions: Map<string, Expiring<HeldSession>> | undefined;
  /** Segment memberships, sorted and frozen, shared between users with the same list. */
  segments: readonly string[] | undefined;
  /** The store's clock at the latest write touching the user (see {@link MemoryData.at}). */
  activeAt: number;
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
   * Each user's record, ordered from least to most recently active (a write touching a user
   * moves them last): the order in which the caps drop users.
   */
  readonly users = new Map<string, UserRecord>();
  /** SHA-256 digests of suppressed ids; survives erase by design. */
  readonly suppressed = new Set<string>();
  /** Append-only; nothing here deletes from it. */
  readonly audit: { seq: number; raw: string }[] = [];
  /** Segment lists shared between users (most users are in one of a few combinations). */
  private readonly segmentLists = new Map<string, readonly string[]>();
  private seq = 0;
  /** The clock when the store opened: times are held relative to it (see {@link MemoryData.at}). */
  private readonly epoch: number;

  constructor(
    private readonly now: () => number,
    private readonly form: Holding,
    /** What each user's log keeps, as Redis's capped per-user stream does (`maxEventsPerUser`). */
    private readonly maxEventsPerUser: number,
    /** The user's entries on the recomputable side, which export and erasure reach too. */
    private readonly scoped: UserScoped,
  ) {
    this.epoch = now();
  }

  /** The store's clock now, in milliseconds since the store opened. */
  at(): number {
    return this.now() - this.epoch;
  }

  /**
   * The user's record, made if there is none, and marked active now: it moves to the end of
   * the order in which the caps drop users.
   */
  touch(userId: string): UserRecord {
    const found = this.users.get(userId);
    const record = found ?? { id: userId, logged: [], profile: undefined, sessions: undefined, segments: undefined, activeAt: 0 };
    if (found) this.users.delete(userId);
    this.users.set(record.id, record);
    record.activeAt = this.at();
    return record;
  }

  /** Appends an event of the user's (as held) to the global log and to their record. */
  append(record: UserRecord, raw: HeldEvent, at: number): void {
    const logged: Logged = { seq: this.next(), at, userId: record.id, raw, gone: false };
    this.log.push(logged);
    record.logged.push(logged);
  }

  /** Sets the user's segment list, sharing one frozen copy between users with the same list. */
  setSegments(record: UserRecord, segments: readonly string[]): void {
    if (!segments.length) {
      record.segments = undefined;
      return;
    }
    const sorted = [...new Set(segments)].sort();
    const key = sorted.join('\u0000');
    let shared = this.segmentLists.get(key);
    if (!shared) {
      shared = Object.freeze(sorted);
      // Bounded: past it, lists are kept per user, as before sharing.
      if (this.segmentLists.size < SHARED_SEGMENT_LISTS) this.segmentLists.set(key, shared);
    }
    record.segments = shared;
  }

  /**
   * A page of the user's log as the capped stream holds it (the latest `maxEventsPerUser`
   * entries), or of the global log when no user is given.
   */
  page(userId: string | undefined, after: number, limit: number): Logged[] {
    if (userId === undefined) return this.log.pageAfter(after, limit);
    const mine = this.users.get(userId)?.logged ?? [];
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

  /**
   * Keeps at most `maxUsers` users (those inactive longest go whole, as the sweep takes
   * inactive users) and `maxEvents` entries of the global log (the oldest go, as a sweep by age
   * takes them). Returns how many users and events went.
   */
  enforceCaps(maxUsers: number, maxEvents: number): { users: number; events: number } {
    let users = 0;
    for (const userId of this.users.keys()) {
      if (this.users.size <= maxUsers) break;
      this.erase(userId);
      users += 1;
    }
    let events = 0;
    const over = this.log.length - maxEvents;
    if (over > 0) {
      let n = 0;
      events = this.dropHead(() => n++ < over);
    }
    return { users, events };
  }

  /** A live value, dropping it when expired (as Redis expires on access). */
  live<T>(map: Map<string, Expiring<T>> | undefined, key: string): T | undefined {
    return liveValue(map, key, this.now());
  }

  /** The user's live profile as held, dropping it when expired. */
  liveProfile(record: UserRecord | undefined): HeldProfile | undefined {
    const entry = record?.profile;
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.value;
    record.profile = undefined;
    return undefined;
  }

  exportUser(userId: string): UserExport {
    const record = this.users.get(userId);
    const profile = this.liveProfile(record);
    const liveOf = <T>(map: Map<string, Expiring<T>> | undefined) =>
      [...(map?.keys() ?? [])].sort().flatMap((key) => {
        const value = this.live(map, key);
        return value === undefined ? [] : [{ key, value }];
      });
    return {
      userId,
      profile: profile ? this.form.readProfile(profile, userId) : null,
      sessions: liveOf(record?.sessions).flatMap((s) => this.form.readSession(s.value, userId) ?? []),
      segments: [...(record?.segments ?? [])],
      events: (record?.logged ?? []).map((l) => this.form.readEvent(l.raw, userId)),
      cache: this.scoped.entriesOf(userId),
    };
  }

  /**
   * Removes everything of the user but the suppression entry; returns what was live, by side:
   * `data` (events, profile, sessions, the membership set), `cache` (cache entries).
   */
  erase(userId: string): ErasedCounts {
    const record = this.users.get(userId);
    const cached = this.scoped.eraseUser(userId);
    this.form.forget(userId);
    if (!record) return { data: 0, cache: cached };
    const mine = record.logged;
    let removed = this.log.erase(mine);
    // An erased entry may sit in the log until it is squeezed out: nothing of the user stays in it.
    for (const l of mine) {
      l.userId = '';
      l.raw = '';
    }
    if (this.liveProfile(record) !== undefined) removed += 1;
    const sessions = record.sessions;
    removed += [...(sessions?.keys() ?? [])].filter((k) => this.live(sessions, k) !== undefined).length;
    if (record.segments) removed += 1;
    this.users.delete(userId);
    return { data: removed, cache: cached };
  }

  sweep(policy: RetentionPolicy): { events: number; profiles: number } {
    let events = 0;
    if (policy.eventsMaxAgeSeconds !== undefined) {
      const cutoff = this.at() - policy.eventsMaxAgeSeconds * 1000;
      events = this.dropHead((l) => l.at < cutoff);
    }
    let profiles = 0;
    if (policy.inactiveProfileMaxAgeSeconds !== undefined) {
      const cutoff = this.at() - policy.inactiveProfileMaxAgeSeconds * 1000;
      for (const record of [...this.users.values()]) {
        if (record.activeAt >= cutoff) continue;
        this.erase(record.id);
        profiles += 1;
      }
    }
    return { events, profiles };
  }

  /**
   * Drops entries from the head of the global log while `old` holds for them; what went is a
   * head of each of their users' lists too, cut from those lists alone (not a pass over every
   * user), which must keep listing every entry of theirs the log still holds.
   */
  private dropHead(old: (l: Logged) => boolean): number {
    const owners = new Set<string>();
    const n = this.log.dropWhile((l) => {
      if (!old(l)) return false;
      owners.add(l.userId);
      return true;
    });
    for (const userId of owners) {
      const record = this.users.get(userId);
      if (!record) continue;
      const { logged } = record;
      let k = 0;
      while (k < logged.length && logged[k].gone) k += 1;
      if (k) logged.splice(0, k);
    }
    return n;
  }

  /** Rewrites every stale value under the current key; returns how many. */
  reencrypt(): number {
    const { form } = this;
    let n = 0;
    for (const l of this.log) {
      if (!form.stale(form.storedEvent(l.raw, l.userId))) continue;
      l.raw = form.event(form.readEvent(l.raw, l.userId));
      n += 1;
    }
    for (const record of this.users.values()) {
      const entry = record.profile;
      const profile = entry && form.stale(form.storedProfile(entry.value, record.id)) ? form.readProfile(entry.value, record.id) : null;
      if (entry && profile) {
        entry.value = form.profile(profile);
        n += 1;
      }
      for (const s of record.sessions?.values() ?? []) {
        if (!form.stale(form.storedSession(s.value, record.id))) continue;
        const session = form.readSession(s.value, record.id);
        if (session) s.value = form.session(session);
        n += 1;
      }
    }
    return n;
  }

  /**
   * Every structure, keys and values, as one JSON string (see MemoryStore.rawDump), values in
   * the form Redis would hold them: the compact form is how they are kept, not what they are.
   */
  dump(rest: Record<string, Map<string, unknown>>): string {
    const { form } = this;
    const flat = (v: unknown): unknown => (v instanceof Map ? [...v].map(([k, x]) => [k, flat(x)]) : v instanceof Set ? [...v] : v);
    const logged = (l: Logged) => ({ ...l, raw: l.gone ? l.raw : form.storedEvent(l.raw, l.userId) });
    const users = [...this.users.values()].map((r) => ({
      ...r,
      logged: r.logged.map(logged),
      profile: r.profile && { ...r.profile, value: form.storedProfile(r.profile.value, r.id) },
      sessions: [...(r.sessions ?? [])].map(([id, s]) => [id, { ...s, value: form.storedSession(s.value, r.id) }]),
    }));
    const all: Record<string, unknown> = { log: [...this.log].map(logged), users, suppressed: this.suppressed, audit: this.audit, ...rest };
    return JSON.stringify(Object.fromEntries(Object.entries(all).map(([k, v]) => [k, flat(v)])));
  }
}

/** How many distinct segment lists are shared at most. */
const SHARED_SEGMENT_LISTS = 1024;
