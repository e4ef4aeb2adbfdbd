import { type Activity, ActivityHandler, TestAdapter, type TurnContext } from 'botbuilder';
import express from 'express';
import request from 'supertest';
import { createAttune } from '../../index';
import { AttuneMiddleware, getPersonalization } from '../../adapters/botbuilder';
import { dialogflowWebhook } from '../../adapters/dialogflow';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import type { ExperimentInput } from '../../src/experiments/definition';
import { MemoryStore } from '../../src/store/memory';
import { cxRequest, cxSession, esRequest, esSession, slack } from '../support/dialogflow-requests';
import { RasaConversation } from '../support/rasa-tracker';

/*
 * Every adapter shows the bot the user's experiment variant, in its own terms: Bot Framework
 * through getPersonalization, Dialogflow ES in the `attune` context, CX in session parameters,
 * Rasa as a slot (POST /v1/turns is tested with the REST routes).
 */

const metrics = { primary: [{ kind: 'conversion' as const }] };
const experiment: ExperimentInput = {
  id: 'welcome-copy',
  variants: [
    { id: 'control', weight: 0 },
    { id: 'short', weight: 1, overrides: { message: 'Hi! Deals inside.', tone: 'concise' } },
  ],
  metrics,
};
const engine = (experiments: ExperimentInput[] = [experiment]) => createAttune({ store: new MemoryStore(), catalog, experiments });

describe('the variant in every adapter', () => {
  const open: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const a of open) await a.close();
  });
  const make = (experiments?: ExperimentInput[]) => {
    const a = engine(experiments);
    open.push(a);
    return a;
  };

  it('Bot Framework: getPersonalization carries the variant, the experiments and the message', async () => {
    const seen: ReturnType<typeof getPersonalization>[] = [];
    const bot = new ActivityHandler();
    bot.onMessage(async (context: TurnContext, next) => {
      const p = getPersonalization(context);
      seen.push(p);
      await context.sendActivity(p?.overrides?.message ?? 'Hello.');
      await next();
    });
    const adapter = new TestAdapter((ctx) => bot.run(ctx));
    adapter.use(new AttuneMiddleware(make()));
    await adapter
      .send('hello')
      .assertReply((a: Partial<Activity>) => expect(a.text).toContain('Deals inside'))
      .startTest();
    expect(seen[0]).toMatchObject({ variant: 'short', tone: 'concise', experiments: [{ id: 'welcome-copy', variant: 'short' }] });
  });

  it('Dialogflow ES: the attune context holds variant, experiments and message; none outside experiments', async () => {
    for (const [experiments, expected] of [
      [[experiment], { variant: 'short', experiments: { 'welcome-copy': 'short' }, message: 'Hi! Deals inside.', tone: 'concise' }],
      [[], undefined],
    ] as const) {
      const { app } = createShopApp(make([...experiments]), { apiKeys: false, dialogflowAuth: 'open' });
      const res = await request(app)
        .post('/dialogflow')
        .send(esRequest({ session: esSession(`es-exp-${experiments.length}`), text: 'hello', intent: 'Default Welcome Intent', fulfillmentText: 'Hi!', original: slack('U0EXP1', 'hello') }));
      expect(res.status).toBe(200);
      const params = res.body.outputContexts.find((c: { name: string }) => c.name.endsWith('/contexts/attune')).parameters;
      if (expected) expect(params).toMatchObject(expected);
      else expect(params.variant).toBeUndefined();
    }
  });

  it('Dialogflow CX: session parameters attune_variant, attune_experiments and attune_message', async () => {
    const app = express();
    app.post('/cx', dialogflowWebhook(make(), { auth: 'open' }));
    const res = await request(app)
      .post('/cx')
      .send(cxRequest({ session: cxSession('cx-exp-1'), text: 'hello', tag: 'welcome', agentText: ['Hello there.'] }));
    expect(res.status).toBe(200);
    expect(res.body.sessionInfo.parameters).toMatchObject({ attune_variant: 'short', attune_experiments: { 'welcome-copy': 'short' }, attune_message: 'Hi! Deals inside.', attune_tone: 'concise' });
  });

  it('Rasa: action_attune_personalize sets the attune_variant slot', async () => {
    for (const [experiments, expected] of [
      [[experiment], 'short'],
      [[], null],
    ] as const) {
      const { app } = createShopApp(make([...experiments]), { apiKeys: false, rasaAuth: 'open' });
      const conv = new RasaConversation(`rasa-exp-${experiments.length}`);
      conv.user('hello', 'greet');
      const res = await conv.run(app, 'action_attune_personalize');
      expect(res.status).toBe(200);
      const slots = Object.fromEntries((res.body.events ?? []).map((e) => [e.name, e.value]));
      expect(slots.attune_variant).toBe(expected);
    }
  });
});
