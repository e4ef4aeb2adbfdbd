import { argmax, type ArmView, type ExplorationPolicy, pointMass, type PolicyDecision } from './policy';

/**
 * LinUCB (Li, Chu, Langford & Schapire, 2010): plays the action whose upper confidence bound
 * θ·x + α√(xᵀA⁻¹x) is highest. It explores by optimism, not by chance, so a decision is
 * deterministic: the action played has propensity 1 (offline evaluation then needs logs from
 * a randomized policy, or counts only the decisions a target policy agrees with).
 *
 * ```ts
 * const policy = linUcb(1);
 * ```
 */
export function linUcb(alpha = 1): ExplorationPolicy {
  if (!(alpha >= 0)) throw new RangeError('alpha must be non-negative');
  return {
    kind: 'linucb',
    decide(arms: readonly ArmView[]): PolicyDecision {
      const scores = arms.map((a) => a.model.predict(a.x) + alpha * a.model.width(a.x));
      const chosen = argmax(scores);
      return { chosen, probabilities: pointMass(arms.length, chosen), scores };
    },
  };
}
