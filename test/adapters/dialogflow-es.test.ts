import express from 'express';
import request from 'supertest';
import { createAttune } from '../../index';
import { dialogflowWebhook, type DialogflowHandlerContext } from '../../adapters/dialogflow';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import { MemoryStore } from '../../src/store/memory';
import { esRequest, esSession, facebook, googleAssistant, type Json, slack, telephony } from '../support/dialogflow-requests';

const categoryOf = (title: unknown) => catalog.find((i) => i.title.slice(0, 25) === title || i.title.slice(0, 20) === title || i.title === title)?.category;

function shop() {
  const attune = createAttune({ store: new MemoryStore(), catalog });
  // Open mode: these calls come over loopback; credentials are tested in test/adapters/webhook-auth.test.ts.
  return { attune, app: createShopApp(attune, { apiKeys: false, dialogflowAuth: 'open' }).app };
}

const post = (app: express.Express, body: Json) => request(app).post('/dialogflow').send(body);
const attuneContext = (body: { outputContexts: { name: string; parameters: Json }[] }) => body.outputContexts.find((c) => c.name.endsWith('/contexts/attune'));

describe('Dialogflow ES webhook in the shop app (POST /dialogflow)', () => {
  it('Google Assistant: a welcome in the friendly tone, then running suggestions after asking about running', async () => {
    const { app } = shop();
    const session = esSession('aog-1');
    const first = await post(app, esRequest({ session, text: 'I am looking for running shoes', intent: 'product.search', parameters: { category: 'running' }, fulfillmentText: 'Let me find some for you.', original: googleAssistant('ABwppHG-user-1', 'I am looking for running shoes') }));
    expect(first.status).toBe(200);
    expect(first.body.fulfillmentText).toMatch(/^Welcome!/);
    expect(first.body.fulfillmentText).toMatch(/find some for you/);
    const ctx = attuneContext(first.body);
    expect(ctx).toMatchObject({ name: `${session}/contexts/attune`, lifespanCount: 50, parameters: { segments: ['new-visitors'], tone: 'friendly' } });
    // The agent's own context is echoed so its lifespan carries on.
    expect(first.body.outputContexts.map((c: { name: string }) => c.name)).toContain(`${session}/contexts/shopping`);

    const second = await post(app, esRequest({ session, text: 'what would you recommend?', intent: 'recommend', fulfillmentText: 'Here are some ideas.', original: googleAssistant('ABwppHG-user-1', 'what would you recommend?') }));
    const google = second.body.payload.google;
    expect(google.expectUserResponse).toBe(true);
    expect(google.richResponse.items[0].simpleResponse.textToSpeech).toMatch(/ideas/);
    const chips = google.richResponse.suggestions.map((s: { title: string }) => s.title);
    expect(chips.length).toBeGreaterThan(0);
    expect(chips.every((t: string) => categoryOf(t) === 'running')).toBe(true);
    const ids = attuneContext(second.body)?.parameters.recommendations as string[];
    expect(ids.every((id) => catalog.find((i) => i.id === id)?.category === 'running')).toBe(true);
  });

  it('Slack: the Slack user is the user across sessions; suggestions are buttons in blocks', async () => {
    const { app, attune } = shop();
    await post(app, esRequest({ session: esSession('slack-a'), text: 'any camping tents?', intent: 'product.search', parameters: { category: 'camping' }, original: slack('U024BE7LH', 'any camping tents?') }));
    const res = await post(app, esRequest({ session: esSession('slack-b'), text: 'show me something', intent: 'recommend', original: slack('U024BE7LH', 'show me something') }));
    const message = res.body.fulfillmentMessages.find((m: Json) => m.platform === 'SLACK');
    const blocks = message.payload.slack.blocks as { type: string; elements?: { type: string; text: { text: string }; value: string }[] }[];
    const buttons = blocks.find((b) => b.type === 'actions')?.elements ?? [];
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.every((b) => b.type === 'button' && categoryOf(b.text.text) === 'camping' && b.value.startsWith('Tell me about '))).toBe(true);
    expect((await attune.profile('U024BE7LH'))?.affinities.camping).toBeGreaterThan(0);
  });

  it('Facebook: quick replies with the PSID as user; telephony: recommendations spoken, caller id as user', async () => {
    const { app, attune } = shop();
    const fb = await post(app, esRequest({ session: esSession('fb-1'), text: 'hello', intent: 'Default Welcome Intent', fulfillmentText: 'Hi! How can I help?', original: facebook('2541891092537046', 'hello') }));
    const messenger = fb.body.fulfillmentMessages.find((m: Json) => m.platform === 'FACEBOOK').payload.facebook;
    expect(messenger.text).toMatch(/How can I help/);
    expect(messenger.quick_replies.length).toBeGreaterThan(0);
    expect(messenger.quick_replies[0]).toMatchObject({ content_type: 'text', payload: expect.stringMatching(/^Tell me about /) });
    expect(await attune.profile('2541891092537046')).not.toBeNull();

    const call = await post(app, esRequest({ session: esSession('call-1'), text: 'I would like a yoga mat', intent: 'product.search', parameters: { category: 'yoga' }, fulfillmentText: 'Good choice.', original: telephony('+14155552671') }));
    expect(call.body.fulfillmentText).toMatch(/You might like .+ and .+\.$/);
    expect(call.body.fulfillmentMessages.every((m: Json) => 'text' in m)).toBe(true);
    expect(call.body.payload).toBeUndefined();
    expect((await attune.profile('+14155552671'))?.context.device).toBe('phone');
  });

  it('the console (no integration): quick replies, and the session path as the user', async () => {
    const { app, attune } = shop();
    const session = esSession('console-1');
    const res = await post(app, esRequest({ session, text: 'hi', intent: 'Default Welcome Intent', fulfillmentText: 'Hi!' }));
    const quick = res.body.fulfillmentMessages.find((m: Json) => 'quickReplies' in m);
    expect(quick.quickReplies.quickReplies.length).toBeGreaterThan(0);
    expect(quick.platform).toBeUndefined();
    expect(await attune.profile(session)).not.toBeNull();
  });

  it('rejects malformed requests with 400 saying what is wrong, never a 500', async () => {
    const { app } = shop();
    const notJson = await request(app).post('/dialogflow').set('content-type', 'application/json').send('{"queryResult": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.message).toMatch(/not valid JSON/);
    const neither = await post(app, { hello: 'world' });
    expect(neither.status).toBe(400);
    expect(neither.body.message).toMatch(/queryResult.*sessionInfo/);
    const badSession = await post(app, { ...esRequest({ session: esSession('x'), text: 'hi', intent: 'greet' }), session: 'sessions/x' });
    expect(badSession.status).toBe(400);
    expect(badSession.body.issues[0].path).toEqual(['session']);
    const body = esRequest({ session: esSession('x'), text: 'hi', intent: 'greet' });
    const badParams = await post(app, { ...body, queryResult: { ...(body.queryResult as Json), parameters: 'running' } });
    expect(badParams.status).toBe(400);
    expect(badParams.body.message).toMatch(/queryResult\.parameters/);
    const array = await post(app, [] as unknown as Json);
    expect(array.status).toBe(400);
  });
});

