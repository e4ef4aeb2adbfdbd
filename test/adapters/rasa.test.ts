import express from 'express';
import request from 'supertest';
import { createAttune } from '../../index';
import { ActionRejection, rasaActionServer, type RasaActionContext, slotSet } from '../../adapters/rasa';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { type Json, RasaConversation } from '../support/rasa-tracker';

const categoryOf = (title: unknown) => catalog.find((i) => i.title === title)?.category;
const buttonTitles = (responses: Json[] | undefined) => (responses ?? []).flatMap((r) => (r.buttons as { title: string }[]).map((b) => b.title));

function shop() {
  const store = new MemoryStore();
  const attune = createAttune({ store, catalog });
  // Open mode: these calls come over loopback; credentials are tested in test/adapters/webhook-auth.test.ts.
  return { store, attune, app: createShopApp(attune, { apiKeys: false, rasaAuth: 'open' }).app };
}

async function logged(store: MemoryStore, attune: Attune, userId: string) {
  await attune.flush();
  const { events } = await store.readEvents({ userId: attune.userKey(userId) });
  return {
    received: events.filter((e) => e.event === 'Message Received').map((e) => e.properties.text),
    sent: events.filter((e) => e.event === 'Message Sent').map((e) => e.properties.text),
  };
}

describe('Rasa action server in the shop app (/rasa)', () => {
  it('answers /health and /actions as rasa-sdk does', async () => {
    const { app } = shop();
    expect((await request(app).get('/rasa/health')).body).toEqual({ status: 'ok' });
    const actions = await request(app).get('/rasa/actions');
    expect(actions.body).toEqual(expect.arrayContaining([{ name: 'action_attune_recommend' }, { name: 'action_attune_personalize' }]));
  });

  it('recommends popular items first, then running gear once the user asked about running', async () => {
    const { app } = shop();
    const conv = new RasaConversation('runner-7');
    conv.user('hi there', 'greet');
    const first = await conv.run(app, 'action_attune_recommend');
    expect(first.status).toBe(200);
    const [response] = first.body.responses ?? [];
    expect(response).toMatchObject({ text: expect.stringMatching(/^Welcome!/), elements: [], custom: {}, image: null, attune: { logged: true } });
    expect(buttonTitles(first.body.responses)).toHaveLength(3);

    conv.listen().user('I need new running shoes', 'ask_product', [{ entity: 'category', value: 'running' }]);
    const second = await conv.run(app, 'action_attune_recommend');
    const titles = buttonTitles(second.body.responses);
    expect(titles).toHaveLength(3);
    expect(titles.every((t) => categoryOf(t) === 'running')).toBe(true);
    const buttons = (second.body.responses?.[0].buttons ?? []) as { payload: string }[];
    expect(buttons[0].payload).toMatch(/^Tell me about /);
  });

  it('sets segments, tone and recommendation ids as slots', async () => {
    const { app } = shop();
    const conv = new RasaConversation('slots-1');
    conv.user('show me yoga mats', 'ask_product', [{ entity: 'category', value: 'yoga' }]);
    const res = await conv.run(app, 'action_attune_personalize');
    expect(res.status).toBe(200);
    expect(res.body.responses).toEqual([]);
    const slots = Object.fromEntries((res.body.events ?? []).map((e) => [e.name, e.value]));
    expect(res.body.events?.every((e) => e.event === 'slot' && e.timestamp === null)).toBe(true);
    expect(slots.attune_segments).toContain('new-visitors');
    expect(slots.attune_tone).toBe('friendly');
    const ids = slots.attune_recommendations as string[];
    expect(ids).toHaveLength(3);
    expect(ids.every((id) => catalog.find((i) => i.id === id)?.category === 'yoga')).toBe(true);
  });

  it('logs every new user and bot message of the tracker once, across actions and replays', async () => {
    const { app, store, attune } = shop();
    const conv = new RasaConversation('logger-1');
    conv.user('hello', 'greet').utter('utter_greet', 'Hello! How can I help?').listen();
    conv.user('anything for camping?', 'ask_product', [{ entity: 'category', value: 'camping' }]);
    await conv.run(app, 'action_attune_personalize');
    await conv.run(app, 'action_attune_recommend');
    // Rasa retries the same call (a timeout on its side): nothing is logged twice.
    await request(app).post('/rasa/webhook').send(conv.call('action_attune_personalize'));
    conv.listen().user('thanks, bye', 'goodbye').utter('utter_goodbye', 'Bye!');
    await conv.run(app, 'action_attune_personalize');

    const { received, sent } = await logged(store, attune, 'logger-1');
    // With nothing remembered, the first call logs from the latest message on.
    expect(received).toEqual(['anything for camping?', 'thanks, bye']);
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/picks for you/);
    expect(sent[1]).toBe('Bye!');
  });

  it('logs messages Rasa answered without the action server as the turns they were', async () => {
    const { app, store, attune } = shop();
    const conv = new RasaConversation('quiet-1');
    conv.user('hi', 'greet');
    await conv.run(app, 'action_attune_personalize');
    conv.listen().user('do you sell tents?', 'ask_product').utter('utter_greet', 'We do!').listen();
    conv.user('great, what else?', 'ask_recommendation');
    const res = await conv.run(app, 'action_attune_recommend');
    const { received, sent } = await logged(store, attune, 'quiet-1');
    expect(received).toEqual(['hi', 'do you sell tents?', 'great, what else?']);
    expect(sent[0]).toBe('We do!');
    // The unlogged "tents" message still counted: camping gear is recommended.
    expect(buttonTitles(res.body.responses).every((t) => categoryOf(t) === 'camping')).toBe(true);
  });

  it('answers an unknown action with 404 { error, action_name }', async () => {
    const { app } = shop();
    const res = await request(app).post('/rasa/webhook').send(new RasaConversation('x').user('hi', 'greet').call('action_nope'));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: "No registered action found for name 'action_nope'.", action_name: 'action_nope' });
  });

  it('rejects malformed bodies with 400 saying what is wrong', async () => {
    const { app } = shop();
    const notJson = await request(app).post('/rasa/webhook').set('content-type', 'application/json').send('{"next_action": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatch(/Invalid body request/);

    const call = new RasaConversation('bad-1').user('hi', 'greet').call('action_attune_recommend');
    const tracker = call.tracker as Json;
    const noSender = await request(app)
      .post('/rasa/webhook')
      .send({ ...call, sender_id: undefined, tracker: { ...tracker, sender_id: undefined } });
    expect(noSender.status).toBe(400);
    expect(noSender.body).toMatchObject({ action_name: 'action_attune_recommend', error: expect.stringMatching(/sender_id/) });

    // What a tracker is made of must have its shape; single events are read tolerantly (see rasa-tracker-events.test.ts).
    const notATracker = await request(app).post('/rasa/webhook').send({ ...call, tracker: 'bad-1' });
    expect(notATracker.status).toBe(400);
    expect(notATracker.body.error).toMatch(/tracker/);
    const eventsNotAList = await request(app).post('/rasa/webhook').send({ ...call, tracker: { ...tracker, events: { event: 'user' } } });
    expect(eventsNotAList.status).toBe(400);
    expect(eventsNotAList.body.error).toMatch(/tracker\.events/);
    const slotsNotAnObject = await request(app).post('/rasa/webhook').send({ ...call, tracker: { ...tracker, slots: [1, 2] } });
    expect(slotsNotAnObject.status).toBe(400);
    expect(slotsNotAnObject.body.error).toMatch(/tracker\.slots/);
  });
});

