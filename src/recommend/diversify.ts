import type { Recommendation } from '../core/personalization';

/**
 * Re-ranks recommendations for variety: picks greedily, each time the item whose relevance
 * (its score over the best score) minus `strength` times the number of items of its category
 * already picked is highest. 0 keeps the ranking as it is; 1 all but forbids a second item of
 * a category while another category is left. Items without a category count as their own.
 * Pure; the input is not changed.
 *
 * ```ts
 * diversify(recommendations, 0.5, 5);
 * ```
 */
export function diversify(list: readonly Recommendation[], strength: number, k: number): Recommendation[] {
  if (strength <= 0 || list.length <= 1) return list.slice(0, k);
  const best = Math.max(...list.map((r) => r.score)) || 1;
  const left = [...list];
  const picked: Recommendation[] = [];
  const perCategory = new Map<string, number>();
  while (picked.length < k && left.length) {
    let at = 0;
    let value = -Infinity;
    left.forEach((r, i) => {
      const category = r.item?.category;
      const v = r.score / best - strength * (category === undefined ? 0 : (perCategory.get(category) ?? 0));
      if (v > value) {
        value = v;
        at = i;
      }
    });
    const [r] = left.splice(at, 1);
    picked.push(r);
    const category = r.item?.category;
    if (category !== undefined) perCategory.set(category, (perCategory.get(category) ?? 0) + 1);
  }
  return picked;
}
