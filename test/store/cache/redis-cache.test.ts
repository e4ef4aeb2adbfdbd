import Redis from 'ioredis';
import { UserCache, expiryOf, monotonicMs, type Known } from '../../../src/store/cache/redis-cache';
import { RedisStore, type RedisStoreOptions } from '../../../src/store/redis';
import { openStore } from '../../../src/store/open';
import { storeFromEnv } from '../../../src/engine/from-env';
import { hashTag } from '../../../src/store/redis-layout';
import { snapshotUser, trackingLive } from '../../../src/store/cache/redis-tracking';
import { CONTRACT_OPTIONS, profile, session } from '../fixtures';
import { RUN_PREFIX, deleteKeys, onTestRedis, watchServer } from '../redis-harness';
import { until } from '../../support/until';

/*
 * The snapshot cache of the Redis store: its bookkeeping alone (no Redis), then on Redis: what
 * it saves (commands that never reach the server), and that it never serves what another
 * process, an erase, a TTL or a lost connection has made stale.
 */

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const value = <T>(v: T) => ({ source: { value: v }, expiresAt: Infinity });
const full = (n: number): Known => ({
  profile: value(profile('u1', { orders: n })),
  segments: value(['a']),
  sessions: [{ id: 's1', ...value(session('u1', 's1')) }],
});

