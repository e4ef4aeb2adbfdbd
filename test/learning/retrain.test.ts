import { Catalog } from '../../src/core/catalog';
import { ConflictError } from '../../src/core/errors';
import { safeRetrain } from '../../src/learning/retrain';
import { ItemKnn, loadRecommender } from '../../src/recommend/models';
import type { Interaction, ModelArtifact } from '../../src/recommend/recommender';
import { Rng } from '../../src/recommend/models/rng';
import { RECOMMENDER_ARTIFACT, RecommenderServing } from '../../src/recommend/serving';
import { RecommendationService } from '../../src/recommend/service';
import { MemoryStore } from '../../src/store/memory';

/** Planted structure: 6 groups of 20 items; each user picks 80 % from their group, in time order. */
function planted(seed = 3): Interaction[] {
  const rng = new Rng(seed);
  const out: Interaction[] = [];
  let t = 0;
  for (let round = 0; round < 12; round++) {
    for (let u = 0; u < 240; u++) {
      const g = u % 6;
      const item = rng.next() < 0.8 ? g * 20 + Math.floor(rng.next() * 20) : Math.floor(rng.next() * 120);
      out.push({ user: `u${u}`, item: `i${item}`, weight: 1, time: ++t });
    }
  }
  return out;
}

function setup() {
  const store = new MemoryStore();
  const catalog = Catalog.empty();
  const service = new RecommendationService({ catalog, counters: store });
  return { store, serving: new RecommenderServing({ store, catalog, service }), service, catalog };
}

const users = Array.from({ length: 30 }, (_, u) => `u${u}`);
const listsOf = (model: { recommend(u: string, k: number): { item: string }[] } | undefined) => users.map((u) => model?.recommend(u, 10).map((s) => s.item));

describe('safe retraining', () => {
  const data = planted();

  async function served(serving: RecommenderServing) {
    const model = new ItemKnn();
    model.fit({ interactions: data });
    const version = await serving.save(model);
    await serving.promote(version, { kind: 'itemknn', trainedThrough: data[data.length - 1].time });
    return version;
  }

  it('does not promote a deliberately worse candidate (popularity against item kNN on planted groups)', async () => {
    const { serving } = setup();
    const v1 = await served(serving);
    const before = listsOf(serving.model);
    const report = await safeRetrain(serving, data, { kind: 'pop', tolerance: 0.02 });
    expect(report.promoted).toBe(false);
    expect(report.served).toMatchObject({ kind: 'itemknn', version: v1, baseline: 'refit' });
    expect(report.candidate.metrics.ndcg).toBeLessThan(report.served!.metrics.ndcg * 0.98);
    expect(report.reason).toMatch(/below the served itemknn/);
    expect((await serving.served())?.current.version).toBe(v1);
    expect(listsOf(serving.model)).toEqual(before);
    // The drift report compares the two versions' lists: popularity shares little with kNN's.
    expect(report.drift!.overlap).toBeLessThan(0.5);
    expect(report.drift!.metrics.ndcg).toBeLessThan(0);
  });

  it('promotes a candidate as good as the served model, and rollback restores the previous version on every replica', async () => {
    const { store, serving } = setup();
    const v1 = await served(serving);
    const before = listsOf(serving.model);
    // ALS's defaults are tuned on MovieLens-sized ratings (confidence 1 + 4·log(1 + r)); this small data of weight-1 views needs more confidence.
    const report = await safeRetrain(serving, data, { kind: 'als', params: { factors: 16, alpha: 10 }, seed: 1, tolerance: 0.5 });
    expect(report.promoted).toBe(true);
    const record = await serving.served();
    expect(record?.current).toMatchObject({ version: report.candidate.version, kind: 'als', reason: 'promoted' });
    expect(record?.history.map((h) => h.version)).toEqual([v1]);
    expect(serving.model?.kind).toBe('als');
    expect(listsOf(serving.model)).not.toEqual(before);

    const back = await serving.rollback();
    expect(back.current).toMatchObject({ version: v1, kind: 'itemknn', reason: 'rollback' });
    expect(listsOf(serving.model)).toEqual(before);
    // Another replica loading from the same store serves the rolled-back version too.
    const other = setup();
    const replica = new RecommenderServing({ store, catalog: other.catalog, service: other.service });
    expect(await replica.load()).toBe(true);
    expect(listsOf(replica.model)).toEqual(before);
    const v1Artifact = await store.getArtifact(RECOMMENDER_ARTIFACT, v1);
    expect(listsOf(loadRecommender(JSON.parse(v1Artifact!.data) as ModelArtifact))).toEqual(before);
    await expect(serving.rollback()).rejects.toThrow(ConflictError);
  });

  it('compares against the served model as it is when the holdout is newer than its training', async () => {
    const { serving } = setup();
    const early = data.slice(0, Math.floor(data.length * 0.85));
    const model = new ItemKnn();
    model.fit({ interactions: early });
    await serving.promote(await serving.save(model), { kind: 'itemknn', trainedThrough: early[early.length - 1].time });
    const report = await safeRetrain(serving, data, { kind: 'itemknn', holdoutFraction: 0.1 });
    expect(report.served?.baseline).toBe('as-served');
    expect(report.promoted).toBe(true);
  });

  it('promotes without comparison when nothing is served, and refuses bad options with a ConfigError', async () => {
    const { serving } = setup();
    const report = await safeRetrain(serving, data, { kind: 'itemknn' });
    expect(report).toMatchObject({ promoted: true, reason: 'no model was served' });
    await expect(safeRetrain(serving, data, { tolerance: 1 })).rejects.toThrow(/tolerance/);
    await expect(safeRetrain(serving, data.slice(0, 1))).rejects.toThrow(/too few interactions/);
  });
});
