import { Hybrid } from '../../src/recommend/models/hybrid';
import { createRecommender, type ModelKind } from '../../src/recommend/models';
import type { Interaction, ItemFeatures } from '../../src/recommend/recommender';
import { precisionAt, synthetic } from './synthetic';

const data = synthetic({ seed: 21 });
const parts = [
  { kind: 'itemknn' as const },
  { kind: 'als' as const, params: { factors: 16, regularization: 5 } },
  { kind: 'content' as const },
  { kind: 'pop' as const },
];
// Items nobody has interacted with yet, described as belonging to group 2.
const coldItems: ItemFeatures[] = [0, 1, 2].map((n) => ({ id: `cold${n}`, text: `new arrival ${n}`, categories: ['genre-2'] }));
const train = { interactions: data.train.interactions, items: [...data.items, ...coldItems] };
const hybrid = new Hybrid({ parts });
hybrid.fit(train, { seed: 5 });

describe('Hybrid', () => {
  test('is at least as good as its best part on held-out data', () => {
    const scores = parts.map((p) => {
      const m = createRecommender(p.kind as ModelKind, p.params);
      m.fit(train, { seed: 5 });
      return precisionAt(m, data.test);
    });
    expect(precisionAt(hybrid, data.test)).toBeGreaterThanOrEqual(Math.max(...scores) - 1e-9);
  });

  test('tunes weights that use a collaborative part', () => {
    const weights = hybrid.blend;
    expect(weights.map((w) => w.kind)).toEqual(['itemknn', 'als', 'content', 'pop']);
    expect(weights[0].weight + weights[1].weight).toBeGreaterThan(0);
  });

  test('serves a user it never saw from popularity', () => {
    const pop = createRecommender('pop');
    pop.fit(train);
    expect(hybrid.knowsUser('stranger')).toBe(false);
    expect(hybrid.recommend('stranger', 5)).toEqual(pop.recommend('stranger', 5));
  });

  test('falls back to content for a user whose only items are cold', () => {
    const m = new Hybrid({ parts });
    m.fit(train, { seed: 5 });
    const xs: Interaction[] = [{ user: 'onboarded', item: 'cold0', weight: 1, time: 0 }];
    m.foldIn('onboarded', xs);
    expect(m.knowsUser('onboarded')).toBe(true);
    const recs = m.recommend('onboarded', 10);
    expect(recs.filter((r) => r.item.startsWith('cold') || data.groupOfItem(r.item) === 2).length).toBeGreaterThanOrEqual(8);
  });

  test('finds items like a cold item through content', () => {
    const sims = hybrid.similar('cold1', 5);
    expect(sims.length).toBe(5);
    expect(sims.every((s) => s.item.startsWith('cold') || data.groupOfItem(s.item) === 2)).toBe(true);
  });

  test('keeps given weights without tuning', () => {
    const m = new Hybrid({ parts: ['itemknn', 'pop'], weights: [1, 0.1] });
    m.fit(train);
    expect(m.blend).toEqual([
      { kind: 'itemknn', weight: 1 },
      { kind: 'pop', weight: 0.1 },
    ]);
  });
});
