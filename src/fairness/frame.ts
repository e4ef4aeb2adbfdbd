/**
 * A disaggregated view of any metric, after Fairlearn's `MetricFrame`: the metric over all
 * samples (`overall`), per group of one or more sensitive features (`byGroup`, the features'
 * values joined, so two features give intersectional groups), the smallest and largest group,
 * and the `difference` and `ratio` between groups and to overall, with percentile bootstrap
 * confidence intervals. A sample is whatever a metric reads: a user's result, a list, a row.
 */
import { ConfigError } from '../core/errors';
import { mulberry32 } from '../core/random';

/** A metric of a set of samples, e.g. mean nDCG of these users. */
export type SampleMetric<S> = (samples: readonly S[]) => number;

/** How a group comparison is made (Fairlearn's `method`). */
export type GapMethod = 'between_groups' | 'to_overall';

/** Percentile bootstrap settings. */
export interface BootstrapOptions {
  /** Resamples (Fairlearn's `n_boot`); 0 or absent for none. */
  samples: number;
  /** Lower and upper quantiles of the interval (default 2.5 % and 97.5 %). */
  quantiles?: readonly [number, number];
  /** Seed of the resampling. */
  seed?: number;
}

/** Options of {@link metricFrame}. */
export interface MetricFrameOptions<S> {
  /** The metrics, by name. */
  metrics: Readonly<Record<string, SampleMetric<S>>>;
  samples: readonly S[];
  /** Sensitive features, by name: a sample's value, or undefined to leave it out of every group. */
  features: Readonly<Record<string, (sample: S) => string | undefined>>;
  /** Groups smaller than this are reported but left out of min, max, difference and ratio (default 1). */
  minGroupSize?: number;
  bootstrap?: BootstrapOptions;
}

/** A low–high interval. */
export type Interval = readonly [number, number];

/** One group's figures. */
export interface GroupFigures {
  /** Samples in the group. */
  size: number;
  values: Record<string, number>;
  /** Bootstrap interval of each metric, when asked for. */
  ci?: Record<string, Interval>;
}

/** The gaps of one metric. */
export interface MetricGaps {
  /** Smallest and largest group value, with the groups that hold them. */
  min: { group: string; value: number };
  max: { group: string; value: number };
  /** max − min (between groups) and the largest |group − overall| (to overall). */
  difference: Record<GapMethod, number>;
  /** min / max (between groups) and the smallest min(group/overall, overall/group) (to overall). */
  ratio: Record<GapMethod, number>;
  /** Bootstrap intervals of the between-groups difference and ratio, when asked for. */
  ci?: { difference: Interval; ratio: Interval };
}

/** What {@link metricFrame} measured; plain data, ready for JSON. */
export interface MetricFrame {
  /** The feature names, in the order group keys join them. */
  features: string[];
  overall: Record<string, number>;
  /** Per group key (`F` or `F, 25-34` for two features), sorted by key. */
  byGroup: Record<string, GroupFigures>;
  /** Per metric, over the groups with at least `minGroupSize` samples; absent with fewer than two such groups. */
  gaps: Record<string, MetricGaps>;
}

/**
 * Breaks `metrics` down by the sensitive `features`.
 *
 * ```ts
 * const frame = metricFrame({
 *   samples: result.perUser,
 *   metrics: { ndcg: (us) => mean(us.map((u) => u.metrics.ndcg)) },
 *   features: { gender: (u) => users.get(u.user)?.gender },
 *   bootstrap: { samples: 200, seed: 7 },
 * });
 * frame.gaps.ndcg.difference.between_groups;
 * ```
 */
