import type { Catalog } from '../core/catalog';
import { productsOf } from '../core/ecommerce';
import type { AttuneEvent } from '../core/event';
import { type CategoryOf, featuresOf, type FeatureSchema } from './features';
import { profilesAt } from './history';
import { purchaseLabel } from './labels';

/**
 * Training and test rows for propensity: one row per user and cut-off at which the user had
 * already been seen, with its raw features (as of the cut-off) and its labels (after it).
 */

/** Rows with their labels. */
export interface PropensityExamples {
  /** Raw feature rows, in the schema's order. */
  rows: Float64Array[];
  /** 1 when the user ordered within the horizon after the row's cut-off. */
  purchase: number[];
  /** Per category of the schema: 1 when an item of it was ordered within the horizon. */
  byCategory: Map<string, number[]>;
  /** The user and cut-off of each row. */
  users: string[];
  cutoffs: number[];
}

/** Options of {@link buildExamples}. */
export interface ExampleOptions {
  schema: FeatureSchema;
  horizonMs: number;
  /** Where item categories come from. */
  categoryOf: CategoryOf;
  catalog?: Catalog;
}

/**
 * One row per (user, cut-off) with the user seen by then, in user order then cut-off order.
 *
 * ```ts
 * const train = buildExamples(eventsByUser(events), split.train, { schema, horizonMs, categoryOf });
 * ```
 */
export function buildExamples(byUser: ReadonlyMap<string, readonly AttuneEvent[]>, cutoffs: readonly number[], options: ExampleOptions): PropensityExamples {
  const out: PropensityExamples = { rows: [], purchase: [], byCategory: new Map(options.schema.categories.map((c) => [c, []])), users: [], cutoffs: [] };
  for (const [user, events] of byUser) {
    const profiles = profilesAt(events, cutoffs, options.catalog);
    cutoffs.forEach((t, i) => {
      const profile = profiles[i];
      if (!profile) return;
      const label = purchaseLabel(events, t, options.horizonMs, options.catalog);
      out.rows.push(featuresOf(profile, t, options.categoryOf, options.schema));
      out.purchase.push(label.purchase);
      for (const [c, list] of out.byCategory) list.push(label.categories.has(c) ? 1 : 0);
      out.users.push(user);
      out.cutoffs.push(t);
    });
  }
  return out;
}

/**
 * Item categories from the catalog, and for items the catalog lacks, from the events
 * themselves (Segment's e-commerce events carry `category`). Also returns every category seen,
 * sorted: the categories a model gets features and heads for.
 *
 * ```ts
 * const { categoryOf, categories } = itemCategories(events, catalog);
 * ```
 */
export function itemCategories(events: Iterable<AttuneEvent>, catalog?: Catalog): { categoryOf: CategoryOf; categories: string[] } {
  const seen = new Map<string, string>();
  const all = new Set<string>(catalog ? catalog.all().map((i) => i.category) : []);
  for (const e of events) {
    for (const p of productsOf(e)) {
      if (!p.category) continue;
      all.add(p.category);
      if (p.productId && !seen.has(p.productId)) seen.set(p.productId, p.category);
    }
  }
  return { categoryOf: (id) => catalog?.get(id)?.category ?? seen.get(id), categories: [...all].sort() };
}
