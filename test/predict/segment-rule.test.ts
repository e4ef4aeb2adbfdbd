import { createAttune } from '../../index';
import type { Predictions } from '../../src/core/personalization';
import { emptyProfile } from '../../src/core/profile';
import type { Turn } from '../../src/core/turn';
import { evaluateRule, RuleSchema, type Rule } from '../../src/segments/rule';
import { Segments } from '../../src/segments/segments';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';
import { plantedModel } from './support';

const profile = emptyProfile('u', '2026-01-01T00:00:00Z');
const now = Date.parse('2026-01-02T00:00:00Z');
const predictions: Predictions = { purchase: 0.72, byCategory: { shoes: 0.4, yoga: 0.9 }, modelVersion: 'p-000000000000', horizonDays: 7 };
const holds = (rule: Rule, p: Predictions | null = predictions) => evaluateRule(RuleSchema.parse(rule), profile, now, { predictions: p ?? undefined });

describe('prediction rules', () => {
  it('compare the overall or a category propensity with its bounds', () => {
    expect(holds({ prediction: 'purchase', gte: 0.7 })).toBe(true);
    expect(holds({ prediction: 'purchase', gte: 0.8 })).toBe(false);
    expect(holds({ prediction: 'purchase', category: 'shoes', gte: 0.5 })).toBe(false);
    expect(holds({ prediction: 'purchase', category: 'yoga', gte: 0.5 })).toBe(true);
    expect(holds({ prediction: 'purchase', gt: 0.5, lt: 0.72 })).toBe(false);
    expect(holds({ prediction: 'purchase', gt: 0.5, lte: 0.72 })).toBe(true);
    expect(holds({ all: [{ prediction: 'purchase', gte: 0.7 }, { not: { prediction: 'purchase', category: 'shoes', gte: 0.5 } }] })).toBe(true);
  });

  it('never hold without predictions, or for a category the model has no head for', () => {
    expect(holds({ prediction: 'purchase', gte: 0 }, null)).toBe(false);
    expect(holds({ prediction: 'purchase', category: 'tents', gte: 0 })).toBe(false);
    expect(evaluateRule({ prediction: 'purchase', gte: 0 }, profile, now)).toBe(false);
  });

  it('are validated: a bound in [0, 1] is required, unknown fields refused', () => {
    expect(() => RuleSchema.parse({ prediction: 'purchase' })).toThrow(/bound/);
    expect(() => RuleSchema.parse({ prediction: 'purchase', gte: 1.5 })).toThrow();
    expect(() => RuleSchema.parse({ prediction: 'churn', gte: 0.5 })).toThrow();
    expect(() => RuleSchema.parse({ prediction: 'purchase', gte: 0.5, extra: 1 })).toThrow();
    expect(() => new Segments([{ id: 'likely', rule: { prediction: 'purchase' } as Rule }])).toThrow(/gte/);
  });

  it('call the predictor only when a definition reads a prediction, once per evaluation', () => {
    const predict = jest.fn(() => predictions);
    new Segments([{ id: 'vip', rule: { field: 'orders', op: 'gte', value: 5 } }], { predict }).evaluate(profile, [], now);
    expect(predict).not.toHaveBeenCalled();
    const s = new Segments([{ id: 'a', rule: { prediction: 'purchase', gte: 0.7 } }, { id: 'b', rule: { prediction: 'purchase', category: 'yoga', gte: 0.5 } }], { predict });
    expect(s.evaluate(profile, [], now).segments).toEqual(['a', 'b']);
    expect(predict).toHaveBeenCalledTimes(1);
  });
});

describe('a "likely buyers" segment', () => {
  const segments = [
    { id: 'likely-buyers', rule: { prediction: 'purchase' as const, gte: 0.7 } },
    { id: 'yoga-intent', rule: { prediction: 'purchase' as const, category: 'yoga', gte: 0.5 } },
  ];
  const turn = (userId: string): Turn => ({ id: `t-${userId}`, userId, sessionId: 's', channel: 'test', kind: 'message', text: 'hello', signals: {}, timestamp: new Date().toISOString() });

  it('holds the users the model expects to buy, on events and turns alike', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false, segments, predict: { model: plantedModel() } });
    for (const id of ['yoga-1', 'yoga-2']) await attune.track({ userId: 'buyer', event: 'Product Added', properties: { product_id: id } });
    await attune.track({ userId: 'browser', event: 'Product Viewed', properties: { product_id: 'running-1' } });
    // Ingestion evaluates the rules with the same predictions as a turn.
    expect(await attune.segmentsOf('buyer')).toEqual(['likely-buyers', 'yoga-intent']);
    expect(await attune.segmentsOf('browser')).toEqual([]);
    const ctx = await attune.handle(turn('buyer'), () => undefined);
    await attune.flush();
    expect(ctx.personalization.segments).toEqual(['likely-buyers', 'yoga-intent']);
    expect(await attune.segmentsOf('buyer')).toEqual(['likely-buyers', 'yoga-intent']);
  });

  it('is empty without a model: nobody is a likely buyer by default', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false, segments });
    for (const id of ['yoga-1', 'yoga-2']) await attune.track({ userId: 'buyer', event: 'Product Added', properties: { product_id: id } });
    expect(await attune.segmentsOf('buyer')).toEqual([]);
  });
});
