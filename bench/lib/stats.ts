/** Latency summary of one run, in milliseconds. */
export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array (`q` in 0..1). */
export function percentile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/**
 * Mean, p50, p99 and max of per-turn latencies given in nanoseconds. `extraNanos` is work the
 * turns caused outside their own timing (draining writes left in flight): the mean counts it,
 * spread over the turns; the percentiles, which describe single turns, do not.
 */
export function summarize(nanos: readonly bigint[], extraNanos = 0n): Summary {
  const ms = Float64Array.from(nanos, (v) => Number(v) / 1e6).sort();
  let sum = Number(extraNanos) / 1e6;
  for (const v of ms) sum += v;
  return { n: ms.length, mean: sum / ms.length, p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), max: ms[ms.length - 1] ?? Number.NaN };
}

/** Median of a few numbers (the rounds of one configuration). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
