import type { AttuneEvent } from '../../src/core/event';
import { EcommerceEvents } from '../../src/core/ecommerce';
import { mulberry32, type Rng } from '../../src/core/random';

/**
 * Simulated shoppers with a planted purchase intent, as Segment e-commerce events: the data
 * the propensity model is checked on. Each shopper browses now and then (short sessions over
 * categories they like, a rare cart add or impulse order). Now and then an intent to buy in
 * one category begins: for the next few days they come back more often, their sessions are
 * deeper, they view that category and add it to the cart, and at the end of it they usually
 * order (sometimes they give up). So what comes before an order (recent views of a category,
 * cart adds, deeper and more frequent sessions) is exactly what the features measure, and a
 * model that learns it must rank users who will buy soon above those who will not.
 *
 * Pure and seeded: shopper `i` of seed `s` is always the same person.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** An item shoppers can view and buy. */
export interface SimItem {
  id: string;
  category: string;
  price?: number;
}

/** How strong the planted intent is, and how busy the shoppers are. */
export interface IntentBehaviour {
  /** Sessions per day while only browsing (each shopper draws from [0.5, 1.5] times this). */
  browseRate: number;
  /** Intents starting per day (each shopper draws from [0, 2] times this). */
  intentRate: number;
  /** Days an intent lasts before the order: uniform in [min, max]. */
  intentDays: [number, number];
  /** Sessions per day during an intent. */
  intentSessionRate: number;
  /** Share of intents given up without an order. */
  abandon: number;
  /** Chance of an impulse order in a browsing session. */
  impulse: number;
}

/** The default: a clear but noisy intent (15 % of intents given up, 2 % impulse orders per browsing session). */
export const DEFAULT_INTENT: IntentBehaviour = { browseRate: 0.12, intentRate: 1 / 30, intentDays: [3, 10], intentSessionRate: 1, abandon: 0.15, impulse: 0.02 };

/** Options of {@link simulateShoppers}. */
export interface SimulationOptions {
  seed: number;
  users: number;
  /** Items by category; every category gets shoppers who like it. */
  items: readonly SimItem[];
  /** First day (epoch ms, default 2026-01-05). */
  start?: number;
  /** Days simulated (default 84). */
  days?: number;
  behaviour?: Partial<IntentBehaviour>;
}

/** The simulated log, and the time it ends (the split's end). */
export interface Simulation {
  events: AttuneEvent[];
  start: number;
  end: number;
  categories: string[];
}

/**
 * Simulates `users` shoppers over `days` days, every event in time order per shopper.
 *
 * ```ts
 * const { events, end } = simulateShoppers({ seed: 7, users: 500, items: catalog });
 * trainPropensity(events, { end, horizonDays: 7 });
 * ```
 */
export function simulateShoppers(options: SimulationOptions): Simulation {
  const start = options.start ?? Date.parse('2026-01-05T00:00:00Z');
  const days = options.days ?? 84;
  const end = start + days * DAY_MS;
  const b = { ...DEFAULT_INTENT, ...options.behaviour };
  const byCategory = new Map<string, SimItem[]>();
  for (const item of options.items) {
    const list = byCategory.get(item.category) ?? [];
    list.push(item);
    byCategory.set(item.category, list);
  }
  const categories = [...byCategory.keys()].sort();
  const events: AttuneEvent[] = [];
  for (let u = 0; u < options.users; u++) {
    const rng = mulberry32((options.seed * 1_000_003 + u * 7919 + 17) >>> 0);
    events.push(...shopperEvents(`buyer-${options.seed}-${u}`, rng, { start, end, categories, byCategory, b }));
  }
  return { events, start, end, categories };
}

interface World {
  start: number;
  end: number;
  categories: string[];
  byCategory: Map<string, SimItem[]>;
  b: IntentBehaviour;
}

interface Session {
  at: number;
  /** The intent's category, or undefined for browsing. */
  intent?: string;
  /** For the intent's last session: whether it ends in an order. */
  order?: boolean;
}