export function metricFrame<S>(options: MetricFrameOptions<S>): MetricFrame {
  const features = Object.keys(options.features);
  if (!features.length) throw new ConfigError('metricFrame needs at least one sensitive feature');
  const names = Object.keys(options.metrics);
  const keyOf = (s: S): string | undefined => {
    const parts: string[] = [];
    for (const f of features) {
      const v = options.features[f](s);
      if (v === undefined) return undefined;
      parts.push(v);
    }
    return parts.join(', ');
  };
  const minSize = options.minGroupSize ?? 1;
  const point = measure(options.samples, options.metrics, keyOf);
  const byGroup: Record<string, GroupFigures> = {};
  for (const [key, group] of point.groups) byGroup[key] = { size: group.size, values: group.values };
  const gaps: Record<string, MetricGaps> = {};
  const eligible = [...point.groups].filter(([, g]) => g.size >= minSize);
  for (const name of names) {
    const g = gapsOf(eligible.map(([key, group]) => [key, group.values[name]]), point.overall[name]);
    if (g) gaps[name] = g;
  }

  const boot = options.bootstrap;
  if (boot && boot.samples > 0) {
    const [lo, hi] = boot.quantiles ?? [0.025, 0.975];
    const rng = mulberry32(boot.seed ?? 0);
    const draws = new Map<string, Map<string, number[]>>();
    const gapDraws = new Map<string, { difference: number[]; ratio: number[] }>();
    const push = (key: string, name: string, v: number) => {
      let perName = draws.get(key);
      if (!perName) draws.set(key, (perName = new Map()));
      const list = perName.get(name);
      if (list) list.push(v);
      else perName.set(name, [v]);
    };
    const n = options.samples.length;
    for (let b = 0; b < boot.samples; b++) {
      const resample = Array.from({ length: n }, () => options.samples[Math.floor(rng() * n)]);
      const m = measure(resample, options.metrics, keyOf);
      for (const [key, group] of m.groups) for (const name of names) push(key, name, group.values[name]);
      const ok = [...m.groups].filter(([key, g]) => g.size >= minSize && eligible.some(([k]) => k === key));
      for (const name of names) {
        const g = gapsOf(ok.map(([key, group]) => [key, group.values[name]]), m.overall[name]);
        if (!g) continue;
        let d = gapDraws.get(name);
        if (!d) gapDraws.set(name, (d = { difference: [], ratio: [] }));
        d.difference.push(g.difference.between_groups);
        d.ratio.push(g.ratio.between_groups);
      }
    }
    for (const [key, figures] of Object.entries(byGroup)) {
      const perName = draws.get(key);
      if (!perName) continue;
      figures.ci = {};
      for (const [name, list] of perName) figures.ci[name] = [quantile(list, lo), quantile(list, hi)];
    }
    for (const [name, d] of gapDraws) {
      const g = gaps[name];
      if (g) g.ci = { difference: [quantile(d.difference, lo), quantile(d.difference, hi)], ratio: [quantile(d.ratio, lo), quantile(d.ratio, hi)] };
    }
  }
  return { features, overall: point.overall, byGroup, gaps };
}

/** Overall and per-group values of every metric over one set of samples. */
function measure<S>(
  samples: readonly S[],
  metrics: Readonly<Record<string, SampleMetric<S>>>,
  keyOf: (s: S) => string | undefined,
): { overall: Record<string, number>; groups: Map<string, { size: number; values: Record<string, number> }> } {
  const members = new Map<string, S[]>();
  for (const s of samples) {
    const key = keyOf(s);
    if (key === undefined) continue;
    const list = members.get(key);
    if (list) list.push(s);
    else members.set(key, [s]);
  }
  const values = (of: readonly S[]) => Object.fromEntries(Object.entries(metrics).map(([name, f]) => [name, f(of)]));
  const groups = new Map<string, { size: number; values: Record<string, number> }>();
  for (const [key, list] of [...members].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    groups.set(key, { size: list.length, values: values(list) });
  }
  return { overall: values(samples), groups };
}

/**
 * Min, max, difference and ratio of one metric over groups (Fairlearn's definitions); undefined
 * with fewer than two groups. A ratio with a zero denominator is 0 when the numerator is not 0,
 * 1 when both are (equal groups are at parity).
 */
export function gapsOf(values: readonly (readonly [string, number])[], overall: number): MetricGaps | undefined {
  if (values.length < 2) return undefined;
  let min = values[0];
  let max = values[0];
  for (const v of values) {
    if (v[1] < min[1]) min = v;
    if (v[1] > max[1]) max = v;
  }
  const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? 1 : 0) : a / b);
  let toOverall = 0;
  let ratioToOverall = 1;
  for (const [, v] of values) {
    toOverall = Math.max(toOverall, Math.abs(v - overall));
    ratioToOverall = Math.min(ratioToOverall, Math.min(ratio(v, overall), ratio(overall, v)));
  }
  return {
    min: { group: min[0], value: min[1] },
    max: { group: max[0], value: max[1] },
    difference: { between_groups: max[1] - min[1], to_overall: toOverall },
    ratio: { between_groups: ratio(min[1], max[1]), to_overall: ratioToOverall },
  };
}

/** The q-quantile of `values` with linear interpolation (numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The mean of `value` over samples (0 for none): the usual metric of per-user results.
 *
 * ```ts
 * metrics: { ndcg: meanOf((u: UserResult) => u.metrics.ndcg) }
 * ```
 */
export function meanOf<S>(value: (s: S) => number): SampleMetric<S> {
  return (samples) => (samples.length ? samples.reduce((s, x) => s + value(x), 0) / samples.length : 0);
}
