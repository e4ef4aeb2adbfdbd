import catalogItems from '../../examples/ecommerce/catalog.json';
import { simulateShoppers } from '../../examples/ecommerce/intent-shoppers';
import { Catalog } from '../../src/core/catalog';
import { mulberry32, shuffle } from '../../src/evaluate/random';
import { auc } from '../../src/evaluate/calibration';
import { itemCategories } from '../../src/predict/dataset';
import { eventsByUser, profilesAt } from '../../src/predict/history';
import { PropensityModel } from '../../src/predict/model';
import { evaluatePropensity, fitPropensity, trainPropensity, type PropensityTrainResult } from '../../src/predict/train';

// Simulated shoppers whose orders follow a planted intent (deeper, more frequent sessions
// on one category, cart adds) on a time-based holdout: the model must find it, and a model
// fitted on shuffled labels must not.

const catalog = Catalog.from(catalogItems);
const sim = simulateShoppers({ seed: 11, users: 400, items: catalogItems });
let result: PropensityTrainResult;

beforeAll(() => {
  result = trainPropensity(sim.events, { catalog, end: sim.end, clock: () => sim.end });
});

describe('purchase propensity on shoppers with a planted intent', () => {
  it('ranks those who will buy within 7 days above the rest: AUC ≥ 0.8 on the later cut-off', () => {
    const e = result.evaluation;
    expect(e.overall.count).toBe(result.test.rows.length);
    // Both outcomes are common enough for the AUC to mean something.
    expect(e.overall.baseRate).toBeGreaterThan(0.08);
    expect(e.overall.baseRate).toBeLessThan(0.4);
    expect(e.overall.auc).toBeGreaterThanOrEqual(0.8);
    // Better than either one-feature heuristic on the same rows.
    expect(e.overall.auc).toBeGreaterThan(e.baselines.recency);
    expect(e.overall.auc).toBeGreaterThan(e.baselines.frequency);
    // Probabilities, not only a ranking: the Brier score beats always predicting the base rate.
    expect(e.overall.brier).toBeLessThan(e.overall.baseRate * (1 - e.overall.baseRate));
  });

  it('is calibrated: the top decile buys far more often than the bottom one, close to what it predicts', () => {
    const table = result.evaluation.overall.table;
    expect(table).toHaveLength(10);
    expect(table[9].observed).toBeGreaterThan(table[0].observed + 0.3);
    expect(result.evaluation.overall.ece).toBeLessThan(0.1);
  });

  it('predicts per category: the category a shopper is about to buy in', () => {
    const per = Object.values(result.evaluation.byCategory).filter((c) => c.positives >= 3);
    expect(per.length).toBeGreaterThanOrEqual(5);
    const mean = per.reduce((s, c) => s + c.auc, 0) / per.length;
    expect(mean).toBeGreaterThan(0.75);
  });

  it('with shuffled labels (the control) it ranks no better than chance', () => {
    const train = { ...result.train, purchase: shuffle([...result.train.purchase], mulberry32(5)) };
    const control = new PropensityModel(fitPropensity(train, result.schema, { horizonDays: 7, trainedAt: sim.end }));
    const a = evaluatePropensity(control, result.test).overall.auc;
    expect(Math.abs(a - 0.5)).toBeLessThan(0.1);
    expect(result.evaluation.overall.auc - a).toBeGreaterThan(0.2);
  });

  it('trains on cut-offs whose labels end before the test cut-off, and is reproducible', () => {
    for (const t of result.split.train) expect(t + result.split.horizonMs).toBeLessThanOrEqual(result.split.test);
    expect(new Set(result.test.cutoffs)).toEqual(new Set([result.split.test]));
    const again = trainPropensity(sim.events, { catalog, end: sim.end, clock: () => sim.end });
    expect(again.artifact).toEqual(result.artifact);
    expect(again.artifact.version).toMatch(/^p-[0-9a-f]{12}$/);
  });

  it('serves from the profile what it was evaluated on: a rebuilt profile predicts what its test row did', () => {
    const byUser = eventsByUser(sim.events);
    const { categoryOf } = itemCategories(sim.events, catalog);
    for (const row of [0, 7, 42]) {
      const user = result.test.users[row];
      const [profile] = profilesAt(byUser.get(user) ?? [], [result.split.test], catalog);
      const served = result.model.predict(profile, result.split.test, categoryOf);
      expect(served.purchase).toBeCloseTo(result.model.predictRow(result.test.rows[row]).purchase, 12);
      expect(served.modelVersion).toBe(result.artifact.version);
      expect(Object.keys(served.byCategory).sort()).toEqual(Object.keys(result.artifact.byCategory).sort());
    }
    const scores = result.test.rows.map((r) => result.model.predictRow(r).purchase);
    expect(auc(scores, result.test.purchase)).toBeCloseTo(result.evaluation.overall.auc, 12);
  });
});
