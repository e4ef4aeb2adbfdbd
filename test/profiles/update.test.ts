import fc from 'fast-check';
import { Catalog } from '../../src/core/catalog';
import type { AttuneEvent } from '../../src/core/event';
import { deepFreeze } from '../../src/core/frozen';
import { AFFINITY_HALF_LIFE_MS } from '../../src/profiles/affinity';
import { applyEvent, applyTurn, MENTION_WEIGHT, PROFILE_LIMITS } from '../../src/profiles/update';
import { smallCatalog } from '../support/catalog';
import { DAY, iso, T0, track, turnAt } from './builders';

const catalog = Catalog.from(smallCatalog());
const replay = (events: AttuneEvent[], cat?: Catalog) => events.reduce<ReturnType<typeof applyEvent> | null>((p, e) => applyEvent(p, e, cat), null);

describe('applyEvent', () => {
  test('creates a profile from the first event and counts events by name', () => {
    const p = replay([track('Product Viewed', { product_id: 'running-1' }), track('Product Viewed', { product_id: 'running-2' }), track('Signed Up')]);
    expect(p).toMatchObject({ userId: 'u1', firstSeen: iso(T0), lastSeen: iso(T0) });
    expect(p?.counts).toEqual({ events: 3, 'Product Viewed': 2, 'Signed Up': 1 });
  });

  test('never changes the profile it is given', () => {
    const before = applyEvent(null, track('Product Viewed', { product_id: 'p1', category: 'running' }));
    const snapshot = structuredClone(before);
    applyEvent(before, track('Order Completed', { products: [{ product_id: 'p1', price: 10 }] }, T0 + DAY));
    expect(before).toEqual(snapshot);
  });

  test('applies to a frozen profile and shares the parts an event leaves as they were', () => {
    const before = deepFreeze(applyEvent(null, { ...track('Product Viewed', { product_id: 'p1', category: 'running' }), traits: {}, context: { locale: 'en-GB' } }));
    const identify: AttuneEvent = { ...track('x', {}, T0 + DAY), type: 'identify', event: undefined, traits: { plan: 'pro' }, context: { locale: 'en-GB', traits: { tier: 1 } } };
    const events = [track('Product Viewed', { product_id: 'p2', category: 'outdoor' }, T0 + DAY), track('Order Completed', { products: [{ product_id: 'p1', price: 10 }] }, T0 + DAY), identify];
    for (const e of events) expect(() => applyEvent(before, e, catalog)).not.toThrow();
    const viewed = applyEvent(before, track('Signed Up', {}, T0));
    expect([viewed.traits, viewed.context, viewed.purchased, viewed.affinities]).toEqual([before.traits, before.context, before.purchased, before.affinities]);
    expect(viewed.traits).toBe(before.traits);
    expect(viewed.context).toBe(before.context);
    expect(viewed.purchased).toBe(before.purchased);
    expect(applyEvent(before, identify).traits).toEqual({ plan: 'pro', tier: 1 });
  });

  test('first and last seen follow the earliest and latest event, in any arrival order', () => {
    const p = replay([track('A', {}, T0), track('B', {}, T0 - DAY), track('C', {}, T0 + 2 * DAY)]);
    expect([p?.firstSeen, p?.lastSeen]).toEqual([iso(T0 - DAY), iso(T0 + 2 * DAY)]);
  });

  test('identify merges traits, latest wins; context traits merge too', () => {
    const identify = (traits: Record<string, unknown>): AttuneEvent => ({ ...track('x'), type: 'identify', event: undefined, traits });
    const p = replay([identify({ plan: 'free', name: 'Ann' }), identify({ plan: 'pro' }), { ...track('Y'), context: { traits: { email: 'a@b.c' } } }]);
    expect(p?.traits).toEqual({ plan: 'pro', name: 'Ann', email: 'a@b.c' });
    expect(p?.counts.identify).toBe(2);
  });

  test('remembers the latest context signals and keeps older ones not resent', () => {
    const withContext = (context: AttuneEvent['context']) => ({ ...track('X'), context });
    const p = replay([withContext({ locale: 'de-DE', channel: 'web', device: { type: 'mobile' }, location: { country: 'DE' } }), withContext({ locale: 'fr-FR' })]);
    expect(p?.context).toEqual({ locale: 'fr-FR', channel: 'web', device: 'mobile', country: 'DE' });
  });

  test('product events add weighted affinity to the category, quantity included', () => {
    const p = replay([track('Product Viewed', { product_id: 'x', category: 'yoga' }), track('Product Added', { product_id: 'x', category: 'yoga', quantity: 2 }), track('Product Removed', { product_id: 'y', category: 'running' })]);
    expect(p?.affinities).toEqual({ yoga: 1 + 3 * 2, running: -1 });
  });

  test('the category comes from the catalog when the event does not carry one', () => {
    const p = applyEvent(null, track('Product Clicked', { product_id: 'camping-3' }), catalog);
    expect(p.affinities).toEqual({ camping: 1.5 });
    expect(applyEvent(null, track('Product Clicked', { product_id: 'camping-3' })).affinities).toEqual({});
    expect(applyEvent(null, track('Product Clicked', { product_id: 'unknown' }), catalog).affinities).toEqual({});
  });

  test('events without an interest weight leave affinities and recent items alone', () => {
    const p = applyEvent(null, track('Coupon Applied', { product_id: 'running-1', category: 'running' }), catalog);
    expect([p.affinities, p.recentItems]).toEqual([{}, []]);
  });

  test('recent items are most recent first, merge repeats and sum their weight', () => {
    const p = replay([track('Product Viewed', { product_id: 'a' }, T0), track('Product Viewed', { product_id: 'b' }, T0 + 1), track('Product Added', { product_id: 'a' }, T0 + 2)]);
    expect(p?.recentItems).toEqual([
      { id: 'a', weight: 4, at: iso(T0 + 2) },
      { id: 'b', weight: 1, at: iso(T0 + 1) },
    ]);
  });

  test('recent items are capped, dropping the oldest', () => {
    const events = Array.from({ length: PROFILE_LIMITS.recentItems + 5 }, (_, i) => track('Product Viewed', { product_id: `p${i}` }, T0 + i));
    const p = replay(events);
    expect(p?.recentItems).toHaveLength(PROFILE_LIMITS.recentItems);
    expect(p?.recentItems[0].id).toBe(`p${PROFILE_LIMITS.recentItems + 4}`);
    expect(p?.recentItems.some((r) => r.id === 'p4')).toBe(false);
  });

  test('Order Completed records purchases once, counts the order and adds revenue', () => {
    const order = (atMs: number, props: Record<string, unknown>) => track('Order Completed', props, atMs);
    const p = replay(
      [
        order(T0, { revenue: 42, products: [{ product_id: 'running-1' }, { product_id: 'yoga-2', price: 99 }] }),
        order(T0 + 1, { products: [{ product_id: 'running-1', price: 10, quantity: 3 }, { product_id: 'camping-1', price: 5 }] }),
      ],
      catalog,
    );
    expect(p?.purchased).toEqual(['running-1', 'yoga-2', 'camping-1']);
    expect(p?.orders).toBe(2);
    expect(p?.revenue).toBe(42 + 30 + 5);
    expect(p?.affinities.running).toBeCloseTo(5 + 5 * 3);
    expect(p?.counts['Order Completed']).toBe(2);
  });

  test('order value falls back from revenue to total to value to the products', () => {
    const value = (props: Record<string, unknown>) => applyEvent(null, track('Order Completed', props)).revenue;
    expect(value({ total: 12, value: 99 })).toBe(12);
    expect(value({ value: 7 })).toBe(7);
    expect(value({ revenue: 'lots', products: [{ product_id: 'a', price: 2, quantity: 2 }] })).toBe(4);
    expect(value({})).toBe(0);
  });

  test('purchases are capped, dropping the oldest', () => {
    const products = Array.from({ length: PROFILE_LIMITS.purchased + 3 }, (_, i) => ({ product_id: `p${i}` }));
    const p = applyEvent(null, track('Order Completed', { products }));
    expect(p.purchased).toHaveLength(PROFILE_LIMITS.purchased);
    expect(p.purchased[0]).toBe('p3');
  });

  test('recent event times are kept newest last, pruned outside the window and capped', () => {
    const old = T0 - PROFILE_LIMITS.recentWindowMs - 1;
    const p = replay([track('Product Viewed', {}, T0 - DAY), track('Product Viewed', {}, old), track('Product Viewed', {}, T0)]);
    expect(p?.recent['Product Viewed']).toEqual([T0 - DAY, T0]);
    const many = replay(Array.from({ length: PROFILE_LIMITS.recentPerEvent + 10 }, (_, i) => track('Product Viewed', {}, T0 + i)));
    expect(many?.recent['Product Viewed']).toHaveLength(PROFILE_LIMITS.recentPerEvent);
    expect(many?.recent['Product Viewed'][0]).toBe(T0 + 10);
    expect(many?.counts['Product Viewed']).toBe(PROFILE_LIMITS.recentPerEvent + 10);
  });

  test('affinities decay with time between events: one half-life halves them', () => {
    const p = replay([track('Order Completed', { product_id: 'x', category: 'yoga' }, T0), track('Page Viewed', {}, T0 + AFFINITY_HALF_LIFE_MS)]);
    expect(p?.affinities.yoga).toBeCloseTo(2.5);
    expect(p?.affinitiesAt).toBe(iso(T0 + AFFINITY_HALF_LIFE_MS));
  });
});

