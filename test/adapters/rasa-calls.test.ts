import express from 'express';
import request from 'supertest';
import { createAttune } from '../../index';
import { rasaActionServer, type RasaActionContext } from '../../adapters/rasa';
import { RASA_LIMITS } from '../../adapters/rasa/limits';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import { MemoryStore } from '../../src/store/memory';
import { type Json, loggedMessages, RasaConversation } from '../support/rasa-tracker';

/*
 * What rasa-sdk's endpoint accepts, Attune accepts: its executor builds the `Tracker` with
 * `Tracker.from_dict(action_call["tracker"])`, which takes `sender_id` from the tracker and
 * defaults every other part, and reads the domain with a default too. Only what cannot be
 * guessed (no sender at all, an id too long to store) is a 400 in rasa-sdk's error shape.
 */

function shop() {
  const store = new MemoryStore();
  const attune = createAttune({ store, catalog });
  // Open mode: these calls come over loopback; credentials are tested in webhook-auth.test.ts.
  return { store, attune, app: createShopApp(attune, { apiKeys: false, rasaAuth: 'open' }).app };
}

const post = (app: express.Express, body: unknown) => request(app).post('/rasa/webhook').send(body as object);

describe('Rasa action calls as rasa-sdk accepts them', () => {
  it('serves a call whose sender_id is only in the tracker, for that sender', async () => {
    const { app, store, attune } = shop();
    const conv = new RasaConversation('tracker-only-1').user('any running shoes?', 'ask_product', [{ entity: 'category', value: 'running' }]);
    const { sender_id: _topLevel, ...call } = conv.call('action_attune_recommend');
    const res = await post(app, call);
    expect(res.status).toBe(200);
    const buttons = (res.body.responses[0].buttons ?? []) as { title: string }[];
    expect(buttons.map((b) => catalog.find((i) => i.title === b.title)?.category)).toEqual(['running', 'running', 'running']);
    expect((await loggedMessages(store, attune, 'tracker-only-1')).received).toEqual(['any running shoes?']);
  });

  it('serves a minimal tracker, and parts that are null, missing or of a type Attune does not read', async () => {
    const { app } = shop();
    const minimal = await post(app, { next_action: 'action_attune_recommend', tracker: { sender_id: 'min-1' } });
    expect(minimal.status).toBe(200);
    expect(minimal.body).toEqual({ events: [], responses: [expect.objectContaining({ text: expect.any(String), buttons: expect.any(Array) })] });

    const nulls = await post(app, {
      next_action: 'action_attune_personalize',
      sender_id: 'min-2',
      tracker: { sender_id: 'min-2', slots: null, latest_message: null, events: null, active_loop: null, paused: null, followup_action: null },
      domain: null,
    });
    expect(nulls.status).toBe(200);
    expect(nulls.body.events.map((e: Json) => e.name)).toEqual(['attune_segments', 'attune_tone', 'attune_recommendations', 'attune_variant']);

    // rasa-sdk never looks at these; Attune leaves out what it cannot read instead of refusing the call.
    const odd = await post(app, {
      next_action: 'action_attune_personalize',
      sender_id: 'min-3',
      tracker: { paused: 'no', latest_event_time: 'now', followup_action: 7, latest_input_channel: ['rest'], latest_message: 'hi', active_loop: 'form', latest_action: 3 },
      domain: 'not a domain',
      version: 3,
    });
    expect(odd.status).toBe(200);
    expect(odd.body.events).toHaveLength(4);
  });

  it('hands actions the tracker as rasa-sdk builds it: the sender, slots, and the form from active_loop or the older active_form', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog });
    const seen: RasaActionContext[] = [];
    const app = express().use('/rasa', rasaActionServer(attune, { auth: 'open', actions: { action_look: (ctx) => void seen.push(ctx) } }));

    const topLevelOnly = await post(app, { next_action: 'action_look', sender_id: 'look-1', tracker: { slots: { size: 44 } } });
    expect(topLevelOnly.status).toBe(200);
    expect(seen[0].tracker.sender_id).toBe('look-1');
    expect(seen[0].slot('size')).toBe(44);
    expect(seen[0].tracker.events).toEqual([]);
    expect(seen[0].domain).toEqual({});

    // Rasa before 2.0 sent `active_form`; rasa-sdk reads it when `active_loop` is missing.
    await post(app, { next_action: 'action_look', tracker: { sender_id: 'look-2', active_form: { name: 'shoe_form' } } });
    expect(seen[1].activeLoop).toBe('shoe_form');
    await post(app, { next_action: 'action_look', tracker: { sender_id: 'look-3', active_loop: {}, active_form: { name: 'old_form' } } });
    expect(seen[2].activeLoop).toBeUndefined();
  });

  it('rejects over-long or non-string ids with 400 { error, action_name }, and never echoes them', async () => {
    const { app } = shop();
    const call = new RasaConversation('ids-1').user('hi', 'greet').call('action_attune_recommend');
    const tracker = call.tracker as Json;
    const long = 'x'.repeat(RASA_LIMITS.senderId + 1);

    const topLevel = await post(app, { ...call, sender_id: long, tracker: { ...tracker, sender_id: undefined } });
    expect(topLevel.status).toBe(400);
    expect(topLevel.body).toMatchObject({ action_name: 'action_attune_recommend', error: expect.stringMatching(/(^|\W)sender_id/) });

    const inTracker = await post(app, { ...call, tracker: { ...tracker, sender_id: long } });
    expect(inTracker.status).toBe(400);
    expect(inTracker.body).toMatchObject({ action_name: 'action_attune_recommend', error: expect.stringMatching(/tracker\.sender_id/) });

    const notAString = await post(app, { ...call, sender_id: 42, tracker: { ...tracker, sender_id: { id: 42 } } });
    expect(notAString.status).toBe(400);
    expect(notAString.body.error).toMatch(/sender_id/);

    const hugeAction = await post(app, { ...call, next_action: 'action_'.repeat(2000) });
    expect(hugeAction.status).toBe(400);
    expect(hugeAction.body).toMatchObject({ action_name: null, error: expect.stringMatching(/next_action/) });
    expect(JSON.stringify(hugeAction.body).length).toBeLessThan(1000);

    for (const res of [topLevel, inTracker, notAString, hugeAction]) expect(JSON.stringify(res.body)).not.toContain(long);
  });
});
