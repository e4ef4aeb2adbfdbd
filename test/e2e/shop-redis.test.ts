import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createAttune } from '../../index';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Attune } from '../../src/engine/attune';
import type { UserCache } from '../../src/store/cache/redis-cache';
import { RedisStore } from '../../src/store/redis';
import { emulatorMessage, type RecordedActivity, startConnector } from '../support/emulator';
import { deleteKeys, describeRedis, RUN_PREFIX } from '../store/redis-harness';
import { until } from '../support/until';

/*
 * Two replicas of the shop app on one Redis, as a deployment behind a load balancer runs them:
 * each has its own store, connection and snapshot cache. What one replica writes must steer
 * the other's next turn, although the other serves that user's reads from its cache.
 */

const categoryOf = (title: string) => catalog.find((i) => i.title === title)?.category;
const suggestedTitles = (a: RecordedActivity | undefined) => [
  ...(a?.suggestedActions?.actions ?? []).map((x) => x.title),
  ...(a?.attachments ?? []).map((x) => x.content.title ?? ''),
];

interface Replica {
  attune: Attune;
  store: RedisStore;
  server: Server;
  base: string;
}

/** Whether a replica's snapshot cache serves (tracking confirmed), so that its reads can be hits. */
const caching = (store: RedisStore) => (store as unknown as { cache?: UserCache }).cache?.serving() ?? false;

describeRedis('two replicas of the shop app on one Redis', (url) => {
  const prefix = `${RUN_PREFIX}shop-e2e:`;
  let a: Replica;
  let b: Replica;
  let connector: Awaited<ReturnType<typeof startConnector>>;

  async function replica(): Promise<Replica> {
    const store = new RedisStore({ url, keyPrefix: prefix });
    const attune = createAttune({ store, catalog });
    const { app } = createShopApp(attune);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    return { attune, store, server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  beforeAll(async () => {
    a = await replica();
    b = await replica();
    connector = await startConnector();
    // Both caches serve only once tracking is confirmed; wait until a read can be a hit.
    await until('both replicas cache', () => caching(a.store) && caching(b.store));
  });

  afterAll(async () => {
    for (const r of [a, b]) {
      await new Promise((done) => r.server.close(done));
      await r.attune.close();
    }
    await connector.close();
    const Redis = (await import('ioredis')).default;
    const admin = new Redis(url);
    await deleteKeys(admin, prefix);
    admin.disconnect();
  });

  async function say(r: Replica, userId: string, text: string): Promise<RecordedActivity | undefined> {
    const before = connector.replies.length;
    const res = await request(r.base).post('/api/messages').send(emulatorMessage(connector.url, userId, `conv-${userId}`, text));
    expect(res.status).toBeLessThan(300);
    await r.attune.flush();
    return connector.replies.slice(before).at(-1);
  }

  it('Product Viewed events sent to one replica steer the bot on the other', async () => {
    const first = await say(a, 'hiker-2', 'hello');
    expect(suggestedTitles(first).length).toBeGreaterThan(0);
    // Replica A now holds the user in its cache; the events go to replica B.
    const hiking = catalog.filter((i) => i.category === 'hiking').slice(0, 3);
    const res = await request(b.base)
      .post('/v1/batch')
      .send({ batch: hiking.map((i) => ({ type: 'track', userId: 'hiker-2', event: 'Product Viewed', properties: { product_id: i.id, category: i.category } })) });
    expect(res.status).toBe(200);
    // Another process's change reaches A's cache as an invalidation, soon but not at once.
    await until("replica A sees B's events", async () => ((await a.attune.profile('hiker-2'))?.affinities.hiking ?? 0) > 0);
    const later = await say(a, 'hiker-2', 'anything for me?');
    const titles = suggestedTitles(later);
    expect(titles.length).toBeGreaterThan(0);
    expect(titles.every((t) => categoryOf(t) === 'hiking')).toBe(true);
  });

  it("a turn on one replica shows in the other's REST API, and an erasure on it reaches the first", async () => {
    await say(a, 'runner-2', 'hello');
    await say(a, 'runner-2', 'I am looking for running shoes');
    const profile = await request(b.base).get('/v1/users/runner-2/profile');
    expect(profile.status).toBe(200);
    expect(profile.body.profile.counts.messages).toBe(2);
    expect(profile.body.profile.affinities.running).toBeGreaterThan(0);

    expect((await request(b.base).delete('/v1/users/runner-2')).status).toBeLessThan(300);
    await until('the erasure reaches replica A', async () => (await a.attune.profile('runner-2')) === null);
  });
});
