import Redis from 'ioredis';
import { StoreError } from '../../src/core/errors';
import { RedisStore } from '../../src/store/redis';
import { compactEvent } from '../../src/store/data/redis-event-codec';
import { compactProfile } from '../../src/store/data/redis-profile-codec';
import { StoredForm } from '../../src/store/sealed';
import { LOG_IDS_LUA } from '../../src/store/data/redis-user-log';
import { hashTag } from '../../src/store/redis-layout';
import { CONTRACT_OPTIONS, storeContract } from './contract';
import { event, profile, session } from './fixtures';
import { RUN_PREFIX, countRoundTrips, deleteKeys, dumpKeys, listKeys, onTestRedis, watchServer } from './redis-harness';

/*
 * The Redis runner of the store contract, plus what only Redis has: round trips and key layout.
 * Runs on the database ATTUNE_TEST_REDIS_URL names, under a key prefix unique to this run,
 * whose keys it deletes afterwards. Without a Redis to run on the tests are skipped with a
 * message, except under CI=true, where they fail: CI must never pass without Redis.
 */

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
let stores = 0;
const nextPrefix = () => `${RUN_PREFIX}${++stores}:`;

onTestRedis('RedisStore', (url) => {
  const admin = new Redis(url);
  afterAll(async () => {
    await deleteKeys(admin, RUN_PREFIX);
    await admin.quit();
  });

  // Redis expires keys on its own clock, so letting time pass means waiting; the extra 50 ms
  // covers timers that fire a hair early.
  // The clock is real time plus what `skip` added, so sweeps can be tested "in the future".
  storeContract('redis', async (options = {}) => {
    let skew = 0;
    const prefix = nextPrefix();
    return {
      store: new RedisStore({ ...CONTRACT_OPTIONS, ...options, url, keyPrefix: prefix, clock: () => Date.now() + skew }),
      advance: (seconds) => sleep(seconds * 1000 + 50),
      skip: async (seconds) => {
        skew += seconds * 1000;
      },
      raw: () => dumpKeys(admin, prefix),
    };
  });

  describe('RedisStore on Redis', () => {
    let client: Redis;
    let store: RedisStore;
    let prefix: string;

    beforeEach(async () => {
      client = new Redis(url);
      await client.ping(); // connected and db selected, so no handshake command is counted
      prefix = nextPrefix();
      // No snapshot cache: these tests count what a read costs when it goes to Redis (see
      // cache/redis-cache.test.ts for what the cache saves).
      store = new RedisStore({ ...CONTRACT_OPTIONS, redis: client, keyPrefix: prefix, userCache: false });
    });
    afterEach(async () => {
      await store.close();
      await client.quit();
    });

    const fullBatch = () => ({
      events: [event('u1', 1), event('u2', 1), event('u1', 2)],
      profiles: [profile('u1'), profile('u2')],
      sessions: [session('u1', 's1'), session('u2', 's9')],
      memberships: [{ userId: 'u1', segments: ['a', 'b'] }, { userId: 'u2', segments: [] }],
      counters: [{ name: 'views', increments: { p1: 1, p2: 2 } }],
    });

    test('the round-trip counter counts sequential commands apart', async () => {
      const trips = countRoundTrips(client);
      await client.get('x');
      await client.get('y');
      expect(trips.rounds()).toBe(2);
      trips.restore();
    });

    test('readUser is one round trip, with or without a session: one script call', async () => {
      await store.write(fullBatch());
      const trips = countRoundTrips(client);
      await store.readUser('u1', 's1');
      expect([trips.rounds(), trips.commands()]).toEqual([1, ['evalsha']]);
      trips.reset();
      await store.readUser('u1');
      expect([trips.rounds(), trips.commands()]).toEqual([1, ['evalsha']]);
      trips.restore();
    });

    test('write is one round trip for a whole multi-user batch, none for an empty one', async () => {
      const trips = countRoundTrips(client);
      await store.write(fullBatch());
      expect([trips.rounds(), trips.commands()]).toEqual([1, ['evalsha']]);
      trips.reset();
      await store.write({});
      await store.write({ counters: [{ name: 'views', increments: {} }] });
      expect(trips.rounds()).toBe(0);
      trips.restore();
    });

    test('Redis receives exactly one EVAL/EVALSHA per write and per read, nothing else', async () => {
      const watch = await watchServer(admin, client);
      try {
        const script = /^eval(sha)?$/;
        // The first call of each script on a connection sends its text (EVAL), later ones its sha.
        for (let i = 0; i < 2; i++) {
          const wrote = await watch.during(() => store.write(fullBatch()));
          expect(wrote).toHaveLength(1);
          expect(wrote[0]).toMatch(script);
          const read = await watch.during(() => store.readUser('u1', 's1'));
          expect(read).toHaveLength(1);
          expect(read[0]).toMatch(script);
        }
        expect(await watch.during(() => store.readUser('u2'))).toEqual(['evalsha']);
        expect(await watch.during(() => store.write({}))).toEqual([]);
      } finally {
        watch.stop();
      }
    });

    test('the write script keeps the stored forms and TTLs of every part of a batch', async () => {
      const ttlStore = new RedisStore({ ...CONTRACT_OPTIONS, sessionTtlSeconds: 600, profileTtlSeconds: 900, redis: client, keyPrefix: prefix });
      await ttlStore.write(fullBatch());
      const at = (part: string) => `${prefix}u:{u1}:${part}`;
      expect(await client.ttl(at('profile'))).toBeGreaterThan(800);
      expect(await client.ttl(at('s:s1'))).toBeGreaterThan(500);
      expect(await client.ttl(at('sessions'))).toBeGreaterThan(500);
      expect(await client.ttl(at('segments'))).toBe(-1);
      // One copy of each event, binary, in the global log, its receipt time in its id; the user's log holds its id.
      const [[globalId, globalFields]] = (await client.xrangeBuffer(`${prefix}events`, '-', '+')) as unknown as [Buffer, Buffer[]][];
      expect(globalFields.filter((_, i) => i % 2 === 0).map(String)).toEqual(['b']);
      expect(String(globalId)).toMatch(/^\d+-\d+$/);
      expect(((await client.eval(LOG_IDS_LUA, 1, at('log'))) as string[])[0]).toBe(String(globalId));
      expect(await client.exists(at('events'), at('eventids'))).toBe(0);
      expect(await client.zrange(`${prefix}users`, '0', '-1')).toEqual(['u1', 'u2']);
      expect(await client.zrange(`${prefix}counter:views`, '0', '-1', 'WITHSCORES')).toEqual(['p1', '1', 'p2', '2']);
      expect((await client.zrange(at('sessions'), '0', '-1', 'WITHSCORES'))[0]).toBe('s1');
      expect((await ttlStore.readUser('u1', 's1')).segments).toEqual(['a', 'b']);
      await ttlStore.close();
    });

    test('an event received by a clock behind the log keeps its receipt time in a field, and reads back the same', async () => {
      const ahead = new RedisStore({ ...CONTRACT_OPTIONS, redis: client, keyPrefix: prefix, userCache: false, clock: () => 5_000_000 });
      const behind = new RedisStore({ ...CONTRACT_OPTIONS, redis: client, keyPrefix: prefix, userCache: false, clock: () => 4_000_000 });
      const first = event('u1', 1);
      const second = event('u1', 2);
      await ahead.write({ events: [first] });
      await behind.write({ events: [second] });
      const entries = (await client.xrangeBuffer(`${prefix}events`, '-', '+')) as unknown as [Buffer, Buffer[]][];
      // Redis gives the second entry an id past the first (its own clock, or the last id's ms).
      expect(String(entries[0][0])).toBe('5000000-0');
      expect(Number(String(entries[1][0]).split('-')[0])).toBeGreaterThanOrEqual(5_000_000);
      expect(entries.map(([, fields]) => fields.filter((_, i) => i % 2 === 0).map(String))).toEqual([['b'], ['b', 't']]);
      expect(String(entries[1][1][3])).toBe('4000000');
      expect((await behind.readEvents({ userId: 'u1' })).events).toEqual([first, second]);
      expect((await behind.readEvents()).events).toEqual([first, second]);
      await ahead.close();
      await behind.close();
    });

    test('events of the text form (written before the binary one) read back beside binary ones', async () => {
      const store = new RedisStore({ ...CONTRACT_OPTIONS, redis: client, keyPrefix: prefix, userCache: false });
      const older = event('u1', 1);
      const id = await client.xadd(`${prefix}events`, '*', 'c', compactEvent(JSON.stringify(older)).value, 't', String(Date.now()));
      await client.rpush(`${prefix}u:{u1}:log`, id as string);
      const newer = event('u1', 2);
      await store.write({ events: [newer] });
      expect((await store.readEvents({ userId: 'u1' })).events).toEqual([older, newer]);
      expect((await store.readEvents()).events).toEqual([older, newer]);
      expect((await store.exportUser('u1')).events).toEqual([older, newer]);
      await store.close();
    });

    test('a profile of the compact text form (written before the binary one) reads back, and is binary once written again', async () => {
      const store = new RedisStore({ ...CONTRACT_OPTIONS, redis: client, keyPrefix: prefix, userCache: false });
      const older = profile('u1');
      await client.set(`${prefix}u:{u1}:profile`, compactProfile(new StoredForm().profile(older), 'u1') as string);
      expect((await store.readUser('u1')).profile).toEqual(older);
      const newer = profile('u1', { orders: 2 });
      await store.write({ profiles: [newer] });
      expect((await client.getBuffer(`${prefix}u:{u1}:profile`))?.[0]).toBe(0);
      expect((await store.readUser('u1')).profile).toEqual(newer);
      expect((await store.exportUser('u1')).profile).toEqual(newer);
      await store.close();
    });

    test('memberships of the earlier form (a SET) read back, and are packed once written again', async () => {
      const store = new RedisStore({ ...CONTRACT_OPTIONS, redis: client, keyPrefix: prefix, userCache: false });
      await client.sadd(`${prefix}u:{u1}:segments`, 'b', 'a');
      expect((await store.readUser('u1')).segments).toEqual(['a', 'b']);
      expect((await store.exportUser('u1')).segments).toEqual(['a', 'b']);
      await store.write({ memberships: [{ userId: 'u1', segments: ['c', 'a'] }] });
      expect(await client.type(`${prefix}u:{u1}:segments`)).toBe('string');
      expect((await store.readUser('u1')).segments).toEqual(['a', 'c']);
      await store.write({ memberships: [{ userId: 'u1', segments: [] }] });
      expect(await client.exists(`${prefix}u:{u1}:segments`)).toBe(0);
      await store.close();
    });

    test('claim is one round trip for many ids', async () => {
      const trips = countRoundTrips(client);
      await store.claim(Array.from({ length: 50 }, (_, i) => `m${i}`));
      expect(trips.rounds()).toBe(1);
      trips.restore();
    });

    test('claims are fields of a few bucket hashes, not a key each; claims of the legacy layout still count', async () => {
      const many = Array.from({ length: 200 }, (_, i) => `m${i}`);
      expect(await store.claim(many)).toEqual(many.map(() => true));
      const buckets = (await listKeys(client, prefix)).filter((k) => k.startsWith(`${prefix}msgs:`));
      expect(buckets.length).toBeLessThan(many.length);
      expect(await client.exists(...many.map((id) => `${prefix}msg:${id}`))).toBe(0);
      expect(new Set(await Promise.all(buckets.map((k) => client.object('ENCODING', k))))).toEqual(new Set(['listpack']));
      const ttl = await client.pttl(buckets[0]);
      expect(ttl).toBeGreaterThan(CONTRACT_OPTIONS.dedupTtlSeconds * 1000 - 50);
      expect(ttl).toBeLessThanOrEqual((CONTRACT_OPTIONS.dedupTtlSeconds * 7000) / 6);
      // A claim an earlier version wrote: a key of its own, honoured until it expires.
      await client.set(`${prefix}msg:old`, '1', 'EX', 60, 'NX');
      expect(await store.claim(['old', 'm0', 'new'])).toEqual([false, false, true]);
      await store.release(['old', 'm0']);
      expect(await store.claim(['old', 'm0', 'm1'])).toEqual([true, true, false]);
    });

    test("every per-user key carries the user's hash tag, and the layout is as designed", async () => {
      const odd = 'we{ir}d%id';
      await store.write({ ...fullBatch(), events: [event('u1', 1), event(odd, 1)], profiles: [profile('u1'), profile(odd)] });
      await store.cacheSet('recs', 'v', 60, 'u1');
      await store.cacheSet('recs', 'v', 60);
      await store.putArtifact('model', 'x');
      const keys = (await listKeys(client, prefix)).map((k) => k.slice(prefix.length)).sort();
      expect(keys).toEqual(
        [
          'artifact:model', 'cache:recs', 'counter:views', 'events', 'events:indexed', 'users',
          'u:{u1}:cache:recs', 'u:{u1}:cachekeys', 'u:{u1}:log', 'u:{u1}:profile', 'u:{u1}:s:s1', 'u:{u1}:segments', 'u:{u1}:sessions',
          'u:{u2}:s:s9', 'u:{u2}:sessions',
          `u:{${hashTag(odd)}}:log`, `u:{${hashTag(odd)}}:profile`,
        ].sort(),
      );
      // Redis Cluster hashes only what lies between the first `{` and the next `}`.
      const tag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
      expect(tag(`${prefix}u:{${hashTag(odd)}}:profile`)).toBe('we%7Bir%7Dd%25id');
      const types = await Promise.all(['u:{u1}:profile', 'u:{u1}:s:s1', 'u:{u1}:segments', 'u:{u1}:log', 'events', 'events:indexed', 'counter:views'].map((k) => client.type(prefix + k)));
      expect(types).toEqual(['string', 'string', 'string', 'string', 'stream', 'string', 'zset']);
      expect(await client.ttl(`${prefix}u:{u1}:s:s1`)).toBeGreaterThan(0);
      expect(await client.ttl(`${prefix}u:{u1}:cache:recs`)).toBeGreaterThan(0);
    });

    test('a command failing inside a script is a StoreError keeping the cause, reading or writing', async () => {
      await client.rpush(`${prefix}u:{u1}:profile`, 'neither a string nor a hash');
      await client.set(`${prefix}u:{u1}:sessions`, 'not a sorted set');
      for (const call of [() => store.readUser('u1'), () => store.write({ sessions: [session('u1', 's1')] })]) {
        const failure = await call().catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(StoreError);
        expect((failure as StoreError).cause).toBeInstanceOf(Error);
        expect(String((failure as StoreError).cause)).toMatch(/WRONGTYPE/);
      }
    });

    test('closing the store leaves a client it was given open', async () => {
      await store.close();
      expect(await client.ping()).toBe('PONG');
    });
  });

  describe('RedisStore connections', () => {
    test('an unreachable Redis is a StoreError keeping the cause', async () => {
      // No reconnects, so the client ends by itself: disconnecting a reconnecting client
      // leaves a 2-second ioredis timer behind that keeps jest from exiting.
      const client = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      const store = new RedisStore({ redis: client, keyPrefix: nextPrefix() });
      const failure = await store.ping().catch((e: unknown) => e);
      expect(client.status).toBe('end');
      expect(failure).toBeInstanceOf(StoreError);
      expect((failure as StoreError).code).toBe('store');
      expect((failure as StoreError).cause).toBeInstanceOf(Error);
    });

    test('without a url option the store connects to ATTUNE_REDIS_URL', async () => {
      const saved = process.env.ATTUNE_REDIS_URL;
      process.env.ATTUNE_REDIS_URL = url;
      const prefix = nextPrefix();
      const store = new RedisStore({ keyPrefix: prefix });
      try {
        await store.putArtifact('m', 'x');
        expect(await listKeys(admin, prefix)).toEqual([`${prefix}artifact:m`]);
      } finally {
        await store.close();
        if (saved === undefined) delete process.env.ATTUNE_REDIS_URL;
        else process.env.ATTUNE_REDIS_URL = saved;
      }
    });
  });
});
