/**
 * How good probabilities are: ranking (AUC), accuracy (Brier score) and calibration (a
 * reliability table by deciles, and the expected calibration error). Pure, for any binary
 * predictor; propensity models are evaluated with it on a time-based holdout.
 */

/**
 * Area under the ROC curve, rank-based (Mann–Whitney U): the chance that a random positive
 * scores above a random negative, ties counting one half (tied scores get their average
 * rank). NaN when either class is missing.
 *
 * ```ts
 * auc([0.9, 0.4, 0.4, 0.1], [1, 1, 0, 0]); // 0.875
 * ```
 */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j += 1;
    // Ranks i+1 … j+1 share their mean.
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] === 1) {
        positives += 1;
        rankSum += rank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (!positives || !negatives) return NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Mean squared difference between predicted probability and outcome (0 is perfect; always
 * predicting the base rate r scores r(1 − r)).
 *
 * ```ts
 * brierScore([0.8, 0.3], [1, 0]); // 0.065
 * ```
 */
export function brierScore(probabilities: readonly number[], labels: readonly number[]): number {
  if (!probabilities.length) return NaN;
  let s = 0;
  for (let i = 0; i < probabilities.length; i++) s += (probabilities[i] - labels[i]) ** 2;
  return s / probabilities.length;
}

/** One bin of a reliability table. */
export interface CalibrationBin {
  /** Lowest and highest prediction in the bin. */
  from: number;
  to: number;
  /** How many predictions fell in it. */
  count: number;
  /** Mean predicted probability. */
  predicted: number;
  /** Share of positives observed. */
  observed: number;
}

/**
 * A reliability table: predictions sorted and cut into `bins` groups of (near) equal size
 * (deciles by default), each with its mean prediction and observed rate. A calibrated model
 * has `predicted ≈ observed` in every bin. Empty bins (fewer predictions than bins) are left out.
 *
 * ```ts
 * calibrationTable(p, y).map((b) => `${b.predicted.toFixed(2)} vs ${b.observed.toFixed(2)}`);
 * ```
 */
export function calibrationTable(probabilities: readonly number[], labels: readonly number[], bins = 10): CalibrationBin[] {
  const n = probabilities.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probabilities[a] - probabilities[b] || a - b);
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const lo = Math.floor((b * n) / bins);
    const hi = Math.floor(((b + 1) * n) / bins);
    if (hi <= lo) continue;
    let p = 0;
    let y = 0;
    for (let k = lo; k < hi; k++) {
      p += probabilities[order[k]];
      y += labels[order[k]];
    }
    const count = hi - lo;
    out.push({ from: probabilities[order[lo]], to: probabilities[order[hi - 1]], count, predicted: p / count, observed: y / count });
  }
  return out;
}

/**
 * Expected calibration error: the count-weighted mean of |predicted − observed| over the
 * bins of {@link calibrationTable}.
 *
 * ```ts
 * expectedCalibrationError(calibrationTable(p, y)); // 0.012
 * ```
 */
export function expectedCalibrationError(table: readonly CalibrationBin[]): number {
  const total = table.reduce((n, b) => n + b.count, 0);
  if (!total) return NaN;
  return table.reduce((s, b) => s + (b.count / total) * Math.abs(b.predicted - b.observed), 0);
}

/** AUC, Brier score, the reliability table and its ECE of one set of predictions. */
export interface CalibrationReport {
  auc: number;
  brier: number;
  /** Share of positives. */
  baseRate: number;
  count: number;
  table: CalibrationBin[];
  ece: number;
}

/**
 * Everything above at once.
 *
 * ```ts
 * const r = calibrationReport(p, y); // { auc: 0.86, brier: 0.08, ece: 0.01, table: [...] }
 * ```
 */
export function calibrationReport(probabilities: readonly number[], labels: readonly number[], bins = 10): CalibrationReport {
  const table = calibrationTable(probabilities, labels, bins);
  return {
    auc: auc(probabilities, labels),
    brier: brierScore(probabilities, labels),
    baseRate: labels.length ? labels.reduce((a, b) => a + b, 0) / labels.length : NaN,
    count: labels.length,
    table,
    ece: expectedCalibrationError(table),
  };
}
