import { randomBytes } from 'node:crypto';
import { ActivityHandler, TestAdapter } from 'botbuilder';
import Redis from 'ioredis';
import { createAttune } from '../../index';
import { AttuneMiddleware } from '../../adapters/botbuilder';
import type { Attune } from '../../src/engine/attune';
import { runRetention } from '../../src/privacy/retention';
import { createCipher, parseEncryptionKeys } from '../../src/privacy/cipher';
import { MemoryStore } from '../../src/store/memory';
import { RedisStore } from '../../src/store/redis';
import type { Store } from '../../src/store/store';
import { deleteKeys, describeRedis, listKeys } from '../store/redis-harness';
import { smallCatalog } from '../support/catalog';

/**
 * The privacy issue's checks, end to end through the botbuilder middleware and the engine, on
 * both stores: what is at rest holds no raw id, email or phone; export holds what erase removes;
 * after erase nothing tied to the user remains and late events are dropped; the sweeper
 * deletes what is past retention.
 */
const RAW_ID = 'crm-customer-778899';
const EMAIL = 'jane.roe@example.net';
const PHONE = '+44 20 7946 0958';
const PHONE_DIGITS = '7946 0958';
const cipher = createCipher(parseEncryptionKeys(`k1:${randomBytes(32).toString('base64')}`));

interface Backend {
  store: Store;
  /** Every key and value at rest, as one string. */
  raw(): Promise<string>;
  advance(seconds: number): void;
  close(): Promise<void>;
}

function memoryBackend(): Backend {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const store = new MemoryStore({ cipher, clock: () => now });
  return { store, raw: async () => store.rawDump(), advance: (s) => (now += s * 1000), close: () => store.close() };
}

function redisBackend(url: string): Backend {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const prefix = `attune-e2e:${randomBytes(4).toString('hex')}:`;
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const store = new RedisStore({ redis: client, keyPrefix: prefix, cipher, clock: () => now });
  return {
    store,
    advance: (s) => (now += s * 1000),
    async raw() {
      const parts: string[] = [];
      for (const key of await listKeys(client, prefix)) {
        parts.push(key);
        const type = await client.type(key);
        if (type === 'string') parts.push((await client.get(key)) ?? '');
        else if (type === 'hash') parts.push(JSON.stringify(await client.hgetall(key)));
        else if (type === 'set') parts.push(JSON.stringify(await client.smembers(key)));
        else if (type === 'zset') parts.push(JSON.stringify(await client.zrange(key, '0', '-1', 'WITHSCORES')));
        else if (type === 'stream') parts.push(JSON.stringify(await client.xrange(key, '-', '+')));
        else if (type === 'list') parts.push(JSON.stringify(await client.lrange(key, 0, -1)));
      }
      return parts.join('\n');
    },
    async close() {
      await deleteKeys(client, prefix);
      await store.close();
      client.disconnect();
    },
  };
}

async function converse(attune: Attune): Promise<void> {
  const bot = new ActivityHandler();
  bot.onMessage(async (ctx, next) => {
    await ctx.sendActivity(`Noted: ${ctx.activity.text}`);
    await next();
  });
  const adapter = new TestAdapter((ctx) => bot.run(ctx), { from: { id: 'channel-user-1', name: 'Jane' } });
  // The bot maps the channel's id to its own customer id.
  adapter.use(new AttuneMiddleware(attune, { userId: () => RAW_ID }));
  await adapter.send(`hi, my email is ${EMAIL} and my phone is ${PHONE}`).assertReply(() => undefined).startTest();
  await adapter.send('I am looking for running shoes').assertReply(() => undefined).startTest();
  await attune.identify({ userId: RAW_ID, traits: { email: EMAIL, phone: PHONE, plan: 'gold' } });
  await attune.track({ userId: RAW_ID, event: 'Order Completed', properties: { products: [{ product_id: 'yoga-2', price: 20 }] } });
  await attune.flush();
}

describe('privacy end to end on memory', () => privacyEndToEnd(memoryBackend));
describeRedis('privacy end to end on redis', (url) => privacyEndToEnd(() => redisBackend(url)));

function privacyEndToEnd(make: () => Backend): void {
  let b: Backend;
  let attune: Attune;
  beforeEach(() => {
    b = make();
    attune = createAttune({ store: b.store, catalog: smallCatalog() });
  });
  afterEach(() => b.close());

  it('stores neither the raw id nor the email nor the phone, yet export returns the user’s data', async () => {
    await converse(attune);
    const raw = await b.raw();
    expect(raw).toContain(attune.userKey(RAW_ID));
    for (const secret of [RAW_ID, EMAIL, PHONE_DIGITS, 'gold']) expect(raw).not.toContain(secret);

    const data = await attune.export(RAW_ID);
    expect(data.profile?.traits.plan).toBe('gold');
    expect(data.profile?.purchased).toEqual(['yoga-2']);
    expect(data.events.map((e) => e.event)).toEqual(expect.arrayContaining(['Message Received', 'Message Sent', 'Order Completed']));
    expect(data.sessions.length).toBeGreaterThan(0);
    expect(data.segments.length).toBeGreaterThan(0);
    expect(JSON.stringify(data)).not.toContain(EMAIL);
  });

  it('erase removes everything export showed, drops late events, and audits without personal data', async () => {
    await converse(attune);
    await attune.train();
    expect((await attune.export(RAW_ID)).inModel).toBe(true);
    const key = attune.userKey(RAW_ID);
    // The lists remembered for the user go with them.
    const forgotten = jest.spyOn(attune.recommendations, 'forgetUser');

    const result = await attune.erase(RAW_ID, { actor: 'key_test' });
    expect(forgotten).toHaveBeenCalledWith(key);
    expect(result.removed).toBeGreaterThan(0);
    expect(result.retrained).toBe(true);

    const after = await attune.export(RAW_ID);
    expect(after).toMatchObject({ profile: null, sessions: [], segments: [], events: [], cache: [], inModel: false });
    expect(await b.raw()).not.toContain(key);

    const late = await attune.track({ userId: RAW_ID, event: 'Product Viewed', properties: { product_id: 'running-1' } });
    expect(late.accepted).toEqual([]);
    expect(await attune.profile(RAW_ID)).toBeNull();

    const audit = await b.store.readAudit();
    const erase = audit.records.find((r) => r.action === 'user.erase');
    expect(erase).toMatchObject({ actor: 'key_test', outcome: 'success' });
    expect(String(erase?.details)).toMatch(/"subject":"[0-9a-f]{24}"/);
    expect(JSON.stringify(audit)).not.toContain(RAW_ID);
  });

  it('the retention sweeper deletes events and inactive users past their limits', async () => {
    await converse(attune);
    await attune.track({ userId: 'other-user', event: 'Product Viewed', properties: { product_id: 'camping-1' } });
    b.advance(40 * 86_400);
    await attune.track({ userId: 'fresh-user', event: 'Product Viewed', properties: { product_id: 'camping-2' } });
    const swept = await runRetention(attune, { eventsMaxAgeSeconds: 30 * 86_400, inactiveProfileMaxAgeSeconds: 35 * 86_400 });
    expect(swept.events).toBeGreaterThan(0);
    expect(await attune.profile(RAW_ID)).toBeNull();
    expect((await attune.export(RAW_ID)).events).toEqual([]);
    expect(await attune.profile('fresh-user')).not.toBeNull();
    expect((await b.store.readAudit()).records.some((r) => r.action === 'retention.run')).toBe(true);
  });
}
