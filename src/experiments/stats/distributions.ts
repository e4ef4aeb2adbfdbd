/**
 * The distribution functions the statistics need, in one place: thin wrappers over stdlib's
 * well-tested implementations, with upper tails written so that small p-values keep their digits
 * (`2 · F(-|t|)` rather than `2 · (1 - F(|t|))`).
 */

import type ChisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import type NormalCdf from '@stdlib/stats-base-dists-normal-cdf';
import type NormalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type TCdf from '@stdlib/stats-base-dists-t-cdf';
import type TQuantile from '@stdlib/stats-base-dists-t-quantile';

/*
 * Each stdlib function is some hundred small modules: loaded on first use, not when Attune is
 * imported, so a bot that never analyses an experiment never pays for them at start-up.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
let lib: { chisquareCdf: typeof ChisquareCdf; normalCdf: typeof NormalCdf; normalQuantile: typeof NormalQuantile; tCdf: typeof TCdf; tQuantile: typeof TQuantile } | undefined;
const stdlib = () =>
  (lib ??= {
    chisquareCdf: require('@stdlib/stats-base-dists-chisquare-cdf') as typeof ChisquareCdf,
    normalCdf: require('@stdlib/stats-base-dists-normal-cdf') as typeof NormalCdf,
    normalQuantile: require('@stdlib/stats-base-dists-normal-quantile') as typeof NormalQuantile,
    tCdf: require('@stdlib/stats-base-dists-t-cdf') as typeof TCdf,
    tQuantile: require('@stdlib/stats-base-dists-t-quantile') as typeof TQuantile,
  });
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Standard normal CDF Φ(x).
 *
 * ```ts
 * normalCdf(1.96); // 0.9750021048517795
 * ```
 */
export function normalCdf(x: number): number {
  return stdlib().normalCdf(x, 0, 1);
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
  return stdlib().normalQuantile(p, 0, 1);
}

/**
 * Student's t CDF with `df` degrees of freedom; the normal CDF when `df` is infinite.
 *
 * ```ts
 * tCdf(2, 10); // 0.963306...
 * ```
 */
export function tCdf(x: number, df: number): number {
  return Number.isFinite(df) ? stdlib().tCdf(x, df) : normalCdf(x);
}

/**
 * Student's t quantile with `df` degrees of freedom; the normal quantile when `df` is infinite.
 *
 * ```ts
 * tQuantile(0.975, 10); // 2.228138851986...
 * ```
 */
export function tQuantile(p: number, df: number): number {
  return Number.isFinite(df) ? stdlib().tQuantile(p, df) : normalQuantile(p);
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
  return 1 - stdlib().chisquareCdf(x, df);
}
