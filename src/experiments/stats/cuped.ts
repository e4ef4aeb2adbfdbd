/**
 * CUPED (Deng, Xu, Kohavi & Walker, 2013): subtract from each user's metric the part that a
 * pre-exposure covariate (the same metric over the weeks before the experiment, say) predicts.
 * The mean difference stays unbiased, since the covariate cannot depend on the treatment, and
 * its variance shrinks by about ρ², the squared correlation of metric and covariate.
 *
 * θ is the pooled within-variant regression slope of the metric on the covariate, which makes the
 * adjusted difference of means exactly the treatment coefficient of the ANCOVA regression
 * `metric ~ variant + covariate`.
 */

import type { Moments, PairedMoments } from './moments';

/** Adjusted moments of each variant, and the θ used. */
export interface CupedResult {
  theta: number;
  /** Per variant, in input order: the adjusted mean and the variance of adjusted values. */
  adjusted: Moments[];
}

/**
 * θ = Σ (n − 1)·cov(metric, covariate) / Σ (n − 1)·var(covariate) over the variants, where
 * each arm's `x` is the covariate and `y` the metric.
 *
 * ```ts
 * cupedTheta([pairedMoments(preA, postA), pairedMoments(preB, postB)]); // ≈ cov/var
 * ```
 */
export function cupedTheta(arms: readonly PairedMoments[]): number {
  let cov = 0;
  let varX = 0;
  for (const a of arms) {
    cov += (a.n - 1) * a.covariance;
    varX += (a.n - 1) * a.varianceX;
  }
  // A constant covariate explains nothing: no adjustment.
  return varX > 0 ? cov / varX : 0;
}

/**
 * CUPED-adjusted moments: each user's metric becomes y − θ·(x − x̄), x̄ the covariate's mean over
 * all variants, so adjusted means stay on the metric's scale; the variance of adjusted values is
 * var(y) + θ²·var(x) − 2θ·cov(x, y).
 *
 * ```ts
 * const { theta, adjusted: [a, b] } = cupedAdjust([pairedMoments(preA, postA), pairedMoments(preB, postB)]);
 * welchTest(a, b); // a narrower interval than on the raw metric
 * ```
 */
export function cupedAdjust(arms: readonly PairedMoments[], theta = cupedTheta(arms)): CupedResult {
  let n = 0;
  let sumX = 0;
  for (const a of arms) {
    n += a.n;
    sumX += a.n * a.meanX;
  }
  const meanX = sumX / n;
  const adjusted = arms.map((a) => ({
    n: a.n,
    mean: a.meanY - theta * (a.meanX - meanX),
    variance: a.varianceY + theta * theta * a.varianceX - 2 * theta * a.covariance,
  }));
  return { theta, adjusted };
}
