import { ConflictError, NotFoundError, StoreError } from '../../../src/core/errors';
import { createAttune } from '../../../index';
import type { Attune } from '../../../src/engine/attune';
import { MemoryReviewQueue, reviewEntryId, ReviewService, sensitivityPolicy, type ReviewQueue } from '../../../src/fairness/review';
import { MemoryStore } from '../../../src/store/memory';
import { smallCatalog } from '../../support/catalog';

/*
 * The review queue as the recommendation service's serving gate, on a planted ranking: the
 * shopper viewed running items and `running-4` is by far the most popular of them, so without
 * review it heads their list. Marked sensitive, it is held back (the list filled with the next
 * best, still k long), queued once, shown once approved, never once rejected; and when the
 * queue cannot be read, it stays held back while the turn still answers.
 */
const SENSITIVE = 'running-4';
const USER = 'shopper';
const K = 4;
const catalog = smallCatalog();
const quiet = { warn: () => undefined, error: () => undefined };

/** A store with the planted popularity and the shopper's history. */
async function planted(attune: Attune): Promise<void> {
  const batch = [];
  for (let u = 0; u < 12; u++) batch.push({ type: 'track', userId: `crowd-${u}`, event: 'Product Viewed', properties: { product_id: SENSITIVE } });
  for (let u = 0; u < 4; u++) batch.push({ type: 'track', userId: `crowd-${u}`, event: 'Product Viewed', properties: { product_id: 'running-5' } });
  for (const id of ['running-1', 'running-2']) batch.push({ type: 'track', userId: USER, event: 'Product Viewed', properties: { product_id: id } });
  await attune.batch({ batch });
  await attune.flush();
}

const ids = async (attune: Attune) => (await attune.recommend(USER, { k: K })).map((r) => r.itemId);

/** A queue every call of which fails, as a Redis that is down does. */
function downQueue(): ReviewQueue {
  const fail = async (): Promise<never> => {
    throw new StoreError('review queue: connection refused');
  };
  return { kind: 'down', request: fail, get: fail, list: fail, decide: fail, approvedItems: fail, counts: fail, close: async () => undefined };
}

