import type { Clock } from '../../../src/core/clock';
import { AttuneEvents } from '../../../src/core/ecommerce';
import type { AttuneEvent, EventType } from '../../../src/core/event';
import type { EventLog } from '../../../src/store/store';

/** Options of {@link EventWindow}. */
export interface EventWindowOptions {
  /** Width of one bucket (default one minute). */
  bucketMs?: number;
  /** How many buckets the window holds, the current one included (default 60: the last hour). */
  buckets?: number;
  /** Events read per call to the log (default 1000). */
  pageSize?: number;
  /** Pages read at most per refresh (default 20), so one refresh costs a bounded amount of work. */
  maxPages?: number;
}

/** The event types, in the order the page shows them. */
export const EVENT_TYPES: readonly EventType[] = ['track', 'identify', 'page', 'screen', 'alias', 'group'];

/** What the window holds, as the panels read it. */
export interface EventWindowView {
  /** Bucket starts (epoch ms), oldest first, the current bucket last. */
  x: number[];
  /** Events per bucket, by type. */
  byType: Record<EventType, number[]>;
  /** `Segment Entered` and `Segment Exited` events over the window, by segment id. */
  segments: Map<string, { entered: number; exited: number }>;
  /**
   * False while the reader is still catching up on an older log: a refresh reads a bounded
   * number of pages, so a long log is read over several refreshes before the counts are whole.
   */
  complete: boolean;
}

interface Bucket {
  byType: Map<EventType, number>;
  entered: Map<string, number>;
  exited: Map<string, number>;
}

/**
 * Events over time, counted from the event log by when Attune received them (a client sets
 * an event's own timestamp to anything; receipt follows the log's order). The log has no
 * "latest first" read, so the window tails it instead: each refresh reads on from where the
 * last stopped, at most `maxPages` pages, and drops buckets that fell out of the window. The
 * counts are aggregates: an erasure after an event was counted leaves its count, which names
 * nobody.
 *
 * ```ts
 * const window = new EventWindow(store, Date.now);
 * await window.refresh();
 * window.view().byType.track; // events per minute over the last hour
 * ```
 */
export class EventWindow {
  private readonly bucketMs: number;
  private readonly buckets: number;
  private readonly pageSize: number;
  private readonly maxPages: number;
  private readonly held = new Map<number, Bucket>();
  private cursor: string | undefined;
  private complete = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly log: Pick<EventLog, 'readEvents'>,
    private readonly clock: Clock,
    options: EventWindowOptions = {},
  ) {
    this.bucketMs = options.bucketMs ?? 60_000;
    this.buckets = options.buckets ?? 60;
    this.pageSize = options.pageSize ?? 1000;
    this.maxPages = options.maxPages ?? 20;
  }

  /** Reads what the log gained since the last refresh (bounded); concurrent callers share one read. */
  refresh(): Promise<void> {
    this.running ??= this.readOn().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** The window as it stands, every bucket present (zeros where nothing arrived). */
  view(): EventWindowView {
    const first = this.firstBucket();
    const x = Array.from({ length: this.buckets }, (_, i) => first + i * this.bucketMs);
    const byType = Object.fromEntries(EVENT_TYPES.map((t) => [t, x.map((at) => this.held.get(at)?.byType.get(t) ?? 0)])) as Record<EventType, number[]>;
    const segments = new Map<string, { entered: number; exited: number }>();
    for (const at of x) {
      const b = this.held.get(at);
      if (!b) continue;
      for (const [s, n] of b.entered) flow(segments, s).entered += n;
      for (const [s, n] of b.exited) flow(segments, s).exited += n;
    }
    return { x, byType, segments, complete: this.complete };
  }

  private async readOn(): Promise<void> {
    for (let page = 0; page < this.maxPages; page++) {
      const { events, cursor } = await this.log.readEvents({ after: this.cursor, limit: this.pageSize });
      const from = this.firstBucket();
      for (const e of events) this.count(e, from);
      if (cursor !== undefined) this.cursor = cursor;
      if (events.length < this.pageSize) {
        this.complete = true;
        break;
      }
      this.complete = false;
    }
    const from = this.firstBucket();
    for (const at of this.held.keys()) if (at < from) this.held.delete(at);
  }

  private count(e: AttuneEvent, from: number): void {
    const t = Date.parse(e.receivedAt);
    if (!Number.isFinite(t)) return;
    const at = t - (t % this.bucketMs);
    if (at < from) return;
    let b = this.held.get(at);
    if (!b) this.held.set(at, (b = { byType: new Map(), entered: new Map(), exited: new Map() }));
    b.byType.set(e.type, (b.byType.get(e.type) ?? 0) + 1);
    const segment = e.properties.segment;
    if (e.type !== 'track' || typeof segment !== 'string') return;
    if (e.event === AttuneEvents.SegmentEntered) b.entered.set(segment, (b.entered.get(segment) ?? 0) + 1);
    else if (e.event === AttuneEvents.SegmentExited) b.exited.set(segment, (b.exited.get(segment) ?? 0) + 1);
  }

  /** The start of the oldest bucket in the window now. */
  private firstBucket(): number {
    const now = this.clock();
    return now - (now % this.bucketMs) - (this.buckets - 1) * this.bucketMs;
  }
}

function flow(map: Map<string, { entered: number; exited: number }>, segment: string): { entered: number; exited: number } {
  let f = map.get(segment);
  if (!f) map.set(segment, (f = { entered: 0, exited: 0 }));
  return f;
}
