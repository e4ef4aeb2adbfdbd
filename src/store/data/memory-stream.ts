import type { AttuneEvent } from '../../core/event';
import { ValidationError } from '../../core/errors';
import type { Logged } from './memory-data';
import type { ErasableLog } from './memory-log';
import type { ClaimedEvent, GroupRead, GroupStart, PendingSummary, StaleClaim, StreamedEvent } from '../store';

/** One entry handed out and not acknowledged yet. */
interface Pending {
  /** The log entry itself: once erased or swept it is marked `gone`, and is never handed out again. */
  logged: Logged;
  consumer: string;
  /** When it was last handed out, by the store's clock. */
  at: number;
  deliveries: number;
}

/** A consumer group: how far it has handed out the log, and what is pending, in entry order. */
interface Group {
  last: number;
  pending: Map<number, Pending>;
}

/** What a {@link MemoryStream} reads the log with. */
export interface MemoryStreamContext {
  log: ErasableLog<Logged>;
  /** The highest sequence number issued so far (where a group made `from: 'end'` starts). */
  lastSeq(): number;
  now(): number;
  /** The event of an entry as the store holds it, decoded. */
  read(logged: Logged): AttuneEvent;
}

/**
 * The consumer groups of a {@link MemoryStore}'s event log, with the semantics of Redis Streams
 * consumer groups (see EventStream in store.ts): the global log is the stream, entry ids are
 * its sequence numbers (the cursors of `readEvents`), and idle times follow the store's
 * clock, so tests move time instead of waiting. Entries erased or swept are marked `gone` in
 * the log, which is how they are never handed out again; pending ones keep their id until
 * acknowledged or dropped by a claim, as Redis keeps an XDELeted id in its pending list.
 */
export class MemoryStream {
  private readonly groups = new Map<string, Group>();
  /** Reads blocked until an entry is appended (see {@link MemoryStream.appended}). */
  private waiters = new Set<() => void>();

  constructor(private readonly ctx: MemoryStreamContext) {}

  ensureGroup(group: string, options: GroupStart = {}): void {
    if (this.groups.has(group)) return;
    this.groups.set(group, { last: options.from === 'start' ? 0 : this.ctx.lastSeq(), pending: new Map() });
  }

  async readGroup(group: string, consumer: string, options: GroupRead): Promise<StreamedEvent[]> {
    const g = this.group(group);
    const first = this.take(g, consumer, options.count);
    if (first.length || options.blockMs === undefined) return first;
    await this.appendedWithin(options.blockMs);
    // The group may have been read by another consumer meanwhile: that one got those entries.
    return this.take(g, consumer, options.count);
  }

  ack(group: string, ids: readonly string[]): number {
    const g = this.groups.get(group);
    if (!g) return 0;
    let n = 0;
    for (const id of ids) if (g.pending.delete(Number(id))) n += 1;
    return n;
  }

  claimStale(group: string, consumer: string, options: StaleClaim): ClaimedEvent[] {
    const g = this.group(group);
    const now = this.ctx.now();
    const claimed: ClaimedEvent[] = [];
    // A Map iterates in insertion order, which is entry order: entries are pended as read.
    for (const [seq, p] of g.pending) {
      if (claimed.length >= options.count) break;
      if (now - p.at < options.minIdleMs) continue;
      // Erased or swept since it was handed out: dropped, as XAUTOCLAIM drops deleted entries.
      if (p.logged.gone) {
        g.pending.delete(seq);
        continue;
      }
      p.consumer = consumer;
      p.at = now;
      p.deliveries += 1;
      claimed.push({ id: String(seq), event: this.ctx.read(p.logged), deliveries: p.deliveries });
    }
    return claimed;
  }

  pending(group: string): PendingSummary {
    const g = this.group(group);
    const seqs = [...g.pending.keys()];
    const byConsumer = new Map<string, number>();
    for (const p of g.pending.values()) byConsumer.set(p.consumer, (byConsumer.get(p.consumer) ?? 0) + 1);
    const consumers = [...byConsumer].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, count]) => ({ name, count }));
    if (!seqs.length) return { count: 0, consumers };
    return { count: seqs.length, lowest: String(Math.min(...seqs)), highest: String(Math.max(...seqs)), consumers };
  }

  /** Wakes reads blocked for new entries; the store calls it after appending events. */
  appended(): void {
    if (!this.waiters.size) return;
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const wake of waiting) wake();
  }

  /** Wakes every blocked read (the store closes): they answer with what there is. */
  close(): void {
    this.appended();
  }

  private take(g: Group, consumer: string, count: number): StreamedEvent[] {
    const page = this.ctx.log.pageAfter(g.last, count);
    if (!page.length) return [];
    const at = this.ctx.now();
    g.last = page[page.length - 1].seq;
    for (const logged of page) g.pending.set(logged.seq, { logged, consumer, at, deliveries: 1 });
    return page.map((logged) => ({ id: String(logged.seq), event: this.ctx.read(logged) }));
  }

  private appendedWithin(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      // A blocked read must never be what keeps a process alive.
      timer.unref();
      this.waiters.add(wake);
    });
  }

  private group(name: string): Group {
    const g = this.groups.get(name);
    if (!g) throw new ValidationError(`no consumer group "${name}": call ensureGroup first`);
    return g;
  }
}
