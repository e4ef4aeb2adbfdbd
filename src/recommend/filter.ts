import type { CatalogItem } from '../core/catalog';
import type { RecommendFilter } from '../core/filter';

/** True when the filter asks for nothing: every item passes. */
export function isEmptyFilter(filter: RecommendFilter | undefined): boolean {
  return !filter || (filter.maxPrice === undefined && filter.minPrice === undefined && !filter.categories?.length && !filter.tags?.length);
}

/**
 * Whether an item passes a filter. An item with no price fails any price bound: "under 30"
 * must not show something whose price nobody knows.
 *
 * ```ts
 * passesFilter({ id: 'a', title: 'A', category: 'yoga', price: 25, description: '' }, { maxPrice: 30 }); // true
 * ```
 */
export function passesFilter(item: CatalogItem, filter: RecommendFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.maxPrice !== undefined && (item.price === undefined || item.price > filter.maxPrice)) return false;
  if (filter.minPrice !== undefined && (item.price === undefined || item.price < filter.minPrice)) return false;
  if (filter.categories?.length && !filter.categories.includes(item.category)) return false;
  if (filter.tags?.length && !filter.tags.some((t) => item.tags?.includes(t))) return false;
  return true;
}

/**
 * Combines two filters, the second refining the first: bounds tighten, and categories or tags
 * given by the second replace the first's (a shopper who says "yoga instead" leaves running).
 */
export function refineFilter(base: RecommendFilter | undefined, next: RecommendFilter | undefined): RecommendFilter | undefined {
  if (!base) return next;
  if (!next) return base;
  const out: RecommendFilter = { ...base, ...next };
  if (base.maxPrice !== undefined && next.maxPrice !== undefined) out.maxPrice = Math.min(base.maxPrice, next.maxPrice);
  if (base.minPrice !== undefined && next.minPrice !== undefined) out.minPrice = Math.max(base.minPrice, next.minPrice);
  return out;
}

/**
 * A user's standing preferences (an onboarding budget) under what this turn asks for: the
 * turn's price bounds, when it gives any, replace the defaults' (a shopper with a budget of
 * 50 who asks for "between 60 and 100" means it); its categories and tags replace theirs.
 *
 * ```ts
 * withDefaultFilter({ maxPrice: 50 }, { categories: ['running'] }); // { maxPrice: 50, categories: ['running'] }
 * withDefaultFilter({ maxPrice: 50 }, { minPrice: 60 }); // { minPrice: 60 }
 * ```
 */
export function withDefaultFilter(defaults: RecommendFilter | undefined, explicit: RecommendFilter | undefined): RecommendFilter | undefined {
  if (isEmptyFilter(defaults)) return explicit;
  if (!explicit) return defaults;
  const out: RecommendFilter = { ...defaults, ...explicit };
  if (explicit.maxPrice !== undefined || explicit.minPrice !== undefined) {
    if (explicit.maxPrice === undefined) delete out.maxPrice;
    if (explicit.minPrice === undefined) delete out.minPrice;
  }
  return out;
}
