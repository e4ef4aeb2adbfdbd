/**
 * The fused dot + top-k serving kernel gives the same list as scoring every item and selecting
 * with `topK`, with seen items skipped and a caller filter applied; ALS serves through it.
 */
import { topKDot } from '../../src/recommend/models/dot-topk';
import { dotAll } from '../../src/recommend/models/factors';
import { Rng } from '../../src/recommend/models/rng';
import { topK } from '../../src/recommend/models/topk';
import { Als } from '../../src/recommend/models/als';
import { Popularity } from '../../src/recommend/models/pop';
import { precisionAt, synthetic } from './synthetic';

describe('topKDot', () => {
  test.each([1, 7, 64])('matches full scoring + topK with %i factors, skips and filters', (f) => {
    const rng = new Rng(f);
    const n = 3000;
    const items = Float32Array.from({ length: n * f }, () => rng.normal());
    for (let trial = 0; trial < 20; trial++) {
      const x = Float32Array.from({ length: f }, () => rng.normal());
      const skip = Int32Array.from(new Set(Array.from({ length: 40 }, () => rng.int(n)))).sort();
      const accept = trial % 2 ? (i: number) => i % 3 !== 0 : undefined;
      const k = 1 + rng.int(30);
      const scores = dotAll(x, items, f);
      for (const i of skip) scores[i] = -Infinity;
      const expected = topK(scores, k, accept);
      const got = topKDot(x, items, f, k, skip, accept);
      expect(Array.from(got.items)).toEqual(Array.from(expected));
      got.items.forEach((i, r) => expect(got.scores[r]).toBeCloseTo(scores[i], 4));
    }
  });

  test('returns fewer than k when the catalog is smaller, and nothing for k = 0', () => {
    const items = Float32Array.of(1, 2, 3);
    expect(Array.from(topKDot(Float32Array.of(1), items, 1, 10, Int32Array.of(1)).items)).toEqual([2, 0]);
    expect(topKDot(Float32Array.of(1), items, 1, 0, new Int32Array(0)).items).toHaveLength(0);
  });

  test('ALS served through it still recovers planted clusters and honours excludeSeen', () => {
    const data = synthetic({ seed: 5 });
    const als = new Als({ factors: 16, iterations: 8 });
    als.fit(data.train, { seed: 1 });
    const pop = new Popularity();
    pop.fit(data.train);
    expect(precisionAt(als, data.test)).toBeGreaterThan(1.5 * precisionAt(pop, data.test));
    const seen = new Set(data.train.interactions.filter((x) => x.user === 'u3').map((x) => x.item));
    expect(als.recommend('u3', 20).some((s) => seen.has(s.item))).toBe(false);
    expect(als.recommend('u3', 200, { excludeSeen: false }).some((s) => seen.has(s.item))).toBe(true);
    expect(als.recommend('u3', 10, { filter: (item) => item.endsWith('1') }).every((s) => s.item.endsWith('1'))).toBe(true);
  });
});