describe('applyTurn', () => {
  test('counts turns and messages and remembers message times', () => {
    let p = applyTurn(null, turnAt(T0));
    p = applyTurn(p, turnAt(T0 + 1000, { kind: 'reaction', text: undefined }));
    expect(p.counts).toEqual({ turns: 2, messages: 1 });
    expect(p.recent['Message Received']).toEqual([T0]);
  });

  test('remembers the channel and the turn signals', () => {
    const p = applyTurn(null, turnAt(T0, { channel: 'msteams', signals: { locale: 'de-DE', country: 'DE' } }));
    expect(p.context).toEqual({ channel: 'msteams', locale: 'de-DE', country: 'DE' });
  });

  test('mentioned categories add interest per keyword hit', () => {
    const p = applyTurn(null, turnAt(), new Map([['running', 2], ['yoga', 1]]));
    expect(p.affinities).toEqual({ running: 2 * MENTION_WEIGHT, yoga: MENTION_WEIGHT });
  });
});

describe('recent event times', () => {
  // The reference: every time within the window of the newest one seen, sorted, the latest `recentPerEvent` kept.
  const reference = (times: number[]) => {
    const kept: number[] = [];
    for (const t of times) {
      const next = [...kept.filter((x) => x >= t - PROFILE_LIMITS.recentWindowMs), t].sort((a, b) => a - b);
      kept.splice(0, kept.length, ...next.slice(-PROFILE_LIMITS.recentPerEvent));
    }
    return kept;
  };

  test('stay the sorted, windowed, capped list of times, in or out of order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -200, max: 200 }), { minLength: 1, maxLength: 120 }), (offsets) => {
        // Mostly in order, with stragglers and times far enough back to leave the window.
        const times = offsets.map((o, i) => T0 + i * 3600_000 + o * DAY);
        const p = replay(times.map((t) => track('Product Viewed', {}, t)));
        expect(p?.recent['Product Viewed']).toEqual(reference(times));
      }),
      { numRuns: 200 },
    );
  });
});
