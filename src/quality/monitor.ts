import { boundedLabel } from '../observe/labels';
import { RATE_KINDS, type RateKind } from './config';
import type { QualityAlert } from './report';

/**
 * The data-quality monitor: per source, how many events arrived in a sliding window and how
 * many of them were missing a required field, duplicates (by messageId), near-duplicates,
 * in violation of the plan, fixed by a normalizer or unreadable. Each rate is a count over
 * the events of the window; a rate at or over its threshold alerts once, when it crosses,
 * and resolves once, when it falls well back (under {@link RESOLVE_RATIO} of it), so that a
 * bad source is one alert, not one per event.
 */

/** Counts to add for a source: events seen, and any of the rate kinds. */
export type Tally = { events?: number } & Partial<Record<RateKind, number>>;

/** The monitor's settings (see `MonitorSchema`). */
export interface MonitorSettings {
  windowMs: number;
  minEvents: number;
  thresholds: Partial<Record<RateKind, number>>;
}

/** One source's window, as the dashboard shows it. */
export interface SourceQuality {
  source: string;
  events: number;
  rates: Record<RateKind, number>;
  /** The kinds alerting now. */
  alerting: RateKind[];
}

interface Bucket {
  start: number;
  events: number;
  counts: Record<RateKind, number>;
}

/** Buckets per window: the window slides by a tenth of itself. */
const BUCKETS = 10;
/**
 * A firing rate resolves only once under this share of its threshold: a rate that hovers at
 * its threshold would otherwise fire and resolve with every few events.
 */
export const RESOLVE_RATIO = 0.8;
/** Sources kept apart at most; the rest are counted together as `other`. */
const MAX_SOURCES = 50;

const zeros = (): Record<RateKind, number> => Object.fromEntries(RATE_KINDS.map((k) => [k, 0])) as Record<RateKind, number>;

/**
 * Windowed data-quality rates per source, with threshold alerts.
 *
 * ```ts
 * const monitor = new QualityMonitor({ windowMs: 300_000, minEvents: 50, thresholds: { violation: 0.1 } }, Date.now, (a) => log.warn(a));
 * monitor.record('rest', { events: 100, violation: 12 }); // alerts: 12 % ≥ 10 %
 * ```
 */
export class QualityMonitor {
  private readonly sources = new Map<string, Bucket[]>();
  private readonly alerting = new Map<string, Set<RateKind>>();
  private readonly label = boundedLabel(MAX_SOURCES);

  constructor(
    private readonly settings: MonitorSettings,
    private readonly clock: () => number,
    private readonly onAlert: (alert: QualityAlert) => void = () => {},
  ) {}

  /** Adds counts for a source, then checks its rates against the thresholds. Returns its rates. */
  record(rawSource: string, tally: Tally): Record<RateKind, number> {
    const source = this.label(rawSource);
    const bucket = this.bucketFor(source);
    bucket.events += tally.events ?? 0;
    for (const k of RATE_KINDS) bucket.counts[k] += tally[k] ?? 0;
    const { events, rates } = this.window(source);
    this.checkThresholds(source, events, rates);
    return rates;
  }

  /** Every source's window now, the most active first. */
  snapshot(): SourceQuality[] {
    return [...this.sources.keys()]
      .map((source) => ({ source, ...this.window(source), alerting: [...(this.alerting.get(source) ?? [])] }))
      .filter((s) => s.events > 0 || s.alerting.length > 0)
      .sort((a, b) => b.events - a.events || a.source.localeCompare(b.source));
  }

  /** The configured thresholds. */
  get thresholds(): Readonly<Partial<Record<RateKind, number>>> {
    return this.settings.thresholds;
  }

  private bucketFor(source: string): Bucket {
    const width = this.settings.windowMs / BUCKETS;
    const start = Math.floor(this.clock() / width) * width;
    let list = this.sources.get(source);
    if (!list) this.sources.set(source, (list = []));
    const last = list[list.length - 1];
    if (last && last.start === start) return last;
    const b: Bucket = { start, events: 0, counts: zeros() };
    list.push(b);
    this.prune(list);
    return b;
  }

  private prune(list: Bucket[]): void {
    const oldest = this.clock() - this.settings.windowMs;
    while (list.length && list[0].start + this.settings.windowMs / BUCKETS <= oldest) list.shift();
  }

  private window(source: string): { events: number; rates: Record<RateKind, number> } {
    const list = this.sources.get(source) ?? [];
    this.prune(list);
    let events = 0;
    const counts = zeros();
    for (const b of list) {
      events += b.events;
      for (const k of RATE_KINDS) counts[k] += b.counts[k];
    }
    const rates = zeros();
    // A rate is at most 1: duplicates reported after their events may outrun them at a window's edge.
    for (const k of RATE_KINDS) rates[k] = events > 0 ? Math.min(1, counts[k] / events) : 0;
    return { events, rates };
  }

  private checkThresholds(source: string, events: number, rates: Record<RateKind, number>): void {
    let firing = this.alerting.get(source);
    for (const kind of RATE_KINDS) {
      const threshold = this.settings.thresholds[kind];
      if (threshold === undefined) continue;
      const was = firing?.has(kind) ?? false;
      const over = events >= this.settings.minEvents && rates[kind] >= (was ? threshold * RESOLVE_RATIO : threshold);
      if (over === was) continue;
      if (!firing) this.alerting.set(source, (firing = new Set()));
      if (over) firing.add(kind);
      else firing.delete(kind);
      this.onAlert({ source, kind, state: over ? 'firing' : 'resolved', rate: rates[kind], threshold, events });
    }
  }
}
