import request from 'supertest';
import { createAttune } from '../../index';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { emulatorMessage, type RecordedActivity } from '../support/emulator';
import { type RunningShop, startShop } from '../support/shop-server';

const categoryOf = (title: string) => catalog.find((i) => i.title === title)?.category;
const suggestedTitles = (a: RecordedActivity | undefined) => [
  ...(a?.suggestedActions?.actions ?? []).map((x) => x.title),
  ...(a?.attachments ?? []).map((x) => x.content.title ?? ''),
];

describe('e-commerce example over real HTTP (Emulator-shaped activities into CloudAdapter)', () => {
  let stopShop: () => Promise<void>;
  let base: string;
  let connector: RunningShop['connector'];
  let store: MemoryStore;
  let attune: Attune;

  beforeEach(async () => {
    store = new MemoryStore();
    attune = createAttune({ store, catalog });
    ({ base, connector, close: stopShop } = await startShop(attune));
  });

  afterEach(async () => {
    await stopShop();
  });

  async function say(userId: string, text: string, extra: Record<string, unknown> = {}): Promise<RecordedActivity | undefined> {
    const before = connector.replies.length;
    const res = await request(base).post('/api/messages').send(emulatorMessage(connector.url, userId, `conv-${userId}`, text, extra));
    expect(res.status).toBeLessThan(300);
    return connector.replies.slice(before).at(-1);
  }

  it('a first-time visitor gets popular items and a welcome', async () => {
    const reply = await say('visitor-1', 'hi');
    expect(reply?.text).toMatch(/^Welcome!/);
    expect(suggestedTitles(reply).length).toBeGreaterThan(0);
  });

  it('after asking about running, later suggestions are running gear', async () => {
    await say('runner-1', 'hello');
    await say('runner-1', 'I am looking for running shoes');
    const later = await say('runner-1', 'what would you recommend?');
    const titles = suggestedTitles(later);
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((t) => categoryOf(t) === 'running')).toBe(true);
  });

  it('Product Viewed events through the REST API steer the bot', async () => {
    await say('hiker-1', 'hello');
    const hiking = catalog.filter((i) => i.category === 'hiking').slice(0, 3);
    const res = await request(base)
      .post('/v1/batch')
      .send({ batch: hiking.map((i) => ({ type: 'track', userId: 'hiker-1', event: 'Product Viewed', properties: { product_id: i.id, category: i.category } })) });
    expect(res.status).toBe(200);
    const later = await say('hiker-1', 'anything for me?');
    const titles = suggestedTitles(later);
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((t) => categoryOf(t) === 'hiking')).toBe(true);
    const rec = await request(base).get('/v1/users/hiker-1/recommendations?k=3');
    expect(rec.status).toBe(200);
    expect(rec.body.recommendations).toHaveLength(3);
    expect(rec.body.recommendations.every((r: { item: { category: string } }) => r.item.category === 'hiking')).toBe(true);
    // The items just viewed are not suggested back.
    const shown = rec.body.recommendations.map((r: { itemId: string }) => r.itemId);
    expect(shown.filter((id: string) => hiking.some((h) => h.id === id))).toEqual([]);
  });

  it('logs both sides of the conversation and none of the email or phone typed', async () => {
    await say('private-1', 'hi, I am ann.smith@example.org, call me on (415) 555-2671');
    await attune.flush();
    const { events } = await store.readEvents({ userId: attune.userKey('private-1') });
    const names = events.map((e) => e.event);
    expect(names).toEqual(expect.arrayContaining(['Message Received', 'Message Sent']));
    const dump = JSON.stringify(events);
    expect(dump).not.toMatch(/ann\.smith@example\.org/);
    expect(dump).not.toMatch(/555-2671/);
  });

  it('serves /healthz and rejects malformed REST bodies with 400', async () => {
    expect((await request(base).get('/healthz')).body).toMatchObject({ status: 'ok', store: 'memory' });
    const bad = await request(base).post('/v1/track').set('content-type', 'application/json').send('{"userId": ');
    expect(bad.status).toBe(400);
    const noUser = await request(base).post('/v1/track').send({ event: 'Product Viewed' });
    expect(noUser.status).toBe(400);
    expect(noUser.body.message).toMatch(/userId/);
    const badK = await request(base).get('/v1/users/x/recommendations?k=0');
    expect(badK.status).toBe(400);
    expect((await request(base).get('/v1/users/nobody/profile')).status).toBe(404);
  });
});
