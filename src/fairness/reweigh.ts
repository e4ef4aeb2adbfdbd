/**
 * Reweighing (Kamiran & Calders 2012, AIF360's `Reweighing`): each training interaction gets the
 * weight w = n_y·n_s / (n·n_{s,y}), with s the user's group and y the interaction's label (here
 * the item's group, e.g. head or long tail), so that after weighting the label is independent of
 * the group: a group that rarely meets long-tail items in the data has those few interactions
 * counted more. Pure; the models read the weights when trained with weights on (`binary: false`,
 * or `useWeights` for popularity).
 */
import type { Interaction } from '../recommend/recommender';

/** The weight of every (group, label) cell, and how many interactions fell in it. */
export interface ReweighTable {
  /** `group|label` → weight. */
  weights: Record<string, number>;
  /** `group|label` → interactions. */
  counts: Record<string, number>;
}

/** Options of {@link reweigh}. */
export interface ReweighOptions {
  /** The user's group (s); users without one keep weight 1. */
  groupOf: (user: string) => string | undefined;
  /** The interaction's label (y): the item's group. */
  labelOf: (x: Interaction) => string;
  /** Multiply the interaction's own weight (its rating) instead of replacing it (default false). */
  keepStrength?: boolean;
}

/** The cell key of a (group, label) pair. */
function cell(group: string, label: string): string {
  return `${group}|${label}`;
}

/**
 * AIF360's weights for each (group, label) cell of `interactions`.
 *
 * ```ts
 * reweighTable(train, { groupOf, labelOf }).weights['F|tail']; // > 1 when F meets the tail less
 * ```
 */
export function reweighTable(interactions: readonly Interaction[], options: Omit<ReweighOptions, 'keepStrength'>): ReweighTable {
  const nS = new Map<string, number>();
  const nY = new Map<string, number>();
  const nSY = new Map<string, number>();
  let n = 0;
  for (const x of interactions) {
    const s = options.groupOf(x.user);
    if (s === undefined) continue;
    const y = options.labelOf(x);
    n++;
    nS.set(s, (nS.get(s) ?? 0) + 1);
    nY.set(y, (nY.get(y) ?? 0) + 1);
    nSY.set(cell(s, y), (nSY.get(cell(s, y)) ?? 0) + 1);
  }
  const weights: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const [key, count] of [...nSY].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const [s, y] = key.split('|');
    weights[key] = ((nY.get(y) ?? 0) * (nS.get(s) ?? 0)) / (n * count);
    counts[key] = count;
  }
  return { weights, counts };
}

/**
 * The interactions with AIF360's weights as their `weight` (times their own with
 * `keepStrength`), in the same order.
 *
 * ```ts
 * const weighted = reweigh(train, { groupOf: (u) => users.get(u)?.gender, labelOf: (x) => tail.has(x.item) ? 'tail' : 'head' });
 * createRecommender('ease', { binary: false }).fit({ interactions: weighted });
 * ```
 */
export function reweigh(interactions: readonly Interaction[], options: ReweighOptions): Interaction[] {
  const { weights } = reweighTable(interactions, options);
  return interactions.map((x) => {
    const s = options.groupOf(x.user);
    const w = s === undefined ? 1 : weights[cell(s, options.labelOf(x))];
    return { ...x, weight: options.keepStrength ? x.weight * w : w };
  });
}
