import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createAttune } from '../../index';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { type Backend, backends } from '../support/backends';
import { esRequest, esSession } from '../support/dialogflow-requests';
import { emulatorMessage, startConnector } from '../support/emulator';
import { RasaConversation } from '../support/rasa-tracker';

/**
 * Erasure holds everywhere: after a user is erased, their turns through any adapter (Bot
 * Framework, Dialogflow, Rasa) and their REST events store nothing about them, while the bot
 * still answers, unpersonalized, until consent is given again through an explicit call.
 */
describe.each(backends())('erasure holds on %s, through every adapter', (_name, make) => {
  let b: Backend;
  let attune: Attune;
  let server: Server;
  let base: string;
  let connector: Awaited<ReturnType<typeof startConnector>>;

  beforeEach(async () => {
    b = make();
    attune = createAttune({ store: b.store, catalog });
    const { app } = createShopApp(attune, { apiKeys: false, dialogflowAuth: 'open', rasaAuth: 'open' });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    connector = await startConnector();
  });

  afterEach(async () => {
    await new Promise((r) => server.close(r));
    await connector.close();
    await attune.flush();
    await b.close();
  });

  const conversations = new Map<string, RasaConversation>();
  const adapters: [string, string, (userId: string, text: string) => Promise<string>][] = [
    [
      'Bot Framework',
      'bf-user-1',
      async (userId, text) => {
        const before = connector.replies.length;
        const res = await request(base).post('/api/messages').send(emulatorMessage(connector.url, userId, `conv-${userId}`, text));
        expect(res.status).toBeLessThan(300);
        return connector.replies.slice(before).at(-1)?.text ?? '';
      },
    ],
    [
      'Dialogflow',
      esSession('df-user-1'),
      async (userId, text) => {
        const res = await request(base).post('/dialogflow').send(esRequest({ session: userId, text, intent: 'browse', fulfillmentText: 'Here you go.' }));
        expect(res.status).toBe(200);
        return String(res.body.fulfillmentText ?? '');
      },
    ],
    [
      'Rasa',
      'rasa-user-1',
      async (userId, text) => {
        const conv = conversations.get(userId) ?? new RasaConversation(userId);
        conversations.set(userId, conv);
        conv.user(text, 'ask_recommendation');
        const answer = await conv.run(base, 'action_attune_recommend');
        expect(answer.status).toBe(200);
        return String(answer.body.responses?.[0]?.text ?? '');
      },
    ],
  ];

  it.each(adapters)('%s: an erased user is answered, unpersonalized, and nothing about them is stored until they consent again', async (_adapter, userId, say) => {
    conversations.clear();
    await say(userId, 'I am looking for running shoes');
    await attune.flush();
    const key = attune.userKey(userId);
    expect(await b.raw()).toContain(key);

    const erased = await request(base).delete(`/v1/users/${encodeURIComponent(userId)}`);
    expect(erased.status).toBe(200);
    expect(await b.raw()).not.toContain(key);

    // They chat again, through the same adapter, and send an event over REST.
    expect(await say(userId, 'show me running shoes again')).not.toBe('');
    expect(await say(userId, 'anything for me?')).not.toBe('');
    const late = await request(base).post('/v1/track').send({ userId, event: 'Product Viewed', properties: { product_id: 'run-0001' } });
    expect(late.status).toBe(200);
    await attune.flush();
    expect(await b.raw()).not.toContain(key);
    const exported = await attune.export(userId);
    expect(exported).toMatchObject({ profile: null, sessions: [], segments: [], events: [], cache: [] });

    // A consent call that grants nothing changes nothing.
    expect((await request(base).put(`/v1/users/${encodeURIComponent(userId)}/consent`).send({ personalization: false })).status).toBe(200);
    await say(userId, 'still there?');
    await attune.flush();
    expect(await b.raw()).not.toContain(key);

    // An explicit grant brings them back: the next turn is remembered again.
    expect((await request(base).put(`/v1/users/${encodeURIComponent(userId)}/consent`).send({ personalization: true, analytics: true })).status).toBe(200);
    await say(userId, 'I want running shoes');
    await attune.flush();
    const profile = await attune.profile(userId);
    expect(profile?.counts.turns).toBeGreaterThanOrEqual(1);
  });
});
