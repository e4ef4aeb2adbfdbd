import { createAttune } from '../../index';
import { StoreError } from '../../src/core/errors';
import type { Turn } from '../../src/core/turn';
import type { Attune } from '../../src/engine/attune';
import type { Store } from '../../src/store/store';
import { type Backend, backends } from '../support/backends';
import { smallCatalog } from '../support/catalog';
import { faulty } from '../support/faulty-store';

/**
 * No acknowledged event is lost: an event is in the store before track() resolves, a write
 * that fails gives its claims back so the client's retry is accepted, and a turn whose write
 * fails has its log entries retried (or counted as dropped), never silently lost.
 */

const turn = (userId: string, id: string, text = 'hello there'): Turn => ({
  id,
  userId,
  sessionId: `conv-${userId}`,
  channel: 'test',
  kind: 'message',
  text,
  signals: {},
  timestamp: new Date().toISOString(),
});

async function logOf(store: Store, userId: string) {
  return (await store.readEvents({ userId, limit: 10000 })).events;
}

describe.each(backends())('durability on %s', (_name, make) => {
  let b: Backend;
  let f: ReturnType<typeof faulty>;
  let attune: Attune;
  beforeEach(() => {
    b = make();
    f = faulty(b.store);
    attune = createAttune({ store: f.store, catalog: smallCatalog(), idKeys: false });
  });
  afterEach(async () => {
    await attune.flush();
    await b.close();
  });

  it('an event tracked during a running turn is stored before track() resolves, though the turn’s own write then fails', async () => {
    let seenInside: string[] = [];
    await attune.handle(turn('ann', 't1'), async () => {
      const r = await attune.track({ userId: 'ann', messageId: 'view-1', event: 'Product Viewed', properties: { product_id: 'yoga-1' } });
      expect(r.accepted).toEqual(['view-1']);
      seenInside = (await logOf(b.store, 'ann')).map((e) => e.messageId);
      f.failNext('write', 10);
    });
    await attune.flush();
    expect(seenInside).toContain('view-1');
    expect((await logOf(b.store, 'ann')).map((e) => e.messageId)).toContain('view-1');
    // The profile part still joined the turn (which then could not be written).
    expect(attune.failures.turnWrites).toBe(1);
  });

  it('the profile effect of an event tracked during a turn is written with the turn', async () => {
    await attune.handle(turn('ann', 't1', 'hi'), async () => {
      await attune.track({ userId: 'ann', messageId: 'view-2', event: 'Product Viewed', properties: { product_id: 'camping-1' } });
    });
    await attune.flush();
    const profile = await attune.profile('ann');
    expect(profile?.counts['Product Viewed']).toBe(1);
    expect(profile?.affinities.camping).toBeGreaterThan(0);
    expect((await logOf(b.store, 'ann')).filter((e) => e.messageId === 'view-2')).toHaveLength(1);
  });

  it('a failed write gives its claims back: the client’s retry of the same messageId is accepted, once', async () => {
    f.failNext('write');
    const event = { userId: 'bob', messageId: 'order-1', event: 'Product Viewed', properties: { product_id: 'running-2' } };
    await expect(attune.track(event)).rejects.toBeInstanceOf(StoreError);
    expect(await attune.track(event)).toEqual({ accepted: ['order-1'], duplicates: [] });
    expect(await attune.track(event)).toEqual({ accepted: [], duplicates: ['order-1'] });
    expect((await logOf(b.store, 'bob')).filter((e) => e.messageId === 'order-1')).toHaveLength(1);
  });

  it('in a batch, users whose write went through keep their claims, the others get them back', async () => {
    // Stored users are written together, in one write: when it fails, every claim goes back.
    f.failNext('write', 1, (batch) => (batch as { profiles?: { userId: string }[] }).profiles?.some((p) => p.userId === 'cy') ?? false);
    const body = {
      batch: [
        { type: 'track', userId: 'dee', messageId: 'd-1', event: 'Product Viewed', properties: { product_id: 'yoga-2' } },
        { type: 'track', userId: 'cy', messageId: 'c-1', event: 'Product Viewed', properties: { product_id: 'yoga-3' } },
      ],
    };
    await expect(attune.batch(body)).rejects.toBeInstanceOf(StoreError);
    expect(await attune.batch(body)).toEqual({ accepted: ['d-1', 'c-1'], duplicates: [] });
    expect(await attune.batch(body)).toEqual({ accepted: [], duplicates: ['d-1', 'c-1'] });
    // Once each (segment entries are logged beside them).
    expect((await logOf(b.store, 'cy')).filter((e) => e.event === 'Product Viewed').map((e) => e.messageId)).toEqual(['c-1']);
    expect((await logOf(b.store, 'dee')).filter((e) => e.event === 'Product Viewed').map((e) => e.messageId)).toEqual(['d-1']);
  });

  it('a failed suppression check gives the claims back too', async () => {
    f.failNext('isSuppressed');
    const event = { userId: 'eve', messageId: 'e-1', event: 'Product Viewed', properties: { product_id: 'yoga-4' } };
    await expect(attune.track(event)).rejects.toBeInstanceOf(StoreError);
    expect((await attune.track(event)).accepted).toEqual(['e-1']);
  });

  it('a turn whose write fails has its log entries written on retry', async () => {
    f.failNext('write', 1);
    await attune.handle(turn('fay', 'msg-1'), () => undefined);
    await attune.flush();
    expect((await logOf(b.store, 'fay')).map((e) => e.event)).toContain('Message Received');
    expect(attune.failures).toMatchObject({ turnWrites: 1, turnEventsDropped: 0 });
  });

  it('a turn write that keeps failing is counted as dropped, and the bot was answered all the same', async () => {
    f.failNext('write', 100);
    let answered = false;
    await attune.handle(turn('gus', 'msg-2'), () => {
      answered = true;
    });
    await attune.flush();
    expect(answered).toBe(true);
    expect(attune.failures.turnWrites).toBe(1);
    expect(attune.failures.turnEventsDropped).toBeGreaterThan(0);
  });
});
