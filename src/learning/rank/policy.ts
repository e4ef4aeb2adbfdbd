import type { Rng } from '../../core/random';
import type { RidgeRegression } from './ridge';

/**
 * What every exploration policy shares: it sees each candidate action as its feature vector
 * and the linear model that scores it (one shared model, or one per action), and answers the
 * action it plays with the probability of every action, so that each decision can log its
 * propensity (as Vowpal Wabbit's `cb_explore` outputs a probability mass function).
 */

/** One candidate action as a policy sees it. */
export interface ArmView {
  /** The model that scores this action (the same object for every action of a shared model). */
  model: RidgeRegression;
  /** The action's joint feature vector (context × action). */
  x: Float64Array;
}

/** A policy's answer for one decision. */
export interface PolicyDecision {
  /** Index of the action played. */
  chosen: number;
  /** Probability that the policy plays each action, in candidate order; they sum to 1. */
  probabilities: number[];
  /** Each action's score (higher is better), for the ranking of the actions not played. */
  scores: number[];
}

/** An exploration policy: pure and seeded (the random source is given). */
export interface ExplorationPolicy {
  /** Which policy this is. */
  readonly kind: PolicyKind;
  /** Chooses among the candidates (at least one). */
  decide(arms: readonly ArmView[], rng: Rng): PolicyDecision;
}

/** The policies there are. */
export type PolicyKind = 'epsilon-greedy' | 'thompson' | 'linucb';

/** Index of the highest score; the first one on ties, so that a decision is reproducible. */
export function argmax(scores: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

/** Each action's predicted reward under its model's mean. */
export function meanScores(arms: readonly ArmView[]): number[] {
  return arms.map((a) => a.model.predict(a.x));
}

/** The distribution that plays one action for sure. */
export function pointMass(n: number, index: number): number[] {
  const p = new Array<number>(n).fill(0);
  p[index] = 1;
  return p;
}

/**
 * The order actions are shown in: the one played first, then the others by score, best first
 * (ties in candidate order).
 */
export function rankingOf(decision: PolicyDecision): number[] {
  const rest = decision.scores.map((_, i) => i).filter((i) => i !== decision.chosen);
  rest.sort((i, j) => decision.scores[j] - decision.scores[i] || i - j);
  return [decision.chosen, ...rest];
}

/** The greedy policy of the current models: what a learned policy plays without exploring. */
export function greedyDecision(arms: readonly ArmView[]): PolicyDecision {
  const scores = meanScores(arms);
  const chosen = argmax(scores);
  return { chosen, probabilities: pointMass(arms.length, chosen), scores };
}
