import { normalQuantile } from '../../experiments/stats/distributions';

/**
 * Off-policy estimators of a target policy's value from decisions logged by another policy
 * (Dudík, Langford & Li, 2011): inverse propensity scoring, its self-normalized form and the
 * doubly robust estimate, each with a normal confidence interval. Pure.
 */

/** One logged decision, seen from the target policy. */
export interface LoggedSample {
  /** The logging policy's probability of the action it played (> 0). */
  propensity: number;
  /** The reward observed for that action. */
  reward: number;
  /** The target policy's probability of the same action. */
  target: number;
  /** The reward model's prediction for the action played (doubly robust only). */
  predicted?: number;
  /** Σ over actions of target probability × predicted reward (doubly robust only). */
  targetPredicted?: number;
}

/** An estimate with its interval. */
export interface Estimate {
  value: number;
  /** Standard error of `value`. */
  stdError: number;
  /** The two-sided interval at the confidence level asked for. */
  ci: [number, number];
}

/** What {@link offPolicyEstimates} answers. */
export interface OffPolicyEstimates {
  /** Decisions the estimates rest on. */
  n: number;
  /** (Σw)² / Σw²: how many on-policy samples the weighted ones are worth. */
  effectiveSampleSize: number;
  ips: Estimate;
  snips: Estimate;
  /** Present when every sample carries the reward model's predictions. */
  dr?: Estimate;
}

function meanEstimate(terms: readonly number[], z: number): Estimate {
  const n = terms.length;
  const value = terms.reduce((s, t) => s + t, 0) / n;
  const variance = n > 1 ? terms.reduce((s, t) => s + (t - value) ** 2, 0) / (n - 1) : 0;
  const stdError = Math.sqrt(variance / n);
  return { value, stdError, ci: [value - z * stdError, value + z * stdError] };
}

/**
 * IPS, SNIPS and (when predictions are given) doubly robust estimates of the target policy's
 * mean reward. IPS and DR intervals are normal intervals of a mean of independent terms; the
 * SNIPS interval comes from the delta method for a ratio, with standard error
 * √Σ(w(r − V))² / Σw.
 *
 * ```ts
 * const e = offPolicyEstimates(samples, { confidence: 0.95 });
 * e.snips.ci; // [0.41, 0.47]
 * ```
 */
export function offPolicyEstimates(samples: readonly LoggedSample[], options: { confidence?: number } = {}): OffPolicyEstimates {
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be in (0, 1)');
  if (samples.length === 0) throw new RangeError('no logged decisions to evaluate');
  for (const s of samples) if (!(s.propensity > 0 && s.propensity <= 1)) throw new RangeError('every propensity must be in (0, 1]');
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const w = samples.map((s) => s.target / s.propensity);
  const sumW = w.reduce((a, b) => a + b, 0);
  const sumW2 = w.reduce((a, b) => a + b * b, 0);

  const ips = meanEstimate(samples.map((s, i) => w[i] * s.reward), z);

  const snipsValue = sumW > 0 ? samples.reduce((acc, s, i) => acc + w[i] * s.reward, 0) / sumW : 0;
  const snipsSe = sumW > 0 ? Math.sqrt(samples.reduce((acc, s, i) => acc + (w[i] * (s.reward - snipsValue)) ** 2, 0)) / sumW : 0;
  const snips = { value: snipsValue, stdError: snipsSe, ci: [snipsValue - z * snipsSe, snipsValue + z * snipsSe] as [number, number] };

  const modelled = samples.every((s) => s.predicted !== undefined && s.targetPredicted !== undefined);
  const dr = modelled ? meanEstimate(samples.map((s, i) => (s.targetPredicted as number) + w[i] * (s.reward - (s.predicted as number))), z) : undefined;

  return { n: samples.length, effectiveSampleSize: sumW2 > 0 ? (sumW * sumW) / sumW2 : 0, ips, snips, ...(dr ? { dr } : {}) };
}
