import { createAttune } from '../../index';
import { normalizeEvent } from '../../src/core/event';
import type { Turn } from '../../src/core/turn';
import { applyEventsToUser } from '../../src/events/apply';
import { Catalog } from '../../src/core/catalog';
import { Segments } from '../../src/segments/segments';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';

/** One rule for what events do to a user, whichever way they arrive. */
const events = [
  { type: 'track', userId: 'ann', messageId: 'm1', event: 'Product Viewed', properties: { product_id: 'yoga-1' }, timestamp: '2026-05-01T10:00:00Z' },
  { type: 'identify', userId: 'ann', messageId: 'm2', traits: { plan: 'gold', firstName: 'Ann' }, timestamp: '2026-05-01T10:01:00Z' },
  { type: 'track', userId: 'ann', messageId: 'm3', event: 'Order Completed', properties: { products: [{ product_id: 'yoga-2', price: 20 }] }, timestamp: '2026-05-01T10:02:00Z' },
];

const turn = (): Turn => ({ id: 't1', userId: 'ann', sessionId: 's', channel: 'test', kind: 'event', signals: {}, timestamp: '2026-05-01T09:59:00Z' });

describe('applyEventsToUser, the one rule', () => {
  it('ingestion and events tracked during a turn give the same profile for the same events', async () => {
    const clock = () => Date.parse('2026-05-01T10:05:00Z');
    const viaIngest = createAttune({ store: new MemoryStore({ clock }), catalog: smallCatalog(), idKeys: false, clock });
    for (const e of events) await viaIngest.ingest(e);

    // The same events, tracked by the bot inside a turn that changes nothing else.
    const viaTurn = createAttune({ store: new MemoryStore({ clock }), catalog: smallCatalog(), idKeys: false, clock });
    viaTurn.use(); // the default stages are installed; a non-message turn only counts itself
    await viaTurn.handle(turn(), async () => {
      for (const e of events) await viaTurn.ingest(e);
    });
    await viaTurn.flush();

    const a = await viaIngest.profile('ann');
    const b = await viaTurn.profile('ann');
    const strip = (p: typeof a) => p && { ...p, counts: { ...p.counts, turns: 0 }, firstSeen: '', lastSeen: '', affinitiesAt: '', context: {} };
    expect(strip(b)).toEqual(strip(a));
    expect(a).toMatchObject({ orders: 1, revenue: 20, traits: { plan: 'gold' }, purchased: ['yoga-2'] });
    expect(await viaTurn.segmentsOf('ann')).toEqual(await viaIngest.segmentsOf('ann'));
  });

  it('consent first: an event that withdraws personalization leaves only the decision, and what it allows is logged', () => {
    const rules = { catalog: Catalog.from(smallCatalog()), segments: new Segments(), consentPolicy: 'opt-out' as const, clock: () => Date.parse('2026-05-01T10:05:00Z') };
    const now = new Date('2026-05-01T10:05:00Z');
    const list = [
      normalizeEvent({ type: 'track', userId: 'ann', event: 'Product Viewed', properties: { product_id: 'yoga-1' } }, now),
      normalizeEvent({ type: 'identify', userId: 'ann', traits: { consent: { personalization: false, analytics: true } } }, now),
      normalizeEvent({ type: 'track', userId: 'ann', event: 'Product Viewed', properties: { product_id: 'yoga-3' } }, now),
    ];
    const change = applyEventsToUser({ userId: 'ann', profile: null, segments: ['new-visitors'] }, list, rules);
    expect(change.personal).toBe(false);
    expect(change.profile).toMatchObject({ consent: { personalization: false, analytics: true }, counts: {}, recentItems: [] });
    expect(change.membership?.segments).toEqual([]);
    expect(change.log.map((e) => e.messageId)).toEqual(list.map((e) => e.messageId));
    // Popularity is anonymous: both views count.
    expect(change.counters.filter((c) => c.name === 'pop')).toHaveLength(2);
  });
});
