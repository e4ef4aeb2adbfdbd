/**
 * The distribution functions the statistics need, in one place: thin wrappers over stdlib's
 * well-tested implementations, with upper tails written so that small p-values keep their digits
 * (`2 · F(-|t|)` rather than `2 · (1 - F(|t|))`).
 */

import chisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import normalCdfImpl from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantileImpl from '@stdlib/stats-base-dists-normal-quantile';
import tCdfImpl from '@stdlib/stats-base-dists-t-cdf';
import tQuantileImpl from '@stdlib/stats-base-dists-t-quantile';

/**
 * Standard normal CDF Φ(x).
 *
 * ```ts
 * normalCdf(1.96); // 0.9750021048517795
 * ```
 */
export function normalCdf(x: number): number {
  return normalCdfImpl(x, 0, 1);
}

/**
 * Standard normal density φ(x).
 *
 * ```ts
 * normalPdf(0); // 0.3989422804014327
 * ```
 */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * Standard normal quantile Φ⁻¹(p).
 *
 * ```ts
 * normalQuantile(0.975); // 1.959963984540054
 * ```
 */
export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1);
}

/**
 * Student's t CDF with `df` degrees of freedom; the normal CDF when `df` is infinite.
 *
 * ```ts
 * tCdf(2, 10); // 0.963306...
 * ```
 */
export function tCdf(x: number, df: number): number {
  return Number.isFinite(df) ? tCdfImpl(x, df) : normalCdf(x);
}

/**
 * Student's t quantile with `df` degrees of freedom; the normal quantile when `df` is infinite.
 *
 * ```ts
 * tQuantile(0.975, 10); // 2.228138851986...
 * ```
 */
export function tQuantile(p: number, df: number): number {
  return Number.isFinite(df) ? tQuantileImpl(p, df) : normalQuantile(p);
}

/**
 * Two-sided p-value of a t (or, with `df = Infinity`, z) statistic.
 *
 * ```ts
 * twoSidedP(1.96, Infinity); // 0.04999579...
 * ```
 */
export function twoSidedP(statistic: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(statistic), df));
}

/**
 * Upper tail P(X ≥ x) of a χ² distribution with `df` degrees of freedom.
 *
 * ```ts
 * chiSquareSf(3.841458820694124, 1); // 0.05
 * ```
 */
export function chiSquareSf(x: number, df: number): number {
  return 1 - chisquareCdf(x, df);
}
