import { createAttune } from '../../index';
import { StoreError } from '../../src/core/errors';
import { GroupCommit, GroupFailure } from '../../src/events/group-commit';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';
import { faulty } from '../support/faulty-store';

describe('GroupCommit', () => {
  test('calls made while a group is in flight go together as the next group, each with its own outcome', async () => {
    const groups: number[][] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      groups.push([...items]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return items.map((n) => (n === 13 ? new GroupFailure(new Error('thirteen')) : n * 2));
    });
    const first = commit.submit(1);
    // The first group starts once this turn of the event loop is over.
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 13, 4].map((n) => commit.submit(n));
    await expect(first).resolves.toBe(2);
    await expect(Promise.all([rest[0], rest[1], rest[3]])).resolves.toEqual([4, 6, 8]);
    await expect(rest[2]).rejects.toThrow('thirteen');
    expect(groups).toEqual([[1], [2, 3, 13, 4]]);
  });

  test('calls made in one turn of the event loop, from separate callbacks, go as one group', async () => {
    const groups: number[][] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      groups.push([...items]);
      return [...items];
    });
    // As requests read from several sockets in one turn: each its own callback, its own microtasks.
    const calls = await new Promise<Promise<number>[]>((resolve) => {
      const made: Promise<number>[] = [];
      setTimeout(() => made.push(commit.submit(1)), 0);
      setTimeout(() => {
        queueMicrotask(() => made.push(commit.submit(2)));
      }, 0);
      setTimeout(() => resolve([...made, commit.submit(3)]), 0);
    });
    await expect(Promise.all(calls)).resolves.toEqual([1, 2, 3]);
    expect(groups).toEqual([[1, 2, 3]]);
  });

  test('a group that throws rejects each of its calls, and the next group still runs', async () => {
    let calls = 0;
    const commit = new GroupCommit<number, number>(async (items) => {
      calls += 1;
      if (calls === 1) throw new Error('store down');
      return [...items];
    });
    const failed = [commit.submit(1), commit.submit(2)];
    await expect(Promise.allSettled(failed)).resolves.toMatchObject([{ status: 'rejected' }, { status: 'rejected' }]);
    await expect(commit.submit(3)).resolves.toBe(3);
  });

  test('groups are bounded', async () => {
    const sizes: number[] = [];
    const commit = new GroupCommit<number, number>(async (items) => {
      sizes.push(items.length);
      return [...items];
    }, 3);
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => commit.submit(n)));
    expect(sizes).toEqual([3, 3, 1]);
  });
});

describe('ingestion in groups', () => {
  const view = (userId: string, messageId: string) => ({ userId, messageId, event: 'Product Viewed', properties: { product_id: 'yoga-1' } });

  test('concurrent track calls share claims and writes; every event is stored once, duplicates across calls caught', async () => {
    const f = faulty(new MemoryStore());
    const attune = createAttune({ store: f.store, catalog: smallCatalog(), idKeys: false });
    const calls = Array.from({ length: 40 }, (_, i) => view(`u${i % 10}`, `m${i}`));
    // One message id sent by two callers at once: one accepted, one duplicate.
    calls.push(view('u0', 'm0'));
    const results = await Promise.all(calls.map((c) => attune.track(c)));
    expect(results.filter((r) => r.accepted.length === 1)).toHaveLength(40);
    expect(results.filter((r) => r.duplicates.length === 1)).toHaveLength(1);
    expect(f.calls.get('claim')).toBeLessThan(5);
    expect(f.calls.get('write')).toBeLessThan(5);
    const { events } = await f.store.readEvents({ limit: 1000 });
    expect(events.filter((e) => e.event === 'Product Viewed')).toHaveLength(40);
    await attune.close();
  });

  test('a failed group write fails each call in it, with nothing acknowledged, and their retries are accepted', async () => {
    const f = faulty(new MemoryStore());
    const attune = createAttune({ store: f.store, catalog: smallCatalog(), idKeys: false });
    await attune.track(view('warm', 'w0'));
    f.failNext('write', 1);
    const calls = [view('a', 'a1'), view('b', 'b1')];
    const failed = await Promise.allSettled(calls.map((c) => attune.track(c)));
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(failed[0].status === 'rejected' && failed[0].reason).toBeInstanceOf(StoreError);
    expect(await Promise.all(calls.map((c) => attune.track(c)))).toEqual([
      { accepted: ['a1'], duplicates: [] },
      { accepted: ['b1'], duplicates: [] },
    ]);
    await attune.close();
  });
});
