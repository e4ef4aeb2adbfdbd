import { type OffPolicyEstimates, offPolicyEstimates } from './estimators';
import { RidgeRegression } from './ridge';

/**
 * Offline evaluation of a target policy on logged decisions: fits the reward model the doubly
 * robust estimate needs (ridge regression on the logged actions' features), asks the target
 * policy for its probabilities on each logged decision, and hands the samples to the
 * estimators. Pure.
 */

/** One logged decision with its outcome, as the evaluation needs it. */
export interface LoggedDecision {
  /** Joint feature vector of every candidate action, in the order they were offered. */
  arms: readonly Float64Array[];
  /** Index of the action played. */
  chosen: number;
  /** The logging policy's probability of that action. */
  propensity: number;
  /** The reward it earned (the default reward when none came). */
  reward: number;
}

/** A target policy: the probability it gives each candidate action. */
export type TargetPolicy = (arms: readonly Float64Array[]) => readonly number[];

/**
 * IPS, SNIPS and doubly robust estimates of `target`'s mean reward on `logs`.
 *
 * ```ts
 * const e = evaluatePolicy(logs, (arms) => uniformPolicy(arms.length), { confidence: 0.95 });
 * ```
 */
export function evaluatePolicy(logs: readonly LoggedDecision[], target: TargetPolicy, options: { confidence?: number; lambda?: number } = {}): OffPolicyEstimates {
  if (logs.length === 0) throw new RangeError('no logged decisions to evaluate');
  const dims = logs[0].arms[0].length;
  const model = new RidgeRegression(dims, options.lambda ?? 1);
  for (const d of logs) model.observe(d.arms[d.chosen], d.reward);
  const samples = logs.map((d) => {
    const pi = target(d.arms);
    let targetPredicted = 0;
    for (let a = 0; a < d.arms.length; a++) if (pi[a] > 0) targetPredicted += pi[a] * model.predict(d.arms[a]);
    return { propensity: d.propensity, reward: d.reward, target: pi[d.chosen], predicted: model.predict(d.arms[d.chosen]), targetPredicted };
  });
  return offPolicyEstimates(samples, options);
}

/** The uniform policy over `n` actions. */
export function uniformPolicy(n: number): number[] {
  return new Array<number>(n).fill(1 / n);
}
