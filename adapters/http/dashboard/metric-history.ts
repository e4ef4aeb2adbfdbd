import type { Registry } from 'prom-client';
import type { Clock } from '../../../src/core/clock';
import { counterBy } from './metric-reader';

/** One counter the history follows: its name, and the label it is split by (none: one series). */
export interface TrackedCounter {
  name: string;
  by?: string;
}

/** Options of {@link MetricHistory}. */
export interface MetricHistoryOptions {
  /** Time between samples (default 15 s): a refresh of the page samples too once this much passed. */
  everyMs?: number;
  /** Samples kept (default 240: an hour at 15 s); the oldest goes first. */
  keep?: number;
  clock: Clock;
}

interface Sample {
  t: number;
  /** Counter name → label value → value. */
  values: Map<string, Map<string, number>>;
}

/** A counter's increase between consecutive samples, per label value. */
export interface CounterHistory {
  /** When each interval ended (epoch ms), oldest first. */
  x: number[];
  series: { label: string; values: number[] }[];
}

/**
 * Prometheus counters only ever grow, and the Registry holds their value now; "over time"
 * needs the values of before. This samples the counters it follows into a ring of a fixed
 * size, on a timer that never keeps the process alive, and tells their increase per interval.
 * Sampling starts with {@link MetricHistory.start} (the dashboard's first use), so a server
 * whose dashboard is never opened runs no timer.
 *
 * ```ts
 * const history = new MetricHistory(registry, [{ name: 'attune_turns_total', by: 'outcome' }], { clock: Date.now });
 * history.start();
 * history.increase('attune_turns_total');
 * history.close();
 * ```
 */
export class MetricHistory {
  private readonly everyMs: number;
  private readonly keep: number;
  private readonly ring: Sample[] = [];
  /** Where the next sample goes once the ring is full (the oldest one's place). */
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly counters: readonly TrackedCounter[],
    private readonly options: MetricHistoryOptions,
  ) {
    this.everyMs = options.everyMs ?? 15_000;
    this.keep = Math.max(2, options.keep ?? 240);
  }

  /** Takes a first sample and samples on a timer from then on (once; later calls do nothing). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.everyMs);
    this.timer.unref();
    void this.refresh().catch(() => undefined);
  }

  /** Samples when the latest sample is at least `everyMs` old (by the clock), or none was taken. */
  refresh(): Promise<void> {
    const last = this.latest();
    if (last && this.options.clock() - last.t < this.everyMs) return this.sampling ?? Promise.resolve();
    this.sampling ??= this.sample().finally(() => {
      this.sampling = undefined;
    });
    return this.sampling;
  }

  /** How a counter grew between consecutive samples, per label value (a reset counts from zero). */
  increase(name: string): CounterHistory {
    const samples = this.ordered();
    const labels = new Set<string>();
    for (const s of samples) for (const label of s.values.get(name)?.keys() ?? []) labels.add(label);
    const x = samples.slice(1).map((s) => s.t);
    const series = [...labels].sort().map((label) => ({
      label,
      values: samples.slice(1).map((s, i) => {
        const now = s.values.get(name)?.get(label) ?? 0;
        const before = samples[i].values.get(name)?.get(label) ?? 0;
        // A counter only falls when its process restarted or the registry was reset.
        return now >= before ? now - before : now;
      }),
    }));
    return { x, series };
  }

  /** Stops sampling. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async sample(): Promise<void> {
    const t = this.options.clock();
    const values = new Map<string, Map<string, number>>();
    for (const c of this.counters) values.set(c.name, await counterBy(this.registry, c.name, c.by));
    const s: Sample = { t, values };
    if (this.ring.length < this.keep) this.ring.push(s);
    else {
      this.ring[this.next] = s;
      this.next = (this.next + 1) % this.keep;
    }
  }

  private latest(): Sample | undefined {
    if (!this.ring.length) return undefined;
    return this.ring.length < this.keep ? this.ring[this.ring.length - 1] : this.ring[(this.next + this.keep - 1) % this.keep];
  }

  private ordered(): Sample[] {
    return this.ring.length < this.keep ? [...this.ring] : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
  }
}
