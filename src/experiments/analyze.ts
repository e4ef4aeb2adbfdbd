/**
 * One call from user-level rows to an experiment's results: per-variant summaries, each variant
 * against the baseline (absolute and relative differences with intervals, p-value, chance to
 * win) and the sample-ratio check. The CLI and the server wrap this; they parse and validate the
 * file or request, this checks only what the statistics need.
 */

import { ValidationError, type Issue } from '../core/errors';
import { bayesianEffect } from './stats/bayesian';
import { benjaminiHochberg, holm } from './stats/corrections';
import { cupedAdjust } from './stats/cuped';
import { relativeLiftEstimate, ratioMoments } from './stats/delta';
import { testEstimate, type Estimate, type Interval, type TestResult } from './stats/estimate';
import { moments, pairedMoments, proportionMoments, type Moments } from './stats/moments';
import { twoProportionZTest } from './stats/proportions';
import { sequentialTest, DEFAULT_SEQUENTIAL_TUNING } from './stats/sequential';
import { srmCheck } from './stats/srm';
import { welchDf, welchEstimate } from './stats/welch';

/** A user's value of a binomial (0 or 1) or mean metric, with an optional pre-exposure covariate for CUPED. */
export interface ValueRow {
  variant: string;
  value: number;
  pre?: number;
}

/** A user's numerator and denominator of a ratio metric (revenue and sessions, say). */
export interface RatioRow {
  variant: string;
  numerator: number;
  denominator: number;
}

/** Metric kinds: conversions, means of a per-user value, and ratios of per-user sums. */
export type MetricKind = 'binomial' | 'mean' | 'ratio';

/** Options of `analyze`. */
export interface AnalyzeOptions<M extends MetricKind = MetricKind> {
  metric: M;
  /** Significance level. 0.05 by default. */
  alpha?: number;
  /** The variant the others are compared with; the first variant in the rows by default. */
  baseline?: string;
  /** Planned traffic share of each variant, for the SRM check; equal by default. */
  weights?: Readonly<Record<string, number>>;
  /** Correction of the p-values over the comparisons. Holm by default (a no-op for one comparison). */
  correction?: 'holm' | 'bh' | 'none';
  /**
   * Always-valid intervals and p-values, for results read before the planned end. `true` tunes
   * the sequence for 5,000 users; `{ tuning }` for another expected sample size.
   */
  sequential?: boolean | { tuning: number };
  /** Adjust mean metrics by `pre` (CUPED). On by default when every row has a `pre`. */
  cuped?: boolean;
}

/** A variant's summary: for a ratio metric `mean` is the ratio and `variance / n` its squared standard error. */
export interface VariantSummary {
  id: string;
  n: number;
  mean: number;
  variance: number;
}

/** A variant against the baseline. */
export interface Comparison {
  variant: string;
  baseline: string;
  /** variant − baseline, and its confidence interval. */
  absDiff: number;
  absCi: Interval;
  /** variant / baseline − 1, and its delta-method interval. */
  relLift: number;
  relCi: Interval;
  /** Two-sided p-value of the absolute difference, and after the correction. */
  pValue: number;
  adjustedPValue: number;
  /** P(variant better than baseline), flat prior. */
  chanceToWin: number;
}

/** Results of `analyze`. */
export interface Analysis {
  metric: MetricKind;
  alpha: number;
  variants: VariantSummary[];
  comparisons: Comparison[];
  srm: { pValue: number; ok: boolean };
  /** The CUPED slope, when the adjustment was applied. */
  cuped?: { theta: number };
  sequential: boolean;
}

const MAX_ISSUES = 10;
// Bound once: checked on every row, and a global lookup is slow under a vm context (Jest).
const finite = Number.isFinite;

/**
 * Analyzes user-level rows of one metric.
 *
 * ```ts
 * const rows = [{ variant: 'control', value: 0 }, { variant: 'friendly', value: 1 }, …];
 * const r = analyze(rows, { metric: 'binomial', baseline: 'control' });
 * r.comparisons[0]; // { variant: 'friendly', absDiff, absCi, relLift, relCi, pValue, chanceToWin, … }
 * r.srm.ok;         // false: do not read the results, assignment or logging is broken
 * ```
 */
