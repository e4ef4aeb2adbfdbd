/**
 * An estimate with its standard error and reference distribution, and the two-sided test and
 * interval that follow from it. Every difference here (Welch, proportions, ratios, relative
 * lift, CUPED) ends up as one of these, so that intervals are built in one place.
 */

import { tQuantile, twoSidedP } from './distributions';

/** Interval `[low, high]`. */
export type Interval = [low: number, high: number];

/** A point estimate, its standard error and the degrees of freedom of its t reference (Infinity: normal). */
export interface Estimate {
  estimate: number;
  se: number;
  df: number;
}

/** An estimate tested against a null value, with its confidence interval. */
export interface TestResult extends Estimate {
  /** (estimate − null) / se. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  /** Two-sided 1 − alpha confidence interval. */
  ci: Interval;
}

/** Options shared by the fixed-horizon tests. */
export interface TestOptions {
  /** Significance level; the interval has coverage 1 − alpha. 0.05 by default. */
  alpha?: number;
  /** Difference under the null hypothesis. 0 by default. */
  nullValue?: number;
}

/**
 * The two-sided test and interval of an estimate.
 *
 * ```ts
 * testEstimate({ estimate: 0.3, se: 0.1, df: Infinity }); // { statistic: 3, pValue: 0.0027, ci: [0.104, 0.496], … }
 * ```
 */
export function testEstimate(e: Estimate, { alpha = 0.05, nullValue = 0 }: TestOptions = {}): TestResult {
  const diff = e.estimate - nullValue;
  // With no variance at all, an equal estimate is no evidence (p = 1) and any other is certain.
  const statistic = e.se > 0 ? diff / e.se : diff === 0 ? 0 : Math.sign(diff) * Infinity;
  const half = tQuantile(1 - alpha / 2, e.df) * e.se;
  return { ...e, statistic, pValue: twoSidedP(statistic, e.df), ci: [e.estimate - half, e.estimate + half] };
}
