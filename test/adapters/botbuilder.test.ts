import { ActivityHandler, ActivityTypes, type Activity, TestAdapter, type TurnContext } from 'botbuilder';
import { createAttune } from '../../index';
import { AttuneMiddleware, getPersonalization, withRecommendations } from '../../adapters/botbuilder';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';

class ShopBot extends ActivityHandler {
  seen: ReturnType<typeof getPersonalization>[] = [];
  constructor() {
    super();
    this.onMessage(async (context: TurnContext, next) => {
      this.seen.push(getPersonalization(context));
      const text = context.activity.text ?? '';
      if (/recommend|show/i.test(text)) await context.sendActivity(withRecommendations("Here's what I'd pick for you."));
      else await context.sendActivity(`You said: ${text}`);
      await next();
    });
  }
}

function setup(attune: Attune = createAttune({ catalog: smallCatalog(), store: new MemoryStore() })) {
  const bot = new ShopBot();
  const adapter = new TestAdapter((ctx) => bot.run(ctx));
  adapter.use(new AttuneMiddleware(attune));
  return { adapter, bot, attune };
}

describe('AttuneMiddleware on botbuilder TestAdapter', () => {
  it('recommends from the category the user asked about', async () => {
    const { adapter, bot } = setup();
    await adapter
      .send('hello')
      .assertReply(() => undefined)
      .send('do you have running shoes?')
      .assertReply(() => undefined)
      .send('show me something')
      .assertReply((a: Partial<Activity>) => {
        const actions = a.suggestedActions?.actions ?? [];
        expect(actions.length).toBeGreaterThan(0);
        expect(actions.every((x) => String(x.title).startsWith('running'))).toBe(true);
        expect((a.channelData as Record<string, unknown> | undefined)?.attune).toBeUndefined();
      })
      .startTest();
    expect(bot.seen.at(-1)?.profile.affinities.running).toBeGreaterThan(0);
  });

  it('greets a first-time visitor in a friendly tone', async () => {
    const { adapter, bot } = setup();
    await adapter
      .send('hello')
      .assertReply((a: Partial<Activity>) => expect(a.text).toMatch(/^Welcome!/))
      .startTest();
    expect(bot.seen[0]?.segments).toContain('new-visitors');
    expect(bot.seen[0]?.tone).toBe('friendly');
  });

  it('logs both directions with email and phone redacted', async () => {
    const store = new MemoryStore();
    const { adapter, attune } = setup(createAttune({ catalog: smallCatalog(), store }));
    await adapter
      .send('my email is jane.doe@example.com and my phone is +44 20 7946 0958')
      .assertReply(() => undefined)
      .startTest();
    await attune.flush();
    const { events } = await store.readEvents({ userId: attune.userKey('user1') });
    const names = events.map((e) => e.event);
    expect(names).toContain('Message Received');
    expect(names).toContain('Message Sent');
    const dump = JSON.stringify(events);
    expect(dump).not.toContain('jane.doe@example.com');
    // Digits of the phone number, not a random message id that happens to contain them.
    expect(dump).not.toMatch(/7946\s?0958/);
    expect(dump).toContain('<EMAIL>');
  });

  it('answers unpersonalized when the store fails', async () => {
    const store = new MemoryStore();
    store.readUser = async () => {
      throw new Error('down');
    };
    const { adapter } = setup(createAttune({ catalog: smallCatalog(), store }));
    await adapter.send('hi').assertReply('You said: hi').startTest();
  });

  it('attaches recommendations by policy on a configured intent, without the bot asking', async () => {
    const attune = createAttune({ catalog: smallCatalog(), store: new MemoryStore(), stages: { recommend: { k: 2, policy: { intents: ['browse'] } } } });
    const bot = new ShopBot();
    const adapter = new TestAdapter((ctx) => bot.run(ctx));
    adapter.use(new AttuneMiddleware(attune, { intent: (ctx) => (/browse/.test(ctx.activity.text ?? '') ? 'browse' : undefined) }));
    await adapter
      .send('I want to browse')
      .assertReply((a: Partial<Activity>) => expect(a.suggestedActions?.actions).toHaveLength(2))
      .send('just chatting')
      .assertReply((a: Partial<Activity>) => expect(a.suggestedActions).toBeUndefined())
      .startTest();
    expect(bot.seen[0]?.session.intents).toEqual(['browse']);
  });

  it('lets invoke activities through untouched', async () => {
    const bot = new ActivityHandler();
    let invoked = false;
    bot.onTurn(async (ctx, next) => {
      if (ctx.activity.type === ActivityTypes.Invoke) invoked = true;
      await next();
    });
    const adapter = new TestAdapter((ctx) => bot.run(ctx));
    adapter.use(new AttuneMiddleware(createAttune({ store: new MemoryStore() })));
    await adapter.send({ type: ActivityTypes.Invoke, name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute' } } }).startTest();
    expect(invoked).toBe(true);
  });

  it('passes conversationUpdate and reactions through and records reactions as feedback', async () => {
    const store = new MemoryStore();
    const { adapter, attune } = setup(createAttune({ catalog: smallCatalog(), store }));
    await adapter.send({ type: ActivityTypes.ConversationUpdate, membersAdded: [{ id: 'user1', name: 'User' }] }).startTest();
    await adapter.send({ type: ActivityTypes.MessageReaction, reactionsAdded: [{ type: 'like' }], replyToId: 'abc' }).startTest();
    await attune.flush();
    const { events } = await store.readEvents({ userId: attune.userKey('user1') });
    const fb = events.find((e) => e.event === 'Feedback Given');
    expect(fb?.properties).toMatchObject({ reaction: 'like', positive: true, replyToId: 'abc' });
  });
});
