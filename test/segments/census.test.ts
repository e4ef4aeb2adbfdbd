import { createAttune } from '../../index';
import { mulberry32 } from '../../src/core/random';
import { memberCountChange, SEGMENT_MEMBERS_COUNTER } from '../../src/segments/census';
import { MemoryStore } from '../../src/store/memory';
import { RedisStore } from '../../src/store/redis';
import type { Store } from '../../src/store/store';
import { smallCatalog } from '../support/catalog';
import { RUN_PREFIX, onTestRedis } from '../store/redis-harness';

/*
 * The member count of each segment is a store counter kept beside the memberships. Whatever
 * path changes memberships (ingestion, turns, consent withdrawn, erasure), the counts must
 * equal what the memberships themselves say.
 */

describe('memberCountChange', () => {
  it('adds one per segment entered and takes one per segment left', () => {
    expect(memberCountChange(['vip', 'new'], ['old'])).toEqual({ name: SEGMENT_MEMBERS_COUNTER, increments: { vip: 1, new: 1, old: -1 } });
  });

  it('nets out a segment entered and left in the same write, and says nothing when nothing changes', () => {
    expect(memberCountChange(['vip', 'new'], ['vip'])).toEqual({ name: SEGMENT_MEMBERS_COUNTER, increments: { new: 1 } });
    expect(memberCountChange(['vip'], ['vip'])).toBeUndefined();
    expect(memberCountChange([], [])).toBeUndefined();
  });
});

const USERS = 24;

/** Seeded users with planted behaviour: buyers of various sizes, window shoppers, chatty users. */
async function populate(store: Store): Promise<{ sizes: () => Promise<Record<string, number>>; counted: () => Promise<Record<string, number>> }> {
  const clock = () => Date.parse('2026-03-02T12:00:00Z');
  const attune = createAttune({ store, catalog: smallCatalog(), clock, idKeys: false });
  const rng = mulberry32(11);
  const ids = Array.from({ length: USERS }, (_, i) => `user-${i}`);
  for (const userId of ids) {
    const r = rng();
    if (r < 0.3) await attune.ingest({ type: 'track', userId, event: 'Order Completed', properties: { revenue: Math.round(100 + rng() * 900), products: [{ product_id: 'p1' }] } });
    else if (r < 0.6) for (let k = 0; k < 3; k++) await attune.ingest({ type: 'track', userId, event: 'Product Viewed', properties: { product_id: 'p2' } });
    else if (r < 0.8) {
      await attune.turn({ userId, text: 'hello' });
      await attune.turn({ userId, text: 'show me shoes' });
    } else await attune.ingest({ type: 'identify', userId, traits: { plan: 'free' } });
  }
  // Paths that take users out of segments: consent withdrawn, erasure.
  await attune.setConsent('user-3', { personalization: false });
  await attune.erase('user-5');
  await attune.erase('user-8');
  return {
    async sizes() {
      const sizes: Record<string, number> = {};
      for (const id of ids) for (const s of await attune.segmentsOf(id)) sizes[s] = (sizes[s] ?? 0) + 1;
      return sizes;
    },
    async counted() {
      const top = await store.topCounters(SEGMENT_MEMBERS_COUNTER, 100);
      return Object.fromEntries(top.filter((c) => c.value !== 0).map((c) => [c.key, c.value]));
    },
  };
}

describe('segment member counts', () => {
  it('match the memberships after ingestion, turns, consent withdrawn and erasure (memory)', async () => {
    const { sizes, counted } = await populate(new MemoryStore());
    const expected = await sizes();
    // The planted behaviour fills several segments; otherwise the comparison proves little.
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(3);
    expect(await counted()).toEqual(expected);
  });

  onTestRedis('segment member counts on Redis', (url) => {
    it('match the memberships on Redis too', async () => {
      const store = new RedisStore({ url, keyPrefix: `${RUN_PREFIX}census:` });
      try {
        const { sizes, counted } = await populate(store);
        const expected = await sizes();
        expect(Object.keys(expected).length).toBeGreaterThanOrEqual(3);
        expect(await counted()).toEqual(expected);
      } finally {
        await store.close();
      }
    });
  });
});