describe('the review gate on the serving path', () => {
  let unreviewed: string[];
  beforeAll(async () => {
    const plain = createAttune({ store: new MemoryStore(), catalog, idKeys: false });
    await planted(plain);
    unreviewed = await ids(plain);
    await plain.close();
  });

  it('the plant holds: without review the sensitive item heads the list', () => {
    expect(unreviewed[0]).toBe(SENSITIVE);
    expect(unreviewed).toHaveLength(K);
  });

  it('holds a sensitive item back, fills the list with the next best, and queues it once', async () => {
    const queue = new MemoryReviewQueue();
    const attune = createAttune({ store: new MemoryStore(), catalog, idKeys: false, review: { policy: { items: [SENSITIVE] }, queue } });
    await planted(attune);
    await attune.review!.refresh();
    const first = await ids(attune);
    expect(first).not.toContain(SENSITIVE);
    expect(first).toHaveLength(K);
    // The rest of the list moved up by one: the next best took the free place.
    expect(first.slice(0, K - 1)).toEqual(unreviewed.slice(1));
    await ids(attune);
    await attune.review!.flush();
    expect(await queue.list({ status: 'pending' })).toEqual([expect.objectContaining({ id: reviewEntryId(SENSITIVE), itemId: SENSITIVE, reason: 'item', requestCount: 2, status: 'pending' })]);
    await attune.close();
  });

  it('shows it once approved, and never once rejected (a revised decision included)', async () => {
    const queue = new MemoryReviewQueue();
    const attune = createAttune({ store: new MemoryStore(), catalog, idKeys: false, review: { policy: { categories: ['Running'] }, queue } });
    await planted(attune);
    await attune.review!.refresh();
    const held = await ids(attune);
    expect(held.some((id) => id.startsWith('running-'))).toBe(false);
    expect(held).toHaveLength(K);
    await attune.review!.flush();
    const pending = await queue.list({ status: 'pending' });
    expect(pending.map((e) => e.itemId)).toContain(SENSITIVE);
    expect(pending.every((e) => e.reason === 'category:running')).toBe(true);

    const entry = await attune.review!.decide(reviewEntryId(SENSITIVE), 'approve', { actor: 'key_test' }, 'fine');
    expect(entry).toMatchObject({ status: 'approved', decidedBy: 'key_test', note: 'fine' });
    const approved = await ids(attune);
    expect(approved[0]).toBe(SENSITIVE);
    // Only the approved one: the category's other items still wait.
    expect(approved.filter((id) => id.startsWith('running-'))).toEqual([SENSITIVE]);

    // A decision is final unless revised: a second one is a conflict, audited.
    await expect(attune.review!.decide(reviewEntryId(SENSITIVE), 'reject', { actor: 'key_test' })).rejects.toBeInstanceOf(ConflictError);
    await attune.review!.decide(reviewEntryId(SENSITIVE), 'reject', { actor: 'key_test' }, 'recalled', { revise: true });
    for (let i = 0; i < 3; i++) expect(await ids(attune)).not.toContain(SENSITIVE);
    await attune.review!.refresh();
    expect(await ids(attune)).not.toContain(SENSITIVE);
    await expect(attune.review!.decide(reviewEntryId('no-such-item'), 'approve', { actor: 'key_test' })).rejects.toBeInstanceOf(NotFoundError);

    const audits = (await attune.store.readAudit()).records.filter((a) => a.action === 'review.decide');
    expect(audits.map((a) => [a.actor, a.outcome])).toEqual([
      ['key_test', 'success'],
      ['key_test', 'failure'],
      ['key_test', 'success'],
      ['key_test', 'failure'],
    ]);
    await attune.close();
  });

  it('another replica serves an approval after its refresh interval, not before', async () => {
    const queue = new MemoryReviewQueue();
    let now = Date.parse('2026-03-01T10:00:00Z');
    const clock = () => now;
    const replica = new ReviewService({ policy: sensitivityPolicy({ items: [SENSITIVE] }), queue, catalog: { all: () => catalog }, audit: new MemoryStore(), clock, logger: quiet, refreshMs: 5000 });
    const admin = new ReviewService({ queue, catalog: { all: () => [] }, audit: new MemoryStore(), clock, logger: quiet });
    await replica.refresh();
    replica.held([SENSITIVE]);
    await replica.flush();
    await admin.decide(reviewEntryId(SENSITIVE), 'approve', { actor: 'cli' });
    now += 1000;
    expect(replica.holds(SENSITIVE)).toBe(true);
    now += 5000;
    // The stale set starts a refresh in the background; until it lands the item stays held.
    expect(replica.holds(SENSITIVE)).toBe(true);
    await replica.close();
    expect(replica.holds(SENSITIVE)).toBe(false);
  });

  it('fails closed: a queue that cannot be reached holds the item back, and the turn still answers', async () => {
    const reports: unknown[] = [];
    const attune = createAttune({ store: new MemoryStore(), catalog, idKeys: false, review: { policy: { items: [SENSITIVE] }, queue: downQueue() }, hooks: { onReview: (r) => reports.push(r) } });
    await planted(attune);
    const logged: string[] = [];
    const warn = jest.spyOn(attune.logger, 'warn').mockImplementation(((_o: unknown, m: string) => void logged.push(m)) as never);
    const listed = await ids(attune);
    expect(listed).not.toContain(SENSITIVE);
    expect(listed).toHaveLength(K);

    let shown: string[] = [];
    const ctx = await attune.handle({ id: 't1', userId: USER, sessionId: 's1', channel: 'test', kind: 'message', text: 'what would you recommend?', signals: {}, timestamp: new Date().toISOString() }, (c) => {
      shown = c.personalization.recommendations.map((r) => r.itemId);
    });
    expect(ctx.degraded).toBe(false);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).not.toContain(SENSITIVE);
    await attune.review!.flush();
    expect(attune.review!.failures.enqueue).toBeGreaterThan(0);
    expect(reports).toEqual(expect.arrayContaining([{ failed: 'enqueue' }]));
    expect(logged).toEqual(expect.arrayContaining([expect.stringMatching(/review requests could not be queued; the items stay held back/)]));
    warn.mockRestore();
    await attune.close();
  });

  it('fails closed before the approved set was first read: an approval elsewhere is not assumed', async () => {
    const queue = new MemoryReviewQueue();
    await queue.request([{ itemId: SENSITIVE, reason: 'item' }], '2026-03-01T10:00:00.000Z');
    await queue.decide(reviewEntryId(SENSITIVE), { status: 'approved', by: 'cli', at: '2026-03-01T10:00:01.000Z' });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    // The first read of the approved set is slow: the turns before it lands hold the item.
    const slow: ReviewQueue = Object.assign(Object.create(queue) as ReviewQueue, { approvedItems: async () => (await gate, queue.approvedItems()) });
    const service = new ReviewService({ policy: sensitivityPolicy({ items: [SENSITIVE] }), queue: slow, catalog: { all: () => catalog }, audit: new MemoryStore(), clock: Date.now, logger: quiet });
    expect(service.holds(SENSITIVE)).toBe(true);
    expect(service.holds('running-1')).toBe(false);
    release();
    await service.close();
    expect(service.holds(SENSITIVE)).toBe(false);
  });
});
