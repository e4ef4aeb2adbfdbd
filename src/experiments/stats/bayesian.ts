/**
 * Bayesian reading of an effect, as GrowthBook's engine does it: a Gaussian posterior on the
 * effect (absolute or relative) from its estimate and standard error, with an optional Gaussian
 * prior; flat by default, which makes the posterior N(estimate, se²).
 *
 * - Chance to win: P(effect > 0 | data).
 * - Expected loss (risk) of a decision: what is given up on average if the decision is wrong,
 *   E[max(0, −effect)] for shipping the variant, E[max(0, effect)] for keeping the control. A
 *   team ships when the variant's risk is below what it is willing to lose.
 */

import { normalCdf, normalPdf, normalQuantile } from './distributions';
import type { Estimate, Interval } from './estimate';

/** A Gaussian prior on the effect. */
export interface GaussianPrior {
  mean: number;
  variance: number;
}

/** Options of the Bayesian reading. */
export interface BayesianOptions {
  /** Prior on the effect; none (flat) by default. */
  prior?: GaussianPrior;
  /** The credible interval has probability 1 − alpha. 0.05 by default. */
  alpha?: number;
  /** For metrics where lower is better (latency, churn): the variant wins when the effect is negative. */
  inverse?: boolean;
}

/** Posterior summary of an effect. */
export interface BayesianResult {
  /** Posterior mean and standard deviation of the effect. */
  mean: number;
  sd: number;
  /** P(the variant is better than the control). */
  chanceToWin: number;
  /** Expected loss of shipping the variant, and of keeping the control, in the effect's units. */
  risk: { variant: number; control: number };
  credibleInterval: Interval;
}

/**
 * Posterior of the effect and the decision quantities that follow from it.
 *
 * ```ts
 * bayesianEffect({ estimate: 0.02, se: 0.01, df: Infinity });
 * // { chanceToWin: 0.977, risk: { variant: 0.00008, control: 0.02008 }, … }
 * ```
 */
export function bayesianEffect(e: Estimate, { prior, alpha = 0.05, inverse = false }: BayesianOptions = {}): BayesianResult {
  let mean = e.estimate;
  let variance = e.se * e.se;
  if (prior && variance > 0) {
    const precision = 1 / prior.variance + 1 / variance;
    mean = (prior.mean / prior.variance + e.estimate / variance) / precision;
    variance = 1 / precision;
  }
  const sd = Math.sqrt(variance);
  // Wins are counted on the side where the metric improves.
  const gain = inverse ? -mean : mean;
  const chanceToWin = sd > 0 ? normalCdf(gain / sd) : gain > 0 ? 1 : gain < 0 ? 0 : 0.5;
  const lossIfShipped = expectedShortfall(gain, sd);
  const lossIfKept = expectedShortfall(-gain, sd);
  const z = normalQuantile(1 - alpha / 2);
  return { mean, sd, chanceToWin, risk: { variant: lossIfShipped, control: lossIfKept }, credibleInterval: [mean - z * sd, mean + z * sd] };
}

/**
 * E[max(0, −X)] for X ~ N(mu, sd²): σφ(μ/σ) − μΦ(−μ/σ).
 *
 * ```ts
 * expectedShortfall(0, 1); // 0.3989…: half the mean absolute value
 * ```
 */
export function expectedShortfall(mu: number, sd: number): number {
  if (!(sd > 0)) return Math.max(0, -mu);
  const z = mu / sd;
  return sd * normalPdf(z) - mu * normalCdf(-z);
}