export function analyze(rows: readonly ValueRow[], options: AnalyzeOptions<'binomial' | 'mean'>): Analysis;
export function analyze(rows: readonly RatioRow[], options: AnalyzeOptions<'ratio'>): Analysis;
export function analyze(rows: readonly (ValueRow | RatioRow)[], options: AnalyzeOptions): Analysis {
  const { metric, alpha = 0.05, correction = 'holm' } = options;
  if (!(alpha > 0 && alpha < 1)) throw new ValidationError('invalid options', [{ path: ['alpha'], message: `must be in (0, 1), got ${alpha}` }]);
  const groups = groupRows(rows, metric);
  const ids = [...groups.keys()];
  const baseline = options.baseline ?? ids[0];
  checkGroups(groups, baseline, metric, options);
  const columns = ids.map((id) => groups.get(id) as Group);

  const summaries = columns.map((g) => summarize(g, metric));
  const useCuped = metric === 'mean' && (options.cuped ?? columns.every((g) => g.hasPre));
  const cuped = useCuped ? cupedAdjust(columns.map((g) => pairedMoments(g.pre, g.a))) : undefined;
  const tested = cuped ? cuped.adjusted : summaries;

  const tuning = options.sequential === true ? DEFAULT_SEQUENTIAL_TUNING : options.sequential ? options.sequential.tuning : undefined;
  const test = (e: Estimate, n: number): TestResult =>
    tuning === undefined ? testEstimate(e, { alpha }) : sequentialTest(e, n, { alpha, tuning });
  const absolute = (b: number, i: number): TestResult => {
    // The fixed-horizon conversion test keeps its pooled error; every interval uses the unpooled one.
    if (metric === 'binomial' && tuning === undefined) return twoProportionZTest(conversions(columns[b]), conversions(columns[i]), { alpha });
    const [c, t] = [tested[b], tested[i]];
    const e = metric === 'mean' ? welchEstimate(c, t) : { estimate: t.mean - c.mean, se: Math.sqrt(c.variance / c.n + t.variance / t.n), df: Infinity };
    return test(e, c.n + t.n);
  };

  const b = ids.indexOf(baseline);
  const tests = ids.flatMap((id, i) => {
    if (i === b) return [];
    const [c, t] = [tested[b], tested[i]];
    const rel = test(relativeLiftEstimate(c, t, metric === 'mean' ? welchDf(c, t) : Infinity), c.n + t.n);
    return [{ variant: id, abs: absolute(b, i), rel }];
  });
  const pValues = tests.map((c) => c.abs.pValue);
  const adjusted = correction === 'holm' ? holm(pValues) : correction === 'bh' ? benjaminiHochberg(pValues) : pValues;
  const { weights } = options;
  const srm = srmCheck(summaries.map((s) => s.n), weights ? ids.map((id) => weights[id]) : undefined);

  return {
    metric,
    alpha,
    variants: ids.map((id, i) => ({ id, ...summaries[i] })),
    comparisons: tests.map((c, i) => ({
      variant: c.variant,
      baseline,
      absDiff: c.abs.estimate,
      absCi: c.abs.ci,
      relLift: c.rel.estimate,
      relCi: c.rel.ci,
      pValue: c.abs.pValue,
      adjustedPValue: adjusted[i],
      chanceToWin: bayesianEffect(c.abs).chanceToWin,
    })),
    srm: { pValue: srm.pValue, ok: srm.ok },
    ...(cuped ? { cuped: { theta: cuped.theta } } : {}),
    sequential: tuning !== undefined,
  };
}

/** One variant's columns: `a` is the value or numerator, `d` the denominator, `pre` the covariate. */
interface Group {
  a: number[];
  d: number[];
  pre: number[];
  hasPre: boolean;
}

function conversions(g: Group): { successes: number; trials: number } {
  let successes = 0;
  for (const v of g.a) successes += v;
  return { successes, trials: g.a.length };
}

function summarize(g: Group, metric: MetricKind): Moments {
  if (metric === 'binomial') return proportionMoments(conversions(g).successes, g.a.length);
  if (metric === 'mean') return moments(g.a);
  return ratioMoments(pairedMoments(g.a, g.d));
}

function groupRows(rows: readonly (ValueRow | RatioRow)[], metric: MetricKind): Map<string, Group> {
  const groups = new Map<string, Group>();
  const issues: Issue[] = [];
  const bad = (path: (string | number)[], message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ path, message });
  };
  rows.forEach((row, i) => {
    if (typeof row.variant !== 'string' || row.variant === '') return bad([i, 'variant'], 'must be a non-empty string');
    let g = groups.get(row.variant);
    if (!g) {
      g = { a: [], d: [], pre: [], hasPre: true };
      groups.set(row.variant, g);
    }
    if (metric === 'ratio') {
      const { numerator, denominator } = row as RatioRow;
      if (!finite(numerator)) return bad([i, 'numerator'], 'must be a finite number');
      if (!finite(denominator)) return bad([i, 'denominator'], 'must be a finite number');
      g.a.push(numerator);
      g.d.push(denominator);
      return;
    }
    const { value, pre } = row as ValueRow;
    if (!finite(value)) return bad([i, 'value'], 'must be a finite number');
    if (metric === 'binomial' && value !== 0 && value !== 1) return bad([i, 'value'], `a binomial metric takes 0 or 1, got ${value}`);
    if (pre !== undefined && !finite(pre)) return bad([i, 'pre'], 'must be a finite number when present');
    g.a.push(value);
    if (pre === undefined) g.hasPre = false;
    else g.pre.push(pre);
  });
  if (issues.length) throw new ValidationError('invalid experiment rows', issues);
  return groups;
}

function checkGroups(groups: Map<string, Group>, baseline: string, metric: MetricKind, options: AnalyzeOptions): void {
  const { weights } = options;
  const issues: Issue[] = [];
  if (options.cuped && metric !== 'mean') issues.push({ path: ['cuped'], message: 'CUPED applies to mean metrics only' });
  if (options.cuped && [...groups.values()].some((g) => !g.hasPre)) issues.push({ path: ['cuped'], message: 'CUPED needs a pre value on every row' });
  if (groups.size < 2) issues.push({ path: ['variant'], message: `at least two variants are needed, got ${groups.size}` });
  if (!groups.has(baseline)) issues.push({ path: ['baseline'], message: `no rows for the baseline ${JSON.stringify(baseline)}` });
  for (const [id, g] of groups) {
    if (g.a.length < 2) issues.push({ path: ['variant', id], message: `at least two users per variant are needed, got ${g.a.length}` });
    if (metric === 'ratio' && g.d.reduce((s, x) => s + x, 0) === 0) issues.push({ path: ['variant', id], message: 'the denominators sum to 0' });
    if (weights && !(weights[id] > 0)) issues.push({ path: ['weights', id], message: 'every variant in the rows needs a positive planned weight' });
  }
  if (issues.length) throw new ValidationError('cannot analyze the experiment', issues);
}
