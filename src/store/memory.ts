import { ValidationError } from '../core/errors';
import { MemoryCacheSide } from './cache/memory-side';
import { type Expiring, MemoryData } from './data/memory-data';
import { CompactHolding, type HeldSession, type Holding, LiveHolding } from './data/memory-holding';
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
 * holds here too, each value one string in compact form (see {@link CompactHolding}); without
 * one it holds the values themselves, frozen, so a turn pays no serializing (see
 * {@link Holding}). {@link MemoryStore.rawDump} shows what it holds, in stored form.
 *
 * Unlike Redis it bounds itself (option `caps` or `ATTUNE_MEMORY_*`, see {@link MemoryCaps}):
 * past its caps, the users inactive longest (whole), the oldest log entries and the oldest
 * claims go first; claims past the de-duplication window go as new ones come in. It is for
 * development and single-process use: nothing survives a restart, and two processes do not
 * share it.
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
  /**
   * Claimed message ids and when each claim expires, in milliseconds since the store opened
   * (a small integer, held in the map itself, for 24 days). Oldest first: every claim lasts the
   * same window, so the expired ones are a head of the map, dropped as claims come in.
   */
  private readonly claimed = new Map<string, number>();
  /** The clock when the store opened (see {@link MemoryStore.claimed}). */
  private readonly epoch: number;
  private readonly caps: Required<MemoryCaps>;
  private closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.opts = storeLimits(options);
    this.caps = memoryCaps(options.caps);
    this.now = options.clock ?? Date.now;
    this.epoch = this.now();
    this.form = options.cipher ? new CompactHolding(new StoredForm(options.cipher)) : new LiveHolding();
    this.recomputable = new MemoryCacheSide(this.now);
    this.data = new MemoryData(this.now, this.form, this.opts.maxEventsPerUser, this.recomputable);
    const { data, form } = this;
    this.stream = new MemoryStream({ log: data.log, lastSeq: () => data.lastSeq(), now: this.now, read: (l) => form.readEvent(l.raw, l.userId) });
    // Arguments are checked in front of every method, the same way for every back end.
    validated(this, MEMORY_ID);
  }

  async claim(messageIds: readonly string[]): Promise<boolean[]> {
    this.open();
    const now = this.now() - this.epoch;
    const { claimed } = this;
    // Claims past the window are forgotten first, so the map holds at most a window's worth.
    for (const [id, until] of claimed) {
      if (until > now) break;
      claimed.delete(id);
    }
    return messageIds.map((id) => {
      const until = claimed.get(id);
      if (until !== undefined && until > now) return false;
      // Re-inserted, so the map stays oldest first and the cap forgets the oldest claims.
      claimed.delete(id);
      claimed.set(id, now + this.opts.dedupTtlSeconds * 1000);
      if (claimed.size > this.caps.maxClaims) claimed.delete(claimed.keys().next().value as string);
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
    const events = page.map((l) => this.form.readEvent(l.raw, l.userId));
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
    const record = this.data.users.get(userId);
    const profile = this.data.liveProfile(record);
    const session = sessionId === undefined ? undefined : this.data.live(record?.sessions, sessionId);
    return {
      profile: profile ? this.form.readProfile(profile, userId) : null,
      session: session ? this.form.readSession(session, userId) : null,
      segments: (record?.segments ?? NO_SEGMENTS) as string[],
    };
  }

  async write(batch: WriteBatch): Promise<void> {
    this.open();
    const now = this.now();
    const d = this.data;
    const at = d.at();
    for (const event of batch.events ?? []) d.append(d.touch(event.userId), this.form.event(event), at);
    const profileTtl = this.opts.profileTtlSeconds;
    for (const p of batch.profiles ?? []) {
      d.touch(p.userId).profile = { value: this.form.profile(p), expiresAt: profileTtl === undefined ? Infinity : now + profileTtl * 1000 };
    }
    for (const s of batch.sessions ?? []) {
      const record = d.touch(s.userId);
      const mine = record.sessions ?? new Map<string, Expiring<HeldSession>>();
      mine.set(s.id, { value: this.form.session(s), expiresAt: now + this.opts.sessionTtlSeconds * 1000 });
      record.sessions = mine;
    }
    for (const m of batch.memberships ?? []) d.setSegments(d.touch(m.userId), m.segments);
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
