import type { AttuneEvent } from '../../src/core/event';
import { featureSchema, featuresOf } from '../../src/predict/features';
import { eventsByUser, profilesAt } from '../../src/predict/history';
import { purchaseLabel } from '../../src/predict/labels';
import { assertNoLeak, timeSplit } from '../../src/predict/split';

const DAY = 86_400_000;
const T0 = Date.parse('2026-02-01T00:00:00Z');
let n = 0;
function ev(at: number, event: string, properties: Record<string, unknown>, userId = 'u1'): AttuneEvent {
  const timestamp = new Date(at).toISOString();
  return { type: 'track', messageId: `m${n++}`, userId, event, properties, traits: {}, context: {}, timestamp, receivedAt: timestamp };
}
const view = (at: number, id: string, category: string, userId?: string) => ev(at, 'Product Viewed', { product_id: id, category }, userId);
const order = (at: number, id: string, category: string) => ev(at, 'Order Completed', { revenue: 40, products: [{ product_id: id, category, price: 40 }] });
const categories = new Map([['r1', 'running'], ['r2', 'running'], ['y1', 'yoga']]);
const categoryOf = (id: string) => categories.get(id);
const schema = featureSchema(['running', 'yoga']);
const value = (row: Float64Array, name: string) => row[schema.names.indexOf(name)];

describe('propensity features', () => {
  const history = [
    view(T0 - 20 * DAY, 'y1', 'yoga'),
    view(T0 - 2 * DAY, 'r1', 'running'),
    view(T0 - 2 * DAY + 60_000, 'r2', 'running'),
    view(T0 - 3 * 3600_000, 'r1', 'running'),
    ev(T0 - 3 * 3600_000 + 60_000, 'Product Added', { product_id: 'r1', category: 'running' }),
  ];
  const later = [order(T0 + DAY, 'r1', 'running'), view(T0 + 2 * DAY, 'y1', 'yoga')];

  it('reads windows, recency, sessions and per-category interest as of the cut-off', () => {
    const [p] = profilesAt(history, [T0]);
    const row = featuresOf(p, T0, categoryOf, schema);
    expect(value(row, 'views_1d')).toBeCloseTo(Math.log1p(1));
    expect(value(row, 'views_7d')).toBeCloseTo(Math.log1p(3));
    expect(value(row, 'views_30d')).toBeCloseTo(Math.log1p(4));
    expect(value(row, 'carts_7d')).toBeCloseTo(Math.log1p(1));
    expect(value(row, 'days_since_cart')).toBeCloseTo((3 * 3600_000 - 60_000) / DAY);
    expect(value(row, 'days_since_order')).toBe(90);
    // Three sessions: 20 days ago, 2 days ago (two views), 3 hours ago (view + cart).
    expect(value(row, 'sessions_30d')).toBeCloseTo(Math.log1p(3));
    expect(value(row, 'session_depth_last')).toBe(2);
    expect(value(row, 'session_depth_mean_30d')).toBeCloseTo(5 / 3);
    expect(value(row, 'cat_items_7d:running')).toBeCloseTo(Math.log1p(2));
    expect(value(row, 'cat_items_1d:running')).toBeCloseTo(Math.log1p(1));
    expect(value(row, 'cat_items_7d:yoga')).toBe(0);
    expect(value(row, 'cat_items_30d:yoga')).toBeCloseTo(Math.log1p(1));
    expect(value(row, 'cat_affinity:running')).toBeGreaterThan(value(row, 'cat_affinity:yoga'));
  });

  it('never peeks past the cut-off: later events change nothing', () => {
    const [before] = profilesAt(history, [T0]);
    const [withLater] = profilesAt([...history, ...later], [T0]);
    expect(featuresOf(withLater, T0, categoryOf, schema)).toEqual(featuresOf(before, T0, categoryOf, schema));
    // ...while a later cut-off sees them.
    const [after] = profilesAt([...history, ...later], [T0 + 3 * DAY]);
    expect(value(featuresOf(after, T0 + 3 * DAY, categoryOf, schema), 'orders_total')).toBeCloseTo(Math.log1p(1));
  });

  it('gives a newcomer the row of nothing happened', () => {
    const row = featuresOf(null, T0, categoryOf, schema);
    expect(value(row, 'views_30d')).toBe(0);
    expect(value(row, 'days_since_view')).toBe(90);
    expect(profilesAt(history, [T0 - 30 * DAY])).toEqual([null]);
  });

  it('groups events by user in time order', () => {
    const byUser = eventsByUser([view(T0, 'r1', 'running', 'b'), view(T0 - DAY, 'r2', 'running', 'a'), view(T0 - 2 * DAY, 'y1', 'yoga', 'b')]);
    expect([...byUser.keys()]).toEqual(['b', 'a']);
    expect(byUser.get('b')?.map((e) => e.properties.product_id)).toEqual(['y1', 'r1']);
  });
});

describe('propensity labels and split', () => {
  const events = [order(T0 + DAY, 'r1', 'running'), order(T0 + 9 * DAY, 'y1', 'yoga'), order(T0, 'y1', 'yoga')];

  it('labels orders strictly after the cut-off and within the horizon, per category', () => {
    const l = purchaseLabel(events, T0, 7 * DAY);
    expect(l.purchase).toBe(1);
    expect([...l.categories]).toEqual(['running']);
    expect(purchaseLabel(events, T0 + 2 * DAY, 7 * DAY).categories).toEqual(new Set(['yoga']));
    expect(purchaseLabel(events, T0 + 10 * DAY, 7 * DAY)).toEqual({ purchase: 0, categories: new Set() });
  });

  it('splits by time: training label windows end before the test cut-off', () => {
    const s = timeSplit({ end: T0 + 60 * DAY, horizonMs: 7 * DAY, trainCutoffs: 3 });
    expect(s.test).toBe(T0 + 53 * DAY);
    expect(s.train).toEqual([T0 + 32 * DAY, T0 + 39 * DAY, T0 + 46 * DAY]);
    expect(() => assertNoLeak({ ...s, train: [...s.train, s.test - DAY] })).toThrow(/leaks/);
    expect(() => timeSplit({ end: T0, horizonMs: 0 })).toThrow(/positive/);
  });
});
