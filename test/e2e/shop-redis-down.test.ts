import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import request from 'supertest';
import { createAttune } from '../../index';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import { circuitOf } from '../../src/store/breaker';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { deleteKeys, describeRedis, RUN_PREFIX } from '../store/redis-harness';
import { emulatorMessage, type RecordedActivity, startConnector } from '../support/emulator';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { until } from '../support/until';

/*
 * The shop app over real HTTP while its Redis is down (cut through a TCP proxy the test
 * controls; the shared Redis itself is never touched): the bot answers every message,
 * unpersonalized, its own `track` calls included; the REST API answers 503 at once; /healthz
 * says degraded; once Redis is back, personalization resumes by itself.
 */

const categoryOf = (title: string) => catalog.find((i) => i.title === title)?.category;
const suggestedTitles = (a: RecordedActivity | undefined) => [
  ...(a?.suggestedActions?.actions ?? []).map((x) => x.title),
  ...(a?.attachments ?? []).map((x) => x.content.title ?? ''),
];
const SORRY = 'Sorry, something went wrong on my side.';

describeRedis('the shop app while Redis is down', (url) => {
  const prefix = `${RUN_PREFIX}shop-down:`;
  let proxy: TcpProxy;
  let store: Store;
  let attune: Attune;
  let server: Server;
  let base: string;
  let connector: Awaited<ReturnType<typeof startConnector>>;

  beforeAll(async () => {
    proxy = await startTcpProxy(url);
    const quiet = { warn: () => undefined };
    store = openStore(proxy.url, { keyPrefix: prefix, commandTimeoutMs: 1000, socketTimeoutMs: 500, breaker: { failureThreshold: 3, probeIntervalMs: 50, maxProbeIntervalMs: 200, logger: quiet } });
    attune = createAttune({ store, catalog });
    const { app } = createShopApp(attune);
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    connector = await startConnector();
    await store.ping();
  });

  afterAll(async () => {
    await new Promise((done) => server.close(done));
    await attune.close();
    await connector.close();
    await proxy.close();
    const admin = new Redis(url);
    await deleteKeys(admin, prefix);
    await admin.quit();
  });

  async function say(userId: string, text: string): Promise<RecordedActivity | undefined> {
    const before = connector.replies.length;
    const res = await request(base).post('/api/messages').send(emulatorMessage(connector.url, userId, `conv-${userId}`, text));
    expect(res.status).toBeLessThan(300);
    await attune.flush();
    return connector.replies.slice(before).at(-1);
  }

  it('answers every message unpersonalized, 503s the REST API, says degraded, and personalizes again once Redis is back', async () => {
    await say('runner-9', 'I am looking for running shoes');
    expect((await request(base).get('/healthz')).body).toEqual({ status: 'ok', store: 'redis', circuit: 'closed' });

    proxy.cut();
    while (circuitOf(store)?.state === 'closed') {
      const reply = await say('runner-9', 'what would you recommend?');
      expect(reply?.text).toBeTruthy();
      expect(reply?.text).not.toBe(SORRY);
    }

    // The bot's own tracking fails inside the turn; its reply does not.
    const shoes = catalog[0];
    const bought = await say('runner-9', `buy ${shoes.title}`);
    expect(bought?.text).toBe(`Thanks for your order of the ${shoes.title}! You might also like:`);
    const viewed = await say('runner-9', `tell me about ${shoes.title}`);
    expect(viewed?.text).toMatch(new RegExp(`^${shoes.title}: `));
    // Unpersonalized: nothing is attached without the user's data.
    const asked = await say('runner-9', 'what would you recommend?');
    expect(asked?.text).toBe(`Here's what is popular today:`);
    expect(suggestedTitles(asked)).toEqual([]);

    // The REST API fails at once with a 503 and a stable code, nothing internal in the body.
    const tracked = await request(base).post('/v1/track').send({ userId: 'runner-9', event: 'Product Viewed', properties: { product_id: shoes.id } });
    expect(tracked.status).toBe(503);
    expect(tracked.body).toEqual({ error: 'store', message: 'the service could not complete the request' });
    const health = await request(base).get('/healthz');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'degraded', store: 'redis', circuit: expect.stringMatching(/^(open|half-open)$/) });

    proxy.restore();
    await until('the circuit closes', () => circuitOf(store)?.state === 'closed', 20_000);
    expect((await request(base).get('/healthz')).status).toBe(200);
    const later = await say('runner-9', 'anything for me?');
    const titles = suggestedTitles(later);
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((t) => categoryOf(t) === 'running')).toBe(true);
    // Written again: the first message and this one; the turns while Redis was down were lost.
    const profile = await request(base).get('/v1/users/runner-9/profile');
    expect(profile.status).toBe(200);
    expect(profile.body.profile.counts.messages).toBe(2);
  });
});
