import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createAttune } from '../../index';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import { filterFromParameters } from '../../src/core/filter';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { esRequest, esSession, googleAssistant, type Json } from '../support/dialogflow-requests';
import { emulatorMessage, type RecordedActivity, startConnector } from '../support/emulator';
import { RasaConversation } from '../support/rasa-tracker';

/*
 * One filter, every edge: the REST API, /v1/turns, Bot Framework, Dialogflow and Rasa each
 * carry `{ maxPrice, minPrice, categories, tags }` through to the recommendations.
 */

const byId = new Map(catalog.map((i) => [i.id, i]));
const byTitle = new Map(catalog.map((i) => [i.title, i]));
const yogaUnder30 = (ids: string[]) => ids.length > 0 && ids.every((id) => byId.get(id)?.category === 'yoga' && (byId.get(id)?.price ?? Infinity) <= 30);

describe('a recommendation filter through every edge', () => {
  let attune: Attune;
  let server: Server;
  let base: string;

  beforeEach(async () => {
    attune = createAttune({ store: new MemoryStore(), catalog });
    server = createShopApp(attune, { apiKeys: false, dialogflowAuth: 'open', rasaAuth: 'open' }).app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await new Promise((r) => server.close(r));
    await attune.close();
  });

  it('REST: GET /v1/users/:id/recommendations?category=&maxPrice=&minPrice=&tag=', async () => {
    const res = await request(base).get('/v1/users/rest-1/recommendations?k=6&category=yoga&maxPrice=30');
    expect(res.status).toBe(200);
    const ids = res.body.recommendations.map((r: { itemId: string }) => r.itemId);
    expect(ids).toHaveLength(6);
    expect(yogaUnder30(ids)).toBe(true);
    expect(res.body.recommendations[0].explanation).toEqual(expect.any(String));
    const tagged = await request(base).get('/v1/users/rest-1/recommendations?k=20&category=running,cycling&tag=shoes&minPrice=100');
    const eligible = catalog.filter((i) => ['running', 'cycling'].includes(i.category) && i.tags.includes('shoes') && i.price >= 100);
    expect(eligible.length).toBeGreaterThan(1);
    expect(tagged.body.recommendations.map((r: { itemId: string }) => r.itemId).sort()).toEqual(eligible.map((i) => i.id).sort());
    const bad = await request(base).get('/v1/users/rest-1/recommendations?maxPrice=-3');
    expect([bad.status, bad.body.error]).toEqual([400, 'invalid_argument']);
    expect(JSON.stringify(bad.body)).toMatch(/maxPrice/);
  });

  it('/v1/turns: the turn filter and the reply filter, a bad one a 400 naming it', async () => {
    const res = await request(base)
      .post('/v1/turns')
      .send({ userId: 'turns-1', text: 'something for yoga please', filter: { categories: ['yoga'] }, reply: { text: 'Here you go:', recommend: { k: 4, filter: { maxPrice: 30 } } } });
    expect(res.status).toBe(200);
    expect(res.body.recommendations.every((r: { item: { category: string } }) => r.item.category === 'yoga')).toBe(true);
    expect(yogaUnder30(res.body.reply.recommendations.map((r: { itemId: string }) => r.itemId))).toBe(true);
    expect(res.body.reply.recommendations).toHaveLength(4);
    const bad = await request(base).post('/v1/turns').send({ userId: 'turns-1', text: 'hi', filter: { maxPrice: 'cheap' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/filter\.maxPrice|filter/);
  });

  it('Bot Framework: channelData.attune.filter on the incoming activity', async () => {
    const connector = await startConnector();
    try {
      const res = await request(base)
        .post('/api/messages')
        .send(emulatorMessage(connector.url, 'bf-1', 'conv-bf-1', 'what would you recommend?', { channelData: { attune: { filter: { categories: ['yoga'], maxPrice: 30 } } } }));
      expect(res.status).toBeLessThan(300);
      const reply = connector.replies.at(-1) as RecordedActivity;
      const ids = (reply.suggestedActions?.actions ?? []).map((a) => byTitle.get(a.title)?.id ?? '');
      expect(yogaUnder30(ids)).toBe(true);
    } finally {
      await connector.close();
    }
  });

  it('Dialogflow ES: parameters category and max_price (sys.unit-currency)', async () => {
    const session = esSession('df-1');
    const res = await request(base)
      .post('/dialogflow')
      .send(esRequest({ session, text: 'yoga under 30 dollars', intent: 'product.search', parameters: { category: 'yoga', max_price: { amount: 30, currency: 'USD' } }, original: googleAssistant('df-user-1', 'yoga under 30 dollars') }));
    expect(res.status).toBe(200);
    const context = (res.body.outputContexts as { name: string; parameters: Json }[]).find((c) => c.name.endsWith('/contexts/attune'));
    expect(yogaUnder30(context?.parameters.recommendations as string[])).toBe(true);
  });

  it('Rasa: slots category and max_price', async () => {
    const conv = new RasaConversation('rasa-1');
    conv.user('yoga under 30', 'ask_product', [{ entity: 'category', value: 'yoga' }]).slot('category', 'yoga').slot('max_price', 30);
    const res = await conv.run(base, 'action_attune_recommend');
    expect(res.status).toBe(200);
    const titles = ((res.body.responses?.[0].buttons ?? []) as { title: string }[]).map((b) => b.title);
    expect(yogaUnder30(titles.map((t) => byTitle.get(t)?.id ?? ''))).toBe(true);
  });
});

describe('filterFromParameters', () => {
  it('reads prices as numbers, numeric strings or currency objects, and names as a string or a list of strings', () => {
    expect(filterFromParameters({ max_price: '25.5', minPrice: 10, categories: ['yoga', 'running'], tags: 'mat' })).toEqual({ maxPrice: 25.5, minPrice: 10, categories: ['yoga', 'running'], tags: ['mat'] });
    expect(filterFromParameters({ max_price: { amount: 30, currency: 'USD' } })).toEqual({ maxPrice: 30 });
  });
  it('leaves out what says nothing, and gives no filter when nothing is set', () => {
    expect(filterFromParameters({ max_price: '', category: null, tags: ['a', 1] })).toBeUndefined();
    expect(filterFromParameters({ max_price: 'cheap', min_price: -4, size: 42 })).toBeUndefined();
    expect(filterFromParameters(undefined)).toBeUndefined();
  });
});
