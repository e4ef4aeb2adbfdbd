/**
 * Tests for conversions (0/1 metrics): the two-proportion z-test, and Pearson's χ² test of
 * independence over any number of variants.
 */

import { chiSquareSf, normalQuantile, twoSidedP } from './distributions';
import type { TestOptions, TestResult } from './estimate';

/** Conversions of one variant. */
export interface Conversions {
  successes: number;
  trials: number;
}

/** Result of the χ² test. */
export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
}

/**
 * Two-proportion z-test of `p_treatment − p_control`.
 *
 * The test uses the pooled standard error (the one that holds under the null of equal rates, so
 * that z² is exactly the χ² statistic of the 2×2 table); the interval uses the unpooled (Wald)
 * standard error, which holds wherever the rates are. `se` in the result is the unpooled one.
 *
 * ```ts
 * twoProportionZTest({ successes: 120, trials: 1000 }, { successes: 150, trials: 1000 });
 * // { estimate: 0.03, pValue: 0.0496, ci: [0.00008, 0.0599], … }
 * ```
 */
export function twoProportionZTest(
  control: Conversions,
  treatment: Conversions,
  { alpha = 0.05, nullValue = 0 }: TestOptions = {},
): TestResult {
  const pa = control.successes / control.trials;
  const pb = treatment.successes / treatment.trials;
  const estimate = pb - pa;
  const se = Math.sqrt((pa * (1 - pa)) / control.trials + (pb * (1 - pb)) / treatment.trials);
  const pooled = (control.successes + treatment.successes) / (control.trials + treatment.trials);
  // Against a non-zero null the pooled rate is not the null's rate: the unpooled error is used then.
  const seTest = nullValue === 0 ? Math.sqrt(pooled * (1 - pooled) * (1 / control.trials + 1 / treatment.trials)) : se;
  const diff = estimate - nullValue;
  const statistic = seTest > 0 ? diff / seTest : diff === 0 ? 0 : Math.sign(diff) * Infinity;
  const half = normalQuantile(1 - alpha / 2) * se;
  return { estimate, se, df: Infinity, statistic, pValue: twoSidedP(statistic, Infinity), ci: [estimate - half, estimate + half] };
}

/**
 * Pearson's χ² test that all variants convert at the same rate (the k × 2 table of successes and
 * failures, without continuity correction: scipy's `chi2_contingency(table, correction=False)`).
 *
 * ```ts
 * chiSquareTest([{ successes: 120, trials: 1000 }, { successes: 150, trials: 1000 }, { successes: 130, trials: 1000 }]);
 * ```
 */
export function chiSquareTest(groups: readonly Conversions[]): ChiSquareResult {
  let successes = 0;
  let trials = 0;
  for (const g of groups) {
    successes += g.successes;
    trials += g.trials;
  }
  const rate = successes / trials;
  let statistic = 0;
  for (const g of groups) {
    const expectedS = g.trials * rate;
    const expectedF = g.trials - expectedS;
    const failures = g.trials - g.successes;
    if (expectedS > 0) statistic += (g.successes - expectedS) ** 2 / expectedS;
    if (expectedF > 0) statistic += (failures - expectedF) ** 2 / expectedF;
  }
  const df = groups.length - 1;
  return { statistic, df, pValue: chiSquareSf(statistic, df) };
}
