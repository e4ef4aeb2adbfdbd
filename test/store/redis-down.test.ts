import Redis from 'ioredis';
import { StoreError } from '../../src/core/errors';
import { RedisStore, type RedisStoreOptions } from '../../src/store/redis';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { until } from '../support/until';
import { event, profile } from './fixtures';
import { deleteKeys, describeRedis, RUN_PREFIX } from './redis-harness';

/*
 * The Redis store when Redis is down or silent, through a TCP proxy the test controls (the
 * shared Redis itself is never touched): turn-path calls fail fast with a StoreError, calls
 * off the turn path are not held to the turn's deadline, and a silent connection is replaced
 * by itself once Redis is reachable again.
 */

describeRedis('RedisStore with Redis down', (url) => {
  const prefix = `${RUN_PREFIX}down:`;
  let proxy: TcpProxy;
  const opened: RedisStore[] = [];
  const open = (options: RedisStoreOptions = {}) => {
    // No snapshot cache: every read is meant to reach "Redis". The deadline is generous (the
    // Redis these tests share may be busy): a call that must fail fails whatever it is.
    const store = new RedisStore({ url: proxy.url, keyPrefix: prefix, userCache: false, commandTimeoutMs: 1000, ...options });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    proxy = await startTcpProxy(url);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await proxy.close();
  });
  afterAll(async () => {
    const admin = new Redis(url);
    await deleteKeys(admin, prefix);
    await admin.quit();
  });

  /** Makes every call a turn (or REST ingestion) makes, at once; resolves to what each failed with. */
  const turnCalls = (store: RedisStore): Promise<unknown[]> =>
    Promise.all(
      [
        store.readUser('u1', 's1'),
        store.write({ events: [event('u1', 1)], profiles: [profile('u1')] }),
        store.claim(['m1']),
        store.isSuppressed(['u1']),
        store.cacheGet('k'),
        store.cacheSet('k', 'v', 60, 'u1'),
        store.topCounters('pop', 5),
        store.ping(),
      ].map((call: Promise<unknown>) => call.then(() => 'answered', (err: unknown) => err)),
    );

  test('black-holed (connected, never answering): every turn-path call fails with a StoreError at its deadline, none hangs', async () => {
    const store = open();
    await store.ping();
    proxy.blackhole();
    const failures = await turnCalls(store);
    for (const failure of failures) expect(failure).toBeInstanceOf(StoreError);
    expect(String(failures[0])).toMatch(/redis readUser timed out: no answer within 1000 ms/);
  });

  test('cut (every connection closed at once): every turn-path call fails with a StoreError', async () => {
    const store = open();
    await store.ping();
    proxy.cut();
    for (const failure of await turnCalls(store)) expect(failure).toBeInstanceOf(StoreError);
  });

  test('calls off the turn path are not held to its deadline: with slow replies a read fails, an export and the event log still answer', async () => {
    const store = open();
    await store.write({ events: [event('u1', 1)], profiles: [profile('u1')] });
    // Each reply now takes longer than a turn's deadline.
    proxy.delay(1500);
    await expect(store.readUser('u1')).rejects.toThrow(/timed out/);
    const exported = await store.exportUser('u1');
    expect(exported.profile).toEqual(profile('u1'));
    expect(exported.events.map((e) => e.messageId)).toEqual(['u1-m1']);
    expect((await store.readEvents({ userId: 'u1' })).events).toHaveLength(1);
  });

  test('a connection that went silent is dropped, and the store answers again by itself once Redis is reachable', async () => {
    const store = open({ socketTimeoutMs: 300 });
    await store.write({ profiles: [profile('u1')] });
    proxy.blackhole();
    await expect(store.readUser('u1')).rejects.toThrow(StoreError);
    // New connections reach Redis again; the silent one stays silent, as after a partition.
    proxy.restore();
    await until('the store answers again', () => store.readUser('u1').then((s) => s.profile !== null, () => false));
    expect((await store.readUser('u1')).profile).toEqual(profile('u1'));
  });

  test('a claim that failed is never applied later, when a new connection comes up: a retry of the event is not a duplicate', async () => {
    const store = open({ socketTimeoutMs: 300 });
    await store.ping();
    proxy.blackhole();
    // Sent on the silent connection: no answer, so the caller is told it failed.
    await expect(store.claim(['retried-1'])).rejects.toThrow(StoreError);
    proxy.restore();
    await until('the store answers again', () => store.ping().then(() => true, () => false));
    // A Segment client retries with the same messageId; it must count as new.
    expect(await store.claim(['retried-1'])).toEqual([true]);
  });

  test('the deadlines must be positive numbers of milliseconds', () => {
    expect(() => new RedisStore({ url: proxy.url, commandTimeoutMs: 0, userCache: false })).toThrow('commandTimeoutMs must be a positive number');
    expect(() => new RedisStore({ url: proxy.url, socketTimeoutMs: Number.NaN, userCache: false })).toThrow('socketTimeoutMs must be a positive number');
  });
});
