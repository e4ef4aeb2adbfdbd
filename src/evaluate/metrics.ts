/**
 * Ranking metrics of one user's top-k list against the items they actually interacted with in
 * the held-out part. Relevance is binary: an item is relevant or it is not. Definitions follow
 * Microsoft Recommenders' `python_evaluation`, so our figures compare with theirs.
 */

/** Every metric of one ranked list (or their mean over users). */
export interface RankingMetrics {
  /** Hits in the top k divided by k (not by the list's length: a short list is penalized). */
  precision: number;
  /** Hits in the top k divided by the number of relevant items. */
  recall: number;
  /**
   * Average precision divided by the number of relevant items: what Microsoft Recommenders
   * reports as "MAP" in its benchmarks (its `map`). It cannot reach 1 when there are more than
   * k relevant items.
   */
  map: number;
  /** The usual AP@K: average precision divided by min(relevant, k), so a perfect list scores 1. */
  mapAtK: number;
  /** Normalized discounted cumulative gain with binary gains and log2 discount. */
  ndcg: number;
  /** 1 when at least one relevant item is in the top k, else 0. */
  hitRate: number;
}

/**
 * Counts the relevant items among the first `k` of `ranked`.
 *
 * ```ts
 * hitsAtK(['a', 'b', 'c'], new Set(['c', 'z']), 2); // 0
 * ```
 */
export function hitsAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let hits = 0;
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i])) hits++;
  return hits;
}

/**
 * Precision@K: share of the k slots filled with a relevant item.
 *
 * ```ts
 * precisionAtK(['a', 'b', 'c', 'd'], new Set(['a', 'c']), 4); // 0.5
 * ```
 */
export function precisionAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return k > 0 ? hitsAtK(ranked, relevant, k) / k : 0;
}

/**
 * Recall@K: share of the relevant items found in the top k (0 when nothing is relevant).
 *
 * ```ts
 * recallAtK(['a', 'b'], new Set(['a', 'c', 'd', 'e']), 2); // 0.25
 * ```
 */
export function recallAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return relevant.size ? hitsAtK(ranked, relevant, k) / relevant.size : 0;
}

/** Which denominator average precision uses; see {@link RankingMetrics.map}. */
export type ApNormalization = 'relevant' | 'min-k';

/**
 * Average precision at k: the precision at each rank that holds a hit, summed, then divided by
 * the number of relevant items (`relevant`, Microsoft Recommenders' MAP) or by min(relevant, k)
 * (`min-k`, the usual AP@K).
 *
 * ```ts
 * // hits at ranks 1 and 3: (1/1 + 2/3) / 4 relevant
 * averagePrecisionAtK(['a', 'x', 'b'], new Set(['a', 'b', 'c', 'd']), 3); // 0.41666…
 * ```
 */
export function averagePrecisionAtK(
  ranked: readonly string[],
  relevant: ReadonlySet<string>,
  k: number,
  normalization: ApNormalization = 'relevant',
): number {
  if (!relevant.size || k <= 0) return 0;
  let hits = 0;
  let sum = 0;
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) {
    if (relevant.has(ranked[i])) sum += ++hits / (i + 1);
  }
  return sum / (normalization === 'relevant' ? relevant.size : Math.min(relevant.size, k));
}

/**
 * NDCG@K with binary relevance: DCG = Σ 1/log2(rank+1) over hits, divided by the DCG of an
 * ideal list (all relevant items first, at most k of them).
 *
 * ```ts
 * ndcgAtK(['x', 'a'], new Set(['a']), 2); // (1/log2 3) / 1 = 0.6309…
 * ```
 */
export function ndcgAtK(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (!relevant.size || k <= 0) return 0;
  let dcg = 0;
  const n = Math.min(k, ranked.length);
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i])) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  const m = Math.min(k, relevant.size);
  for (let i = 0; i < m; i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

/**
 * Every metric of one list in one pass over the definitions above.
 *
 * ```ts
 * const m = rankingMetrics(model.recommend('u1', 10).map((s) => s.item), heldOut, 10);
 * ```
 */
export function rankingMetrics(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): RankingMetrics {
  const hits = hitsAtK(ranked, relevant, k);
  return {
    precision: k > 0 ? hits / k : 0,
    recall: relevant.size ? hits / relevant.size : 0,
    map: averagePrecisionAtK(ranked, relevant, k, 'relevant'),
    mapAtK: averagePrecisionAtK(ranked, relevant, k, 'min-k'),
    ndcg: ndcgAtK(ranked, relevant, k),
    hitRate: hits > 0 ? 1 : 0,
  };
}

/**
 * Catalog coverage: the share of the catalog that appears in at least one recommendation list.
 * A model that shows everyone the same ten items covers almost nothing.
 *
 * ```ts
 * catalogCoverage([['a', 'b'], ['b', 'c']], 10); // 0.3
 * ```
 */
export function catalogCoverage(lists: Iterable<readonly string[]>, catalogSize: number): number {
  if (catalogSize <= 0) return 0;
  const shown = new Set<string>();
  for (const list of lists) for (const item of list) shown.add(item);
  return shown.size / catalogSize;
}

/** The metric names, in report order. */
export const METRIC_NAMES: readonly (keyof RankingMetrics)[] = ['precision', 'recall', 'map', 'mapAtK', 'ndcg', 'hitRate'];

/**
 * Mean of each metric over a list of per-user results (all zeros for an empty list).
 *
 * ```ts
 * meanMetrics(perUser.map((u) => u.metrics));
 * ```
 */
export function meanMetrics(all: readonly RankingMetrics[]): RankingMetrics {
  const mean: RankingMetrics = { precision: 0, recall: 0, map: 0, mapAtK: 0, ndcg: 0, hitRate: 0 };
  if (!all.length) return mean;
  for (const m of all) for (const name of METRIC_NAMES) mean[name] += m[name];
  for (const name of METRIC_NAMES) mean[name] /= all.length;
  return mean;
}
