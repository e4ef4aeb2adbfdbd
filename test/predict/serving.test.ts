import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAttune } from '../../index';
import { ConfigError } from '../../src/core/errors';
import { METRIC_NAMES, createMetrics } from '../../src/observe/metrics';
import type { Turn } from '../../src/core/turn';
import { propensityFromEnv } from '../../src/engine/from-env';
import { loadPropensityFile } from '../../src/predict/model-file';
import { PropensityModel } from '../../src/predict/model';
import { PropensityService } from '../../src/predict/serving';
import { Catalog } from '../../src/core/catalog';
import { profileAt, T0 } from '../profiles/builders';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';
import { plantedArtifact, plantedModel } from './support';

const turn = (userId: string, n = 1): Turn => ({ id: `t-${userId}-${n}`, userId, sessionId: 's', channel: 'test', kind: 'message', text: 'hello', signals: {}, timestamp: new Date().toISOString() });
const cartAdds = (userId: string, ids: string[]) => ids.map((id) => ({ userId, event: 'Product Added', properties: { product_id: id } }));
const views = (userId: string, ids: string[]) => ids.map((id) => ({ userId, event: 'Product Viewed', properties: { product_id: id } }));

async function predictionsOf(attune: ReturnType<typeof createAttune>, userId: string) {
  const ctx = await attune.handle(turn(userId), () => undefined);
  return ctx.personalization.predictions;
}

describe('purchase propensity in the turn', () => {
  it('carries { purchase, byCategory, modelVersion } computed from the profile the turn holds', async () => {
    const model = plantedModel();
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false, predict: { model } });
    for (const e of [...cartAdds('buyer', ['yoga-1', 'yoga-2']), ...views('buyer', ['yoga-3'])]) await attune.track(e);
    await attune.track({ userId: 'browser', event: 'Product Viewed', properties: { product_id: 'running-1' } });
    const buyer = await predictionsOf(attune, 'buyer');
    const browser = await predictionsOf(attune, 'browser');
    expect(buyer).toEqual({ purchase: expect.any(Number), byCategory: { camping: expect.any(Number), running: expect.any(Number), yoga: expect.any(Number) }, modelVersion: model.version, horizonDays: 7 });
    // As planted: two cart adds → 0.80 overall; three yoga items seen this week → yoga above the rest.
    expect(buyer?.purchase).toBeCloseTo(1 / (1 + Math.exp(-(-3 + 4 * Math.log1p(2)))), 9);
    expect(browser?.purchase).toBeCloseTo(1 / (1 + Math.exp(3)), 9);
    expect(buyer?.byCategory.yoga).toBeGreaterThan(0.5);
    expect(buyer?.byCategory.running).toBeLessThan(0.1);
    expect(browser?.byCategory.running).toBeGreaterThan(browser?.byCategory.yoga ?? 1);
  });

  it('costs no store call of its own: a turn makes the same calls with and without a model', async () => {
    const callsOf = async (predict?: { model: PropensityModel }) => {
      const calls: string[] = [];
      const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false, predict, hooks: { onStoreCall: (c) => calls.push(c.method) } });
      for (const e of cartAdds('ann', ['yoga-1'])) await attune.track(e);
      calls.length = 0;
      await attune.handle(turn('ann'), () => undefined);
      await attune.flush();
      return calls;
    };
    const withModel = await callsOf({ model: plantedModel() });
    expect(withModel.length).toBeGreaterThan(0);
    expect(withModel).toEqual(await callsOf());
  });

  it('comes back from attune.turn() (POST /v1/turns) too', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false, predict: { model: plantedModel() } });
    for (const e of cartAdds('ann', ['yoga-1', 'yoga-2'])) await attune.track(e);
    const r = await attune.turn({ userId: 'ann', text: 'hi' });
    expect(r.predictions?.purchase).toBeGreaterThan(0.7);
    expect((await createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false }).turn({ userId: 'ann', text: 'hi' })).predictions).toBeUndefined();
  });

  it('without a model there is no predictions field, and the turn is as before', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false });
    const ctx = await attune.handle(turn('ann'), () => undefined);
    expect('predictions' in ctx.personalization).toBe(false);
    expect(ctx.degraded).toBe(false);
    expect(attune.predictions.failures).toBe(0);
  });

  it('without consent to personalize, nothing is predicted', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false, predict: { model: plantedModel() } });
    await attune.setConsent('ann', { personalization: false });
    expect(await predictionsOf(attune, 'ann')).toBeUndefined();
  });

  it('a failing model is logged and counted; the turn answers without predictions', async () => {
    const model = plantedModel();
    jest.spyOn(model, 'predict').mockImplementation(() => {
      throw new Error('boom');
    });
    const warnings: unknown[] = [];
    const metrics = createMetrics({ defaultMetrics: false });
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false, predict: { model }, hooks: metrics.hooks });
    jest.spyOn(attune.logger, 'warn').mockImplementation((o: unknown) => void warnings.push(o));
    let answered = false;
    const ctx = await attune.handle(turn('ann'), (c) => {
      answered = true;
      c.reply({ text: 'hi' });
    });
    expect(answered).toBe(true);
    expect(ctx.personalization.predictions).toBeUndefined();
    expect(ctx.degraded).toBe(false);
    expect(attune.predictions.failures).toBe(1);
    expect(attune.failures.stages).toBe(0);
    expect(warnings).toHaveLength(1);
    // …and on /metrics.
    expect(await metrics.registry.getSingleMetricAsString(METRIC_NAMES.predictionFailures)).toMatch(/ 1$/m);
  });
});

