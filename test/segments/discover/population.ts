import { emptyProfile, type Profile } from '../../../src/core/profile';
import { mulberry32, type Rng } from '../../../src/core/random';

/*
 * A seeded population with three planted kinds of customer: big spenders who order often,
 * chatters who browse yoga, and one-off buyers of camping gear; loyalty is missing for a fifth.
 */

/** The population's now. */
export const NOW = Date.parse('2024-06-01T00:00:00.000Z');
/** When the population was first seen. */
export const at = new Date(NOW - 30 * 86_400_000).toISOString();

function gauss(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

/** Three planted kinds of customer, `perGroup` of each, interleaved; `planted` says which each is. */
export function population(seed: number, perGroup = 60): { profiles: Profile[]; planted: number[] } {
  const rng = mulberry32(seed);
  const profiles: Profile[] = [];
  const planted: number[] = [];
  const kinds = [
    { orders: 12, revenue: 2400, turns: 5, yoga: 1, camping: 1, loyalty: 9 },
    { orders: 1, revenue: 60, turns: 40, yoga: 20, camping: 1, loyalty: 3 },
    { orders: 1, revenue: 300, turns: 3, yoga: 0.5, camping: 15, loyalty: 2 },
  ];
  for (let i = 0; i < perGroup * kinds.length; i++) {
    const g = i % kinds.length;
    const k = kinds[g];
    const p = emptyProfile(`u${i}`, at);
    const jitter = (v: number) => Math.max(0, v * (1 + 0.15 * gauss(rng)));
    p.orders = Math.round(jitter(k.orders));
    p.revenue = jitter(k.revenue);
    p.counts = { turns: Math.round(jitter(k.turns)) };
    p.affinities = { yoga: jitter(k.yoga), camping: jitter(k.camping) };
    // Missing at random: a fifth of the users never told us their loyalty tier.
    if (rng() > 0.2) p.traits = { loyalty: jitter(k.loyalty) };
    profiles.push(p);
    planted.push(g);
  }
  return { profiles, planted };
}

/** The features discovery is given. */
export const FEATURES = ['orders', 'revenue', 'counts.turns', 'affinities.*', 'traits.loyalty'];

