/**
 * Beyond-accuracy metrics of a set of recommendation lists: how much of the catalog they show,
 * how evenly, how novel, varied and surprising the items are, and how popular. Definitions follow
 * Microsoft Recommenders' `python_evaluation` (distributional coverage, novelty, diversity,
 * serendipity) and RecBole (Gini index, average popularity, tail percentage), so the figures
 * compare with theirs. Pure: lists and training interactions in, numbers out.
 */
import type { Interaction } from '../recommend/recommender';

/** Similarity of two items in [0, 1], for diversity and serendipity. */
export type ItemSimilarity = (a: string, b: string) => number;

/** What the training data says about item popularity. */
export interface Popularity {
  /** Training interactions per item (distinct users). */
  count: ReadonlyMap<string, number>;
  /** Distinct users in training. */
  users: number;
  /** Items of the long tail: everything outside the most popular `headShare` of the catalog. */
  tail: ReadonlySet<string>;
}

/** Share of the catalog, most popular first, that is the head (the rest is the long tail). */
export const DEFAULT_HEAD_SHARE = 0.2;

/**
 * Popularity from training interactions: each item's count of distinct users, and the long tail.
 * The head is the top `headShare` of the catalog by count (the Pareto 20 % of items), ties
 * broken by id so the split is deterministic.
 *
 * ```ts
 * const pop = popularityOf(train); // pop.tail.has('i9')
 * ```
 */
export function popularityOf(train: readonly Interaction[], headShare = DEFAULT_HEAD_SHARE): Popularity {
  const byItem = new Map<string, Set<string>>();
  const users = new Set<string>();
  for (const x of train) {
    users.add(x.user);
    const who = byItem.get(x.item);
    if (who) who.add(x.user);
    else byItem.set(x.item, new Set([x.user]));
  }
  const count = new Map<string, number>();
  for (const [item, who] of byItem) count.set(item, who.size);
  const ranked = [...count].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const head = Math.round(ranked.length * headShare);
  return { count, users: users.size, tail: new Set(ranked.slice(head).map(([item]) => item)) };
}

