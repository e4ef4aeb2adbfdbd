/**
 * Exposure of items in ranked lists (Singh & Joachims, "Fairness of Exposure in Rankings",
 * 2018): a slot's exposure is the chance a reader looks at it, modelled as 1/log₂(1 + rank), the
 * DCG discount. An item group's exposure is what its items receive; demographic parity of
 * exposure asks that groups receive exposure in proportion to their size.
 */
import { gapsOf, type MetricGaps } from './frame';

/**
 * The exposure of rank `rank` (1-based): 1/log₂(1 + rank).
 *
 * ```ts
 * positionWeight(1); // 1
 * positionWeight(3); // 0.5
 * ```
 */
export function positionWeight(rank: number): number {
  return 1 / Math.log2(1 + rank);
}

/**
 * Total exposure of each item over `lists`.
 *
 * ```ts
 * itemExposure([['a', 'b'], ['b']]); // Map { a → 1, b → 1.63… }
 * ```
 */
export function itemExposure(lists: readonly (readonly string[])[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const list of lists) list.forEach((item, r) => out.set(item, (out.get(item) ?? 0) + positionWeight(r + 1)));
  return out;
}

/** Exposure one item group received. */
export interface GroupExposure {
  /** Catalog items in the group. */
  items: number;
  /** Exposure summed over the group's items. */
  total: number;
  /** Share of all exposure. */
  share: number;
  /** Mean exposure per catalog item of the group (Singh & Joachims' group exposure). */
  perItem: number;
}

/** Exposure by item group, with the parity gaps of per-item exposure. */
export interface ExposureReport {
  groups: Record<string, GroupExposure>;
  /** Gaps of per-item exposure between groups (ratio 1 is demographic parity of exposure). */
  parity?: MetricGaps;
}

/**
 * Exposure by item group (category, provider, head or long tail): how much of the lists' exposure
 * each group's items receive, in total and per item. Items of the catalog that were never shown
 * count in their group with exposure 0; an item in several groups counts in each.
 *
 * ```ts
 * const pop = popularityOf(train);
 * exposureByItemGroup(lists, catalog, (i) => [pop.tail.has(i) ? 'tail' : 'head']);
 * ```
 */
export function exposureByItemGroup(
  lists: readonly (readonly string[])[],
  catalog: Iterable<string>,
  groupsOf: (item: string) => readonly string[],
): ExposureReport {
  const exposure = itemExposure(lists);
  const acc = new Map<string, { items: number; total: number }>();
  let all = 0;
  for (const item of catalog) {
    const e = exposure.get(item) ?? 0;
    all += e;
    for (const g of groupsOf(item)) {
      const a = acc.get(g) ?? { items: 0, total: 0 };
      a.items++;
      a.total += e;
      acc.set(g, a);
    }
  }
  const groups: Record<string, GroupExposure> = {};
  for (const [g, a] of [...acc].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) {
    groups[g] = { items: a.items, total: a.total, share: all ? a.total / all : 0, perItem: a.items ? a.total / a.items : 0 };
  }
  let catalogItems = 0;
  for (const a of acc.values()) catalogItems += a.items;
  const perItemOverall = catalogItems ? [...acc.values()].reduce((s, a) => s + a.total, 0) / catalogItems : 0;
  return { groups, parity: gapsOf(Object.entries(groups).map(([g, e]) => [g, e.perItem]), perItemOverall) };
}

/**
 * Share of one list's exposure that goes to items `inGroup` accepts: the per-user exposure a
 * user group's lists give, e.g., the long tail.
 *
 * ```ts
 * exposureShare(['a', 'b'], (i) => tail.has(i));
 * ```
 */
export function exposureShare(list: readonly string[], inGroup: (item: string) => boolean): number {
  let total = 0;
  let hit = 0;
  list.forEach((item, r) => {
    const w = positionWeight(r + 1);
    total += w;
    if (inGroup(item)) hit += w;
  });
  return total ? hit / total : 0;
}
