/**
 * Calibrated recommendations (Steck, "Calibrated Recommendations", RecSys 2018): re-rank a
 * candidate list so that its mix of categories stays close to the user's history. p(g|u) is the
 * history's category distribution (an item's categories share its weight equally), q(g|list) the
 * list's, and the greedy list maximizes (1 − λ)·Σ score − λ·KL(p ‖ q̃) with q̃ = (1 − α)q + αp,
 * which keeps the divergence finite. λ = 0 is the model's own order.
 */
import type { Scored } from '../recommend/recommender';

/** Options of {@link calibrate}. */
export interface CalibrateOptions {
  /** Length of the list to build. */
  k: number;
  /** Trade-off λ in [0, 1]: 0 keeps the scores' order, 1 only matches the history's mix. */
  strength: number;
  /** The item's categories (none: it moves no distribution). */
  categoriesOf: (item: string) => readonly string[];
  /** Smoothing α of q̃ (default 0.01, as in the paper). */
  alpha?: number;
}

/**
 * A category distribution of items: each item's categories share `weight(i)` equally, then the
 * whole is normalized to sum 1.
 *
 * ```ts
 * categoryMix(['i1', 'i2'], categoriesOf); // Map { Drama → 0.75, Comedy → 0.25 }
 * ```
 */
export function categoryMix(items: readonly string[], categoriesOf: (item: string) => readonly string[], weight: (i: number) => number = () => 1): Map<string, number> {
  const mix = new Map<string, number>();
  let total = 0;
  items.forEach((item, i) => {
    const cats = categoriesOf(item);
    if (!cats.length) return;
    const w = weight(i);
    for (const c of cats) mix.set(c, (mix.get(c) ?? 0) + w / cats.length);
    total += w;
  });
  if (total > 0) for (const [c, v] of mix) mix.set(c, v / total);
  return mix;
}

/**
 * KL(p ‖ q̃) with q̃ = (1 − α)q + αp, over p's categories.
 *
 * ```ts
 * calibrationKl(history, listMix, 0.01);
 * ```
 */
export function calibrationKl(p: ReadonlyMap<string, number>, q: ReadonlyMap<string, number>, alpha = 0.01): number {
  let kl = 0;
  for (const [g, pg] of p) {
    if (pg <= 0) continue;
    const qg = (1 - alpha) * (q.get(g) ?? 0) + alpha * pg;
    kl += pg * Math.log2(pg / qg);
  }
  return kl;
}

/**
 * Steck's greedy calibrated re-ranking of `candidates` (scores min-max normalized to [0, 1] so λ
 * means the same for every model) against the user's `history`.
 *
 * ```ts
 * calibrate(model.recommend(user, 100), historyItems, { k: 10, strength: 0.5, categoriesOf });
 * ```
 */
export function calibrate(candidates: readonly Scored[], history: readonly string[], options: CalibrateOptions): Scored[] {
  const lambda = options.strength;
  if (lambda <= 0 || !candidates.length) return candidates.slice(0, options.k);
  const alpha = options.alpha ?? 0.01;
  const p = categoryMix(history, options.categoriesOf);
  const norm = normalizedScores(candidates);
  const chosen: number[] = [];
  const left = new Set(candidates.map((_, i) => i));
  const counts = new Map<string, number>();
  let scoreSum = 0;
  while (chosen.length < options.k && left.size) {
    let best = -1;
    let bestValue = -Infinity;
    for (const i of left) {
      const q = mixWith(counts, options.categoriesOf(candidates[i].item));
      const value = (1 - lambda) * (scoreSum + norm[i]) - lambda * calibrationKl(p, q, alpha);
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    chosen.push(best);
    left.delete(best);
    scoreSum += norm[best];
    const cats = options.categoriesOf(candidates[best].item);
    for (const c of cats) counts.set(c, (counts.get(c) ?? 0) + 1 / cats.length);
  }
  return chosen.map((i) => candidates[i]);
}

/** The list's category mix if an item with `cats` joined the chosen ones (`counts`: category mass so far). */
function mixWith(counts: ReadonlyMap<string, number>, cats: readonly string[]): Map<string, number> {
  const mix = new Map(counts);
  for (const c of cats) mix.set(c, (mix.get(c) ?? 0) + 1 / cats.length);
  let mass = 0;
  for (const v of mix.values()) mass += v;
  if (mass > 0) for (const [c, v] of mix) mix.set(c, v / mass);
  return mix;
}

/**
 * Scores min-max normalized to [0, 1] (all 1 when they are equal), so a strength means the same
 * whatever scale a model scores on.
 *
 * ```ts
 * normalizedScores([{ item: 'a', score: 4 }, { item: 'b', score: 2 }]); // [1, 0]
 * ```
 */
export function normalizedScores(candidates: readonly Scored[]): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of candidates) {
    lo = Math.min(lo, c.score);
    hi = Math.max(hi, c.score);
  }
  return candidates.map((c) => (hi > lo ? (c.score - lo) / (hi - lo) : 1));
}
