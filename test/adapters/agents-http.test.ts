import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import request from 'supertest';
import { createAttune } from '../../index';
import { type AgentAppOptions, createAgentApp } from '../../examples/agents-sdk/app';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { emulatorMessage, type RecordedActivity, startConnector } from '../support/emulator';

/*
 * attune/agents through the Agents SDK's real CloudAdapter over HTTP, as attune/botbuilder is
 * tested: a conversation whose suggestions follow the user's interest, both directions
 * logged, Adaptive Cards on a channel that renders them, card clicks and reactions recorded
 * as feedback, a malformed activity a 400 and a refused token a 401 with our own message.
 */

interface Agent {
  attune: Attune;
  store: MemoryStore;
  base: string;
  close(): Promise<void>;
}

async function agent(options: Partial<AgentAppOptions> = {}): Promise<Agent> {
  const store = new MemoryStore();
  const attune = createAttune({ store, catalog, logger: pino({ level: 'silent' }) });
  const { app } = createAgentApp(attune, { apiKeys: false, ...options });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    attune,
    store,
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((r) => server.close(r));
      await attune.close();
    },
  };
}

const category = (id: string) => catalog.find((i) => i.id === id)?.category;

describe('attune/agents over HTTP through the Agents SDK CloudAdapter', () => {
  let a: Agent;
  let connector: Awaited<ReturnType<typeof startConnector>>;

  beforeAll(async () => {
    connector = await startConnector();
    a = await agent();
  });
  afterAll(async () => {
    await a.close();
    await connector.close();
  });

  async function say(userId: string, text: string, extra: Record<string, unknown> = {}): Promise<{ status: number; body: Record<string, unknown>; reply?: RecordedActivity }> {
    const before = connector.replies.length;
    const res = await request(a.base).post('/api/messages').send(emulatorMessage(connector.url, userId, `conv-${userId}`, text, extra));
    return { status: res.status, body: res.body as Record<string, unknown>, reply: connector.replies.slice(before).at(-1) };
  }

  it('suggestions follow the interest the user shows, and both directions are logged', async () => {
    await say('ag-u1', 'hello');
    const before = (await say('ag-u1', 'anything for me?')).reply;
    await say('ag-u1', 'I love yoga, I need a yoga mat for yoga class');
    await say('ag-u1', 'more yoga please, yoga blocks maybe');
    const after = await say('ag-u1', 'anything for me?');
    expect(after.status).toBe(200);
    const titles = (after.reply?.suggestedActions?.actions ?? []).map((x) => x.title);
    expect(titles.length).toBeGreaterThan(0);
    expect(after.reply?.text).toMatch(/because you/i);
    const ids = (r?: RecordedActivity) => (r?.suggestedActions?.actions ?? []).map((x) => catalog.find((i) => `Tell me about ${i.title}` === x.value)?.id ?? '');
    expect(ids(after.reply).filter((id) => category(id) === 'yoga').length).toBeGreaterThan(ids(before).filter((id) => category(id) === 'yoga').length);
    await a.attune.flush();
    const names = (await a.store.readEvents({ userId: a.attune.userKey('ag-u1') })).events.map((e) => e.event);
    expect(names.filter((n) => n === 'Message Received')).toHaveLength(5);
    expect(names.filter((n) => n === 'Message Sent')).toHaveLength(5);
    expect(names).toContain('Recommendation Shown');
  });

  it('a carousel on a channel that renders them is made of Adaptive Cards; a click on one is recorded', async () => {
    const shown = await say('ag-u2', 'show me cards');
    expect(shown.reply?.attachmentLayout).toBe('carousel');
    const card = shown.reply?.attachments?.[0] as { contentType: string; content: { actions: { type: string; data: { itemId: string } }[] } } | undefined;
    expect(card?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const data = card?.content.actions[0].data;
    expect(card?.content.actions[0].type).toBe('Action.Submit');
    // What Teams sends for an Action.Submit: a message with the data as its value and no text.
    const clicked = await say('ag-u2', '', { text: undefined, value: data });
    expect(clicked.reply?.text).toContain(catalog.find((i) => i.id === data?.itemId)?.title);
    await a.attune.flush();
    const events = (await a.store.readEvents({ userId: a.attune.userKey('ag-u2') })).events;
    expect(events.find((e) => e.event === 'Product Clicked')?.properties).toMatchObject({ product_id: data?.itemId, source: 'card' });
    expect((await a.attune.profile('ag-u2'))?.affinities[category(data?.itemId ?? '') ?? '']).toBeGreaterThan(0);
  });

  it('a reaction to a reply is recorded as feedback', async () => {
    const res = await say('ag-u3', '', { type: 'messageReaction', text: undefined, reactionsAdded: [{ type: 'like' }], replyToId: 'reply-1' });
    expect(res.status).toBe(200);
    await a.attune.flush();
    const feedback = (await a.store.readEvents({ userId: a.attune.userKey('ag-u3') })).events.find((e) => e.event === 'Feedback Given');
    expect(feedback?.properties).toMatchObject({ reaction: 'like', positive: true, added: true });
  });

  it('an activity without a conversation gets a 400 naming it, not a 500', async () => {
    const res = await say('ag-u4', 'hi', { conversation: undefined });
    expect(res.status).toBe(400);
    expect((res.body.issues as { path: string[] }[]).map((i) => i.path.join('.'))).toEqual(['conversation']);
  });

  it("an activity the SDK's own schema refuses (suggested actions without recipients) is a 400 naming it, not a 500", async () => {
    const res = await say('ag-u5', 'hi', { suggestedActions: { actions: [{ type: 'imBack', title: 'hi' }] } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_argument');
    expect((res.body.issues as { path: (string | number)[] }[]).map((i) => i.path.join('.'))).toEqual(['suggestedActions.to']);
  });
});

describe('attune/agents with a client id configured', () => {
  let a: Agent;
  beforeAll(async () => {
    a = await agent({ auth: { clientId: '9b2f8c2e-3d4a-4f5b-8c6d-7e8f9a0b1c2d', clientSecret: 'not-a-real-secret', tenantId: 'common' } });
  });
  afterAll(() => a.close());

  it.each([
    ['no token', undefined],
    ['garbage', 'Bearer garbage'],
    ['no scheme', 'garbage'],
  ])('%s gets a 401 with our own message', async (_what, authorization) => {
    const req = request(a.base).post('/api/messages');
    if (authorization) req.set('Authorization', authorization);
    const res = await req.send(emulatorMessage('http://127.0.0.1:1/', 'u1', 'c1', 'hi'));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthenticated', message: 'missing or invalid channel token' });
  });
});
