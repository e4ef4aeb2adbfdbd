import Redis from 'ioredis';
import { RedisStore } from '../../src/store/redis';
import { LOG_IDS_LUA, USER_LOG_LUA } from '../../src/store/data/redis-user-log';
import { TRIM_INDEX_LUA, TRIM_LOG_LUA, nextStreamId, type StreamEntry } from '../../src/store/redis-layout';
import { CONTRACT_OPTIONS } from './contract';
import { event, ids } from './fixtures';
import { RUN_PREFIX, deleteKeys, dumpKeys, onTestRedis } from './redis-harness';

/*
 * Export and erase on Redis find a user's entries of the global log through the user's log
 * of global ids: what they read of the log is the user's entries, not everyone's; entries
 * written in the legacy layouts (before indexes existed, and with a per-user copy and index
 * stream) are still found, read and migrated; the user's log follows sweeps and erasures.
 * What every store must do (complete export and erase, past the per-user cap) is in the contract.
 */

let stores = 0;
const nextPrefix = () => `${RUN_PREFIX}rights-${++stores}:`;

/** What {@link readsOf} saw. */
interface Reads {
  /** Entries of the watched stream that Redis sent back since the last reset. */
  entries(): number;
  reset(): void;
  restore(): void;
}

/**
 * Counts the entries of one stream that replies carry, by wrapping the client's sendCommand:
 * XRANGE-like commands and scripts naming the stream, whose array replies are its entries.
 */
function readsOf(client: Redis, stream: string): Reads {
  const original = client.sendCommand;
  let entries = 0;
  client.sendCommand = function (this: Redis, ...args: Parameters<Redis['sendCommand']>) {
    const [command] = args;
    const names = command.args.map(String);
    if (/^(xrange|xrevrange|xread|eval|evalsha)$/i.test(command.name) && names.includes(stream)) {
      command.promise.then(
        (reply: unknown) => {
          if (Array.isArray(reply)) entries += reply.length;
        },
        () => undefined,
      );
    }
    return original.apply(this, args);
  };
  return {
    entries: () => entries,
    reset: () => {
      entries = 0;
    },
    restore: () => {
      client.sendCommand = original;
    },
  };
}

