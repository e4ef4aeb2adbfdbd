import { mulberry32, type Rng } from '../../src/core/random';

/**
 * The simulated shoppers of `npm run demo:traffic`, with planted preferences: each loves one
 * category, clicks a recommended item of it far more often than another, and orders mostly
 * what they love. So an arm that recommends their category gets more clicks and orders: the
 * uplift the experiment must find. Pure and seeded: shopper `i` of seed `s` is always the same
 * person, whatever order the traffic runs them in.
 */

/** How shoppers behave (the planted effect). */
export interface ShopperBehaviour {
  /** Chance of clicking a recommended item of the loved category. */
  clickLoved: number;
  /** Chance of clicking any other recommended item. */
  clickOther: number;
  /** Chance of ordering, on a turn where a loved item was clicked. */
  orderAfterLovedClick: number;
  /** Chance of ordering something shown, on any other turn. */
  orderOtherwise: number;
}

/** The default behaviour: loved items are clicked ten times as often. */
export const DEFAULT_BEHAVIOUR: ShopperBehaviour = { clickLoved: 0.3, clickOther: 0.03, orderAfterLovedClick: 0.3, orderOtherwise: 0.01 };

/** One shopper: who, what they love, and how their visits go. */
export interface Shopper {
  userId: string;
  loves: string;
  /** Per session, the texts of its turns. */
  sessions: string[][];
  /** The shopper's own random stream, for clicks and orders. */
  rng: Rng;
}

const FOLLOW_UPS = ['show me more', 'what do you recommend?', 'anything else?', (c: string) => `any good ${c} picks?`] as const;

/**
 * Shopper `index` of a seeded population over `categories`: one or two sessions of two to four
 * turns; the first turn says what they are after (`I'm looking for running gear`).
 *
 * ```ts
 * const s = shopper(7, 3, ['running', 'yoga']); // { userId: 'shopper-7-3', loves: 'yoga', … }
 * ```
 */
export function shopper(seed: number, index: number, categories: readonly string[]): Shopper {
  // One stream per shopper: the population does not depend on the order shoppers run in.
  const rng = mulberry32((seed * 1_000_003 + index * 7919) >>> 0);
  const loves = categories[Math.floor(rng() * categories.length)];
  const sessions: string[][] = [];
  const count = rng() < 0.4 ? 2 : 1;
  for (let s = 0; s < count; s++) {
    const turns = 2 + Math.floor(rng() * 3);
    const texts: string[] = [];
    for (let t = 0; t < turns; t++) {
      if (s === 0 && t === 0) texts.push(`I'm looking for ${loves} gear`);
      else {
        const f = FOLLOW_UPS[Math.floor(rng() * FOLLOW_UPS.length)];
        texts.push(typeof f === 'function' ? f(loves) : f);
      }
    }
    sessions.push(texts);
  }
  return { userId: `shopper-${seed}-${index}`, loves, sessions, rng };
}

/** An item shown to a shopper. */
export interface ShownItem {
  itemId: string;
  category?: string;
  price?: number;
}

/** What a shopper does after seeing a list: the items clicked and the one ordered, if any. */
export interface Reaction {
  clicked: ShownItem[];
  ordered?: ShownItem;
}

/**
 * How a shopper reacts to the items shown on one turn, drawn from their own stream.
 *
 * ```ts
 * react(s, shown, DEFAULT_BEHAVIOUR); // { clicked: [...], ordered: shown[1] }
 * ```
 */
export function react(s: Shopper, shown: readonly ShownItem[], b: ShopperBehaviour = DEFAULT_BEHAVIOUR): Reaction {
  const clicked = shown.filter((item) => s.rng() < (item.category === s.loves ? b.clickLoved : b.clickOther));
  const loved = clicked.filter((item) => item.category === s.loves);
  if (loved.length && s.rng() < b.orderAfterLovedClick) return { clicked, ordered: loved[0] };
  if (shown.length && s.rng() < b.orderOtherwise) return { clicked, ordered: shown[Math.floor(s.rng() * shown.length)] };
  return { clicked };
}
