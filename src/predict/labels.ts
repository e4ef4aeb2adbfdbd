import type { Catalog } from '../core/catalog';
import { EcommerceEvents, productsOf } from '../core/ecommerce';
import type { AttuneEvent } from '../core/event';

/**
 * What a propensity model learns to predict: whether the user completes an order within the
 * horizon after a cut-off, overall and per category of the items ordered. Pure.
 */

/** The outcome of one user after one cut-off. */
export interface PurchaseLabel {
  /** 1 when an order was completed in `(t, t + horizon]`, else 0. */
  purchase: 0 | 1;
  /** The categories of the items ordered in that window. */
  categories: ReadonlySet<string>;
}

/**
 * The label of a user (events in time order) after cut-off `t`: orders strictly after `t`
 * and at most `horizonMs` later. An order without a category (neither on the event nor in the
 * catalog) counts overall only.
 *
 * ```ts
 * purchaseLabel(events, t, 7 * 86_400_000, catalog); // { purchase: 1, categories: Set { 'running' } }
 * ```
 */
export function purchaseLabel(events: readonly AttuneEvent[], t: number, horizonMs: number, catalog?: Catalog): PurchaseLabel {
  const categories = new Set<string>();
  let purchase: 0 | 1 = 0;
  for (const e of events) {
    if (e.type !== 'track' || e.event !== EcommerceEvents.OrderCompleted) continue;
    const at = Date.parse(e.timestamp);
    if (at <= t || at > t + horizonMs) continue;
    purchase = 1;
    for (const p of productsOf(e)) {
      const c = p.category ?? (p.productId ? catalog?.get(p.productId)?.category : undefined);
      if (c) categories.add(c);
    }
  }
  return { purchase, categories };
}
