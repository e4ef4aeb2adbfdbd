import { ActivityHandler, TestAdapter } from 'botbuilder';
import { createAttune } from '../../index';
import { AttuneMiddleware } from '../../adapters/botbuilder';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';

function chat(attune: Attune, userId = 'alice') {
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    await ctx.sendActivity(`echo: ${ctx.activity.text}`);
    await next();
  });
  const adapter = new TestAdapter((ctx) => bot.run(ctx), { from: { id: userId, name: userId } });
  adapter.use(new AttuneMiddleware(attune));
  return adapter;
}

async function everything(store: MemoryStore): Promise<string> {
  return JSON.stringify((await store.readEvents({ limit: 10000 })).events);
}

describe('consent by purpose', () => {
  it('opt-in: a user who never consented is answered, and nothing about them is stored', async () => {
    const store = new MemoryStore();
    const attune = createAttune({ store, catalog: smallCatalog(), consentPolicy: 'opt-in' });
    await chat(attune).send('I want running shoes').assertReply('echo: I want running shoes').startTest();
    await attune.flush();
    const key = attune.userKey('alice');
    expect(await store.readUser(key)).toEqual({ profile: null, session: null, segments: [] });
    expect((await store.readEvents({ userId: key })).events).toEqual([]);
    expect(await store.topCounters('agg', 5)).toEqual([{ key: 'turns', value: 1 }]);

    // The same turn under opt-out stores the profile: the assertions above are not vacuous.
    const optOut = createAttune({ store, catalog: smallCatalog() });
    await chat(optOut).send('I want running shoes').assertReply(() => undefined).startTest();
    await optOut.flush();
    expect((await store.readUser(key)).profile?.affinities.running).toBeGreaterThan(0);
  });

  it('withdrawing consent stops storage from the next turn; the bot keeps answering', async () => {
    const store = new MemoryStore();
    const attune = createAttune({ store, catalog: smallCatalog() });
    const key = attune.userKey('alice');
    await chat(attune).send('I want running shoes').assertReply(() => undefined).startTest();
    await attune.flush();
    expect((await store.readUser(key)).profile?.affinities.running).toBeGreaterThan(0);
    const logged = (await store.readEvents({ userId: key })).events.length;
    expect(logged).toBeGreaterThan(0);

    await attune.setConsent('alice', { personalization: false, analytics: false });
    await chat(attune).send('now show me yoga mats').assertReply('echo: now show me yoga mats').startTest();
    await attune.flush();

    const after = await store.readUser(key);
    expect(after.profile?.consent).toEqual({ personalization: false, analytics: false });
    expect(after.profile?.affinities).toEqual({});
    expect(after.profile?.counts).toEqual({});
    expect(after.segments).toEqual([]);
    expect((await store.readEvents({ userId: key })).events).toHaveLength(logged);
    expect(await everything(store)).not.toContain('yoga mats');
  });

  it('consent carried by the channel (botbuilder channelData) applies to that very turn', async () => {
    const store = new MemoryStore();
    const attune = createAttune({ store, catalog: smallCatalog(), consentPolicy: 'opt-in' });
    const bot = new ActivityHandler();
    bot.onMessage(async (ctx, next) => {
      await ctx.sendActivity('here you are');
      await next();
    });
    const adapter = new TestAdapter((ctx) => bot.run(ctx), { from: { id: 'carol', name: 'carol' } });
    adapter.use(new AttuneMiddleware(attune, { consent: (a) => (a.channelData as { consent?: Record<string, boolean> } | undefined)?.consent }));
    await adapter.send({ type: 'message', text: 'running shoes please', channelData: { consent: { personalization: true, analytics: true } } }).assertReply((a) => expect(a.text).toBe('Welcome! 👋 here you are')).startTest();
    await attune.flush();
    const snap = await store.readUser(attune.userKey('carol'));
    expect(snap.profile?.consent).toEqual({ personalization: true, analytics: true });
    expect(snap.profile?.affinities.running).toBeGreaterThan(0);
    expect((await store.readEvents({ userId: attune.userKey('carol') })).events.length).toBeGreaterThan(0);
  });

  it('consent given through identify traits (or Segment context) takes effect', async () => {
    const store = new MemoryStore();
    const attune = createAttune({ store, catalog: smallCatalog(), consentPolicy: 'opt-in' });
    await attune.track({ userId: 'bob', event: 'Product Viewed', properties: { product_id: 'yoga-1' } });
    expect(await attune.profile('bob')).toBeNull();
    await attune.identify({ userId: 'bob', traits: { consent: { personalization: true, analytics: true } } });
    await attune.track({ userId: 'bob', event: 'Product Viewed', properties: { product_id: 'yoga-2' } });
    expect((await attune.profile('bob'))?.affinities.yoga).toBeGreaterThan(0);
    await attune.track({ userId: 'bob', event: 'Product Viewed', properties: { product_id: 'camping-1' }, context: { consent: { categoryPreferences: { Personalization: false } } } });
    expect((await attune.profile('bob'))?.affinities).toEqual({});
  });

  it('stores pseudonymous ids only: the raw id appears nowhere', async () => {
    const store = new MemoryStore();
    const attune = createAttune({ store, catalog: smallCatalog() });
    await chat(attune, 'raw-user-123').send('hello there').assertReply(() => undefined).startTest();
    await attune.flush();
    await attune.track({ userId: 'raw-user-123', event: 'Product Viewed', properties: { product_id: 'yoga-1' } });
    const key = attune.userKey('raw-user-123');
    expect(key).toMatch(/^pid\./);
    const dump = (await everything(store)) + JSON.stringify(await store.readUser(key));
    expect(dump).toContain(key);
    expect(dump).not.toContain('raw-user-123');
    expect((await attune.profile('raw-user-123'))?.userId).toBe(key);
  });
});