/** How often each item was recommended, over all lists. */
function recommendationCounts(lists: readonly (readonly string[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of lists) for (const item of list) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/**
 * Distributional coverage: Shannon entropy (bits) of how recommendations spread over items,
 * −Σ p(i) log₂ p(i) with p(i) the share of all recommendations that are item i.
 *
 * ```ts
 * distributionalCoverage([['a', 'b'], ['a', 'c']]); // 1.5
 * ```
 */
export function distributionalCoverage(lists: readonly (readonly string[])[]): number {
  const counts = recommendationCounts(lists);
  let total = 0;
  for (const c of counts.values()) total += c;
  let entropy = 0;
  for (const c of counts.values()) entropy -= (c / total) * Math.log2(c / total);
  return total ? entropy : 0;
}

/**
 * Gini index of how unevenly `values` (one per catalog item, zeros included) are spread: 0 when
 * every item gets the same, towards 1 when one item gets everything. RecBole's formula,
 * Σ (2i − n − 1)·x₍ᵢ₎ / (n·Σx) over the values sorted ascending.
 *
 * ```ts
 * gini([0, 0, 0, 4]); // 0.75
 * ```
 */
export function gini(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const total = sorted.reduce((s, v) => s + v, 0);
  if (!n || total <= 0) return 0;
  let sum = 0;
  sorted.forEach((v, i) => (sum += (2 * (i + 1) - n - 1) * v));
  return sum / (n * total);
}

/**
 * Gini index of item exposure over the whole catalog (items outside it are ignored): each item's exposure is the sum of its
 * position weights 1/log₂(1 + rank) over the lists (with `positional` false, its count).
 *
 * ```ts
 * exposureGini(lists, catalog); // 0.9 for a popularity model, lower for a personal one
 * ```
 */
export function exposureGini(lists: readonly (readonly string[])[], catalog: Iterable<string>, positional = true): number {
  const exposure = new Map<string, number>();
  for (const item of catalog) exposure.set(item, 0);
  for (const list of lists) {
    list.forEach((item, r) => {
      // Items outside the catalog (never in training) have no place in its distribution.
      const e = exposure.get(item);
      if (e !== undefined) exposure.set(item, e + (positional ? 1 / Math.log2(r + 2) : 1));
    });
  }
  return gini([...exposure.values()]);
}

/**
 * Novelty: the mean self-information −log₂(users(i) / users) of the recommended items, over all
 * recommendations. Items nobody had in training count as seen by one user (they are maximally
 * novel, not infinite).
 *
 * ```ts
 * novelty(lists, popularityOf(train));
 * ```
 */
export function novelty(lists: readonly (readonly string[])[], pop: Popularity): number {
  let sum = 0;
  let n = 0;
  for (const list of lists) {
    for (const item of list) {
      sum += -Math.log2(Math.max(1, pop.count.get(item) ?? 0) / Math.max(1, pop.users));
      n++;
    }
  }
  return n ? sum / n : 0;
}

/**
 * Intra-list diversity: 1 − the mean pairwise similarity inside each list, averaged over lists
 * with at least two items.
 *
 * ```ts
 * intraListDiversity(lists, cooccurrenceSimilarity(train));
 * ```
 */
export function intraListDiversity(lists: readonly (readonly string[])[], similarity: ItemSimilarity): number {
  let sum = 0;
  let n = 0;
  for (const list of lists) {
    if (list.length < 2) continue;
    let pairs = 0;
    let sim = 0;
    for (let a = 0; a < list.length; a++) {
      for (let b = a + 1; b < list.length; b++) {
        sim += similarity(list[a], list[b]);
        pairs++;
      }
    }
    sum += 1 - sim / pairs;
    n++;
  }
  return n ? sum / n : 0;
}

/**
 * Serendipity (Microsoft Recommenders): for each recommended item, its unexpectedness (1 − the
 * mean similarity to the user's training items) times its relevance (1 when held out for the
 * user); averaged over each list, then over users.
 *
 * ```ts
 * serendipity(perUser, historyByUser, cooccurrenceSimilarity(train));
 * ```
 */
export function serendipity(
  lists: readonly { user: string; recommended: readonly string[]; relevant: ReadonlySet<string> }[],
  history: ReadonlyMap<string, readonly string[]>,
  similarity: ItemSimilarity,
): number {
  let sum = 0;
  let n = 0;
  for (const { user, recommended, relevant } of lists) {
    const seen = history.get(user) ?? [];
    if (!recommended.length || !seen.length) continue;
    let s = 0;
    for (const item of recommended) {
      if (!relevant.has(item)) continue;
      let sim = 0;
      for (const h of seen) sim += similarity(item, h);
      s += 1 - sim / seen.length;
    }
    sum += s / recommended.length;
    n++;
  }
  return n ? sum / n : 0;
}

/**
 * Average recommendation popularity (RecBole): per list, the mean training count of its items;
 * averaged over lists.
 *
 * ```ts
 * averagePopularity(lists, popularityOf(train));
 * ```
 */
export function averagePopularity(lists: readonly (readonly string[])[], pop: Popularity): number {
  return meanOverLists(lists, (item) => pop.count.get(item) ?? 0);
}

/**
 * Long-tail share (RecBole's tail percentage): per list, the share of its items in the long tail;
 * averaged over lists.
 *
 * ```ts
 * longTailShare(lists, popularityOf(train)); // 0 for a popularity model
 * ```
 */
export function longTailShare(lists: readonly (readonly string[])[], pop: Popularity): number {
  return meanOverLists(lists, (item) => (pop.tail.has(item) ? 1 : 0));
}

function meanOverLists(lists: readonly (readonly string[])[], value: (item: string) => number): number {
  let sum = 0;
  let n = 0;
  for (const list of lists) {
    if (!list.length) continue;
    sum += list.reduce((s, item) => s + value(item), 0) / list.length;
    n++;
  }
  return n ? sum / n : 0;
}

/**
 * Item–item cosine of co-occurrence in training (Microsoft Recommenders' default similarity):
 * co(a, b) / √(co(a, a)·co(b, b)), with co counting users who had both.
 *
 * ```ts
 * const sim = cooccurrenceSimilarity(train); sim('i1', 'i2');
 * ```
 */
export function cooccurrenceSimilarity(train: readonly Interaction[]): ItemSimilarity {
  const usersOf = new Map<string, Set<string>>();
  for (const x of train) {
    const who = usersOf.get(x.item);
    if (who) who.add(x.user);
    else usersOf.set(x.item, new Set([x.user]));
  }
  const cache = new Map<string, number>();
  return (a, b) => {
    if (a === b) return usersOf.has(a) ? 1 : 0;
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit;
    const ua = usersOf.get(a);
    const ub = usersOf.get(b);
    let sim = 0;
    if (ua && ub) {
      const [small, large] = ua.size <= ub.size ? [ua, ub] : [ub, ua];
      let both = 0;
      for (const u of small) if (large.has(u)) both++;
      sim = both / Math.sqrt(ua.size * ub.size);
    }
    cache.set(key, sim);
    return sim;
  };
}

/** Every beyond-accuracy figure of one evaluation. */
export interface BeyondAccuracy {
  /** Share of the training catalog shown to somebody. */
  catalogCoverage: number;
  /** Entropy (bits) of how recommendations spread over items. */
  distributionalCoverage: number;
  /** Gini index of position-weighted exposure over the training catalog. */
  gini: number;
  /** Mean self-information of recommended items (bits). */
  novelty: number;
  /** 1 − mean pairwise co-occurrence similarity inside a list. */
  diversity: number;
  /** Relevant and unlike the user's history. */
  serendipity: number;
  /** Mean training popularity of recommended items. */
  averagePopularity: number;
  /** Share of recommended items from the long tail. */
  longTailShare: number;
}

/**
 * Every beyond-accuracy metric of the scored users' lists, against the training data.
 *
 * ```ts
 * beyondAccuracy(result.perUser, train, heldOut);
 * ```
 */
export function beyondAccuracy(
  perUser: readonly { user: string; recommended: readonly string[] }[],
  train: readonly Interaction[],
  relevantOf: (user: string) => ReadonlySet<string>,
  similarity: ItemSimilarity = cooccurrenceSimilarity(train),
): BeyondAccuracy {
  const pop = popularityOf(train);
  const lists = perUser.map((u) => u.recommended);
  const history = new Map<string, string[]>();
  for (const x of train) {
    const seen = history.get(x.user);
    if (seen) seen.push(x.item);
    else history.set(x.user, [x.item]);
  }
  const shown = new Set(lists.flat());
  return {
    catalogCoverage: pop.count.size ? [...shown].filter((i) => pop.count.has(i)).length / pop.count.size : 0,
    distributionalCoverage: distributionalCoverage(lists),
    gini: exposureGini(lists, pop.count.keys()),
    novelty: novelty(lists, pop),
    diversity: intraListDiversity(lists, similarity),
    serendipity: serendipity(
      perUser.map((u) => ({ user: u.user, recommended: u.recommended, relevant: relevantOf(u.user) })),
      history,
      similarity,
    ),
    averagePopularity: averagePopularity(lists, pop),
    longTailShare: longTailShare(lists, pop),
  };
}
