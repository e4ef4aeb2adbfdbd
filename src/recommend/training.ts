import type { Catalog } from '../core/catalog';
import { INTEREST_WEIGHTS, productsOf } from '../core/ecommerce';
import type { AttuneEvent } from '../core/event';
import { own } from '../core/own';
import { logPages } from '../store/log-pages';
import type { EventLog } from '../store/store';
import type { Interaction, ItemFeatures } from './recommender';

/**
 * The bridge between the event log and the models: which events count as interactions, and
 * how strongly. Off the turn path; used by `attune train --from-store` and `Attune.train()`.
 */
export function interactionsFromEvents(events: Iterable<AttuneEvent>): Interaction[] {
  const out: Interaction[] = [];
  for (const e of events) {
    const weight = e.type === 'track' && e.event ? own(INTEREST_WEIGHTS, e.event) : undefined;
    if (!weight || weight <= 0) continue;
    const time = Date.parse(e.timestamp);
    const context: Record<string, string> = {};
    if (e.context.locale) context.locale = e.context.locale;
    if (e.context.channel) context.channel = e.context.channel;
    for (const p of productsOf(e)) {
      if (!p.productId) continue;
      out.push({ user: e.userId, item: p.productId, weight: weight * Math.max(1, p.quantity ?? 1), time, context });
    }
  }
  return out;
}

/** Reads the whole event log, page by page, and returns its interactions. */
export async function interactionsFromLog(log: EventLog, pageSize = 5000): Promise<Interaction[]> {
  const out: Interaction[] = [];
  for await (const events of logPages(log, pageSize)) out.push(...interactionsFromEvents(events));
  return out;
}

/** Catalog items as content features for content-based and hybrid models. */
export function itemFeatures(catalog: Catalog): ItemFeatures[] {
  return catalog.all().map((i) => ({ id: i.id, text: `${i.title} ${i.description}`, categories: [i.category, ...(i.tags ?? [])] }));
}
