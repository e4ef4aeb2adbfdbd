/**
 * Sample ratio mismatch: whether the users counted in each variant fit the planned split. A
 * mismatch means assignment or logging is broken (a variant that crashes before it logs, a bot
 * filter that hits one variant), and then no metric of the experiment can be trusted.
 */

import { chiSquareSf } from './distributions';

/** Default SRM threshold: p below it raises the warning. Strict, because the check runs often. */
export const SRM_THRESHOLD = 0.001;

/** Result of the SRM check. */
export interface SrmResult {
  statistic: number;
  df: number;
  pValue: number;
  /** False when pValue < threshold: warn, and do not read the results. */
  ok: boolean;
}

/**
 * χ² goodness-of-fit of `counts` to the planned `weights` (equal by default; normalized, so they
 * need not sum to 1): scipy's `chisquare(counts, f_exp)`.
 *
 * ```ts
 * srmCheck([5000, 5210]);              // { pValue: 0.0377, ok: true }
 * srmCheck([5000, 5400]).ok;           // false: p ≈ 0.00009
 * srmCheck([2000, 8000], [0.2, 0.8]);  // a planned 20/80 split
 * ```
 */
export function srmCheck(
  counts: readonly number[],
  weights?: readonly number[],
  { threshold = SRM_THRESHOLD }: { threshold?: number } = {},
): SrmResult {
  const w = weights ?? counts.map(() => 1);
  if (w.length !== counts.length) throw new RangeError(`srmCheck: ${counts.length} counts but ${w.length} weights`);
  const total = counts.reduce((s, c) => s + c, 0);
  const wTotal = w.reduce((s, x) => s + x, 0);
  let statistic = 0;
  let cells = 0;
  for (let i = 0; i < counts.length; i++) {
    const expected = (total * w[i]) / wTotal;
    // A variant planned at 0 % carries no degree of freedom.
    if (expected <= 0) continue;
    statistic += (counts[i] - expected) ** 2 / expected;
    cells++;
  }
  const df = cells - 1;
  const pValue = df > 0 ? chiSquareSf(statistic, df) : 1;
  return { statistic, df, pValue, ok: !(pValue < threshold) };
}