function shopperEvents(userId: string, rng: Rng, w: World): AttuneEvent[] {
  const { b } = w;
  const likes = [pick(rng, w.categories), pick(rng, w.categories)];
  const browseRate = b.browseRate * (0.5 + rng());
  const intentRate = b.intentRate * 2 * rng();
  const sessions: Session[] = [];
  for (let t = w.start + exp(rng, browseRate) * DAY_MS; t < w.end; t += exp(rng, browseRate) * DAY_MS) sessions.push({ at: t });
  for (let s = w.start + exp(rng, intentRate) * DAY_MS; s < w.end; ) {
    const category = rng() < 0.6 ? pick(rng, likes) : pick(rng, w.categories);
    const length = (b.intentDays[0] + rng() * (b.intentDays[1] - b.intentDays[0])) * DAY_MS;
    const last = s + length;
    for (let t = s; t < last; t += exp(rng, b.intentSessionRate) * DAY_MS) sessions.push({ at: t, intent: category });
    sessions.push({ at: last, intent: category, order: rng() >= b.abandon });
    s = last + exp(rng, intentRate) * DAY_MS;
  }
  sessions.sort((a, c) => a.at - c.at);
  const out: AttuneEvent[] = [];
  let n = 0;
  const emit = (at: number, event: string, properties: Record<string, unknown>) => {
    if (at >= w.end) return;
    const timestamp = new Date(Math.round(at)).toISOString();
    out.push({ type: 'track', messageId: `${userId}-${n++}`, userId, event, properties, traits: {}, context: { channel: 'web' }, timestamp, receivedAt: timestamp });
  };
  for (const s of sessions) {
    let t = s.at;
    const step = () => (t += (1 + rng() * 3) * MINUTE_MS);
    const view = (item: SimItem) => emit(step(), EcommerceEvents.ProductViewed, { product_id: item.id, category: item.category, price: item.price });
    const cart = (item: SimItem) => emit(step(), EcommerceEvents.ProductAdded, { product_id: item.id, category: item.category, price: item.price, quantity: 1 });
    const order = (items: SimItem[]) => {
      emit(step(), EcommerceEvents.CheckoutStarted, { products: items.map(product) });
      emit(step(), EcommerceEvents.OrderCompleted, { order_id: `${userId}-o${n}`, revenue: items.reduce((v, i) => v + (i.price ?? 0), 0), products: items.map(product) });
    };
    if (s.intent === undefined) {
      const depth = 1 + Math.floor(rng() * 3);
      let last: SimItem | undefined;
      for (let k = 0; k < depth; k++) view((last = item(rng, w, rng() < 0.6 ? pick(rng, likes) : pick(rng, w.categories))));
      if (last && rng() < 0.05) cart(last);
      if (last && rng() < b.impulse) order([last]);
      continue;
    }
    const depth = 4 + Math.floor(rng() * 6);
    const seen: SimItem[] = [];
    for (let k = 0; k < depth; k++) {
      const i = item(rng, w, rng() < 0.8 ? s.intent : pick(rng, w.categories));
      view(i);
      if (i.category === s.intent) seen.push(i);
    }
    if (seen.length && rng() < 0.5) cart(pick(rng, seen));
    if (s.order) {
      const chosen = seen.length ? pick(rng, seen) : item(rng, w, s.intent);
      cart(chosen);
      order(rng() < 0.25 ? [chosen, item(rng, w, s.intent)] : [chosen]);
    }
  }
  return out;
}

function product(i: SimItem): Record<string, unknown> {
  return { product_id: i.id, category: i.category, price: i.price, quantity: 1 };
}

function item(rng: Rng, w: World, category: string): SimItem {
  return pick(rng, w.byCategory.get(category) as SimItem[]);
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)];
}

/** An exponential waiting time of rate `rate` per day (Infinity for rate 0). */
function exp(rng: Rng, rate: number): number {
  return rate > 0 ? -Math.log(1 - rng()) / rate : Infinity;
}
