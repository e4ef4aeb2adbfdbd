/**
 * Sample moments, the sufficient statistics every test here works from: a variant is reduced to
 * `{ n, mean, variance }` once, so that tests, corrections and simulations never walk the rows
 * again.
 */

/** Count, mean and unbiased sample variance (n − 1 in the denominator) of a unit-level metric. */
export interface Moments {
  n: number;
  mean: number;
  variance: number;
}

/** Moments of two metrics measured on the same units, with their covariance. */
export interface PairedMoments {
  n: number;
  meanX: number;
  meanY: number;
  varianceX: number;
  varianceY: number;
  covariance: number;
}

/**
 * Moments of `values`, by two passes (the second on centred values, which keeps the variance
 * exact for large means where `Σx² − n·x̄²` cancels).
 *
 * ```ts
 * moments([1, 2, 3, 4]); // { n: 4, mean: 2.5, variance: 1.6666666666666667 }
 * ```
 */
export function moments(values: ArrayLike<number>): Moments {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = n ? sum / n : Number.NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - mean;
    ss += d * d;
  }
  return { n, mean, variance: n > 1 ? ss / (n - 1) : Number.NaN };
}

/**
 * Moments of paired values `x[i]`, `y[i]` (a ratio's numerator and denominator, a metric and its
 * pre-exposure covariate).
 *
 * ```ts
 * pairedMoments([1, 2, 3], [2, 4, 7]).covariance; // 2.5
 * ```
 */
export function pairedMoments(x: ArrayLike<number>, y: ArrayLike<number>): PairedMoments {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`pairedMoments: ${n} x values but ${y.length} y values`);
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
  }
  const meanX = n ? sx / n : Number.NaN;
  const meanY = n ? sy / n : Number.NaN;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const d = n > 1 ? n - 1 : Number.NaN;
  return { n, meanX, meanY, varianceX: sxx / d, varianceY: syy / d, covariance: sxy / d };
}

/**
 * Moments of a 0/1 metric from its counts. The variance is the Bernoulli p(1 − p), the one the
 * two-proportion z-test uses, not the n/(n − 1) sample variance.
 *
 * ```ts
 * proportionMoments(30, 200); // { n: 200, mean: 0.15, variance: 0.1275 }
 * ```
 */
export function proportionMoments(successes: number, trials: number): Moments {
  const p = trials > 0 ? successes / trials : Number.NaN;
  return { n: trials, mean: p, variance: p * (1 - p) };
}
