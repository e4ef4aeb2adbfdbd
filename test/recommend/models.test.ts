/**
 * The contract every model kind must keep, run against each one through the factory: it learns
 * the planted structure, round-trips through its artifact, is deterministic under a seed, folds
 * in new users and honours the recommend options.
 */
import { ConfigError } from '../../src/core/errors';
import { MODEL_KINDS, createRecommender, loadRecommender, type ModelKind } from '../../src/recommend/models';
import type { Interaction, ModelArtifact, Recommender } from '../../src/recommend/recommender';
import { precisionAt, synthetic } from './synthetic';

const data = synthetic();

/**
 * Defaults are tuned on MovieLens; on this small synthetic set a few are changed to keep the
 * suite fast (smaller ALS) or to suit it (MF needs more, faster epochs for 15 ratings a user).
 */
const PARAMS: Partial<Record<ModelKind, Record<string, unknown>>> = {
  als: { factors: 16, regularization: 5 },
  mf: { factors: 10, epochs: 60, learningRate: 0.02 },
  hybrid: { parts: [{ kind: 'ease' }, { kind: 'als', params: { factors: 16, regularization: 5 } }, { kind: 'content' }, { kind: 'pop' }] },
};
const create = (kind: ModelKind): Recommender => createRecommender(kind, PARAMS[kind]);

const trained = new Map<ModelKind, Recommender>();
function model(kind: ModelKind): Recommender {
  let m = trained.get(kind);
  if (!m) {
    m = create(kind);
    m.fit(data.train, { seed: 3 });
    trained.set(kind, m);
  }
  return m;
}
const popPrecision = (): number => precisionAt(model('pop'), data.test);
const personal = MODEL_KINDS.filter((k) => k !== 'pop');

describe.each(personal)('%s', (kind) => {
  test('recovers the planted clusters, beating popularity by a clear margin', () => {
    expect(precisionAt(model(kind), data.test)).toBeGreaterThan(1.3 * popPrecision());
  });

  test('folds in a new user whose recommendations follow their items', () => {
    const m = model(kind);
    const group = 2;
    const items = data.items.filter((it) => data.groupOfItem(it.id) === group).slice(0, 5);
    const xs: Interaction[] = items.map((it, n) => ({ user: 'newcomer', item: it.id, weight: 5, time: n }));
    m.foldIn('newcomer', xs);
    expect(m.knowsUser('newcomer')).toBe(true);
    const recs = m.recommend('newcomer', 10);
    expect(recs).toHaveLength(10);
    expect(recs.some((r) => items.some((it) => it.id === r.item))).toBe(false);
    expect(recs.filter((r) => data.groupOfItem(r.item) === group).length).toBeGreaterThanOrEqual(7);
  });
});

describe.each(MODEL_KINDS)('%s contract', (kind) => {
  test('artifact round trip gives the same recommendations and similar items', () => {
    const m = model(kind);
    const json = JSON.parse(JSON.stringify(m.toArtifact())) as ModelArtifact;
    const back = loadRecommender(json);
    expect(back.kind).toBe(kind);
    for (const u of ['u0', 'u1', 'u7', 'u123']) expect(back.recommend(u, 10)).toEqual(m.recommend(u, 10));
    expect(back.similar('i3', 5)).toEqual(m.similar('i3', 5));
    expect(JSON.stringify(back.toArtifact())).toBe(JSON.stringify(json));
  });

  test('is deterministic under a seed', () => {
    const a = create(kind);
    const b = create(kind);
    a.fit(data.train, { seed: 11 });
    b.fit(data.train, { seed: 11 });
    expect(JSON.stringify(a.toArtifact())).toBe(JSON.stringify(b.toArtifact()));
  });

  test('honours excludeSeen and filter, and reports progress', () => {
    const m = model(kind);
    const seen = new Set(data.train.interactions.filter((x) => x.user === 'u4').map((x) => x.item));
    expect(m.recommend('u4', 20).some((r) => seen.has(r.item))).toBe(false);
    const odd = (item: string): boolean => Number(item.slice(1)) % 2 === 1;
    const filtered = m.recommend('u4', 10, { filter: odd });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((r) => odd(r.item))).toBe(true);
    const scores = m.recommend('u4', 10).map((r) => r.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    expect(m.similar('no-such-item', 5)).toEqual([]);
    const events: number[] = [];
    create(kind).fit(data.train, { seed: 1, onProgress: (p) => events.push(p.done / p.total) });
    expect(events.length).toBeGreaterThan(0);
    expect(events[events.length - 1]).toBe(1);
  });
});

describe('factory', () => {
  test('rejects unknown kinds, bad params and foreign artifacts with ConfigError', () => {
    expect(() => createRecommender('nope' as ModelKind)).toThrow(ConfigError);
    expect(() => createRecommender('ease', { lambda: -1 })).toThrow(ConfigError);
    expect(() => createRecommender('als', { factors: 1.5 })).toThrow(ConfigError);
    expect(() => createRecommender('hybrid', { parts: ['hybrid'] })).toThrow(ConfigError);
    expect(() => loadRecommender({ kind: 'nope', format: 1, params: {}, state: {} })).toThrow(ConfigError);
    const art = model('itemknn').toArtifact();
    expect(() => loadRecommender({ ...art, format: 99 })).toThrow(ConfigError);
    expect(() => loadRecommender({ ...art, state: { ...art.state, simValues: 'AAAA' } })).toThrow(ConfigError);
  });

  test('unknown users get nothing from personal models', () => {
    for (const kind of ['itemknn', 'ease', 'als', 'mf', 'content', 'rp3beta'] as const) expect(model(kind).recommend('stranger', 5)).toEqual([]);
  });
});
