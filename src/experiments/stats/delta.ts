/**
 * The delta method: first-order variances of ratios, for the two places they appear.
 * - Ratio metrics (revenue per session, clicks per view): the unit is the user, the metric is
 *   Σ numerator / Σ denominator, so a user's numerator and denominator are correlated and the
 *   ratio's variance needs their covariance.
 * - Relative lift, treatment / control − 1: a ratio of two independent means.
 */

import type { Estimate } from './estimate';
import type { Moments, PairedMoments } from './moments';

/**
 * A ratio metric as moments: `mean` is Σ numerator / Σ denominator, and `variance` is n times the
 * delta-method variance of that ratio, so that `variance / n` is its squared standard error, as for
 * a plain mean. `x` is the numerator, `y` the denominator.
 *
 * ```ts
 * ratioMoments(pairedMoments(revenue, sessions)); // { n, mean: revenue per session, variance }
 * ```
 */
export function ratioMoments(m: PairedMoments): Moments {
  const r = m.meanX / m.meanY;
  const d2 = m.meanY * m.meanY;
  const variance = (m.varianceX - 2 * r * m.covariance + r * r * m.varianceY) / d2;
  return { n: m.n, mean: r, variance };
}

/**
 * Relative lift `treatment.mean / control.mean − 1` with its delta-method standard error;
 * `df` is the reference to test it against (the Welch degrees of freedom for means, Infinity for
 * proportions and ratios).
 *
 * ```ts
 * relativeLiftEstimate({ n: 1000, mean: 10, variance: 4 }, { n: 1000, mean: 11, variance: 4 });
 * // { estimate: 0.1, se: 0.0094…, df: Infinity }
 * ```
 */
export function relativeLiftEstimate(control: Moments, treatment: Moments, df = Infinity): Estimate {
  const ma = control.mean;
  const mb = treatment.mean;
  const va = control.variance / control.n;
  const vb = treatment.variance / treatment.n;
  const variance = vb / (ma * ma) + (mb * mb * va) / (ma * ma * ma * ma);
  return { estimate: mb / ma - 1, se: Math.sqrt(variance), df };
}
