/**
 * Always-valid inference, for teams that look at results every day: an asymptotic confidence
 * sequence (Waudby-Smith, Arbour, Sinha, Kennedy & Ramdas, "Time-uniform central limit theory and
 * asymptotic confidence sequences", 2023) with a normal-mixture boundary, as GrowthBook's
 * sequential engine uses. The interval covers the true effect at every sample size at once with
 * probability 1 − α, so stopping as soon as it excludes 0 keeps the false-positive rate at α.
 * A fixed-horizon interval checked daily does not: each look is a new chance to cross.
 *
 * The price is width: the mixture is tuned to be tightest at `tuning` units (the sample size the
 * team expects, both variants together); elsewhere it is wider, and always wider than the
 * fixed-horizon interval at the same n.
 */

import type { Estimate, TestResult } from './estimate';

/** Default sample size at which the sequence is tightest, GrowthBook's default. */
export const DEFAULT_SEQUENTIAL_TUNING = 5000;

/** Options of the sequential test. */
export interface SequentialOptions {
  alpha?: number;
  /** Sample size (all variants) at which the interval is tightest. */
  tuning?: number;
}

/**
 * The mixture parameter ρ that minimizes the boundary's width at n = `tuning`.
 *
 * ```ts
 * sequentialRho(0.05, 5000); // 0.0398…
 * ```
 */
export function sequentialRho(alpha: number, tuning = DEFAULT_SEQUENTIAL_TUNING): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / tuning);
}

/**
 * Half-width of the confidence sequence for an estimate of standard error `se` after `n` units.
 *
 * ```ts
 * sequentialHalfWidth(0.02, 4000, 0.05); // about 1.55 × the fixed-horizon 1.96 × 0.02
 * ```
 */
export function sequentialHalfWidth(se: number, n: number, alpha: number, tuning = DEFAULT_SEQUENTIAL_TUNING): number {
  const rho2 = sequentialRho(alpha, tuning) ** 2;
  const s2 = se * se * n; // per-unit variance of the estimate
  const nr2 = n * rho2 + 1;
  return Math.sqrt((s2 * 2 * nr2 * Math.log(Math.sqrt(nr2) / alpha)) / (n * n * rho2));
}

/**
 * The always-valid test of an estimate after `n` units: its confidence sequence and its
 * always-valid p-value (the inverse of the mixture e-value, capped at 1), which is below α exactly
 * when the interval excludes the null value 0.
 *
 * ```ts
 * const e = welchEstimate(moments(control), moments(treatment));
 * sequentialTest(e, control.length + treatment.length, { alpha: 0.05 }); // { pValue, ci, … }
 * ```
 */
export function sequentialTest(
  e: Estimate,
  n: number,
  { alpha = 0.05, tuning = DEFAULT_SEQUENTIAL_TUNING }: SequentialOptions = {},
): TestResult {
  const rho2 = sequentialRho(alpha, tuning) ** 2;
  const half = sequentialHalfWidth(e.se, n, alpha, tuning);
  const statistic = e.se > 0 ? e.estimate / e.se : e.estimate === 0 ? 0 : Math.sign(e.estimate) * Infinity;
  // Squared standardized sum S_n² / σ² = n · statistic².
  const nr2 = n * rho2 + 1;
  const logE = (rho2 * n * statistic * statistic) / (2 * nr2) - 0.5 * Math.log(nr2);
  const pValue = Math.min(1, Math.exp(-logE));
  return { ...e, df: Infinity, statistic, pValue, ci: [e.estimate - half, e.estimate + half] };
}
