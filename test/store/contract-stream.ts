import { ValidationError } from '../../src/core/errors';
import type { Store, StreamedEvent } from '../../src/store/store';
import { event, ids, type ContractHarness } from './fixtures';

const messageIds = (entries: readonly StreamedEvent[]) => ids(entries.map((e) => e.event));

/**
 * The EventStream part of the store contract: consumer groups over the event log. Run inside
 * storeContract with the harness of the current test. Idle times pass through `advance`
 * (memory moves its clock; Redis, whose idle times are its own, waits a few tens of ms).
 */
export function streamContract(current: () => ContractHarness): void {
  const store = (): Store => current().store;
  /** Twelve events of four users, appended in order u0-m0, u1-m1, …, u3-m11. */
  const twelve = () => Array.from({ length: 12 }, (_, i) => event(`u${i % 4}`, i));
  const all = twelve().map((e) => e.messageId);

  describe('event stream (consumer groups)', () => {
    test('a group made from the start hands out every event once, in append order, then nothing', async () => {
      await store().write({ events: twelve() });
      await store().ensureGroup('g', { from: 'start' });
      const first = await store().readGroup('g', 'c1', { count: 5 });
      const rest = await store().readGroup('g', 'c1', { count: 100 });
      expect([...messageIds(first), ...messageIds(rest)]).toEqual(all);
      expect(await store().readGroup('g', 'c1', { count: 100 })).toEqual([]);
      // Events are the very events written, ids distinct.
      expect(first[0].event).toEqual(twelve()[0]);
      expect(new Set([...first, ...rest].map((e) => e.id)).size).toBe(12);
    });

    test('a group made at the end sees only later events; the default is the end', async () => {
      await store().write({ events: twelve().slice(0, 6) });
      await store().ensureGroup('late', { from: 'end' });
      await store().ensureGroup('default');
      await store().write({ events: twelve().slice(6) });
      expect(messageIds(await store().readGroup('late', 'c', { count: 100 }))).toEqual(all.slice(6));
      expect(messageIds(await store().readGroup('default', 'c', { count: 100 }))).toEqual(all.slice(6));
    });

    test('ensureGroup on an existing group changes nothing', async () => {
      await store().write({ events: twelve() });
      await store().ensureGroup('g', { from: 'start' });
      await store().readGroup('g', 'c', { count: 4 });
      await store().ensureGroup('g', { from: 'start' });
      await store().ensureGroup('g', { from: 'end' });
      expect(messageIds(await store().readGroup('g', 'c', { count: 100 }))).toEqual(all.slice(4));
    });

    test('two consumers of one group split the events: each goes to exactly one', async () => {
      await store().write({ events: twelve() });
      await store().ensureGroup('g', { from: 'start' });
      const a: StreamedEvent[] = [];
      const b: StreamedEvent[] = [];
      for (let round = 0; round < 4; round++) {
        a.push(...(await store().readGroup('g', 'a', { count: 2 })));
        b.push(...(await store().readGroup('g', 'b', { count: 1 })));
      }
      expect(messageIds(a)).toHaveLength(8);
      expect(messageIds(b)).toHaveLength(4);
      expect([...messageIds(a), ...messageIds(b)].sort()).toEqual([...all].sort());
      expect(messageIds(a).filter((m) => messageIds(b).includes(m))).toEqual([]);
      expect(await store().pending('g')).toEqual({
        count: 12,
        lowest: a[0].id,
        highest: b[b.length - 1].id,
        consumers: [
          { name: 'a', count: 8 },
          { name: 'b', count: 4 },
        ],
      });
    });

    test('two groups each see every event, whatever the other read or acknowledged', async () => {
      await store().ensureGroup('profiles', { from: 'start' });
      await store().ensureGroup('training', { from: 'start' });
      await store().write({ events: twelve() });
      const p = await store().readGroup('profiles', 'w', { count: 100 });
      expect(await store().ack('profiles', p.map((e) => e.id))).toBe(12);
      expect(messageIds(await store().readGroup('training', 'w', { count: 100 }))).toEqual(all);
      expect(messageIds(p)).toEqual(all);
    });

    test('acknowledged entries leave the pending list and never come back; unacknowledged ones are reclaimed after idle', async () => {
      await store().write({ events: twelve() });
      await store().ensureGroup('g', { from: 'start' });
      const taken = await store().readGroup('g', 'crashed', { count: 6 });
      // Entries 0, 2 and 4 were handled; 1, 3 and 5 were not (the consumer died).
      expect(await store().ack('g', [taken[0].id, taken[2].id, taken[4].id])).toBe(3);
      expect(await store().ack('g', [taken[0].id])).toBe(0);
      expect(await store().pending('g')).toEqual({ count: 3, lowest: taken[1].id, highest: taken[5].id, consumers: [{ name: 'crashed', count: 3 }] });
      // Not idle long enough yet: nothing moves.
      expect(await store().claimStale('g', 'rescuer', { minIdleMs: 60_000, count: 10 })).toEqual([]);
      await current().advance(0.03);
      const claimed = await store().claimStale('g', 'rescuer', { minIdleMs: 30, count: 2 });
      expect(claimed.map((c) => [c.event.messageId, c.deliveries])).toEqual([
        [taken[1].event.messageId, 2],
        [taken[3].event.messageId, 2],
      ]);
      expect(claimed[0].id).toBe(taken[1].id);
      expect(await store().pending('g')).toEqual({
        count: 3,
        lowest: taken[1].id,
        highest: taken[5].id,
        consumers: [
          { name: 'crashed', count: 1 },
          { name: 'rescuer', count: 2 },
        ],
      });
      // A claim restarts the idle time: what was just claimed is not stale again at once.
      const next = await store().claimStale('g', 'other', { minIdleMs: 30, count: 10 });
      expect(messageIds(next)).toEqual([taken[5].event.messageId]);
      await store().ack('g', [...claimed, ...next].map((c) => c.id));
      await current().advance(0.03);
      expect(await store().claimStale('g', 'other', { minIdleMs: 0, count: 10 })).toEqual([]);
      expect(await store().pending('g')).toEqual({ count: 0, consumers: [] });
      // New reads go on after what the group handed out, not from what was reclaimed.
      expect(messageIds(await store().readGroup('g', 'rescuer', { count: 100 }))).toEqual(all.slice(6));
    });

    test("an erased user's entries are never handed out again, neither as new entries nor by a claim", async () => {
      await store().write({ events: twelve() });
      await store().ensureGroup('g', { from: 'start' });
      const taken = await store().readGroup('g', 'c', { count: 4 }); // u0-m0 … u3-m3, left pending
      await store().eraseUser('u1');
      await store().eraseUser('u2');
      const fresh = await store().readGroup('g', 'c', { count: 100 });
      expect(messageIds(fresh)).toEqual(['u0-m4', 'u3-m7', 'u0-m8', 'u3-m11']);
      // What stays pending of the erased users is their ids alone, which a claim drops.
      expect((await store().pending('g')).count).toBe(8);
      await current().advance(0.03);
      const claimed = await store().claimStale('g', 'c2', { minIdleMs: 0, count: 100 });
      expect(messageIds(claimed)).toEqual(['u0-m0', 'u3-m3', ...messageIds(fresh)]);
      expect(await store().pending('g')).toMatchObject({ count: 6, consumers: [{ name: 'c2', count: 6 }] });
      expect(messageIds(taken)).toEqual(all.slice(0, 4));
    });

    test('a blocked read answers when an event is appended', async () => {
      await store().ensureGroup('g', { from: 'end' });
      // The write is made while the read waits (memory) or is on its way (Redis, where a read
      // that arrives after the XADD finds the event at once): either way it gets the event.
      const waiting = store().readGroup('g', 'c', { count: 10, blockMs: 60_000 });
      await store().write({ events: [event('u1', 1)] });
      expect(messageIds(await waiting)).toEqual(['u1-m1']);
    });

    test('a blocked read with nothing to read answers empty after its wait', async () => {
      await store().ensureGroup('g', { from: 'end' });
      expect(await store().readGroup('g', 'c', { count: 10, blockMs: 5 })).toEqual([]);
    });

    test('calls on a group never made are ValidationErrors; ack acknowledges nothing', async () => {
      await store().write({ events: twelve() });
      for (const call of [
        () => store().readGroup('nope', 'c', { count: 1 }),
        () => store().claimStale('nope', 'c', { minIdleMs: 0, count: 1 }),
        () => store().pending('nope'),
      ]) {
        const failure = await call().catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(ValidationError);
        expect((failure as Error).message).toBe('no consumer group "nope": call ensureGroup first');
      }
      const [{ cursor }] = [await store().readEvents({ limit: 1 })];
      expect(await store().ack('nope', [cursor as string])).toBe(0);
      expect(await store().ack('nope', [])).toBe(0);
    });
  });
}