describe('developer actions on rasaActionServer', () => {
  let attune: Attune;
  let seen: RasaActionContext[];
  let app: express.Express;

  beforeEach(() => {
    attune = createAttune({ store: new MemoryStore(), catalog });
    seen = [];
    app = express();
    app.use(
      '/actions',
      rasaActionServer(attune, {
        auth: 'open',
        actions: {
          action_check_stock: (ctx) => {
            seen.push(ctx);
            const size = ctx.slot('shoe_size');
            ctx.utter({ text: `Size ${String(size)} is in stock. You may also like:`, recommend: { k: 2, style: 'carousel' } });
            return [slotSet('in_stock', true)];
          },
          action_validate_shoe_form: (ctx) => {
            if (typeof ctx.slot('shoe_size') !== 'number') throw new ActionRejection('no size yet');
            return [];
          },
          action_broken: () => {
            throw new Error('database down');
          },
        },
      }),
    );
  });

  it('inside an active form, receives the slots, the active loop and the personalization', async () => {
    const conv = new RasaConversation('form-1', 'facebook');
    conv.user('I want trail running shoes', 'ask_product', [{ entity: 'category', value: 'running' }]);
    expect((await conv.run(app, 'action_attune_personalize', '/actions/webhook')).status).toBe(200);
    conv.startForm('shoe_form', 'shoe_size').utter('utter_ask_shoe_size', 'What size do you wear?').listen();
    conv.raw({ event: 'reminder', intent: 'remind_size', entities: null, date_time: '2024-06-10T10:00:00', name: 'size_reminder', kill_on_user_msg: true });
    conv.user('44', 'inform_size', [{ entity: 'size', value: 44 }], { locale: 'de-DE' });
    conv.raw({ event: 'loop_interrupted', is_interrupted: false }).raw({ event: 'followup', name: 'action_check_stock' });
    const res = await conv.run(app, 'action_check_stock', '/actions/webhook');

    expect(res.status).toBe(200);
    expect(res.body.events).toEqual([{ event: 'slot', timestamp: null, name: 'in_stock', value: true }]);
    const [r] = res.body.responses ?? [];
    expect(r.text).toMatch(/Size 44 is in stock/);
    expect(r.buttons).toHaveLength(2);
    const elements = r.elements as { title: string; subtitle: string; buttons: { type: string }[] }[];
    expect(elements).toHaveLength(2);
    // The reason in the user's language (de-DE) heads each card.
    expect(elements.every((e) => e.subtitle.startsWith('weil Sie sich für running interessieren'))).toBe(true);
    expect(elements.every((e) => categoryOf(e.title) === 'running' && e.buttons[0].type === 'postback')).toBe(true);
    const ctx = seen[0];
    expect(ctx.activeLoop).toBe('shoe_form');
    expect(ctx.personalization.profile.affinities.running).toBeGreaterThan(0);
    expect(ctx.personalization.profile.context).toMatchObject({ channel: 'rasa:facebook', locale: 'de-DE' });
  });

  it('an ActionRejection is a 400 { error, action_name }; a crash is a 500 without details', async () => {
    const conv = new RasaConversation('form-2').user('hi', 'greet');
    const rejected = await request(app).post('/actions/webhook').send(conv.call('action_validate_shoe_form'));
    expect(rejected.status).toBe(400);
    expect(rejected.body).toEqual({ error: 'no size yet', action_name: 'action_validate_shoe_form' });
    const broken = await request(app).post('/actions/webhook').send(conv.call('action_broken'));
    expect(broken.status).toBe(500);
    expect(broken.body).toEqual({ error: 'action failed', action_name: 'action_broken' });
  });

  it('lists the developer actions beside the built-ins', async () => {
    const names = (await request(app).get('/actions/actions')).body.map((a: { name: string }) => a.name);
    expect(names).toEqual(['action_attune_recommend', 'action_attune_personalize', 'action_check_stock', 'action_validate_shoe_form', 'action_broken']);
  });
});
