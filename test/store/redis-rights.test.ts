import Redis from 'ioredis';
import { RedisStore } from '../../src/store/redis';
import { TRIM_INDEX_LUA, nextStreamId, type StreamEntry } from '../../src/store/redis-layout';
import { CONTRACT_OPTIONS } from './contract';
import { event, ids } from './fixtures';
import { RUN_PREFIX, deleteKeys, dumpKeys, onTestRedis } from './redis-harness';

/*
 * Export and erase on Redis find a user's entries of the global log through the user's index
 * of it: what they read of the log is the user's entries, not everyone's; entries written
 * before indexes existed are still found; the index follows sweeps and erasures. What every
 * store must do (complete export and erase, past the per-user cap) is in the contract.
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

    test('events written before users had indexes are still exported and erased, with those written since', async () => {
      await crowd(1, 5, 2);
      // As a version without indexes left them: no index, no first indexed id.
      const unindexed = (await admin.keys(`${prefix}*eventids`)).concat(`${prefix}events:indexed`);
      expect(await admin.del(...unindexed)).toBe(4);
      expect(ids((await store.exportUser('ada')).events)).toEqual(range(1, 5));
      await crowd(6, 10, 2);
      expect(await admin.get(`${prefix}events:indexed`)).toBe((await globalIds())[15]);
      expect(ids((await store.exportUser('ada')).events)).toEqual(range(1, 10));
      expect(await store.eraseUser('ada')).toEqual({ removed: 10, data: 10, cache: 0 });
      expect(await admin.xlen(`${prefix}events`)).toBe(20);
      expect(await dumpKeys(admin, prefix)).not.toContain('ada');
    });

    test("a sweep cuts users' indexes where it cut the global log, and deletes an index it empties", async () => {
      await crowd(1, 4, 1);
      await store.write({ events: [event('bob', 1)] });
      await store.sweep({ eventsMaxAgeSeconds: 3600 }); // nothing old: nothing cut
      expect(await admin.xlen(`${prefix}u:{ada}:eventids`)).toBe(4);
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
      expect(((await admin.xrange(`${prefix}u:{ada}:eventids`, '-', '+')) as StreamEntry[]).map(([id]) => id)).toEqual(kept);
      expect(await admin.exists(`${prefix}u:{bob}:eventids`, `${prefix}u:{crowd-0}:eventids`)).toBe(0);
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
