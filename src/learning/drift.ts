/**
 * Drift between two model versions, pure: how the distribution of the scores they serve moved
 * (summary statistics and the two-sample Kolmogorov–Smirnov distance), how much their top-k
 * lists for the same users overlap, and how each metric changed.
 */

/** Summary of a sample of scores. */
export interface ScoreSummary {
  count: number;
  mean: number;
  sd: number;
  p10: number;
  p50: number;
  p90: number;
}

/** What changed from one version to the next. */
export interface DriftReport {
  before: ScoreSummary;
  after: ScoreSummary;
  /** Kolmogorov–Smirnov distance of the two score samples, in [0, 1] (scales differ between model kinds). */
  ks: number;
  /** Mean Jaccard overlap of the two versions' top-k lists for the same users, in [0, 1]. */
  overlap: number;
  /** Metric → after − before. */
  metrics: Record<string, number>;
}

function quantile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return 0;
  // Linear interpolation between order statistics (numpy's default).
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Mean, sample standard deviation and quantiles of a sample.
 *
 * ```ts
 * summarize([1, 2, 3]); // { count: 3, mean: 2, sd: 1, p10: 1.2, p50: 2, p90: 2.8 }
 * ```
 */
export function summarize(values: readonly number[]): ScoreSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = n ? sorted.reduce((s, v) => s + v, 0) / n : 0;
  const sd = n > 1 ? Math.sqrt(sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { count: n, mean, sd, p10: quantile(sorted, 0.1), p50: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}

/**
 * The two-sample Kolmogorov–Smirnov statistic: the largest gap between the samples'
 * empirical distribution functions (0 for identical samples, 1 for disjoint ones).
 */
export function ksDistance(a: readonly number[], b: readonly number[]): number {
  if (!a.length || !b.length) return a.length === b.length ? 0 : 1;
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] <= v) i++;
    while (j < y.length && y[j] <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/** Jaccard overlap of two lists as sets (1 for two empty lists). */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  const sa = new Set(a);
  const union = new Set([...a, ...b]);
  if (!union.size) return 1;
  let both = 0;
  for (const x of new Set(b)) if (sa.has(x)) both++;
  return both / union.size;
}

/** The two versions' served lists for the same users, with their scores. */
export interface ServedLists {
  before: readonly { item: string; score: number }[][];
  after: readonly { item: string; score: number }[][];
}

/**
 * Drift from `before` to `after`: score distributions, list overlap (lists are paired by
 * position, one per user) and metric deltas.
 */
export function drift(lists: ServedLists, metricsBefore: Readonly<Record<string, number>>, metricsAfter: Readonly<Record<string, number>>): DriftReport {
  const scores = (l: ServedLists['before']): number[] => l.flatMap((list) => list.map((s) => s.score)).filter(Number.isFinite);
  const pairs = Math.min(lists.before.length, lists.after.length);
  let overlap = 0;
  for (let u = 0; u < pairs; u++) overlap += jaccard(lists.before[u].map((s) => s.item), lists.after[u].map((s) => s.item));
  const metrics: Record<string, number> = {};
  for (const key of Object.keys(metricsAfter)) if (key in metricsBefore) metrics[key] = metricsAfter[key] - metricsBefore[key];
  const a = scores(lists.before);
  const b = scores(lists.after);
  return { before: summarize(a), after: summarize(b), ks: ksDistance(a, b), overlap: pairs ? overlap / pairs : 1, metrics };
}
