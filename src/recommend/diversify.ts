/**
 * Re-ranking for a varied list. Pure: candidates in, the chosen k out, deterministic.
 *
 * Two knobs, usable together:
 * - `strength` (0..1) is maximal marginal relevance (Carbonell & Goldstein, 1998): each next
 *   pick maximizes `(1 - strength) · relevance − strength · max similarity to the picks so
 *   far`. 0 keeps the ranking as it is; 1 picks for variety alone after the first item.
 * - `maxPerCategory` caps how many items of one category the list holds. A list that could not
 *   be full under the cap is filled anyway: a full list matters more than the cap.
 */

/** One candidate: its relevance and what similarity looks at. */
export interface DiversityCandidate {
  itemId: string;
  /** Relevance, higher is better (any scale; normalized inside). */
  score: number;
  category?: string;
  tags?: readonly string[];
  /**
   * The same tags as a set, when the caller has one built already (`Catalog.tagSet`): the
   * similarity of two candidates then allocates nothing. When given, it is what is compared.
   */
  tagSet?: ReadonlySet<string>;
}

/** Options of {@link diversify}. */
export interface DiversifyOptions {
  /** MMR strength in [0, 1] (default 0: relevance order). */
  strength?: number;
  /** At most this many items of one category, unless the list would otherwise not be full. */
  maxPerCategory?: number;
}

/**
 * Similarity of two items from what a catalog says about them: the same category counts most,
 * shared tags tell two items of one category apart (road and trail shoes).
 */
export function itemSimilarity(a: DiversityCandidate, b: DiversityCandidate): number {
  return similarity(a, tagsOf(a), b, tagsOf(b));
}

const tagsOf = (c: DiversityCandidate): ReadonlySet<string> | undefined => c.tagSet ?? (c.tags?.length ? new Set(c.tags) : undefined);

function jaccard(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): number {
  if (!a?.size || !b?.size) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return shared / (a.size + b.size - shared);
}

/** {@link itemSimilarity} with each side's tag set already at hand. */
function similarity(a: DiversityCandidate, aTags: ReadonlySet<string> | undefined, b: DiversityCandidate, bTags: ReadonlySet<string> | undefined): number {
  const sameCategory = a.category !== undefined && a.category === b.category ? 0.6 : 0;
  return sameCategory + 0.4 * jaccard(aTags, bTags);
}

/**
 * Picks `k` candidates for relevance and variety. The first pick is always the most relevant,
 * so the top of the list stays what the ranking put there.
 *
 * ```ts
 * diversify(candidates, 5, { strength: 0.3, maxPerCategory: 2 });
 * ```
 */
export function diversify<C extends DiversityCandidate>(candidates: readonly C[], k: number, options: DiversifyOptions = {}): C[] {
  const strength = Math.min(1, Math.max(0, options.strength ?? 0));
  const cap = options.maxPerCategory !== undefined && options.maxPerCategory >= 1 ? Math.floor(options.maxPerCategory) : Infinity;
  const ranked = [...candidates].sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1));
  if (strength === 0 && cap === Infinity) return ranked.slice(0, k);
  const max = ranked.length ? ranked[0].score : 0;
  const min = ranked.length ? Math.min(0, ranked[ranked.length - 1].score) : 0;
  const span = max - min || 1;
  const relevance = ranked.map((c) => (c.score - min) / span);
  // Each candidate's tags as a set once per list, not once per pair compared.
  const tags = ranked.map(tagsOf);
  // Highest similarity of each candidate to anything picked so far, updated after each pick.
  const nearest = new Array<number>(ranked.length).fill(0);
  const taken = new Array<boolean>(ranked.length).fill(false);
  const perCategory = new Map<string, number>();
  const picked: C[] = [];
  while (picked.length < k && picked.length < ranked.length) {
    let best = -1;
    let bestValue = -Infinity;
    let overCap = -1;
    for (let i = 0; i < ranked.length; i++) {
      if (taken[i]) continue;
      const value = (1 - strength) * relevance[i] - strength * nearest[i];
      const category = ranked[i].category;
      if (category !== undefined && (perCategory.get(category) ?? 0) >= cap) {
        if (overCap < 0) overCap = i;
        continue;
      }
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    // Only capped categories are left: fill the list with the most relevant of them.
    if (best < 0) best = overCap;
    taken[best] = true;
    const chosen = ranked[best];
    picked.push(chosen);
    if (chosen.category !== undefined) perCategory.set(chosen.category, (perCategory.get(chosen.category) ?? 0) + 1);
    if (strength > 0) {
      for (let i = 0; i < ranked.length; i++) if (!taken[i]) nearest[i] = Math.max(nearest[i], similarity(ranked[i], tags[i], chosen, tags[best]));
    }
  }
  return picked;
}
