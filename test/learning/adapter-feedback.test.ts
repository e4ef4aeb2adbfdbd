import request from 'supertest';
import { createAttune } from '../../index';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Feedback } from '../../src/learning/feedback-types';
import { OnlineUpdates } from '../../src/learning/online';
import { MemoryStore } from '../../src/store/memory';
import { chatWith } from '../support/chat';
import { esRequest, esSession } from '../support/dialogflow-requests';
import { RasaConversation } from '../support/rasa-tracker';

/** The shop with online updates on, and every batch of feedback the turns recorded. */
function shop() {
  const store = new MemoryStore();
  const online = new OnlineUpdates({ store });
  const recorded: Feedback[][] = [];
  const record = online.record.bind(online);
  jest.spyOn(online, 'record').mockImplementation(async (userId, feedback) => {
    recorded.push([...feedback]);
    return record(userId, feedback);
  });
  const attune = createAttune({ store, catalog, stages: { feedback: { online } } });
  const app = createShopApp(attune, { apiKeys: false, dialogflowAuth: 'open', rasaAuth: 'open' }).app;
  const kinds = () => recorded.flat().map((f) => ({ type: f.type, kind: f.kind, items: [...f.items] }));
  return { attune, app, online, kinds };
}

describe('native feedback signals, mapped by every adapter to feedback types', () => {
  it('Bot Framework: a dislike reaction, a card click and a "Was this helpful?" answer', async () => {
    const { attune, kinds } = shop();
    const chat = chatWith(attune, 'bf-user');
    await chat.send({ type: 'messageReaction', reactionsAdded: [{ type: 'dislike' }], replyToId: 'm1' });
    await chat.send({ type: 'message', value: { attune: 'view', itemId: 'run-0002' } });
    await chat.send({ type: 'message', value: { attune: 'feedback', helpful: false, items: ['run-0003'] } });
    await attune.flush();
    expect(kinds()).toEqual(
      expect.arrayContaining([
        { type: 'thumbs_down', kind: 'negative', items: [] },
        { type: 'click', kind: 'positive', items: ['run-0002'] },
        { type: 'thumbs_down', kind: 'negative', items: ['run-0003'] },
      ]),
    );
    await attune.close();
  });

  it('Dialogflow ES: a button payload matched to a not_interested intent with the product as parameter', async () => {
    const { attune, app, kinds } = shop();
    const res = await request(app)
      .post('/dialogflow')
      .send(esRequest({ session: esSession('df-1'), text: 'Not interested', intent: 'not_interested', parameters: { product_id: 'run-0004' } }));
    expect(res.status).toBe(200);
    await attune.flush();
    expect(kinds()).toContainEqual({ type: 'thumbs_down', kind: 'negative', items: ['run-0004'] });
    await attune.close();
  });

  it('Rasa: a button payload /rate{"product_id": …, "rating": 5}, and "was it helpful?" as an entity', async () => {
    const { attune, app, kinds } = shop();
    const conv = new RasaConversation('rasa-fb');
    conv.user('/rate{"product_id":"run-0005","rating":5}', 'rate', [
      { entity: 'product_id', value: 'run-0005' },
      { entity: 'rating', value: 5 },
    ]);
    expect((await conv.run(app, 'action_attune_personalize')).status).toBe(200);
    conv.listen().user('/feedback{"helpful":"no","product_id":"run-0006"}', 'feedback', [
      { entity: 'helpful', value: 'no' },
      { entity: 'product_id', value: 'run-0006' },
    ]);
    expect((await conv.run(app, 'action_attune_personalize')).status).toBe(200);
    await attune.flush();
    expect(kinds()).toEqual(
      expect.arrayContaining([
        { type: 'rating_high', kind: 'positive', items: ['run-0005'] },
        { type: 'thumbs_down', kind: 'negative', items: ['run-0006'] },
      ]),
    );
    await attune.close();
  });

  it('HTTP (/v1/turns): an intent with entities, and the impressions a reply showed', async () => {
    const { attune, app, kinds } = shop();
    const shown = await request(app).post('/v1/turns').send({ userId: 'http-fb', text: 'running shoes please', reply: { text: 'Here you go', recommend: { k: 3 } } });
    expect(shown.status).toBe(200);
    const items = (shown.body as { reply: { recommendations: { itemId: string }[] } }).reply.recommendations.map((r) => r.itemId);
    expect(items).toHaveLength(3);
    const res = await request(app).post('/v1/turns').send({ userId: 'http-fb', text: 'no thanks', intent: 'not_interested', entities: { product_id: items[0] } });
    expect(res.status).toBe(200);
    await attune.flush();
    expect(kinds()).toEqual(expect.arrayContaining([{ type: 'shown', kind: 'read', items }, { type: 'thumbs_down', kind: 'negative', items: [items[0]] }]));
    await attune.close();
  });
});
