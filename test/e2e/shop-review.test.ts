import request from 'supertest';
import { createAttune } from '../../index';
import { parseApiKeys } from '../../adapters/http/api-keys';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { RedisReviewQueue, reviewEntryId, type ReviewQueue } from '../../src/fairness/review';
import { backends, type Backend } from '../support/backends';
import { emulatorMessage, type RecordedActivity } from '../support/emulator';
import { type RunningShop, startShop } from '../support/shop-server';

/*
 * Human review end to end through the bot: the shop on Bot Framework's CloudAdapter, Emulator
 * activities in, the connector catching the replies. A runner's conversation, without review,
 * suggests a running item first; marked sensitive, that item is never in a reply (the
 * suggestions still come, filled with the next best) while it waits in the queue, until an
 * admin approves it over REST; then the next reply can show it. On the memory store with the
 * memory queue, and on Redis with the Redis queue beside the store.
 */
const READ = 'read-key-0123456789ab';
const ADMIN = 'admin-key-0123456789a';
const KEYS = parseApiKeys(`${READ}:read,${ADMIN}:admin`);
const CONVERSATION = ['hello', 'I am looking for running shoes', 'what would you recommend?'];
const idOf = (title: string) => catalog.find((i) => i.title === title)?.id;
const suggested = (a: RecordedActivity | undefined) => [...(a?.suggestedActions?.actions ?? []).map((x) => x.title), ...(a?.attachments ?? []).map((x) => x.content.title ?? '')].map((t) => idOf(t) ?? t);

/** One user's conversation with a running shop; the suggestions of each reply, as item ids. */
function chat(shop: RunningShop, userId: string) {
  return async (text: string): Promise<string[]> => {
    const before = shop.connector.replies.length;
    const res = await request(shop.base).post('/api/messages').send(emulatorMessage(shop.connector.url, userId, `conv-${userId}`, text));
    expect(res.status).toBeLessThan(300);
    const reply = shop.connector.replies.slice(before).at(-1);
    expect(reply?.text).toBeTruthy();
    return suggested(reply);
  };
}

describe.each(backends())('human review through the shop bot on the %s store', (name, open) => {
  let sensitive: string;
  let backend: Backend;
  let attune: Attune;
  let shop: RunningShop;

  beforeAll(async () => {
    // What the runner is shown without review: its first suggestion becomes the sensitive item.
    const plain = createAttune({ catalog });
    const plainShop = await startShop(plain);
    const say = chat(plainShop, 'runner');
    let last: string[] = [];
    for (const text of CONVERSATION) last = await say(text);
    await plainShop.close();
    await plain.close();
    expect(last.length).toBeGreaterThan(0);
    sensitive = last[0];
    expect(catalog.find((i) => i.id === sensitive)?.category).toBe('running');

    backend = open();
    const queue: ReviewQueue | undefined = name === 'redis' ? new RedisReviewQueue({ redis: backend.client, keyPrefix: backend.prefix }) : undefined;
    attune = createAttune({ store: backend.store, catalog, review: { policy: { items: [sensitive] }, ...(queue ? { queue } : {}) } });
    shop = await startShop(attune, { apiKeys: KEYS });
  }, 60_000);

  afterAll(async () => {
    await shop.close();
    await attune.flush();
    await attune.review?.close();
    await backend.close();
  });

  it('never shows the sensitive item before approval, then shows it once an admin approves it over REST', async () => {
    await attune.review!.refresh();
    const say = chat(shop, 'runner');
    const before: string[][] = [];
    for (const text of CONVERSATION) before.push(await say(text));
    before.push(await say('anything else for running?'));
    for (const ids of before) expect(ids).not.toContain(sensitive);
    // The list is still full of running gear: the next best took the held item's place.
    expect(before.at(-2)!.length).toBeGreaterThan(0);
    expect(before.at(-2)!.every((id) => catalog.find((i) => i.id === id)?.category === 'running')).toBe(true);

    // It waits in the queue, once, for as many lists as wanted it; only an admin key sees it.
    await attune.review!.flush();
    const id = reviewEntryId(sensitive);
    expect((await request(shop.base).get('/v1/review').set('Authorization', `Bearer ${READ}`)).status).toBe(403);
    const pending = await request(shop.base).get('/v1/review').set('Authorization', `Bearer ${ADMIN}`);
    expect(pending.status).toBe(200);
    expect(pending.body.entries).toEqual([expect.objectContaining({ id, itemId: sensitive, status: 'pending', reason: 'item' })]);
    expect(pending.body.entries[0].requestCount).toBeGreaterThan(0);
    expect((await say('what would you recommend?'))).not.toContain(sensitive);

    const approved = await request(shop.base).post(`/v1/review/${id}`).set('Authorization', `Bearer ${ADMIN}`).send({ decision: 'approve', note: 'checked' });
    expect([approved.status, approved.body.entry?.status]).toEqual([200, 'approved']);
    expect(await say('what would you recommend?')).toContain(sensitive);
  }, 60_000);
});