describe('the propensity service', () => {
  it('reuses a prediction for the same frozen profile within a second, and only then', () => {
    const model = plantedModel();
    const spy = jest.spyOn(model, 'predict');
    const service = new PropensityService({ model, catalog: Catalog.from(smallCatalog()) });
    const profile = Object.freeze(profileAt({ affinities: { yoga: 3 } }));
    const first = service.predict(profile, T0);
    expect(service.predict(profile, T0 + 500)).toBe(first);
    expect(spy).toHaveBeenCalledTimes(1);
    // Another profile (even an equal copy), a later second, or another model: predicted afresh.
    service.predict(Object.freeze({ ...profile }), T0 + 500);
    service.predict(profile, T0 + 1500);
    expect(spy).toHaveBeenCalledTimes(3);
    const other = plantedModel();
    const otherSpy = jest.spyOn(other, 'predict');
    service.setModel(other);
    service.predict(profile, T0 + 1500);
    expect(otherSpy).toHaveBeenCalledTimes(1);
    // A profile that is not frozen could change between calls: never reused.
    const open = profileAt({ affinities: { yoga: 3 } });
    service.predict(open, T0);
    service.predict(open, T0);
    expect(otherSpy).toHaveBeenCalledTimes(3);
  });
});

describe('propensity model files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'attune-propensity-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads what training writes, and refuses what it cannot serve with the file and field named', () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(plantedArtifact()));
    expect(loadPropensityFile(good)).toBeInstanceOf(PropensityModel);
    const short = join(dir, 'short.json');
    const a = plantedArtifact();
    writeFileSync(short, JSON.stringify({ ...a, overall: { ...a.overall, weights: a.overall.weights.slice(1) } }));
    expect(() => loadPropensityFile(short)).toThrow(/short\.json.*overall\.weights/);
    const renamed = join(dir, 'renamed.json');
    writeFileSync(renamed, JSON.stringify({ ...a, features: a.features.map((f) => (f === 'views_1d' ? 'views_today' : f)) }));
    expect(() => loadPropensityFile(renamed)).toThrow(/features.*retrain/);
    writeFileSync(join(dir, 'bad.json'), '{');
    expect(() => loadPropensityFile(join(dir, 'bad.json'))).toThrow(ConfigError);
    expect(() => loadPropensityFile(join(dir, 'missing.json'))).toThrow(/cannot read.*ENOENT/);
  });

  it('ATTUNE_PROPENSITY_MODEL names the file; ATTUNE_PROPENSITY_BOOST the ranking boost', () => {
    const file = join(dir, 'env.json');
    writeFileSync(file, JSON.stringify(plantedArtifact()));
    expect(propensityFromEnv({})).toBeUndefined();
    const p = propensityFromEnv({ ATTUNE_PROPENSITY_MODEL: file, ATTUNE_PROPENSITY_BOOST: '0.5' });
    expect(p?.model.version).toBe(plantedArtifact().version);
    expect(p?.boost).toBe(0.5);
    expect(() => propensityFromEnv({ ATTUNE_PROPENSITY_MODEL: file, ATTUNE_PROPENSITY_BOOST: 'lots' })).toThrow(ConfigError);
  });
});

describe('the package root', () => {
  it('exports what the README uses for propensity', async () => {
    const root = (await import('../../index')) as Record<string, unknown>;
    for (const name of ['loadPropensityFile', 'trainPropensity', 'PropensityModel', 'predictions', 'propensityFromEnv', 'calibrationReport', 'auc']) expect([name, typeof root[name]]).toEqual([name, 'function']);
  });
});
