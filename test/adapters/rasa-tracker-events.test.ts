import express from 'express';
import Redis from 'ioredis';
import request from 'supertest';
import { createAttune } from '../../index';
import { rasaActionServer } from '../../adapters/rasa';
import { RASA_LIMITS } from '../../adapters/rasa/limits';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { RedisStore } from '../../src/store/redis';
import type { Store } from '../../src/store/store';
import { deleteKeys, RUN_PREFIX, redisUrlFor } from '../store/redis-harness';
import { capturingLogger, type Json, loggedMessages, RasaConversation } from '../support/rasa-tracker';

/*
 * Rasa sends the whole tracker with every call, and a tracker only grows: a call must cost
 * what is new in it, not the length of the conversation, and an event Attune cannot use must
 * not fail the call, the turn's write, or any later call of that user (it comes back with
 * every one of them). Run on the memory store and on Redis, whose writes serialize.
 */

const redisUrl = redisUrlFor('Rasa tracker events on Redis');

interface Setup {
  attune: Attune;
  store: Store;
  app: express.Express;
  warnings: Json[];
}

const closers: (() => Promise<unknown>)[] = [];
let stores = 0;
const STORES: [string, () => Store][] = [['memory', () => new MemoryStore()]];
if (redisUrl) STORES.push(['redis', () => new RedisStore({ url: redisUrl, keyPrefix: `${RUN_PREFIX}rasa-events:${++stores}:` })]);

afterAll(async () => {
  for (const close of closers) await close();
  if (redisUrl) {
    const admin = new Redis(redisUrl);
    await deleteKeys(admin, `${RUN_PREFIX}rasa-events:`);
    await admin.quit();
  }
});

/** A big enough string of nested arrays to overflow any recursive walk (JSON.parse is not recursive). */
const DEEP = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
/** `body` as JSON, with every string "<deep>" replaced by {@link DEEP}. */
const withDeep = (body: Json) => JSON.stringify(body).replaceAll('"<deep>"', DEEP);

const warningsAbout = (warnings: Json[], what: RegExp) => warnings.filter((w) => what.test(String(w.msg)));

