import express from 'express';
import request from 'supertest';
import { createAttune } from '../../index';
import { dialogflowWebhook, type DialogflowHandlerContext } from '../../adapters/dialogflow';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import { MemoryStore } from '../../src/store/memory';
import { cxRequest, cxSession, type Json } from '../support/dialogflow-requests';

const categoryOfTitle = (title: unknown) => catalog.find((i) => i.title === title)?.category;
const categoryOfId = (id: string) => catalog.find((i) => i.id === id)?.category;
type Message = { text?: { text: string[] }; payload?: { richContent: Json[][] } };

function setup() {
  const attune = createAttune({ store: new MemoryStore(), catalog });
  const seen: DialogflowHandlerContext[] = [];
  const app = express();
  app.post(
    '/cx',
    dialogflowWebhook(attune, {
      auth: 'open',
      tags: {
        recommend: (ctx) => {
          seen.push(ctx);
          return { text: 'Based on what you told me, try these:', recommend: { k: 3 }, parameters: { recommended_for: ctx.parameters.shoe_type } };
        },
        'show-cards': () => ({ recommend: { k: 2, style: 'carousel' }, mergeBehavior: 'APPEND' }),
      },
    }),
  );
  return { attune, app, seen };
}

describe('Dialogflow CX webhook', () => {
  it('fills a form, then recommends from what the form collected (tags, form parameters, session parameters)', async () => {
    const { app, seen } = setup();
    const session = cxSession('cx-form-1');
    const first = await request(app)
      .post('/cx')
      .send(
        cxRequest({
          session,
          text: 'I need trail running shoes',
          tag: 'ask-size',
          intent: 'product.search',
          intentParameters: { shoe_type: 'trail running' },
          page: 'Shoe Finder',
          form: { shoe_type: 'trail running', size: undefined },
          agentText: ['Great, what size do you wear?'],
        }),
      );
    expect(first.status).toBe(200);
    expect(first.body.fulfillmentResponse.mergeBehavior).toBe('REPLACE');
    expect(first.body.fulfillmentResponse.messages[0].text.text[0]).toMatch(/^Welcome!.* Great, what size do you wear\?/);
    expect(first.body.sessionInfo.parameters).toMatchObject({ attune_segments: ['new-visitors'], attune_tone: 'friendly' });

    const params = first.body.sessionInfo.parameters as Json;
    const second = await request(app)
      .post('/cx')
      .send(cxRequest({ session, text: '44', tag: 'recommend', page: 'Shoe Finder', form: { shoe_type: 'trail running', size: 44 }, sessionParameters: { ...params, shoe_type: 'trail running', size: 44 }, agentText: ['Got it, size 44.'] }));
    const { messages, mergeBehavior } = second.body.fulfillmentResponse as { messages: Message[]; mergeBehavior: string };
    expect(mergeBehavior).toBe('APPEND');
    expect(messages[0].text?.text[0]).toMatch(/try these/);
    const chips = messages.find((m) => m.payload)?.payload?.richContent[0][0] as { type: string; options: { text: string }[] };
    expect(chips.type).toBe('chips');
    expect(chips.options).toHaveLength(3);
    expect(chips.options.every((o) => categoryOfTitle(o.text) === 'running')).toBe(true);
    const out = second.body.sessionInfo.parameters;
    expect((out.attune_recommendations as string[]).every((id) => categoryOfId(id) === 'running')).toBe(true);
    expect(out.attune_favourite_categories[0]).toBe('running');
    expect(out.recommended_for).toBe('trail running');
    expect(seen[0]).toMatchObject({ tag: 'recommend', parameters: { size: 44, shoe_type: 'trail running' }, agentText: ['Got it, size 44.'] });
    expect(seen[0].request.edition).toBe('cx');
  });

  it('keys the user by the user_id session parameter across sessions; info cards for the carousel', async () => {
    const { app, attune } = setup();
    await request(app).post('/cx').send(cxRequest({ session: cxSession('web-1'), text: 'looking for a tent', intent: 'product.search', sessionParameters: { user_id: 'customer-881' }, agentText: ['Sure.'] }));
    const res = await request(app).post('/cx').send(cxRequest({ session: cxSession('web-2'), text: 'show me', tag: 'show-cards', sessionParameters: { user_id: 'customer-881' } }));
    const cards = (res.body.fulfillmentResponse.messages as Message[]).find((m) => m.payload)?.payload?.richContent[0] as { type: string; title: string; subtitle: string }[];
    expect(cards).toHaveLength(2);
    expect(cards.every((c) => c.subtitle.startsWith('because you showed interest in camping'))).toBe(true);
    expect(cards.every((c) => c.type === 'info' && categoryOfTitle(c.title) === 'camping')).toBe(true);
    expect(res.body.fulfillmentResponse.mergeBehavior).toBe('APPEND');
    expect((await attune.profile('customer-881'))?.affinities.camping).toBeGreaterThan(0);
  });

  it('speaks recommendations on a phone call instead of showing them', async () => {
    const { app } = setup();
    const res = await request(app)
      .post('/cx')
      .send(cxRequest({ session: cxSession('call-9'), text: 'yoga mats please', tag: 'recommend', payload: { telephony: { caller_id: '+442079460958' } } }));
    const messages = res.body.fulfillmentResponse.messages as Message[];
    expect(messages.every((m) => m.text && !m.payload)).toBe(true);
    expect(messages.map((m) => m.text?.text[0]).join(' ')).toMatch(/You might like .+ and .+\./);
  });

  it('the shop app answers CX too, and rejects a malformed CX body with 400', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog });
    const { app } = createShopApp(attune, { apiKeys: false, dialogflowAuth: 'open' });
    const ok = await request(app).post('/dialogflow').send(cxRequest({ session: cxSession('shop-1'), text: 'hello', agentText: ['Hi there!'] }));
    expect(ok.status).toBe(200);
    expect(ok.body.fulfillmentResponse.messages.length).toBeGreaterThan(1);
    const bad = await request(app)
      .post('/dialogflow')
      .send({ ...cxRequest({ session: cxSession('shop-1'), text: 'x' }), sessionInfo: { session: 'projects/p/agent/sessions/s' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/sessionInfo\.session/);
    const badForm = cxRequest({ session: cxSession('shop-1'), text: 'x', form: { size: 4 } });
    ((badForm.pageInfo as Json).formInfo as { parameterInfo: Json[] }).parameterInfo[0].state = 'HALF_FULL';
    const badState = await request(app).post('/dialogflow').send(badForm);
    expect(badState.status).toBe(400);
    expect(badState.body.message).toMatch(/pageInfo\.formInfo\.parameterInfo\.0\.state/);
  });
});
