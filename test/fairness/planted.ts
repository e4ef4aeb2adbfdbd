/**
 * Seeded synthetic data with a planted bias: a majority whose tastes are the popular head of the
 * catalog, and a minority whose tastes are a part of the long tail. A popularity-heavy model
 * serves the minority worse; the audit must find that and the mitigations must narrow it.
 */
import { mulberry32 } from '../../src/core/random';
import type { Dataset } from '../../src/datasets/types';
import type { Interaction } from '../../src/recommend/recommender';

export const HEAD = 12;
export const ITEMS = 60;
/** The long-tail items the minority likes. */
export const NICHE = { from: 20, to: 44 };

/** Item id of index i. */
export const item = (i: number) => `i${i}`;

export function plantedBias(seed = 7): Dataset {
  const rng = mulberry32(seed);
  const pick = (from: number, to: number) => from + Math.floor(rng() * (to - from));
  const interactions: Interaction[] = [];
  const users = new Map<string, Record<string, string>>();
  const add = (user: string, count: number, draw: () => number) => {
    const seen = new Set<number>();
    while (seen.size < count) seen.add(draw());
    for (const i of seen) interactions.push({ user, item: item(i), weight: 1, time: interactions.length });
  };
  for (let u = 0; u < 120; u++) {
    const niche = u % 3 === 0;
    const user = `u${u}`;
    users.set(user, { taste: niche ? 'niche' : 'mainstream' });
    // Mainstream users: head items, a stray tail item now and then; niche users: their corner of the tail, and a few hits.
    if (niche) add(user, 12, () => (rng() < 0.15 ? pick(0, HEAD) : pick(NICHE.from, NICHE.to)));
    else add(user, 12, () => (rng() < 0.9 ? pick(0, HEAD) : pick(HEAD, ITEMS)));
  }
  const items = Array.from({ length: ITEMS }, (_, i) => ({
    id: item(i),
    categories: [i < HEAD ? 'blockbuster' : i >= NICHE.from && i < NICHE.to ? 'arthouse' : 'other'],
  }));
  return { interactions, items, users };
}
