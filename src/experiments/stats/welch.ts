/**
 * Welch's t-test: the difference of two means without assuming equal variances, with the
 * Welch–Satterthwaite degrees of freedom. The default test for mean metrics.
 */

import { testEstimate, type Estimate, type TestOptions, type TestResult } from './estimate';
import type { Moments } from './moments';

/**
 * Welch–Satterthwaite degrees of freedom of `treatment.mean − control.mean`.
 *
 * ```ts
 * welchDf({ n: 10, mean: 0, variance: 1 }, { n: 20, mean: 0, variance: 4 }); // 27.98…
 * ```
 */
export function welchDf(control: Moments, treatment: Moments): number {
  const va = control.variance / control.n;
  const vb = treatment.variance / treatment.n;
  const den = (va * va) / (control.n - 1) + (vb * vb) / (treatment.n - 1);
  // No variance at all: the t reference degenerates; the normal one is the honest limit.
  return den > 0 ? ((va + vb) * (va + vb)) / den : Infinity;
}

/**
 * The estimate `treatment.mean − control.mean` with its Welch standard error and degrees of freedom.
 *
 * ```ts
 * welchEstimate(control, treatment); // { estimate, se, df }
 * ```
 */
export function welchEstimate(control: Moments, treatment: Moments): Estimate {
  return {
    estimate: treatment.mean - control.mean,
    se: Math.sqrt(control.variance / control.n + treatment.variance / treatment.n),
    df: welchDf(control, treatment),
  };
}

/**
 * Welch's two-sided t-test of `treatment.mean − control.mean`, with its confidence interval
 * (scipy's `ttest_ind(treatment, control, equal_var=False)`).
 *
 * ```ts
 * const r = welchTest(moments(control), moments(treatment), { alpha: 0.05 });
 * r.pValue; r.ci; // [low, high] of the absolute difference
 * ```
 */
export function welchTest(control: Moments, treatment: Moments, options: TestOptions = {}): TestResult {
  return testEstimate(welchEstimate(control, treatment), options);
}
