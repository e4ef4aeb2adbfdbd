/**
 * Seeded synthetic interaction data with planted structure, for model tests: users fall in
 * clusters, each cluster prefers one item group, items within a group have Zipf-like
 * popularity, and every item carries text and a category that name its group. A model that
 * learns the structure beats popularity by a wide margin on the held-out part.
 */
import type { Interaction, ItemFeatures, Recommender, TrainingData } from '../../src/recommend/recommender';
import { Rng } from '../../src/recommend/models/rng';

/** Shape of the generated data. */
export interface SyntheticOptions {
  users?: number;
  items?: number;
  groups?: number;
  /** Interactions per user (distinct items). */
  perUser?: number;
  /** Probability an interaction comes from the user's own group. */
  inGroup?: number;
  /** Fraction of each user's interactions held out for testing. */
  testFraction?: number;
  seed?: number;
}

/** Generated data, split per user into train and test. */
export interface Synthetic {
  train: TrainingData;
  /** Held-out items per user. */
  test: Map<string, Set<string>>;
  groupOfUser(user: string): number;
  groupOfItem(item: string): number;
  items: ItemFeatures[];
  groups: number;
}

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima'];

/** User `u{n}` is in group n % groups, item `i{n}` in group n % groups. */
export function synthetic(options: SyntheticOptions = {}): Synthetic {
  const { users = 300, items = 150, groups = 5, perUser = 20, inGroup = 0.85, testFraction = 0.25, seed = 7 } = options;
  const rng = new Rng(seed);
  const itemIds = Array.from({ length: items }, (_, i) => `i${i}`);
  // Zipf weights by rank within the catalog: item i is more popular than item i + groups.
  const weight = itemIds.map((_, i) => 1 / Math.pow(1 + Math.floor(i / groups), 0.8));
  const draw = (pool: number[]): number => {
    let total = 0;
    for (const i of pool) total += weight[i];
    let r = rng.next() * total;
    for (const i of pool) if ((r -= weight[i]) <= 0) return i;
    return pool[pool.length - 1];
  };
  const byGroup = Array.from({ length: groups }, (_, g) => itemIds.map((_, i) => i).filter((i) => i % groups === g));
  const all = itemIds.map((_, i) => i);
  const train: Interaction[] = [];
  const test = new Map<string, Set<string>>();
  let time = 1_600_000_000_000;
  for (let u = 0; u < users; u++) {
    const g = u % groups;
    const chosen = new Set<number>();
    while (chosen.size < Math.min(perUser, items)) chosen.add(draw(rng.next() < inGroup ? byGroup[g] : all));
    const list = [...chosen];
    rng.shuffle(list);
    const nTest = Math.round(list.length * testFraction);
    const held = new Set<string>();
    list.forEach((i, k) => {
      const own = i % groups === g;
      const x: Interaction = { user: `u${u}`, item: itemIds[i], weight: own ? 4 + rng.int(2) : 1 + rng.int(2), time: (time += 60_000) };
      if (k < nTest) held.add(x.item);
      else train.push(x);
    });
    test.set(`u${u}`, held);
  }
  const features: ItemFeatures[] = itemIds.map((id, i) => {
    const g = i % groups;
    const words = [WORDS[(2 * g) % WORDS.length], WORDS[(2 * g + 1) % WORDS.length], WORDS[rng.int(WORDS.length)], `item${i}`];
    return { id, text: `the ${words.join(' ')}`, categories: [`genre-${g}`] };
  });
  return {
    train: { interactions: train, items: features },
    test,
    groupOfUser: (user) => Number(user.slice(1)) % groups,
    groupOfItem: (item) => Number(item.slice(1)) % groups,
    items: features,
    groups,
  };
}

/** Mean precision@k over users with held-out items (seen items excluded). */
export function precisionAt(model: Recommender, test: Map<string, Set<string>>, k = 10): number {
  let sum = 0;
  let n = 0;
  for (const [user, held] of test) {
    if (held.size === 0) continue;
    const recs = model.recommend(user, k);
    sum += recs.filter((r) => held.has(r.item)).length / k;
    n++;
  }
  return n ? sum / n : 0;
}
