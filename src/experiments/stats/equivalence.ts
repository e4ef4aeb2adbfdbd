/**
 * Equivalence testing by two one-sided tests (TOST, Schuirmann 1987). A non-significant
 * difference only says that the data cannot tell; TOST says the effect lies within a margin the
 * team calls negligible, so that a result can be reported as neutral rather than inconclusive.
 */

import { tCdf, tQuantile } from './distributions';
import type { Estimate, Interval } from './estimate';

/** Result of TOST. */
export interface EquivalenceResult {
  /** max of the two one-sided p-values: equivalence is shown when it is below alpha. */
  pValue: number;
  /** p of H0 effect ≤ low (against effect > low) and of H0 effect ≥ high. */
  pLower: number;
  pUpper: number;
  /** The 1 − 2α interval: equivalence holds exactly when it lies inside the margin. */
  ci: Interval;
  equivalent: boolean;
}

/**
 * TOST of an estimate against the margin `(low, high)`, or `(−m, m)` when a number is given.
 *
 * ```ts
 * const e = welchEstimate(moments(control), moments(treatment));
 * equivalenceTest(e, 0.5);        // is the difference within ±0.5?
 * equivalenceTest(e, [-0.2, 0.5]); // an asymmetric margin
 * ```
 */
export function equivalenceTest(e: Estimate, margin: number | Interval, { alpha = 0.05 }: { alpha?: number } = {}): EquivalenceResult {
  const [low, high] = typeof margin === 'number' ? [-Math.abs(margin), Math.abs(margin)] : margin;
  if (!(low < high)) throw new RangeError(`equivalenceTest: the margin's low end ${low} is not below its high end ${high}`);
  const pLower = e.se > 0 ? tCdf(-(e.estimate - low) / e.se, e.df) : e.estimate > low ? 0 : 1;
  const pUpper = e.se > 0 ? tCdf((e.estimate - high) / e.se, e.df) : e.estimate < high ? 0 : 1;
  const pValue = Math.max(pLower, pUpper);
  const half = tQuantile(1 - alpha, e.df) * e.se;
  return { pValue, pLower, pUpper, ci: [e.estimate - half, e.estimate + half], equivalent: pValue < alpha };
}
