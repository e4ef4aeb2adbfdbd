/**
 * Blend-weight tuning for the hybrid: each part's candidate list per validation user, scores
 * min-max normalized to [0, 1], and a coordinate ascent over a weight grid that maximizes the
 * validation nDCG@k. Kept apart from hybrid.ts because it is the only place weights are chosen.
 */
import type { Interaction, Scored } from '../recommender';
import { Rng } from './rng';
import { topK } from './topk';

/** Part scores min-max normalized to [0, 1] (a single or flat list scores 1). */
export function normalized(list: readonly Scored[]): Map<string, number> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of list) {
    lo = Math.min(lo, s.score);
    hi = Math.max(hi, s.score);
  }
  const span = hi - lo;
  return new Map(list.map((s) => [s.item, span > 0 ? (s.score - lo) / span : 1]));
}

/** Seeded per-user holdout: `fraction` of each user's interactions (at least 2 needed) to validation. */
export function holdout(interactions: readonly Interaction[], fraction: number, seed: number): { fit: Interaction[]; validation: Map<string, Set<string>> } {
  const byUser = new Map<string, number[]>();
  interactions.forEach((x, k) => {
    const list = byUser.get(x.user);
    if (list) list.push(k);
    else byUser.set(x.user, [k]);
  });
  const rng = new Rng(seed);
  const held = new Uint8Array(interactions.length);
  const validation = new Map<string, Set<string>>();
  for (const [user, list] of byUser) {
    const n = Math.floor(list.length * fraction);
    if (list.length < 2 || n === 0) continue;
    const order = rng.shuffle(Int32Array.from(list));
    const items = new Set<string>();
    for (let k = 0; k < n; k++) {
      held[order[k]] = 1;
      items.add(interactions[order[k]].item);
    }
    validation.set(user, items);
  }
  return { fit: interactions.filter((_, k) => !held[k]), validation };
}

/** One validation user's candidates: per part a normalized score aligned to `items`, and relevance. */
export interface Candidates {
  items: string[];
  /** scores[p][j]: part p's normalized score of items[j] (0 when not in its list). */
  scores: Float32Array[];
  relevant: Uint8Array;
  /** Relevant items held out in all (the ideal DCG counts them even outside the candidates). */
  relevantCount: number;
}

/** Aligns the parts' lists for one user. */
export function candidatesOf(lists: readonly (readonly Scored[])[], held: ReadonlySet<string>): Candidates {
  const pos = new Map<string, number>();
  const items: string[] = [];
  for (const list of lists) for (const s of list) if (!pos.has(s.item)) pos.set(s.item, items.push(s.item) - 1);
  const scores = lists.map((list) => {
    const out = new Float32Array(items.length);
    for (const [item, v] of normalized(list)) out[pos.get(item) as number] = v;
    return out;
  });
  return { items, scores, relevant: Uint8Array.from(items, (i) => (held.has(i) ? 1 : 0)), relevantCount: held.size };
}

/** Per-user nDCG@k of the blend with `weights`. */
export function blendNdcg(users: readonly Candidates[], weights: readonly number[], k: number): Float64Array {
  const out = new Float64Array(users.length);
  users.forEach((c, u) => {
    const blended = new Float32Array(c.items.length);
    weights.forEach((w, p) => {
      if (w === 0) return;
      const s = c.scores[p];
      for (let j = 0; j < blended.length; j++) blended[j] += w * s[j];
    });
    const top = topK(blended, k, (j) => blended[j] > 0);
    let dcg = 0;
    top.forEach((j, r) => (dcg += c.relevant[j] / Math.log2(r + 2)));
    let ideal = 0;
    for (let r = 0; r < Math.min(k, c.relevantCount); r++) ideal += 1 / Math.log2(r + 2);
    out[u] = ideal > 0 ? dcg / ideal : 0;
  });
  return out;
}

/**
 * True when `next` beats `current` by more than `z` standard errors of the paired per-user
 * difference: a blend must earn its place, not win by validation noise.
 */
export function significantlyBetter(next: Float64Array, current: Float64Array, z: number): boolean {
  const n = next.length;
  if (n < 2) return false;
  let mean = 0;
  for (let u = 0; u < n; u++) mean += next[u] - current[u];
  mean /= n;
  let v = 0;
  for (let u = 0; u < n; u++) v += (next[u] - current[u] - mean) ** 2;
  const se = Math.sqrt(v / (n - 1) / n);
  return mean > 0 && mean > z * se;
}

const mean = (xs: Float64Array): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

const GRID = [0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1];

/**
 * Weights that maximize validation nDCG@k: start from the best single part (weight 1), then
 * coordinate ascent over {@link GRID}, accepting a change only when it is better by more than
 * `z` standard errors, so noise in a small validation set does not pull in useless parts.
 * The start makes the blend never worse than its best part on validation.
 */
export function tuneWeights(users: readonly Candidates[], parts: number, k: number, z = 2): number[] {
  let best = new Array<number>(parts).fill(0);
  let bestScores: Float64Array = new Float64Array(0);
  for (let p = 0; p < parts; p++) {
    const w = new Array<number>(parts).fill(0);
    w[p] = 1;
    const s = blendNdcg(users, w, k);
    if (p === 0 || mean(s) > mean(bestScores)) [best, bestScores] = [w, s];
  }
  for (let round = 0; round < 3; round++) {
    let changed = false;
    for (let p = 0; p < parts; p++) {
      for (const g of GRID) {
        if (g === best[p]) continue;
        const w = best.slice();
        w[p] = g;
        if (w.every((v) => v === 0)) continue;
        const s = blendNdcg(users, w, k);
        if (significantlyBetter(s, bestScores, z)) {
          [best, bestScores] = [w, s];
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return best;
}
