/**
 * An exposure-aware re-ranker: builds a list greedily, each slot going to the candidate that
 * maximizes its normalized score plus `strength` times its item group's exposure deficit, the
 * target share of the list's exposure minus the share the group holds so far (position weights
 * 1/log₂(1 + rank)). Strength 0 keeps the model's order; the larger it is, the closer each list's
 * exposure comes to the targets (e.g. 30 % for the long tail), at some cost in accuracy.
 */
import type { Scored } from '../recommend/recommender';
import { normalizedScores } from './calibrate';
import { positionWeight } from './exposure';

/** Options of {@link exposureRerank}. */
export interface ExposureRerankOptions {
  /** Length of the list to build. */
  k: number;
  /** Weight of the exposure deficit against the normalized score (≥ 0). */
  strength: number;
  /** The item's group, e.g. `tail` or `head`, a provider, a category. */
  groupOf: (item: string) => string;
  /** Target share of the list's exposure per group; groups without a target get no push. */
  targets: Readonly<Record<string, number>>;
}

/**
 * Re-ranks `candidates` toward the exposure `targets`.
 *
 * ```ts
 * exposureRerank(model.recommend(user, 100), { k: 10, strength: 0.5, groupOf: (i) => (tail.has(i) ? 'tail' : 'head'), targets: { tail: 0.3 } });
 * ```
 */
export function exposureRerank(candidates: readonly Scored[], options: ExposureRerankOptions): Scored[] {
  if (options.strength <= 0 || !candidates.length) return candidates.slice(0, options.k);
  const norm = normalizedScores(candidates);
  const groups = candidates.map((c) => options.groupOf(c.item));
  const got = new Map<string, number>();
  const left = new Set(candidates.map((_, i) => i));
  const out: Scored[] = [];
  let total = 0;
  while (out.length < options.k && left.size) {
    const w = positionWeight(out.length + 1);
    let best = -1;
    let bestValue = -Infinity;
    for (const i of left) {
      const target = options.targets[groups[i]];
      const deficit = target === undefined ? 0 : target - (got.get(groups[i]) ?? 0) / (total + w);
      const value = norm[i] + options.strength * deficit;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    left.delete(best);
    out.push(candidates[best]);
    got.set(groups[best], (got.get(groups[best]) ?? 0) + w);
    total += w;
  }
  return out;
}