onTestRedis('RedisStore rights', (url) => {
  const admin = new Redis(url);
  afterAll(async () => {
    await deleteKeys(admin, `${RUN_PREFIX}rights-`);
    await admin.quit();
  });

  describe('RedisStore export and erase, through users indexes of the global log', () => {
    let client: Redis;
    let store: RedisStore;
    let prefix: string;

    beforeEach(async () => {
      client = new Redis(url);
      await client.ping();
      prefix = nextPrefix();
      store = new RedisStore({ ...CONTRACT_OPTIONS, redis: client, keyPrefix: prefix, userCache: false });
    });
    afterEach(async () => {
      await store.close();
      await client.quit();
    });

    /** ADA's events `from…to`, each among `others` events of other users. */
    async function crowd(from: number, to: number, others: number): Promise<void> {
      for (let n = from; n <= to; n++) {
        await store.write({ events: [...Array.from({ length: others }, (_, i) => event(`crowd-${i}`, n)), event('ada', n)] });
      }
    }

    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `ada-m${from + i}`);
    const globalIds = async () => ((await admin.xrange(`${prefix}events`, '-', '+')) as StreamEntry[]).map(([id]) => id);
    const logIds = async (key: string) => (await admin.eval(LOG_IDS_LUA, 1, key)) as string[];

    test("export and erase read the user's entries of the global log, not everyone's", async () => {
      await crowd(1, 20, 150); // 3,020 events, 20 of them ada's (the per-user log keeps 3)
      const reads = readsOf(client, `${prefix}events`);
      try {
        expect(ids((await store.exportUser('ada')).events)).toEqual(range(1, 20));
        expect(reads.entries()).toBeLessThanOrEqual(20);
        reads.reset();
        expect(await store.eraseUser('ada')).toEqual({ removed: 20, data: 20, cache: 0 });
        expect(reads.entries()).toBeLessThanOrEqual(20);
      } finally {
        reads.restore();
      }
      expect(await admin.xlen(`${prefix}events`)).toBe(3000);
    });

    /**
     * Writes ADA's events `from…to` as the legacy layouts did, each after `others` events of
     * other users: the event's JSON in the global log with its user, a second copy in the
     * user's capped stream, and (when `indexed`) the id in the user's index stream.
     */
    async function legacyCrowd(from: number, to: number, others: number, indexed: boolean): Promise<void> {
      const now = String(Date.now());
      for (let n = from; n <= to; n++) {
        for (const e of [...Array.from({ length: others }, (_, i) => event(`crowd-${i}`, n)), event('ada', n)]) {
          const json = JSON.stringify(e);
          const id = await admin.xadd(`${prefix}events`, '*', 'e', json, 'u', e.userId, 't', now);
          await admin.xadd(`${prefix}u:{${e.userId}}:events`, 'MAXLEN', CONTRACT_OPTIONS.maxEventsPerUser, '*', 'e', json, 't', now);
          if (indexed) {
            await admin.xadd(`${prefix}u:{${e.userId}}:eventids`, id as string, 'i', '');
            await admin.set(`${prefix}events:indexed`, id as string, 'NX');
          }
          await admin.zadd(`${prefix}users`, now, e.userId);
        }
      }
    }

    test('events written before users had indexes are still read, exported and erased, with those written since', async () => {
      await legacyCrowd(1, 5, 2, false);
      expect(ids((await store.exportUser('ada')).events)).toEqual(range(1, 5));
      await crowd(6, 10, 2);
      expect(await admin.get(`${prefix}events:indexed`)).toBe((await globalIds())[15]);
      expect(ids((await store.exportUser('ada')).events)).toEqual(range(1, 10));
      // The user's log is the latest maxEventsPerUser (3), read from the global log, migrated once.
      expect(ids((await store.readEvents({ userId: 'ada' })).events)).toEqual(range(8, 10));
      expect(await admin.exists(`${prefix}u:{ada}:events`)).toBe(0);
      expect(await logIds(`${prefix}u:{ada}:log`)).toHaveLength(10);
      expect(ids((await store.exportUser('ada')).events)).toEqual(range(1, 10));
      expect(await store.eraseUser('ada')).toEqual({ removed: 10, data: 10, cache: 0 });
      expect(await admin.xlen(`${prefix}events`)).toBe(20);
      expect(await dumpKeys(admin, prefix)).not.toContain('ada');
    });

    test('the previous layout (a second copy per user, an index stream) reads the same, and is migrated on read', async () => {
      await legacyCrowd(1, 4, 1, true);
      await crowd(5, 6, 1);
      expect(ids((await store.exportUser('ada')).events)).toEqual(range(1, 6));
      const first = await store.readEvents({ userId: 'ada', limit: 2 });
      expect(ids(first.events)).toEqual(range(4, 5));
      expect(await admin.exists(`${prefix}u:{ada}:events`, `${prefix}u:{ada}:eventids`)).toBe(0);
      expect(await logIds(`${prefix}u:{ada}:log`)).toEqual((await globalIds()).filter((_, i) => i % 2 === 1));
      expect(ids((await store.readEvents({ userId: 'ada', after: first.cursor })).events)).toEqual(range(6, 6));
      // Users not read yet keep their legacy keys, and export and erase still find everything.
      expect(await admin.exists(`${prefix}u:{crowd-0}:eventids`)).toBe(1);
      expect(await store.eraseUser('crowd-0')).toEqual({ removed: 6, data: 6, cache: 0 });
      expect(await dumpKeys(admin, prefix)).not.toContain('crowd-0');
      expect(ids((await store.readEvents()).events)).toEqual(range(1, 6));
    });

    test("a sweep cuts users' logs where it cut the global log, and deletes a log it empties", async () => {
      await crowd(1, 4, 1);
      await store.write({ events: [event('bob', 1)] });
      await store.sweep({ eventsMaxAgeSeconds: 3600 }); // nothing old: nothing cut
      expect(await logIds(`${prefix}u:{ada}:log`)).toHaveLength(4);
      // The store's clock is real time, so "an hour later" is a second store's clock.
      const later = new RedisStore({ ...CONTRACT_OPTIONS, redis: client, keyPrefix: prefix, userCache: false, clock: () => Date.now() + 7200_000 });
      try {
        await later.write({ events: [event('ada', 5)] });
        expect(await later.sweep({ eventsMaxAgeSeconds: 3600 })).toEqual({ events: 9, profiles: 0 });
      } finally {
        await later.close();
      }
      const kept = await globalIds();
      expect(kept).toHaveLength(1);
      expect(await logIds(`${prefix}u:{ada}:log`)).toEqual(kept);
      expect(await admin.exists(`${prefix}u:{bob}:log`, `${prefix}u:{crowd-0}:log`)).toBe(0);
    });

    test.each(['list', 'string'])("trimming a user's log (a %s) keeps the ids at or above the given id (appended since it was read), and deletes it once empty", async (form) => {
      const log = `${prefix}u:{ada}:log`;
      const written = ['5-1', '5-10', '6-1', '10-0'];
      if (form === 'list') await admin.rpush(log, ...written);
      else await admin.eval(`${USER_LOG_LUA} log_write(KEYS[1], ARGV)`, 1, log, ...written);
      await admin.eval(TRIM_LOG_LUA, 1, log, '');
      expect(await logIds(log)).toEqual(written);
      await admin.eval(TRIM_LOG_LUA, 1, log, nextStreamId('5-2'));
      expect(await logIds(log)).toEqual(['5-10', '6-1', '10-0']);
      await admin.eval(TRIM_LOG_LUA, 1, log, '7-0');
      expect(await logIds(log)).toEqual(['10-0']);
      await admin.eval(TRIM_LOG_LUA, 1, log, nextStreamId('10-0'));
      expect(await admin.exists(log)).toBe(0);
    });

    test('trimming an index keeps the entries at or above the given id (appended since it was read), and deletes it once empty', async () => {
      const index = `${prefix}u:{ada}:eventids`;
      for (const id of ['5-1', '6-1', '7-1']) await admin.xadd(index, id, 'i', '');
      await admin.eval(TRIM_INDEX_LUA, 1, index, '');
      expect(await admin.xlen(index)).toBe(3);
      await admin.eval(TRIM_INDEX_LUA, 1, index, nextStreamId('6-1'));
      expect(((await admin.xrange(index, '-', '+')) as StreamEntry[]).map(([id]) => id)).toEqual(['7-1']);
      await admin.eval(TRIM_INDEX_LUA, 1, index, nextStreamId('7-1'));
      expect(await admin.exists(index)).toBe(0);
    });
  });
});
