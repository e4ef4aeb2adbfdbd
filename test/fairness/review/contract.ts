import { ConflictError, ValidationError } from '../../../src/core/errors';
import { reviewEntryId, type ReviewQueue } from '../../../src/fairness/review';

/** The one contract every ReviewQueue passes (memory and Redis runners in queue.test.ts). */
export function reviewQueueContract(name: string, make: () => Promise<ReviewQueue>): void {
  describe(`ReviewQueue contract: ${name}`, () => {
    let queue: ReviewQueue;
    beforeEach(async () => {
      queue = await make();
    });
    afterEach(() => queue.close());
    const t0 = '2026-01-01T00:00:00.000Z';
    const t1 = '2026-01-01T00:00:05.000Z';

    test('a first request makes one pending entry; repeats only count up', async () => {
      const [a] = await queue.request([{ itemId: 'sku-1', reason: 'item' }], t0);
      expect(a).toEqual({ id: reviewEntryId('sku-1'), itemId: 'sku-1', reason: 'item', firstRequestedAt: t0, requestCount: 1, status: 'pending' });
      const again = await queue.request([{ itemId: 'sku-1', reason: 'tag:x' }, { itemId: 'sku-1', reason: 'item', count: 3 }], t1);
      expect(again.map((e) => e.requestCount)).toEqual([5, 5]);
      expect(again[0]).toMatchObject({ reason: 'item', firstRequestedAt: t0 });
      expect(await queue.list({ status: 'pending' })).toHaveLength(1);
      expect(await queue.counts()).toEqual({ pending: 1, approved: 0, rejected: 0 });
    });

    test('decisions move entries between statuses, the approved set follows, unknown ids are null', async () => {
      await queue.request([{ itemId: 'b', reason: 'category:pharmacy' }], t1);
      await queue.request([{ itemId: 'a', reason: 'item' }], t0);
      expect((await queue.list()).map((e) => e.itemId)).toEqual(['a', 'b']);
      const approved = await queue.decide(reviewEntryId('a'), { status: 'approved', by: 'key_x', at: t1, note: 'fine' });
      expect(approved).toMatchObject({ status: 'approved', decidedBy: 'key_x', decidedAt: t1, note: 'fine', requestCount: 1 });
      expect(await queue.approvedItems()).toEqual(['a']);
      expect((await queue.list({ status: 'pending' })).map((e) => e.itemId)).toEqual(['b']);
      const rejected = await queue.decide(reviewEntryId('a'), { status: 'rejected', by: 'cli', at: t1 });
      expect(rejected?.note).toBeUndefined();
      expect(await queue.approvedItems()).toEqual([]);
      expect(await queue.get(reviewEntryId('a'))).toEqual(rejected);
      expect(await queue.counts()).toEqual({ pending: 1, approved: 0, rejected: 1 });
      // A decided item asked for again keeps its decision.
      const [still] = await queue.request([{ itemId: 'a', reason: 'item' }], t1);
      expect(still).toMatchObject({ status: 'rejected', requestCount: 2 });
      expect(await queue.decide(reviewEntryId('nope'), { status: 'approved', by: 'cli', at: t1 })).toBeNull();
      expect(await queue.get(reviewEntryId('nope'))).toBeNull();
      expect(await queue.list({ status: 'approved' })).toEqual([]);
    });

    test('a decision that expects a pending entry is a ConflictError once it is decided, and changes nothing', async () => {
      await queue.request([{ itemId: 'c', reason: 'tag:adult' }], t0);
      const id = reviewEntryId('c');
      const first = await queue.decide(id, { status: 'approved', by: 'key_a', at: t1, expect: 'pending' });
      expect(first).toMatchObject({ status: 'approved', decidedBy: 'key_a' });
      const second = queue.decide(id, { status: 'rejected', by: 'key_b', at: t1, note: 'late', expect: 'pending' });
      await expect(second).rejects.toBeInstanceOf(ConflictError);
      await expect(second).rejects.toThrow(`review entry ${id} is approved already`);
      expect(await queue.get(id)).toEqual(first);
      expect(await queue.approvedItems()).toEqual(['c']);
      expect(await queue.counts()).toEqual({ pending: 0, approved: 1, rejected: 0 });
      // Expecting the status it is in, a revision goes through; an unknown id is still null.
      expect(await queue.decide(id, { status: 'rejected', by: 'key_b', at: t1, expect: 'approved' })).toMatchObject({ status: 'rejected', decidedBy: 'key_b' });
      expect(await queue.decide(reviewEntryId('nope'), { status: 'approved', by: 'cli', at: t1, expect: 'pending' })).toBeNull();
    });

    test('limits pages, oldest first', async () => {
      for (let i = 0; i < 5; i++) await queue.request([{ itemId: `i${i}`, reason: 'item' }], new Date(Date.parse(t0) + (5 - i) * 1000).toISOString());
      expect((await queue.list({ limit: 2 })).map((e) => e.itemId)).toEqual(['i4', 'i3']);
    });

    test('malformed arguments are ValidationErrors, on both back ends alike', async () => {
      await expect(queue.request([{ itemId: '', reason: 'item' }], t0)).rejects.toBeInstanceOf(ValidationError);
      await expect(queue.request([{ itemId: 'a', reason: 'item' }], 'yesterday')).rejects.toBeInstanceOf(ValidationError);
      await expect(queue.get('not-an-id')).rejects.toBeInstanceOf(ValidationError);
      await expect(queue.list({ status: 'maybe' as 'pending' })).rejects.toBeInstanceOf(ValidationError);
      await expect(queue.list({ limit: 0 })).rejects.toBeInstanceOf(ValidationError);
      await expect(queue.decide(reviewEntryId('a'), { status: 'pending' as 'approved', by: 'cli', at: t0 })).rejects.toBeInstanceOf(ValidationError);
    });
  });
}
