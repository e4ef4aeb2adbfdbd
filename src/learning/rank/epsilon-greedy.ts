import type { Rng } from '../../core/random';
import { argmax, type ArmView, type ExplorationPolicy, meanScores, type PolicyDecision } from './policy';

/**
 * ε-greedy: plays the action with the best predicted reward, except with probability ε, when
 * it plays one uniformly at random. The greedy action's propensity is 1 − ε + ε/K, every
 * other's ε/K (the uniform draw may land on the greedy action too).
 *
 * ```ts
 * const policy = epsilonGreedy(0.1);
 * const { chosen, probabilities } = policy.decide(arms, mulberry32(7));
 * ```
 */
export function epsilonGreedy(epsilon = 0.1): ExplorationPolicy {
  if (!(epsilon >= 0 && epsilon <= 1)) throw new RangeError('epsilon must be in [0, 1]');
  return {
    kind: 'epsilon-greedy',
    decide(arms: readonly ArmView[], rng: Rng): PolicyDecision {
      const k = arms.length;
      const scores = meanScores(arms);
      const greedy = argmax(scores);
      const probabilities = scores.map((_, i) => epsilon / k + (i === greedy ? 1 - epsilon : 0));
      // One draw decides between exploring and exploiting, a second picks the uniform action.
      const chosen = rng() < epsilon ? Math.min(k - 1, Math.floor(rng() * k)) : greedy;
      return { chosen, probabilities, scores };
    },
  };
}