describe('UserCache (bookkeeping)', () => {
  const active = () => {
    const cache = new UserCache(2);
    cache.activate(Infinity);
    return cache;
  };

  test('serves a snapshot only when every part asked for is known', () => {
    const cache = active();
    cache.wrote('u1', { sessions: [{ id: 's1', ...value(session('u1', 's1')) }] });
    expect(cache.get('u1', 's1')).toBeUndefined();
    cache.wrote('u1', { profile: value(profile('u1')), segments: value([]) });
    expect(cache.get('u1', 's1')).toEqual({ profile: profile('u1'), session: session('u1', 's1'), segments: [] });
    expect(cache.get('u1')).toEqual({ profile: profile('u1'), session: null, segments: [] });
    expect(cache.get('u1', 's2')).toBeUndefined();
  });

  test('a read that an invalidation or a write overtook caches nothing; one that nothing overtook does', () => {
    const cache = active();
    const overtaken = cache.begin('u1')!;
    cache.drop('u1');
    cache.fill(overtaken, full(1));
    cache.end(overtaken);
    expect(cache.get('u1', 's1')).toBeUndefined();

    const writtenOver = cache.begin('u1')!;
    cache.wrote('u1', { profile: value(profile('u1', { orders: 2 })) });
    cache.fill(writtenOver, full(1));
    cache.end(writtenOver);
    expect(cache.get('u1')).toBeUndefined(); // segments unknown: the stale read did not fill them

    const clean = cache.begin('u1')!;
    cache.fill(clean, full(3));
    cache.end(clean);
    expect(cache.get('u1', 's1')?.profile?.orders).toBe(3);
  });

  test('clearing or deactivating drops everything, reads in flight included', () => {
    const cache = active();
    cache.wrote('u1', full(1));
    const ticket = cache.begin('u2')!;
    cache.clear();
    cache.fill(ticket, full(1));
    expect([cache.get('u1', 's1'), cache.get('u2', 's1')]).toEqual([undefined, undefined]);
    cache.wrote('u1', full(1));
    cache.deactivate();
    expect(cache.begin('u1')).toBeUndefined();
    cache.wrote('u1', full(1));
    expect([cache.get('u1', 's1'), cache.size]).toEqual([undefined, 0]);
  });

  test('expired parts and a lapsed lease are misses', () => {
    const cache = active();
    cache.wrote('u1', { ...full(1), sessions: [{ id: 's1', source: { value: session('u1', 's1') }, expiresAt: monotonicMs() - 1 }] });
    expect(cache.get('u1', 's1')).toBeUndefined();
    expect(cache.get('u1')).toBeDefined();
    const leased = new UserCache(10);
    leased.activate(monotonicMs() - 1);
    leased.wrote('u1', full(1));
    expect(leased.get('u1', 's1')).toBeUndefined();
    leased.renew(monotonicMs() + 1000);
    expect(leased.get('u1', 's1')).toBeDefined();
    // A TTL ends a little early; no TTL never ends.
    expect(expiryOf(1000, 60_000)).toBeLessThan(61_000);
    expect(expiryOf(1000, -1)).toBe(Infinity);
  });

  test('keeps at most maxUsers, least recently used out first', () => {
    const cache = active();
    cache.wrote('u1', full(1));
    cache.wrote('u2', full(1));
    cache.get('u1', 's1');
    cache.wrote('u3', full(1));
    expect([cache.get('u1', 's1'), cache.get('u2', 's1'), cache.get('u3', 's1')].map(Boolean)).toEqual([true, false, true]);
  });

  test('a value that does not decode is a miss', () => {
    const cache = active();
    cache.wrote('u1', {
      ...full(1),
      profile: {
        source: () => {
          throw new Error('bad ciphertext');
        },
        expiresAt: Infinity,
      },
    });
    expect(cache.get('u1')).toBeUndefined();
  });

  test('invalidated keys map back to their users; keys of no snapshot change nothing', () => {
    const p = 'app:u:{';
    expect(snapshotUser(`${p}u1}:profile`, p)).toBe('u1');
    expect(snapshotUser(`${p}u1}:segments`, p)).toBe('u1');
    expect(snapshotUser(`${p}u1}:s:s9`, p)).toBe('u1');
    const odd = 'we{ir}d%id:}x';
    expect(snapshotUser(`${p}${hashTag(odd)}}:profile`, p)).toBe(odd);
    for (const part of ['events', 'cache:recs', 'cachekeys', 'sessions', 'events:rotate']) expect(snapshotUser(`${p}u1}:${part}`, p)).toBeUndefined();
    expect(snapshotUser('other:u:{u1}:profile', p)).toBeUndefined();
    expect(snapshotUser('app:counter:views', p)).toBeUndefined();
    expect(snapshotUser(`${p}u1:profile`, p)).toBeNull();
  });

  test('CLIENT TRACKINGINFO is live only when on, redirected to our subscriber, and not broken', () => {
    expect(trackingLive(['flags', ['on', 'noloop'], 'redirect', 7, 'prefixes', []], '7')).toBe(true);
    expect(trackingLive(['flags', ['on', 'bcast', 'broken_redirect'], 'redirect', 7, 'prefixes', []], '7')).toBe(false);
    expect(trackingLive(['flags', ['on', 'bcast'], 'redirect', 8, 'prefixes', []], '7')).toBe(false);
    expect(trackingLive(['flags', ['off'], 'redirect', -1, 'prefixes', []], '-1')).toBe(false);
    expect(trackingLive('OK', '7')).toBe(false);
  });
});

let stores = 0;
const CACHE_PREFIX = `${RUN_PREFIX}cache:`;
const nextPrefix = () => `${CACHE_PREFIX}${++stores}:`;

