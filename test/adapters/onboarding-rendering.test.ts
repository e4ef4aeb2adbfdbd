import express from 'express';
import request from 'supertest';
import { createAttune } from '../../index';
import { dialogflowWebhook } from '../../adapters/dialogflow';
import { TurnResultSchema } from '../../adapters/http/schemas';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import { MemoryStore } from '../../src/store/memory';
import type { AttuneContext } from '../../src/engine/context';
import { turnPromptContext } from '../../src/prompt/turn';
import { cxRequest, cxSession, esRequest, esSession, facebook, type Json, telephony } from '../support/dialogflow-requests';

const onboarded = () => createAttune({ store: new MemoryStore(), catalog, stages: { onboarding: {} } });
type Message = Json & { text?: { text: string[] }; quickReplies?: { title: string; quickReplies: string[] }; payload?: Json };

function dialogflowApp() {
  const app = express();
  app.post('/df', dialogflowWebhook(onboarded(), { auth: 'open', recommend: true }));
  return app;
}

describe('every adapter renders the onboarding question in its own format', () => {
  it('Dialogflow ES: the question after the answer, its answers as quick replies; "Running" answers it', async () => {
    const app = dialogflowApp();
    const session = esSession('df-onb-1');
    const res = await request(app).post('/df').send(esRequest({ session, text: 'hi', intent: 'Default Welcome Intent', fulfillmentText: 'Hello!' }));
    const messages = res.body.fulfillmentMessages as Message[];
    const texts = messages.flatMap((m) => m.text?.text ?? []);
    expect(texts[texts.length - 1]).toMatch(/what are you most into/i);
    const quick = messages.filter((m) => m.quickReplies).at(-1)?.quickReplies;
    expect(quick?.title).toMatch(/what are you most into/i);
    expect(quick?.quickReplies).toEqual(expect.arrayContaining(['Running', 'Yoga', 'Skip']));

    const next = await request(app).post('/df').send(esRequest({ session, text: 'Running', intent: 'Default Fallback Intent', fulfillmentText: 'OK.' }));
    const nextQuick = (next.body.fulfillmentMessages as Message[]).filter((m) => m.quickReplies).at(-1)?.quickReplies;
    expect(nextQuick?.title).toMatch(/budget/i);
  });

  it('Dialogflow ES on Messenger: quick_replies; on a phone call: the choices spoken', async () => {
    const app = dialogflowApp();
    const fb = await request(app).post('/df').send(esRequest({ session: esSession('df-onb-fb'), text: 'hi', intent: 'Default Welcome Intent', original: facebook('psid-onb-1', 'hi') }));
    const payloads = (fb.body.fulfillmentMessages as Message[]).filter((m) => m.platform === 'FACEBOOK').map((m) => (m.payload as { facebook: { text?: string; quick_replies?: { title: string; payload: string }[] } }).facebook);
    const asking = payloads.find((p) => /what are you most into/i.test(p.text ?? ''));
    expect(asking?.quick_replies).toEqual(expect.arrayContaining([{ content_type: 'text', title: 'Running', payload: 'Running' }]));

    const call = await request(app).post('/df').send(esRequest({ session: esSession('df-onb-tel'), text: 'hello', intent: 'Default Welcome Intent', original: telephony('+15550100') }));
    const spoken = (call.body.fulfillmentMessages as Message[]).flatMap((m) => m.text?.text ?? []);
    expect(spoken.at(-1)).toMatch(/Running, .* or Skip\?$/);
  });

  it('Dialogflow CX: the question as text and its answers as Messenger chips', async () => {
    const app = dialogflowApp();
    const res = await request(app).post('/df').send(cxRequest({ session: cxSession('cx-onb-1'), text: 'hi', agentText: ['Hello!'] }));
    const messages = res.body.fulfillmentResponse.messages as Message[];
    expect(messages.flatMap((m) => m.text?.text ?? [])).toEqual(expect.arrayContaining([expect.stringMatching(/what are you most into/i)]));
    const chips = messages.flatMap((m) => ((m.payload?.richContent as Json[][] | undefined) ?? []).flat()).filter((c) => c.type === 'chips').at(-1) as { options: { text: string }[] } | undefined;
    expect(chips?.options.map((o) => o.text)).toEqual(expect.arrayContaining(['Running', 'Skip']));
  });

  it('/v1/turns: an `onboarding` field, in the user\'s language, that the next turn answers', async () => {
    const { app } = createShopApp(onboarded());
    const first = await request(app).post('/v1/turns').send({ userId: 'http-onb-1', sessionId: 's1', locale: 'de-DE', text: 'hallo', reply: 'Hallo!' });
    expect(first.status).toBe(200);
    TurnResultSchema.parse(first.body);
    expect(first.body.onboarding).toMatchObject({ id: 'interests', question: 'Für den Anfang: Wofür interessieren Sie sich am meisten?', skip: { value: 'skip', label: 'Überspringen' }, step: 1, steps: 3 });
    expect(first.body.onboarding.choices).toEqual(expect.arrayContaining([{ value: 'running', label: 'Running' }]));
    const second = await request(app).post('/v1/turns').send({ userId: 'http-onb-1', sessionId: 's1', locale: 'de-DE', text: 'Running' });
    expect(second.body.onboarding).toMatchObject({ id: 'budget', question: 'Und Ihr Budget pro Artikel?' });
    expect(second.body.onboarding.choices[0]).toEqual({ value: 'under-50', label: 'Unter 50' });
    // A user the engine knew before is never asked.
    const attune = onboarded();
    await attune.track({ userId: 'known', event: 'Product Viewed', properties: { product_id: catalog[0].id } });
    expect((await attune.turn({ userId: 'known', text: 'hi' })).onboarding).toBeUndefined();
  });

  it('a language model\'s prompt block: a line telling the model to ask, with the answers to offer', async () => {
    const attune = onboarded();
    let block = '';
    await attune.handle({ id: 't1', userId: 'llm-onb-1', sessionId: 's', channel: 'llm', kind: 'message', text: 'hi', signals: {}, timestamp: new Date().toISOString() }, (ctx: AttuneContext) => {
      block = turnPromptContext(ctx, attune).text;
    });
    expect(block).toMatch(/At the end of your answer, ask the user: "To get you started: what are you most into\?" Offer: Running, .*\(or to skip\)\./);
    // No question, no line.
    let plain = '';
    await attune.track({ userId: 'llm-known', event: 'Product Viewed', properties: { product_id: catalog[0].id } });
    await attune.handle({ id: 't2', userId: 'llm-known', sessionId: 's', channel: 'llm', kind: 'message', text: 'hi', signals: {}, timestamp: new Date().toISOString() }, (ctx: AttuneContext) => {
      plain = turnPromptContext(ctx, attune).text;
    });
    expect(plain).not.toMatch(/ask the user/);
  });
});
