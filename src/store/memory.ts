import type { AttuneEvent } from '../core/event';
import { ValidationError } from '../core/errors';
import type { Profile } from '../core/profile';
import type { Session } from '../core/session';
import { STORE_DEFAULTS, type EventPage, type EventQuery, type Store, type StoreOptions, type UserSnapshot, type WriteBatch } from './store';
import { checkId, checkK, checkLimit, checkName, checkTtl, compareKeys } from './validate';

interface Expiring<T> {
  value: T;
  expiresAt: number;
}

interface Logged {
  seq: number;
  event: AttuneEvent;
}

/**
 * The embedded default store: everything in process memory, lost on exit. Behaves exactly as
 * the Redis store does (the contract suite proves it), TTLs included, so an app developed on
 * it moves to Redis without surprises. Values are copied in and out, as a network store would.
 *
 * ```ts
 * const attune = new Attune({ store: new MemoryStore() });
 * ```
 */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  private readonly opts: Required<Omit<StoreOptions, 'clock'>>;
  private readonly now: () => number;
  private readonly log: Logged[] = [];
  private readonly userLogs = new Map<string, Logged[]>();
  private readonly profiles = new Map<string, Profile>();
  private readonly sessions = new Map<string, Expiring<Session>>();
  private readonly memberships = new Map<string, string[]>();
  private readonly counters = new Map<string, Map<string, number>>();
  private readonly claimed = new Map<string, number>();
  private readonly cache = new Map<string, Expiring<string>>();
  private readonly artifacts = new Map<string, string[]>();
  private seq = 0;
  private closed = false;

  constructor(options: StoreOptions = {}) {
    this.opts = { ...STORE_DEFAULTS, ...stripUndefined(options) };
    this.now = options.clock ?? Date.now;
  }

  async claim(messageIds: readonly string[]): Promise<boolean[]> {
    this.open();
    messageIds.forEach((id) => checkId('messageId', id));
    const now = this.now();
    return messageIds.map((id) => {
      const until = this.claimed.get(id);
      if (until !== undefined && until > now) return false;
      this.claimed.set(id, now + this.opts.dedupTtlSeconds * 1000);
      return true;
    });
  }

  async readEvents(query: EventQuery = {}): Promise<EventPage> {
    this.open();
    const limit = checkLimit(query.limit);
    if (query.userId !== undefined) checkId('userId', query.userId);
    const after = parseCursor(query.after);
    const source = query.userId !== undefined ? (this.userLogs.get(query.userId) ?? []) : this.log;
    const start = firstAfter(source, after);
    const page = source.slice(start, start + limit);
    const events = page.map((l) => copy(l.event));
    return page.length ? { events, cursor: String(page[page.length - 1].seq) } : { events };
  }

  async readUser(userId: string, sessionId?: string): Promise<UserSnapshot> {
    this.open();
    checkId('userId', userId);
    if (sessionId !== undefined) checkId('sessionId', sessionId);
    const profile = this.profiles.get(userId);
    const session = sessionId === undefined ? undefined : this.live(this.sessions, sessionKey(userId, sessionId));
    return {
      profile: profile ? copy(profile) : null,
      session: session ? copy(session) : null,
      segments: [...(this.memberships.get(userId) ?? [])].sort(),
    };
  }

  async write(batch: WriteBatch): Promise<void> {
    this.open();
    validateBatch(batch);
    const now = this.now();
    for (const event of batch.events ?? []) {
      const logged = { seq: ++this.seq, event: copy(event) };
      this.log.push(logged);
      const mine = this.userLogs.get(event.userId) ?? [];
      mine.push(logged);
      if (mine.length > this.opts.maxEventsPerUser) mine.splice(0, mine.length - this.opts.maxEventsPerUser);
      this.userLogs.set(event.userId, mine);
    }
    for (const p of batch.profiles ?? []) this.profiles.set(p.userId, copy(p));
    for (const s of batch.sessions ?? []) {
      this.sessions.set(sessionKey(s.userId, s.id), { value: copy(s), expiresAt: now + this.opts.sessionTtlSeconds * 1000 });
    }
    for (const m of batch.memberships ?? []) {
      if (m.segments.length) this.memberships.set(m.userId, [...new Set(m.segments)]);
      else this.memberships.delete(m.userId);
    }
    for (const c of batch.counters ?? []) {
      const counter = this.counters.get(c.name) ?? new Map<string, number>();
      for (const [key, by] of Object.entries(c.increments)) counter.set(key, (counter.get(key) ?? 0) + by);
      this.counters.set(c.name, counter);
    }
  }

  async topCounters(name: string, k: number): Promise<{ key: string; value: number }[]> {
    this.open();
    checkName('counter name', name);
    checkK(k);
    const counter = this.counters.get(name);
    if (!counter) return [];
    return [...counter.entries()]
      .map(([key, value]) => ({ key, value }))
      .sort((a, b) => b.value - a.value || compareKeys(a.key, b.key))
      .slice(0, k);
  }

  async cacheGet(key: string, userId?: string): Promise<string | null> {
    this.open();
    checkId('cache key', key);
    if (userId !== undefined) checkId('userId', userId);
    return this.live(this.cache, cacheKey(key, userId)) ?? null;
  }

  async cacheSet(key: string, value: string, ttlSeconds: number, userId?: string): Promise<void> {
    this.open();
    checkId('cache key', key);
    checkTtl(ttlSeconds);
    if (userId !== undefined) checkId('userId', userId);
    this.cache.set(cacheKey(key, userId), { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async putArtifact(name: string, data: string): Promise<number> {
    this.open();
    checkName('artifact name', name);
    const versions = this.artifacts.get(name) ?? [];
    versions.push(data);
    this.artifacts.set(name, versions);
    return versions.length;
  }

  async getArtifact(name: string, version?: number): Promise<{ version: number; data: string } | null> {
    this.open();
    checkName('artifact name', name);
    if (version !== undefined && (!Number.isInteger(version) || version < 1)) throw new ValidationError('version must be a positive integer');
    const versions = this.artifacts.get(name);
    if (!versions?.length) return null;
    const v = version ?? versions.length;
    const data = versions[v - 1];
    return data === undefined ? null : { version: v, data };
  }

  async ping(): Promise<void> {
    this.open();
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private open(): void {
    if (this.closed) throw new ValidationError('store is closed');
  }

  private live<T>(map: Map<string, Expiring<T>>, key: string): T | undefined {
    const entry = map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      map.delete(key);
      return undefined;
    }
    return entry.value;
  }
}

/** Checks a batch before any of it is applied, so a bad batch changes nothing. */
export function validateBatch(batch: WriteBatch): void {
  for (const e of batch.events ?? []) {
    checkId('event.userId', e.userId);
    checkId('event.messageId', e.messageId);
  }
  for (const p of batch.profiles ?? []) checkId('profile.userId', p.userId);
  for (const s of batch.sessions ?? []) {
    checkId('session.userId', s.userId);
    checkId('session.id', s.id);
  }
  for (const m of batch.memberships ?? []) {
    checkId('membership.userId', m.userId);
    m.segments.forEach((s) => checkId('segment id', s));
  }
  for (const c of batch.counters ?? []) {
    checkName('counter name', c.name);
    for (const [key, by] of Object.entries(c.increments)) {
      checkId('counter key', key);
      if (!Number.isFinite(by)) throw new ValidationError(`counter increment for ${key} must be a finite number`);
    }
  }
}

function parseCursor(after: string | undefined): number {
  if (after === undefined) return 0;
  if (!/^\d{1,15}$/.test(after)) throw new ValidationError('cursor is not one this store issued');
  return Number(after);
}

function firstAfter(source: Logged[], seq: number): number {
  let lo = 0;
  let hi = source.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (source[mid].seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const sessionKey = (userId: string, sessionId: string) => `${userId}\u0000${sessionId}`;
const cacheKey = (key: string, userId?: string) => `${userId ?? ''}\u0000${key}`;
const copy = <T>(v: T): T => structuredClone(v);

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
