/**
 * Planning: power, sample size and minimum detectable effect of a two-sided test of a difference
 * of means (or proportions, with the Bernoulli variance p(1 − p)), under the normal
 * approximation, with equal allocation to the two variants.
 */

import { normalCdf, normalQuantile } from './distributions';

/** What a power computation needs. */
export interface PowerInput {
  /** Per-unit variance of the metric in the control (p(1 − p) for a conversion rate). */
  variance: number;
  /** Per-unit variance in the treatment; the control's by default. */
  treatmentVariance?: number;
  /** Significance level, two-sided. 0.05 by default. */
  alpha?: number;
}

function seFor(n: number, { variance, treatmentVariance = variance }: PowerInput): number {
  return Math.sqrt(variance / n + treatmentVariance / n);
}

/**
 * Probability that the two-sided test rejects, when the true difference is `effect` and each
 * variant has `nPerArm` units (both tails counted).
 *
 * ```ts
 * power({ effect: 0.1, variance: 1, nPerArm: 1570 }); // 0.800
 * ```
 */
export function power(input: PowerInput & { effect: number; nPerArm: number }): number {
  const z = normalQuantile(1 - (input.alpha ?? 0.05) / 2);
  const shift = Math.abs(input.effect) / seFor(input.nPerArm, input);
  return normalCdf(shift - z) + normalCdf(-shift - z);
}

/**
 * Units needed per variant to detect `effect` with the given power (0.8 by default), rounded up.
 *
 * ```ts
 * sampleSizePerArm({ effect: 0.1, variance: 1 }); // 1570
 * sampleSizePerArm({ effect: 0.01, variance: 0.1 * 0.9, treatmentVariance: 0.11 * 0.89 }); // 10 to 11 % conversion
 * ```
 */
export function sampleSizePerArm(input: PowerInput & { effect: number; power?: number }): number {
  const { variance, treatmentVariance = variance, alpha = 0.05, power: target = 0.8 } = input;
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(target);
  return Math.ceil((z * z * (variance + treatmentVariance)) / (input.effect * input.effect));
}

/**
 * Smallest absolute difference detected with the given power (0.8 by default) when each variant
 * has `nPerArm` units. The tail opposite the effect is neglected, as is usual (it adds less than
 * α/2 to the power).
 *
 * ```ts
 * minimumDetectableEffect({ variance: 1, nPerArm: 1570 }); // 0.09999…
 * ```
 */
export function minimumDetectableEffect(input: PowerInput & { nPerArm: number; power?: number }): number {
  const z = normalQuantile(1 - (input.alpha ?? 0.05) / 2) + normalQuantile(input.power ?? 0.8);
  return z * seFor(input.nPerArm, input);
}
