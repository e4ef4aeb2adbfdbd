import type { Catalog } from '../core/catalog';

/**
 * Finds which catalog categories (and items) a message talks about, so that asking about
 * "running shoes" counts as interest in running before the user has clicked anything.
 * Deliberately simple: a keyword index built once from category names and item tags.
 */
export interface MentionMatcher {
  /** Categories mentioned in `text`, with how many keywords hit each. */
  categories(text: string): Map<string, number>;
}

const STOP = new Set(['the', 'and', 'for', 'with', 'you', 'your', 'show', 'me', 'some', 'any', 'have', 'want', 'need', 'looking', 'gear', 'item', 'items', 'product', 'products']);

/** Lower-cased word stems: plural `s` dropped so "shoes" meets "shoe". */
export function tokens(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(stem);
}

function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

/**
 * Builds a matcher from a catalog. A tag becomes a keyword of a category when most items
 * carrying it belong to that category (so generic tags like "sale" do not point anywhere).
 */
export function createMentionMatcher(catalog: Catalog): MentionMatcher {
  const index = new Map<string, string>();
  const tagCounts = new Map<string, Map<string, number>>();
  for (const item of catalog.all()) {
    for (const tag of item.tags ?? []) {
      for (const t of tokens(tag)) {
        const byCat = tagCounts.get(t) ?? new Map<string, number>();
        byCat.set(item.category, (byCat.get(item.category) ?? 0) + 1);
        tagCounts.set(t, byCat);
      }
    }
  }
  for (const [tag, byCat] of tagCounts) {
    const total = [...byCat.values()].reduce((a, b) => a + b, 0);
    const [best, n] = [...byCat.entries()].sort((a, b) => b[1] - a[1])[0];
    if (n / total >= 0.6 && tag.length > 2 && !STOP.has(tag)) index.set(tag, best);
  }
  // Category names win over tags.
  for (const category of catalog.categoryNames()) for (const t of tokens(category)) if (!STOP.has(t)) index.set(t, category);

  return {
    categories(text: string): Map<string, number> {
      const hits = new Map<string, number>();
      for (const t of tokens(text)) {
        const c = index.get(t);
        if (c) hits.set(c, (hits.get(c) ?? 0) + 1);
      }
      return hits;
    },
  };
}
