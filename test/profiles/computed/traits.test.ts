import type { AttuneEvent } from '../../../src/core/event';
import { ValidationError } from '../../../src/core/errors';
import { mulberry32, type Rng } from '../../../src/core/random';
import type { ComputedTraitInput } from '../../../src/profiles/computed/definition';
import { ComputedTraits } from '../../../src/profiles/computed/traits';
import { Segments } from '../../../src/segments/segments';
import { DAY, iso, profileAt, T0 } from '../builders';

/*
 * Computed traits against a brute-force reference: a seeded history of orders and views
 * with planted values (categories, prices, channels) at times kept a day away from every
 * window's edge, so the bucketed windows must give the exact answers a scan of the events
 * gives. Then what the state must survive: replays, any order, a rebuild from the log.
 */

const DEFINITIONS: ComputedTraitInput[] = [
  { id: 'orders_30d', type: 'event-counter', event: 'Order Completed', within: '30d' },
  { id: 'orders', type: 'event-counter', event: 'Order Completed' },
  { id: 'running_views_7d', type: 'event-counter', event: 'Product Viewed', where: { category: 'running' }, within: '7d' },
  { id: 'revenue_30d', type: 'aggregation', fn: 'sum', event: 'Order Completed', property: 'revenue', within: '30d' },
  { id: 'avg_order', type: 'aggregation', fn: 'avg', event: 'Order Completed', property: 'revenue' },
  { id: 'min_order_30d', type: 'aggregation', fn: 'min', event: 'Order Completed', property: 'revenue', within: '30d' },
  { id: 'max_order', type: 'aggregation', fn: 'max', event: 'Order Completed', property: 'revenue' },
  { id: 'favourite_category_30d', type: 'most-frequent', event: 'Product Viewed', property: 'category', within: '30d' },
  { id: 'first_channel', type: 'first', event: 'Product Viewed', property: 'channel' },
  { id: 'last_channel', type: 'last', event: 'Product Viewed', property: 'channel' },
  { id: 'categories_30d', type: 'unique-list', event: 'Product Viewed', property: 'category', within: '30d' },
  { id: 'category_count', type: 'unique-list-count', event: 'Product Viewed', property: 'category' },
  { id: 'hourly_views', type: 'event-counter', event: 'Product Viewed', within: '6h' },
];

const CATEGORIES = ['running', 'yoga', 'camping', 'tennis'];
const CHANNELS = ['web', 'ios', 'android'];
const NOW = T0 + 100 * DAY;

function ev(rng: Rng, i: number, at: number): AttuneEvent {
  const order = rng() < 0.3;
  const properties: Record<string, unknown> = order
    ? { revenue: Math.round(rng() * 20000) / 100 }
    : { category: CATEGORIES[Math.floor(rng() * rng() * CATEGORIES.length)], channel: CHANNELS[Math.floor(rng() * CHANNELS.length)] };
  return { type: 'track', messageId: `m-${i}`, userId: 'u1', event: order ? 'Order Completed' : 'Product Viewed', properties, traits: {}, context: {}, timestamp: iso(at), receivedAt: iso(at) };
}

/** A history over 100 days, with no event within a day of the 7- and 30-day edges, nor within 2 h of the 6-hour one. */
function history(seed: number, n: number): AttuneEvent[] {
  const rng = mulberry32(seed);
  const out: AttuneEvent[] = [];
  for (let i = 0; out.length < n; i++) {
    const ago = rng() < 0.1 ? rng() * 5 * 3_600_000 : rng() * 99 * DAY;
    const near = (edge: number, margin: number) => Math.abs(ago - edge) < margin;
    if (near(7 * DAY, DAY) || near(30 * DAY, DAY) || near(6 * 3_600_000, 2 * 3_600_000) || ago < 3_600_000) continue;
    out.push(ev(rng, i, NOW - ago));
  }
  return out.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
}

/** What a scan of the events says each trait is at NOW. */
function reference(events: readonly AttuneEvent[]): Record<string, unknown> {
  const since = (ms: number) => events.filter((e) => Date.parse(e.timestamp) > NOW - ms);
  const orders = (list: readonly AttuneEvent[]) => list.filter((e) => e.event === 'Order Completed').map((e) => e.properties.revenue as number);
  const views = (list: readonly AttuneEvent[]) => list.filter((e) => e.event === 'Product Viewed');
  const mode = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  };
  const cats = (list: readonly AttuneEvent[]) => views(list).map((e) => e.properties.category as string);
  const all = orders(events);
  const recent = orders(since(30 * DAY));
  return {
    orders_30d: recent.length,
    orders: all.length,
    running_views_7d: cats(since(7 * DAY)).filter((c) => c === 'running').length,
    revenue_30d: recent.reduce((s, v) => s + v, 0),
    avg_order: all.reduce((s, v) => s + v, 0) / all.length,
    min_order_30d: Math.min(...recent),
    max_order: Math.max(...all),
    favourite_category_30d: mode(cats(since(30 * DAY))),
    first_channel: views(events)[0].properties.channel,
    last_channel: views(events).at(-1)?.properties.channel,
    categories_30d: [...new Set(cats(since(30 * DAY)))].sort(),
    category_count: new Set(cats(events)).size,
    hourly_views: views(since(6 * 3_600_000)).length,
  };
}

