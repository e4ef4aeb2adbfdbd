import { ValidationError } from '../core/errors';
import { MemoryCacheSide } from './cache/memory-side';
import { type Expiring, MemoryData, type Logged } from './data/memory-data';
import { type HeldSession, type Holding, LiveHolding } from './data/memory-holding';
import { pageAfter } from './data/memory-log';
import { memoryCaps, type MemoryCaps } from './data/memory-caps';
import { MemoryStream } from './data/memory-stream';
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

/** Options of {@link MemoryStore}: the common ones, and what it keeps at most. */
export interface MemoryStoreOptions extends StoreOptions {
  /** What the store keeps at most (see {@link MemoryCaps}; defaults in `MEMORY_CAPS`). */
  caps?: MemoryCaps;
}

/**
 * The embedded default store: everything in process memory, lost on exit. Behaves exactly as
 * the Redis store does (the contract suite proves it), TTLs included, so an app developed on
 * it moves to Redis without surprises. With a cipher it holds values in their stored form (see
 * {@link StoredForm}: encrypted JSON), as Redis would, so what is proven about data at rest
 * holds here too; without one it holds the values themselves, frozen, so a turn pays no
 * serializing (see {@link Holding}). {@link MemoryStore.rawDump} shows what it holds.
 *
 * Unlike Redis it bounds itself (option `caps`, see {@link MemoryCaps}): past its caps, the
 * users inactive longest, the oldest log entries and the oldest claims go first.
 *
 * ```ts
 * const attune = new Attune({ store: new MemoryStore() });
 * ```
 */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  private readonly opts: StoreLimits;
  private readonly now: () => number;
  private readonly form: Holding;
  private readonly data: MemoryData;
  private readonly stream: MemoryStream;
  /** Counters, cache entries and artifacts: what can be recomputed (see cache/memory-side.ts). */
  private readonly recomputable: MemoryCacheSide;
  private readonly claimed = new Map<string, number>();
  private readonly caps: Required<MemoryCaps>;
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.opts = storeLimits(options);
    this.caps = memoryCaps(options.caps);
    this.now = options.clock ?? Date.now;
    this.form = options.cipher ? new StoredForm(options.cipher) : new LiveHolding();
    this.recomputable = new MemoryCacheSide(this.now);
    this.data = new MemoryData(this.now, this.form, this.opts.maxEventsPerUser, this.recomputable);
    const { data, form } = this;
    this.stream = new MemoryStream({ log: data.log, lastSeq: () => data.lastSeq(), now: this.now, read: (l) => form.readEvent(l.raw) });
    // Arguments are checked in front of every method, the same way for every back end.
    validated(this, MEMORY_ID);
  }

  async claim(messageIds: readonly string[]): Promise<boolean[]> {
    this.open();
    const now = this.now();
    return messageIds.map((id) => {
      const until = this.claimed.get(id);
      if (until !== undefined && until > now) return false;
      // Re-inserted, so the map stays oldest first and the cap forgets the oldest claims.
      this.claimed.delete(id);
      this.claimed.set(id, now + this.opts.dedupTtlSeconds * 1000);
      if (this.claimed.size > this.caps.maxClaims) this.claimed.delete(this.claimed.keys().next().value as string);
      return true;
    });
  }

  async release(messageIds: readonly string[]): Promise<void> {
    this.open();
    for (const id of messageIds) this.claimed.delete(id);
  }

  async readEvents(query: EventQuery = {}): Promise<EventPage> {
    this.open();
    const limit = query.limit ?? PAGE_DEFAULT;
    const page = this.data.page(query.userId, parseCursor(query.after), limit);
    const events = page.map((l) => this.form.readEvent(l.raw));
    return page.length ? { events, cursor: String(page[page.length - 1].seq) } : { events };
  }

  async ensureGroup(group: string, options?: GroupStart): Promise<void> {
    this.open();
    this.stream.ensureGroup(group, options);
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
    const profile = this.data.live(this.data.profiles, userId);
    const session = sessionId === undefined ? undefined : this.data.live(this.data.sessions.get(userId), sessionId);
    return {
      profile: profile ? this.form.readProfile(profile) : null,
      session: session ? this.form.readSession(session) : null,
      segments: (this.data.memberships.get(userId) ?? NO_SEGMENTS) as string[],
    };
  }

  async write(batch: WriteBatch): Promise<void> {
    this.open();
    const now = this.now();
    const d = this.data;
    for (const event of batch.events ?? []) {
      // `gone` is there from the start, so every entry keeps one shape (see ErasableLog).
      const logged: Logged = { seq: d.next(), at: now, userId: event.userId, raw: this.form.event(event), gone: false };
      d.append(logged);
      d.touch(event.userId);
    }
    const profileTtl = this.opts.profileTtlSeconds;
    for (const p of batch.profiles ?? []) {
      d.profiles.set(p.userId, { value: this.form.profile(p), expiresAt: profileTtl === undefined ? Infinity : now + profileTtl * 1000 });
      d.touch(p.userId);
    }
    for (const s of batch.sessions ?? []) {
      const mine = d.sessions.get(s.userId) ?? new Map<string, Expiring<HeldSession>>();
      mine.set(s.id, { value: this.form.session(s), expiresAt: now + this.opts.sessionTtlSeconds * 1000 });
      d.sessions.set(s.userId, mine);
      d.touch(s.userId);
    }
    for (const m of batch.memberships ?? []) {
      if (m.segments.length) d.memberships.set(m.userId, Object.freeze([...new Set(m.segments)].sort()));
      else d.memberships.delete(m.userId);
      d.touch(m.userId);
    }
    if (batch.counters) this.recomputable.count(batch.counters);
    if (batch.events?.length) this.stream.appended();
    d.enforceCaps(this.caps.maxUsers, this.caps.maxEvents);
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
    this.recomputable.cacheSet(key, value, ttlSeconds, userId);
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
    return this.data.exportUser(userId);
  }

  async eraseUser(userId: string): Promise<Erased> {
    this.open();
    const { data, cache } = this.data.erase(userId);
    return { removed: data + cache, data, cache };
  }

  async suppress(userIds: readonly string[]): Promise<void> {
    this.open();
    for (const id of userIds) this.data.suppressed.add(suppressionDigest(id));
  }

  async unsuppress(userIds: readonly string[]): Promise<void> {
    this.open();
    for (const id of userIds) this.data.suppressed.delete(suppressionDigest(id));
  }

  async isSuppressed(userIds: readonly string[]): Promise<boolean[]> {
    this.open();
    return userIds.map((id) => this.data.suppressed.has(suppressionDigest(id)));
  }

  async appendAudit(record: AuditFields): Promise<void> {
    this.open();
    this.data.audit.push({ seq: this.data.next(), raw: JSON.stringify(record) });
  }

  async readAudit(query: { after?: string; limit?: number } = {}): Promise<AuditPage> {
    this.open();
    const limit = query.limit ?? PAGE_DEFAULT;
    const page = pageAfter(this.data.audit, parseCursor(query.after), limit);
    const records = page.map((a) => JSON.parse(a.raw) as AuditFields);
    return page.length ? { records, cursor: String(page[page.length - 1].seq) } : { records };
  }

  async sweep(policy: RetentionPolicy): Promise<{ events: number; profiles: number }> {
    this.open();
    return this.data.sweep(policy);
  }

  async reencryptAll(): Promise<number> {
    this.open();
    return this.data.reencrypt();
  }

  /**
   * Everything held, in stored form, as one string: for tests that prove what a store keeps
   * at rest (no plaintext secrets, nothing left of an erased user). Not for production use.
   */
  rawDump(): string {
    return this.data.dump({ ...this.recomputable.dump(), claimed: this.claimed });
  }

  async ping(): Promise<void> {
    this.open();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stream.close();
  }

  private open(): void {
    if (this.closed) throw new ValidationError('store is closed');
  }
}

const NO_SEGMENTS: readonly string[] = Object.freeze([]);

/** The entry ids a memory store issues: its sequence numbers, as its cursors. */
const MEMORY_ID = /^\d{1,15}$/;

/** A cursor as the sequence number it is (its form was checked in front, see validated.ts). */
function parseCursor(after: string | undefined): number {
  return after === undefined ? 0 : Number(after);
}
