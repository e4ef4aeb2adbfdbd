import { ValidationError } from '../core/errors';

/**
 * A time-based split for propensity: the model trains on cut-offs whose whole label window
 * ends before the test cut-off, and is tested on that later cut-off. So no training label
 * saw anything that happened after the test features were taken (no user-time leakage), and
 * the test is what serving faces: the past predicts the future.
 */

const DAY_MS = 86_400_000;

/** Cut-off times (epoch ms) of a split. */
export interface TimeSplit {
  /** Training cut-offs, oldest first; each `t + horizonMs ≤ test`. */
  train: number[];
  /** The test cut-off; its labels are complete when `test + horizonMs ≤ end`. */
  test: number;
  horizonMs: number;
}

/** Options of {@link timeSplit}. */
export interface TimeSplitOptions {
  /** The time of the last event in the data (epoch ms). */
  end: number;
  /** The label window after a cut-off. */
  horizonMs: number;
  /** How many training cut-offs (default 4). */
  trainCutoffs?: number;
  /** Time between training cut-offs (default 7 days). */
  stepMs?: number;
}

/**
 * The split whose test labels end with the data: test cut-off `end − horizon`, training
 * cut-offs one step apart before `test − horizon`.
 *
 * ```ts
 * timeSplit({ end: Date.parse('2026-03-01'), horizonMs: 7 * 86_400_000 });
 * // { test: Feb 22, train: [Jan 25, Feb 1, Feb 8, Feb 15], horizonMs }
 * ```
 */
export function timeSplit(options: TimeSplitOptions): TimeSplit {
  const { end, horizonMs } = options;
  const n = options.trainCutoffs ?? 4;
  const step = options.stepMs ?? 7 * DAY_MS;
  if (!(horizonMs > 0) || !(step > 0) || !Number.isInteger(n) || n < 1) throw new ValidationError('invalid time split: horizon and step must be positive, and there must be at least one training cut-off');
  const test = end - horizonMs;
  const last = test - horizonMs;
  const train = Array.from({ length: n }, (_, i) => last - (n - 1 - i) * step);
  const split = { train, test, horizonMs };
  assertNoLeak(split);
  return split;
}

/**
 * Throws when a training label window reaches past the test cut-off (its label would know
 * what the test features cannot).
 */
export function assertNoLeak(split: TimeSplit): void {
  const bad = split.train.find((t) => t + split.horizonMs > split.test);
  if (bad !== undefined) throw new ValidationError(`time split leaks: the label window of the training cut-off ${new Date(bad).toISOString()} ends after the test cut-off ${new Date(split.test).toISOString()}`);
}