describe('dialogflowWebhook options', () => {
  function app(options: Parameters<typeof dialogflowWebhook>[1]) {
    const attune = createAttune({ store: new MemoryStore(), catalog });
    const a = express();
    a.post('/df', dialogflowWebhook(attune, { auth: 'open', ...options }));
    return a;
  }

  it('runs the intent handler with the Personalization; carousels on Google and Facebook', async () => {
    const seen: DialogflowHandlerContext[] = [];
    const a = app({
      intents: {
        'product.browse': (ctx) => {
          seen.push(ctx);
          const top = Object.keys(ctx.personalization.profile.affinities)[0] ?? 'anything';
          return { text: `Since you like ${top}, have a look:`, recommend: { k: 3, style: 'carousel' }, parameters: { last_category: top } };
        },
        'broken.intent': () => {
          throw new Error('bug');
        },
      },
    });
    const session = esSession('h-1');
    await request(a).post('/df').send(esRequest({ session, text: 'cycling helmets?', intent: 'product.search', parameters: { category: 'cycling' }, original: googleAssistant('u-h1', 'cycling helmets?') }));
    const g = await request(a).post('/df').send(esRequest({ session, text: 'browse', intent: 'product.browse', original: googleAssistant('u-h1', 'browse') }));
    expect(g.body.fulfillmentText).toMatch(/Since you like cycling, have a look:/);
    const carousel = g.body.payload.google.systemIntent;
    expect(carousel.intent).toBe('actions.intent.OPTION');
    expect(carousel.data.carouselSelect.items).toHaveLength(3);
    // Each card says why it was picked, in words, before what it is.
    const items = carousel.data.carouselSelect.items as { description: string }[];
    expect(items.every((i) => /^because you showed interest in cycling\n/.test(i.description))).toBe(true);
    expect(attuneContext(g.body)?.parameters.last_category).toBe('cycling');
    expect(seen[0].intent).toBe('product.browse');
    expect(seen[0].agentText).toEqual(['Sure, let me see.']);

    const fb = await request(a).post('/df').send(esRequest({ session: esSession('h-2'), text: 'browse', intent: 'product.browse', original: facebook('psid-2', 'browse') }));
    const template = fb.body.fulfillmentMessages.find((m: Json) => m.platform === 'FACEBOOK').payload.facebook.attachment.payload;
    expect(template.template_type).toBe('generic');
    expect(template.elements).toHaveLength(3);
    expect((template.elements as { subtitle: string }[]).every((e) => e.subtitle.length <= 80 && e.subtitle.length > 0)).toBe(true);

    const broken = await request(a).post('/df').send(esRequest({ session: esSession('h-3'), text: 'x', intent: 'broken.intent', fulfillmentText: 'Static answer.' }));
    expect(broken.status).toBe(200);
    expect(broken.body.fulfillmentText).toMatch(/Static answer\./);
  });

  it('basic auth and a header secret: missing or wrong → 401, right → 200', async () => {
    const a = app({ auth: { basic: { username: 'dialogflow', password: 's3cret' }, headers: { 'X-Webhook-Secret': 'tok-123' } } });
    const body = esRequest({ session: esSession('auth-1'), text: 'hi', intent: 'greet' });
    const none = await request(a).post('/df').send(body);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    expect((await request(a).post('/df').auth('dialogflow', 'wrong').set('x-webhook-secret', 'tok-123').send(body)).status).toBe(401);
    expect((await request(a).post('/df').auth('dialogflow', 's3cret').set('x-webhook-secret', 'tok-12').send(body)).status).toBe(401);
    expect((await request(a).post('/df').auth('dialogflow', 's3cret').set('x-webhook-secret', 'tok-123').send(body)).status).toBe(200);
    const headerOnly = app({ auth: { headers: { 'x-webhook-secret': 'tok-123' } } });
    expect((await request(headerOnly).post('/df').send(body)).status).toBe(401);
    expect((await request(headerOnly).post('/df').set('X-Webhook-Secret', 'tok-123').send(body)).status).toBe(200);
  });
});