function shuffled<T>(list: readonly T[], seed: number): T[] {
  const rng = mulberry32(seed);
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const traits = new ComputedTraits(DEFINITIONS, { remember: 1000 });

/** Same values, sums compared to rounding (a sum in another order may differ in its last bit). */
function expectSame(actual: Record<string, unknown>, expected: Record<string, unknown>): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [id, v] of Object.entries(expected)) {
    if (typeof v === 'number') expect(actual[id]).toBeCloseTo(v, 6);
    else expect(actual[id]).toEqual(v);
  }
}
const fold = (events: readonly AttuneEvent[], start = profileAt()) => events.reduce((p, e) => traits.apply(p, e), start);

describe('computed traits', () => {
  it.each([1, 2, 3])('give the values a scan of the events gives, for all seven kinds (seed %i)', (seed) => {
    const events = history(seed, 300);
    const values = traits.values(fold(events), NOW);
    expectSame(values, reference(events));
    // The planted history has something in each window, so no answer is vacuous.
    expect(values.orders_30d).toBeGreaterThan(0);
    expect(values.hourly_views).toBeGreaterThan(0);
    expect(values.running_views_7d).toBeGreaterThan(0);
  });

  it('count a replayed batch once, whether replayed whole, shuffled or interleaved', () => {
    const events = history(4, 200);
    const once = fold(events);
    expect(fold(events, once)).toBe(once);
    expect(fold(shuffled(events, 9), once).computed).toEqual(once.computed);
    const half = fold(events.slice(0, 100));
    const interleaved = fold([...events.slice(50, 150), ...events.slice(0, 200)], half);
    expectSame(traits.values(interleaved, NOW), traits.values(once, NOW));
  });

  it('do not depend on the order events arrive in', () => {
    const events = history(5, 200);
    expectSame(traits.values(fold(shuffled(events, 1)), NOW), traits.values(fold(events), NOW));
  });

  it('slide their windows with time, without new events', () => {
    const events = history(6, 200);
    const p = fold(events);
    const later = traits.values(p, NOW + 31 * DAY);
    expect(later.orders_30d).toBe(0);
    expect(later.revenue_30d).toBe(0);
    expect(later.min_order_30d).toBeUndefined();
    expect(later.categories_30d).toEqual([]);
    expect(later.orders).toBe(traits.values(p, NOW).orders);
  });

  it('rebuild from the log to the state kept incrementally, and again to the same', () => {
    const events = history(7, 250);
    const incremental = fold(events);
    const rebuilt = traits.rebuild(profileAt(), events);
    expectSame(traits.values(rebuilt, NOW), traits.values(incremental, NOW));
    expect(traits.rebuild(rebuilt, events).computed).toEqual(rebuilt.computed);
  });

  it('stay bounded: a windowed trait keeps only the buckets inside its window', () => {
    const p = fold(history(8, 400));
    const buckets = (id: string) => Object.keys(p.computed?.traits[id]?.buckets ?? {}).length;
    expect(buckets('orders_30d')).toBeLessThanOrEqual(31);
    expect(buckets('hourly_views')).toBeLessThanOrEqual(7);
    expect(p.computed?.seen.length).toBe(400);
  });

  it('are usable in segment rules, windows included', () => {
    const p = fold(history(1, 300));
    const v = traits.values(p, NOW);
    const segments = new Segments([
      { id: 'buyers', rule: { field: 'computed.orders_30d', op: 'gte', value: v.orders_30d } },
      { id: 'more-buyers', rule: { field: 'computed.orders_30d', op: 'gt', value: v.orders_30d } },
      { id: 'fans', rule: { field: 'computed.favourite_category_30d', op: 'eq', value: v.favourite_category_30d } },
      { id: 'multi', rule: { field: 'computed.categories_30d', op: 'contains', value: 'running' } },
    ]);
    expect(segments.evaluate(p, [], NOW).segments).toEqual(['buyers', 'fans', 'multi']);
    expect(segments.evaluate(p, ['buyers'], NOW + 31 * DAY).exited).toContain('buyers');
  });

  it('start a trait afresh when its definition changes, and ignore a state they cannot read', () => {
    const events = history(2, 100);
    const p = fold(events);
    const redefined = new ComputedTraits([{ id: 'orders', type: 'event-counter', event: 'Order Completed', within: '7d' }]);
    expect(redefined.values(p, NOW).orders).toBeUndefined();
    const damaged = { ...p, computed: { traits: { orders: { kind: 'nonsense' } }, seen: 'x' } } as unknown as typeof p;
    expect(traits.values(damaged, NOW).orders).toBeUndefined();
    expect(traits.apply(damaged, events[0]).computed?.seen).toHaveLength(1);
  });

  it('refuse bad definitions with the path of the problem', () => {
    const bad = (d: unknown) => () => new ComputedTraits([d as ComputedTraitInput]);
    expect(bad({ id: 'x', type: 'aggregation', event: 'Order Completed', property: 'revenue' })).toThrow(/0\.fn/);
    expect(bad({ id: 'x', type: 'first', event: 'a', property: 'p', within: '7d' })).toThrow(ValidationError);
    expect(bad({ id: 'x', type: 'event-counter', event: 'a', within: '400d' })).toThrow(/366d/);
    expect(bad({ id: 'X Y', type: 'event-counter', event: 'a' })).toThrow(/trait ids/);
    expect(() => new ComputedTraits([DEFINITIONS[0], DEFINITIONS[0]])).toThrow(/duplicate trait id/);
  });
});