describe.each(STORES)('Rasa trackers on the %s store', (_name, open) => {
  function setup(): Setup {
    const store = open();
    closers.push(() => store.close());
    const { logger, entries } = capturingLogger();
    const attune = createAttune({ store, catalog, logger });
    return { attune, store, app: express().use('/rasa', rasaActionServer(attune, { auth: 'open' })), warnings: entries };
  }

  it('a 20,000-event tracker replays a bounded number of earlier messages, the newest, and says what it left', async () => {
    const { app, attune, store, warnings } = setup();
    const conv = new RasaConversation('long-1');
    conv.user('hi', 'greet');
    expect((await conv.run(app, 'action_attune_personalize')).status).toBe(200);
    // Thousands of messages Rasa answered by itself, without calling the action server.
    let n = 0;
    while (conv.events.length < 20_000) conv.listen().user(`message ${++n}`, 'chitchat').utter('utter_chitchat', `reply ${n}`);
    const handled = jest.spyOn(attune, 'handle');
    const sent20k = conv.events.length;

    const res = await conv.run(app, 'action_attune_recommend');
    expect(res.status).toBe(200);
    expect(res.body.responses).toHaveLength(1);
    expect(handled).toHaveBeenCalledTimes(RASA_LIMITS.earlierMessages + 1);
    const kept = Array.from({ length: RASA_LIMITS.earlierMessages + 1 }, (_, i) => n - RASA_LIMITS.earlierMessages + i);
    const { received, sent } = await loggedMessages(store, attune, 'long-1');
    expect(received).toEqual(['hi', ...kept.map((i) => `message ${i}`)]);
    expect(sent).toEqual([`reply ${kept[0] - 1}`, ...kept.map((i) => `reply ${i}`), expect.stringMatching(/picks for you/)]);

    // The walk stopped within its bound and said what it did not replay, in the log and in the counters.
    const [left] = warningsAbout(warnings, /left out/);
    expect(left.examined).toBe(RASA_LIMITS.walkEvents);
    const skipped = left.skipped as { messages: number; unexamined: number };
    expect(skipped.messages).toBeGreaterThan(0);
    expect(skipped.unexamined).toBe(sent20k - RASA_LIMITS.walkEvents);
    await attune.flush();
    const counters = Object.fromEntries((await store.topCounters('agg', 10)).map((c) => [c.key, c.value]));
    expect(counters).toMatchObject({ 'rasa:messages_skipped': skipped.messages, 'rasa:events_unexamined': skipped.unexamined });

    // The same call again (Rasa retrying) finds nothing new: one turn, nothing logged twice.
    handled.mockClear();
    await request(app).post('/rasa/webhook').send(conv.call('action_attune_recommend'));
    expect(handled).toHaveBeenCalledTimes(1);
    expect((await loggedMessages(store, attune, 'long-1')).received).toHaveLength(received.length);
  });

  it('serves a tracker with malformed events as rasa-sdk does, counts them, and serves the next call too', async () => {
    const { app, attune, store, warnings } = setup();
    const conv = new RasaConversation('odd-1');
    conv.user('hi', 'greet');
    await conv.run(app, 'action_attune_personalize');
    conv.listen();
    conv.junk(42, null, 'user', [], {}, { event: 7 }, { event: '' });
    conv.raw({ event: 'made_up_event', payload: { nested: [1, { b: 2 }] } });
    conv.raw({ event: 'user', text: 42, parse_data: 'x', metadata: [1], timestamp: 'yesterday' });
    conv.raw({
      event: 'user',
      text: 'odd types',
      input_channel: 9,
      message_id: {},
      parse_data: { intent: { name: 5, confidence: 'high' }, entities: [{ entity: 3 }, 'x', null, { entity: 'category', value: 'camping' }] },
    });
    conv.raw({ event: 'bot', text: { a: 1 }, metadata: 'x' });
    // A timestamp far in the future: remembered as the logged mark, it would hide every later message.
    conv.raw({ event: 'user', text: 'from the future', timestamp: 1e300 });
    conv.raw({ event: 'slot', name: 5, value: { v: [1, 2] } });
    conv.user('anything for camping?', 'ask_product');

    const first = await conv.run(app, 'action_attune_recommend');
    expect(first.status).toBe(200);
    expect(first.body.responses).toHaveLength(1);
    const buttons = (first.body.responses?.[0].buttons ?? []) as { title: string }[];
    expect(buttons.every((b) => catalog.find((i) => i.title === b.title)?.category === 'camping')).toBe(true);
    const [left] = warningsAbout(warnings, /left out/);
    expect(left.tally).toMatchObject({ events: 7, fields: expect.any(Number) });
    expect((left.tally as { fields: number }).fields).toBeGreaterThanOrEqual(8);

    conv.listen().user('and tents?', 'ask_product');
    const next = await conv.run(app, 'action_attune_recommend');
    expect(next.status).toBe(200);
    const { received } = await loggedMessages(store, attune, 'odd-1');
    expect(received).toEqual(['hi', undefined, 'odd types', 'from the future', 'anything for camping?', 'and tents?']);
    expect(warningsAbout(warnings, /failed|could not/)).toEqual([]);
  });

  it('cuts very long strings and prunes deep nesting, so the turn is written and later calls work', async () => {
    const { app, attune, store, warnings } = setup();
    const conv = new RasaConversation('deep-1');
    conv.user('hi', 'greet');
    await conv.run(app, 'action_attune_personalize');
    const long = `I want running shoes ${'x'.repeat(200_000)}`;
    conv.listen();
    conv.raw({ event: 'made_up_event', payload: '<deep>' });
    conv.user(long, 'ask_product', [{ entity: 'category', value: 'running' }, { entity: 'size', value: '<deep>' }, { entity: 'n'.repeat(1000), value: 1 }], {
      locale: `de-${'x'.repeat(5000)}`,
    });
    const said = conv.events.findLast((e) => (e as Json).event === 'user') as Json;
    Object.assign(said, { message_id: 'm'.repeat(5000), input_channel: 'c'.repeat(5000) });
    conv.raw({ event: 'bot', text: 'y'.repeat(100_000), metadata: {} });
    const call = conv.call('action_attune_recommend');
    const body = withDeep({ ...call, tracker: { ...(call.tracker as Json), slots: { deep: '<deep>' } }, domain: { deep: '<deep>' } });

    const res = await request(app).post('/rasa/webhook').set('content-type', 'application/json').send(body);
    expect(res.status).toBe(200);
    expect(res.body.responses).toHaveLength(1);

    await attune.flush();
    const { events } = await store.readEvents({ userId: attune.userKey('deep-1'), limit: 100 });
    const received = events.filter((e) => e.event === 'Message Received');
    const turn = received[received.length - 1];
    expect(String(turn.properties.text)).toHaveLength(RASA_LIMITS.text);
    expect(String(turn.properties.text)).toMatch(/^I want running shoes x/);
    expect(turn.messageId).toMatch(/^rasa:user:/);
    expect(turn.context).toEqual({ channel: 'rasa:unknown' });
    const entities = turn.properties.entities as Json;
    expect(Object.keys(entities)).toEqual(['category', 'size']);
    expect(JSON.stringify(entities.size).length).toBeLessThan(100);
    const [bot] = events.filter((e) => e.event === 'Message Sent' && e.properties.source === 'rasa');
    expect(String(bot.properties.text)).toHaveLength(RASA_LIMITS.text);
    expect((warningsAbout(warnings, /left out/)[0].tally as { truncated: number }).truncated).toBeGreaterThanOrEqual(3);

    conv.listen().user('thanks', 'thank');
    expect((await conv.run(app, 'action_attune_personalize')).status).toBe(200);
    expect((await loggedMessages(store, attune, 'deep-1')).received.slice(-1)).toEqual(['thanks']);
    expect(warningsAbout(warnings, /failed|could not/)).toEqual([]);
  });
});