onTestRedis('RedisStore snapshot cache', (url) => {
  const admin = new Redis(url);
  afterAll(async () => {
    await deleteKeys(admin, CACHE_PREFIX);
    await admin.quit();
  });

  /** Whether the store's cache serves (tracking confirmed); tests wait for it before counting. */
  const serving = (store: RedisStore) => (store as unknown as { cache?: UserCache }).cache?.serving() ?? false;
  /** The store's heartbeat (a PING or CLIENT TRACKINGINFO a second) is not a read. */
  const heartbeat = (args: string[]) => /^ping$/i.test(args[0]) || (/^client$/i.test(args[0]) && /^trackinginfo$/i.test(args[1] ?? ''));

  describe('RedisStore snapshot cache', () => {
    let client: Redis;
    let prefix: string;
    const opened: RedisStore[] = [];
    const open = (options: RedisStoreOptions = {}) => {
      const store = new RedisStore({ ...CONTRACT_OPTIONS, url, keyPrefix: prefix, ...options });
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      client = new Redis(url);
      await client.ping();
      prefix = nextPrefix();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      if (client.status !== 'end') await client.quit();
    });

    test('openStore and storeFromEnv pass userCache through: one-shot jobs open no cache', async () => {
      // openStore puts a circuit breaker in front of the RedisStore: the cache is the inner store's.
      const hasCache = (store: object) => {
        const bare = (store as { inner?: object }).inner ?? store;
        return (bare as { cache?: UserCache }).cache !== undefined;
      };
      const env = { ATTUNE_REDIS_URL: url, ATTUNE_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` };
      const stores = [
        openStore(url, { keyPrefix: prefix }),
        openStore(url, { keyPrefix: prefix, userCache: false }),
        storeFromEnv({ warn: () => undefined }, env),
        storeFromEnv({ warn: () => undefined }, env, { userCache: false }),
      ];
      try {
        expect(stores.map(hasCache)).toEqual([true, false, true, false]);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    test('a snapshot read or written once is served again with no command reaching Redis', async () => {
      const store = open({ redis: client, url: undefined, sessionTtlSeconds: 60 });
      await until('tracking is on', () => serving(store));
      await store.write({ profiles: [profile('u1')], sessions: [session('u1', 's1')], memberships: [{ userId: 'u1', segments: ['b', 'a', 'b'] }] });
      await admin.hset(`${prefix}u:{u2}:profile`, 'userId', '"u2"');
      const watch = await watchServer(admin, client, heartbeat);
      try {
        // Written by this store: served from what it wrote, decoded as Redis would give it back.
        let snap: unknown;
        expect(await watch.during(async () => (snap = await store.readUser('u1', 's1')))).toEqual([]);
        expect(snap).toEqual({ profile: profile('u1'), session: session('u1', 's1'), segments: ['a', 'b'] });
        // Written elsewhere: read once, then served.
        expect(await watch.during(() => store.readUser('u2', 's1'))).toEqual(['eval']);
        expect(await watch.during(async () => (snap = await store.readUser('u2', 's1')))).toEqual([]);
        // A profile of only a user id reads mended, every other field empty.
        expect(snap).toEqual({ profile: expect.objectContaining({ userId: 'u2', counts: {}, recentItems: [] }), session: null, segments: [] });
        // A session not yet read is a miss; the rest stays cached.
        expect(await watch.during(() => store.readUser('u2', 's2'))).toEqual(['evalsha']);
        expect(await watch.during(() => store.readUser('u2'))).toEqual([]);
      } finally {
        watch.stop();
      }
    });

    test('with userCache false every read goes to Redis', async () => {
      const store = open({ redis: client, url: undefined, userCache: false });
      await store.write({ profiles: [profile('u1')], memberships: [{ userId: 'u1', segments: [] }] });
      const watch = await watchServer(admin, client);
      try {
        // The first script call on a connection sends its text (EVAL), later ones its sha.
        for (let i = 0; i < 3; i++) expect(await watch.during(() => store.readUser('u1'))).toEqual([i === 0 ? 'eval' : 'evalsha']);
      } finally {
        watch.stop();
      }
      expect(serving(store)).toBe(false);
    });

    test("another store's write (another process) is seen as soon as its invalidation arrives", async () => {
      const mine = open();
      const theirs = open();
      await until('tracking is on', () => serving(mine));
      await mine.write({ profiles: [profile('u1', { orders: 1 })], sessions: [session('u1', 's1')], memberships: [{ userId: 'u1', segments: ['a'] }] });
      expect((await mine.readUser('u1', 's1')).profile?.orders).toBe(1);
      await theirs.write({ profiles: [profile('u1', { orders: 2 })], memberships: [{ userId: 'u1', segments: ['b'] }] });
      await until('the change is seen', async () => (await mine.readUser('u1', 's1')).profile?.orders === 2);
      expect(await mine.readUser('u1', 's1')).toEqual({ profile: profile('u1', { orders: 2 }), session: session('u1', 's1'), segments: ['b'] });
      // A change made by any client, not only a store: a session replaced, a profile deleted.
      await admin.set(`${prefix}u:{u1}:s:s1`, JSON.stringify(session('u1', 's1', { intents: ['raw'] })), 'EX', 60);
      await until('the session change is seen', async () => (await mine.readUser('u1', 's1')).session?.intents[0] === 'raw');
      await admin.del(`${prefix}u:{u1}:profile`);
      await until('the deletion is seen', async () => (await mine.readUser('u1')).profile === null);
    });

    test('an erase, through this store or another, leaves nothing to read', async () => {
      const mine = open();
      const theirs = open();
      await until('tracking is on', () => serving(mine));
      await mine.write({ profiles: [profile('u1'), profile('u2')], sessions: [session('u1', 's1'), session('u2', 's1')], memberships: [{ userId: 'u1', segments: ['a'] }] });
      expect((await mine.readUser('u1', 's1')).profile).not.toBeNull();
      await mine.eraseUser('u1');
      expect(await mine.readUser('u1', 's1')).toEqual({ profile: null, session: null, segments: [] });
      expect((await mine.readUser('u2', 's1')).profile).not.toBeNull();
      await theirs.eraseUser('u2');
      await until('the erase is seen', async () => (await mine.readUser('u2', 's1')).profile === null);
      expect(await mine.readUser('u2', 's1')).toEqual({ profile: null, session: null, segments: [] });
    });

    test('a sweep through the store drops the users it erases', async () => {
      let skew = 0;
      const store = open({ clock: () => Date.now() + skew });
      await until('tracking is on', () => serving(store));
      await store.write({ profiles: [profile('u1')], memberships: [{ userId: 'u1', segments: ['a'] }] });
      expect((await store.readUser('u1')).profile).not.toBeNull();
      skew = 120_000;
      expect(await store.sweep({ inactiveProfileMaxAgeSeconds: 60 })).toEqual({ events: 0, profiles: 1 });
      expect(await store.readUser('u1')).toEqual({ profile: null, session: null, segments: [] });
    });

    test('a session past its TTL is not served, whether the cache got it from a write or a read', async () => {
      const mine = open({ sessionTtlSeconds: 1 });
      const theirs = open({ sessionTtlSeconds: 1 });
      await until('tracking is on', () => serving(mine));
      await mine.write({ sessions: [session('u1', 's1')] });
      await theirs.write({ sessions: [session('u2', 's1')] });
      expect((await mine.readUser('u1', 's1')).session).not.toBeNull();
      expect((await mine.readUser('u2', 's1')).session).not.toBeNull();
      await sleep(1050);
      expect((await mine.readUser('u1', 's1')).session).toBeNull();
      expect((await mine.readUser('u2', 's1')).session).toBeNull();
    });

    test('after its connection is killed the store reads what was written meanwhile, and caches again once tracking is back', async () => {
      // The read right after the kill waits for the client to reconnect (ioredis's own delay,
      // up to a quarter second): longer than a turn's deadline, which is not what this tests.
      const mine = open({ redis: client, url: undefined, commandTimeoutMs: 5000 });
      const theirs = open();
      await until('tracking is on', () => serving(mine));
      await mine.write({ profiles: [profile('u1', { orders: 1 })], memberships: [{ userId: 'u1', segments: [] }] });
      expect((await mine.readUser('u1')).profile?.orders).toBe(1);
      const id = String(await client.client('ID'));
      // Redis closes the connection before it answers the KILL, but the store learns of it
      // only when node handles the socket's close, which on a loaded machine may come after
      // the reply to the next write; until then nothing tells it its cache went stale. What is
      // claimed is what it does once it knows: so the test waits for the close, not a while,
      // and reads there whether the cache still serves (it may reconnect right after).
      const servingAtClose = new Promise<boolean>((resolve) => client.once('close', () => resolve(serving(mine))));
      await admin.client('KILL', 'ID', id);
      expect(await servingAtClose).toBe(false);
      await theirs.write({ profiles: [profile('u1', { orders: 2 })] });
      expect((await mine.readUser('u1')).profile?.orders).toBe(2);
      await until('tracking is back', () => serving(mine));
      expect(String(await client.client('ID'))).not.toBe(id);
      await theirs.write({ profiles: [profile('u1', { orders: 3 })] });
      await until('the change is seen', async () => (await mine.readUser('u1')).profile?.orders === 3);
      // And served from the cache again: some read sends nothing to Redis. Not necessarily the
      // next one: an invalidation Redis sent before the read that saw the change may arrive
      // (on the other connection) after that read's reply and drop what it cached.
      const watch = await watchServer(admin, client, heartbeat);
      try {
        await until('a read is served from the cache', async () => (await watch.during(() => mine.readUser('u1'))).length === 0);
      } finally {
        watch.stop();
      }
    });

    test('after the invalidation connection is killed nothing is served until tracking is back on a new one', async () => {
      const mine = open();
      const theirs = open();
      await until('tracking is on', () => serving(mine));
      await mine.write({ profiles: [profile('u1', { orders: 1 })], memberships: [{ userId: 'u1', segments: [] }] });
      // Its own subscriber only: other stores (other test files) share this Redis.
      const { sub, subId } = (mine as unknown as { tracking: { sub?: Redis; subId?: string } }).tracking;
      expect(subId).toBeDefined();
      // Whether the cache still serves when the store learns of the loss (the subscriber's
      // close): read there, since the store reconnects at once and may be back by the time
      // the KILL's reply arrives.
      const servingAtClose = new Promise<boolean>((resolve) => sub!.once('close', () => resolve(serving(mine))));
      await admin.client('KILL', 'ID', subId!);
      expect(await servingAtClose).toBe(false);
      await theirs.write({ profiles: [profile('u1', { orders: 2 })] });
      expect((await mine.readUser('u1')).profile?.orders).toBe(2);
      await until('tracking is back', () => serving(mine));
      await theirs.write({ profiles: [profile('u1', { orders: 3 })] });
      await until('the change is seen', async () => (await mine.readUser('u1')).profile?.orders === 3);
    });

    test('stores sharing one client: only the first caches, and the others tell it what they write', async () => {
      const first = open({ redis: client, url: undefined });
      const second = open({ redis: client, url: undefined });
      await until('tracking is on', () => serving(first));
      expect(serving(second)).toBe(false);
      await first.write({ profiles: [profile('u1', { orders: 1 })], memberships: [{ userId: 'u1', segments: [] }] });
      expect((await first.readUser('u1')).profile?.orders).toBe(1);
      // NOLOOP: Redis reports nothing written through this connection, whichever store wrote it.
      await second.write({ profiles: [profile('u1', { orders: 2 })] });
      expect((await first.readUser('u1')).profile?.orders).toBe(2);
      await second.eraseUser('u1');
      expect((await first.readUser('u1')).profile).toBeNull();
    });

    test('a client the store was given, ended by its owner, takes the invalidation connection with it', async () => {
      const store = open({ redis: client, url: undefined });
      await until('tracking is on', () => serving(store));
      const tracking = (store as unknown as { tracking: { sub?: Redis } }).tracking;
      const sub = tracking.sub!;
      client.disconnect();
      await until('the subscriber has ended', () => sub.status === 'end' && tracking.sub === undefined);
      expect(serving(store)).toBe(false);
    });

    test('closing the store closes its invalidation connection and turns tracking off on a client it was given', async () => {
      const store = open({ redis: client, url: undefined });
      await until('tracking is on', () => serving(store));
      const info = (await client.client('TRACKINGINFO')) as unknown as unknown[];
      expect(trackingLive(info, String(info[3]))).toBe(true);
      await store.close();
      expect(((await client.client('TRACKINGINFO')) as unknown as unknown[])[1]).toEqual(['off']);
      expect(await client.ping()).toBe('PONG');
    });
  });
});
