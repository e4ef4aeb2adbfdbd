import { Hybrid } from '../../src/recommend/models/hybrid';
import { createRecommender, type ModelKind } from '../../src/recommend/models';
import type { Interaction, ItemFeatures } from '../../src/recommend/recommender';
import { MatrixFactorization } from '../../src/recommend/models/mf';
import { ContentBased } from '../../src/recommend/models/content';
import { Popularity } from '../../src/recommend/models/pop';
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

function popOnly() {
  const pop = createRecommender('pop');
  pop.fit(train);
  return pop;
}

describe('Hybrid', () => {
  test('is at least as good as its best part on held-out data', () => {
    const scores = parts.map((p) => {
      const m = createRecommender(p.kind as ModelKind, p.params);
      m.fit(train, { seed: 5 });
      return precisionAt(m, data.test);
    });
    // Here content (whose text names the group) and itemknn tie within a few hits of 3,000, so
    // the stated bound is 2% of the best part; the benchmark checks the strict ordering at scale.
    expect(precisionAt(hybrid, data.test)).toBeGreaterThanOrEqual(0.98 * Math.max(...scores));
    expect(precisionAt(hybrid, data.test)).toBeGreaterThan(2 * scores[3]);
  });

  test('tunes weights that use a personal part, not popularity alone', () => {
    const weights = hybrid.blend;
    expect(weights.map((w) => w.kind)).toEqual(['itemknn', 'als', 'content', 'pop']);
    expect(weights[0].weight + weights[1].weight + weights[2].weight).toBeGreaterThan(0);
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

  test('refits its parts on all the data with the hyper-parameters their probes tuned, not tuning twice', () => {
    const parts = (hybrid.toArtifact().state.parts as { kind: string; params: Record<string, unknown> }[]).filter((p) => ['ease', 'rp3beta', 'content'].includes(p.kind));
    expect(parts.length).toBeGreaterThan(0);
    for (const p of parts) expect(p.params.tune).toBe(false);
  });

  test('refits on all the data only the parts it blends, and popularity as the fallback', () => {
    // MF with one factor and one epoch ranks near randomly here: it earns no weight, so the
    // hybrid keeps its probe instead of paying for a second fit.
    const fits = jest.spyOn(MatrixFactorization.prototype, 'fit');
    const m = new Hybrid({ parts: [{ kind: 'itemknn' }, { kind: 'mf', params: { factors: 1, epochs: 1 } }, { kind: 'pop' }] });
    m.fit(train, { seed: 5 });
    const mfFits = fits.mock.calls.length;
    fits.mockRestore();
    const weights = m.blend;
    expect(weights[1]).toEqual({ kind: 'mf', weight: 0 });
    expect(weights[0].weight).toBeGreaterThan(0);
    // Once for the probe, never on all the data.
    expect(mfFits).toBe(1);
    // The blended part was refitted on all the training data and ranks far above popularity.
    expect(precisionAt(m, data.test)).toBeGreaterThan(2 * precisionAt(popOnly(), data.test));
  });

  test('refits content only when it earned weight, and popularity (every stranger\'s list) always', () => {
    const fits = { content: jest.spyOn(ContentBased.prototype, 'fit'), pop: jest.spyOn(Popularity.prototype, 'fit') };
    const m = new Hybrid({ parts: [{ kind: 'itemknn' }, { kind: 'content', params: { tune: false } }, { kind: 'pop' }] });
    m.fit(train, { seed: 5 });
    const calls = { content: fits.content.mock.calls.length, pop: fits.pop.mock.calls.length };
    fits.content.mockRestore();
    fits.pop.mockRestore();
    const [, content] = m.blend;
    // The probe, then a refit on all the data only if the blend uses it.
    expect(calls.content).toBe(content.weight > 0 ? 2 : 1);
    expect(calls.pop).toBe(2);
    // Either way content still serves a user whose only items are cold.
    m.foldIn('onboarded', [{ user: 'onboarded', item: 'cold1', weight: 1, time: 0 }]);
    expect(m.recommend('onboarded', 5).length).toBe(5);
  });

  test('keeps given weights without tuning', () => {
    const m = new Hybrid({ parts: ['itemknn', 'pop'], weights: [1, 0.1] });
    m.fit(train);
    expect(m.blend).toEqual([
      { kind: 'itemknn', weight: 1 },
      { kind: 'pop', weight: 0.1 },
    ]);
  });

  test('drops a part that cannot be trained on this data and still serves from the others', () => {
    // Items a and b always appear together: their Gram columns are equal, so EASE without
    // regularization has no inverse and throws.
    const xs: Interaction[] = [];
    for (let u = 0; u < 6; u++) for (const item of ['a', 'b', u % 2 ? 'c' : 'd']) xs.push({ user: `w${u}`, item, weight: 1, time: u });
    const m = new Hybrid({ parts: [{ kind: 'ease', params: { lambda: 0, tune: false, maxUsers: 1 } }, { kind: 'pop' }] });
    expect(() => m.fit({ interactions: xs }, { seed: 1 })).not.toThrow();
    expect(m.skipped).toEqual([{ kind: 'ease', reason: expect.stringContaining('not positive definite') }]);
    expect(m.blend.find((p) => p.kind === 'ease')?.weight).toBe(0);
    expect(m.recommend('w0', 2).map((s) => s.item)).toEqual(['c']);
  });
});
