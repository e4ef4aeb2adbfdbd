import { calibrate, calibrationKl, categoryMix, exposureRerank, exposureShare, withReranker } from '../../src/fairness';
import { createRecommender } from '../../src/recommend/models';
import type { Scored } from '../../src/recommend/recommender';

// 40 candidates, best first: the first 30 are "head" items of category A, the last 10 "tail" items of category B.
const candidates: Scored[] = Array.from({ length: 40 }, (_, i) => ({ item: i < 30 ? `h${i}` : `t${i}`, score: 40 - i }));
const isTail = (item: string) => item.startsWith('t');
const categoriesOf = (item: string) => (isTail(item) ? ['B'] : ['A']);

describe('exposureRerank', () => {
  const rerank = (strength: number) => exposureRerank(candidates, { k: 10, strength, groupOf: (i) => (isTail(i) ? 'tail' : 'head'), targets: { tail: 0.3 } });

  it('keeps the model order at strength 0', () => {
    expect(rerank(0)).toEqual(candidates.slice(0, 10));
  });

  it('brings the tail share of exposure towards the target as strength grows', () => {
    const shares = [0, 0.5, 2, 8].map((s) => exposureShare(rerank(s).map((c) => c.item), isTail));
    expect(shares[0]).toBe(0);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThanOrEqual(shares[i - 1]);
    expect(shares[3]).toBeGreaterThan(0.25);
    expect(shares[3]).toBeLessThan(0.4);
  });

  it('returns distinct candidates only', () => {
    const list = rerank(8).map((c) => c.item);
    expect(new Set(list).size).toBe(10);
  });
});

describe('calibrate (Steck 2018)', () => {
  // A history of 7 A items and 3 B items: p(A) = 0.7, p(B) = 0.3.
  const history = [...Array.from({ length: 7 }, (_, i) => `h${100 + i}`), 't100', 't101', 't102'];
  const mixOf = (list: Scored[]) => categoryMix(list.map((c) => c.item), categoriesOf);

  it('keeps the model order at strength 0 and matches the history mix at high strength', () => {
    expect(calibrate(candidates, history, { k: 10, strength: 0, categoriesOf })).toEqual(candidates.slice(0, 10));
    const calibrated = calibrate(candidates, history, { k: 10, strength: 0.99, categoriesOf });
    expect(mixOf(calibrated).get('B')).toBeCloseTo(0.3, 10);
  });

  it('lowers the KL divergence from the history as strength grows', () => {
    const p = categoryMix(history, categoriesOf);
    const kls = [0, 0.3, 0.6, 0.99].map((s) => calibrationKl(p, mixOf(calibrate(candidates, history, { k: 10, strength: s, categoriesOf }))));
    expect(kls[0]).toBeGreaterThan(1);
    for (let i = 1; i < kls.length; i++) expect(kls[i]).toBeLessThanOrEqual(kls[i - 1]);
    expect(kls[3]).toBeLessThan(0.01);
  });
});

describe('withReranker', () => {
  it('trains and serves through the model, showing the re-ranked list', () => {
    const interactions = Array.from({ length: 30 }, (_, n) => ({ user: `u${n % 5}`, item: `i${n % 7}`, weight: 1, time: n }));
    const model = createRecommender('pop');
    const seen: number[] = [];
    const wrapped = withReranker(model, (_u, c, k) => (seen.push(c.length), [...c].reverse().slice(0, k)), 6);
    wrapped.fit({ interactions });
    expect(wrapped.kind).toBe('pop');
    expect(wrapped.knowsUser('u1')).toBe(model.knowsUser('u1'));
    const all = model.recommend('nobody', 6, { excludeSeen: false });
    const shown = wrapped.recommend('nobody', 2, { excludeSeen: false });
    // The re-ranker's order, on the model's scores by rank.
    expect(shown.map((s) => s.item)).toEqual([...all].reverse().slice(0, 2).map((s) => s.item));
    expect(shown.map((s) => s.score)).toEqual(all.slice(0, 2).map((s) => s.score));
    expect(seen).toEqual([6]);
  });
});
