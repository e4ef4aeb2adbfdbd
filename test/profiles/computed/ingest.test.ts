import { createAttune } from '../../../index';
import type { Attune } from '../../../src/engine/attune';
import { backfillComputedTraits } from '../../../src/profiles/computed/backfill';
import type { ComputedTraitInput } from '../../../src/profiles/computed/definition';
import { ComputedTraits } from '../../../src/profiles/computed/traits';
import { type Backend, backends } from '../../support/backends';

/*
 * Computed traits kept as events are ingested, on each store: a replayed batch (its claims
 * given back, as after a lost acknowledgement or a worker's redelivery) counts once, rule
 * segments read the traits, and a backfill from the log gives the same state, twice over.
 */

const TRAITS: ComputedTraitInput[] = [
  { id: 'orders_30d', type: 'event-counter', event: 'Order Completed', within: '30d' },
  { id: 'revenue', type: 'aggregation', fn: 'sum', event: 'Order Completed', property: 'revenue' },
  { id: 'favourite', type: 'most-frequent', event: 'Product Viewed', property: 'category' },
  { id: 'categories', type: 'unique-list-count', event: 'Product Viewed', property: 'category' },
];

const NOW = Date.parse('2024-06-01T12:00:00.000Z');
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();

function batchFor(userId: string, orders: number[], views: string[]) {
  return {
    batch: [
      ...orders.map((revenue, i) => ({ type: 'track', messageId: `${userId}-o${i}`, userId, event: 'Order Completed', properties: { revenue }, timestamp: at(10 + i) })),
      ...views.map((category, i) => ({ type: 'track', messageId: `${userId}-v${i}`, userId, event: 'Product Viewed', properties: { category }, timestamp: at(100 + i) })),
    ],
  };
}

describe.each(backends())('computed traits on %s', (_name, make) => {
  let b: Backend;
  let attune: Attune;
  const open = (traits: ComputedTraitInput[] = TRAITS) =>
    createAttune({
      store: b.store,
      idKeys: false,
      clock: () => NOW,
      computedTraits: traits,
      segments: [{ id: 'repeat-buyers', rule: { all: [{ field: 'computed.orders_30d', op: 'gte', value: 2 }, { field: 'computed.revenue', op: 'gte', value: 100 }] } }],
    });
  beforeEach(() => {
    b = make();
    attune = open();
  });
  afterEach(async () => {
    await attune.close().catch(() => undefined);
    await b.close();
  });

  const valuesOf = async (userId: string, a: Attune = attune) => {
    const p = await a.profile(userId);
    return p ? (a.computedTraits as ComputedTraits).values(p, NOW) : undefined;
  };

  it('count a replayed batch once, and put the user in the segment the traits define', async () => {
    const body = batchFor('u1', [60, 70], ['yoga', 'yoga', 'running']);
    expect((await attune.batch(body)).accepted).toHaveLength(5);
    const first = await valuesOf('u1');
    expect(first).toEqual({ orders_30d: 2, revenue: 130, favourite: 'yoga', categories: 2 });
    expect(await attune.segmentsOf('u1')).toEqual(['repeat-buyers']);

    // The claims go back (the dedup window passed, or the write's answer was lost): the events
    // are accepted again, and still count once.
    await b.store.release(body.batch.map((e) => e.messageId));
    expect((await attune.batch(body)).accepted).toHaveLength(5);
    expect(await valuesOf('u1')).toEqual(first);
    expect((await attune.profile('u1'))?.counts['Order Completed']).toBe(4);
  });

  it('backfill traits defined after the events arrived from the log, the same state twice over', async () => {
    const plain = createAttune({ store: b.store, idKeys: false, clock: () => NOW, segments: [] });
    await plain.batch(batchFor('u2', [30, 40, 50], ['tennis', 'camping', 'tennis']));
    await plain.batch(batchFor('u3', [], ['yoga']));
    // Not closed: it shares the store, which the test closes.
    await plain.flush();
    expect((await attune.profile('u2'))?.computed).toBeUndefined();

    const traits = attune.computedTraits as ComputedTraits;
    expect(await backfillComputedTraits(b.store, traits, { pageSize: 2 })).toEqual({ users: 2, events: 7 });
    expect(await valuesOf('u2')).toEqual({ orders_30d: 3, revenue: 120, favourite: 'tennis', categories: 2 });
    expect(await valuesOf('u3')).toEqual({ orders_30d: 0, revenue: 0, favourite: 'yoga', categories: 1 });
    const once = (await attune.profile('u2'))?.computed;
    await backfillComputedTraits(b.store, traits);
    expect((await attune.profile('u2'))?.computed).toEqual(once);

    // Live events after the backfill add to it; replays of backfilled events do not.
    await b.store.release(['u2-o0']);
    await attune.batch(batchFor('u2', [30], []));
    await attune.batch({ batch: [{ type: 'track', messageId: 'u2-new', userId: 'u2', event: 'Order Completed', properties: { revenue: 5 }, timestamp: at(1) }] });
    expect(await valuesOf('u2')).toMatchObject({ orders_30d: 4, revenue: 125 });
  });
});
