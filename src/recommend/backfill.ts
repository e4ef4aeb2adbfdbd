import type { CatalogItem } from '../core/catalog';

/** Where backfill items come from, in order of preference, with the reason each carries. */
export interface BackfillSource {
  /** Machine reason of items from this source (`popular`, `catalog`). */
  reason: string;
  items: Iterable<string>;
}

/** One item added by {@link backfill}. */
export interface Backfilled {
  itemId: string;
  reason: string;
}

/**
 * Items to fill a list up: the first `need` eligible ids of the sources, in order, that the
 * list does not hold yet. Pure, and lazy: a source is read only as far as needed.
 *
 * ```ts
 * backfill(new Set(['a']), 2, [{ reason: 'popular', items: ['a', 'b'] }, { reason: 'catalog', items: ['c'] }], () => true);
 * // [{ itemId: 'b', reason: 'popular' }, { itemId: 'c', reason: 'catalog' }]
 * ```
 */
export function backfill(have: ReadonlySet<string>, need: number, sources: readonly BackfillSource[], eligible: (itemId: string) => boolean): Backfilled[] {
  const out: Backfilled[] = [];
  if (need <= 0) return out;
  const seen = new Set(have);
  for (const source of sources) {
    for (const itemId of source.items) {
      if (seen.has(itemId) || !eligible(itemId)) continue;
      seen.add(itemId);
      out.push({ itemId, reason: source.reason });
      if (out.length >= need) return out;
    }
  }
  return out;
}

/**
 * The catalog in round-robin order across categories (the first item of each category, then
 * the second of each…), so that a list filled from the catalog is a mix, not the first
 * category in file order.
 */
export function interleaveByCategory(items: readonly CatalogItem[]): string[] {
  const queues = new Map<string, string[]>();
  for (const item of items) {
    const q = queues.get(item.category);
    if (q) q.push(item.id);
    else queues.set(item.category, [item.id]);
  }
  const out: string[] = [];
  const lists = [...queues.values()];
  for (let i = 0; out.length < items.length; i++) for (const q of lists) if (i < q.length) out.push(q[i]);
  return out;
}
