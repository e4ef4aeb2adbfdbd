import fc from 'fast-check';
import Redis from 'ioredis';
import { LOG_IDS_LUA, USER_LOG_LUA } from '../../../src/store/data/redis-user-log';
import { RUN_PREFIX, deleteKeys, onTestRedis } from '../redis-harness';

/*
 * The packed user log is held to the list of ids it replaces: whatever ids a log is given, in
 * log order (any ms part Redis issues, any u64 sequence), starting from a list of the earlier
 * form or from nothing, it reads back as those ids, whole and by its tail.
 */

const APPEND_LUA = `${USER_LOG_LUA}
for i = 1, #ARGV do log_append(KEYS[1], ARGV[i]) end
return redis.call('TYPE', KEYS[1]).ok
`;
const TAIL_LUA = `${USER_LOG_LUA}
return log_tail(KEYS[1], tonumber(ARGV[1]))
`;

/** Stream ids in Redis's order, without repeats: ms parts of up to 15 digits, sequences of up to 20. */
const ids = fc
  .array(fc.tuple(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 999_999_999_999_999 })), fc.oneof(fc.bigInt({ min: 0n, max: 3n }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }))), { maxLength: 60 })
  .map((pairs) => {
    const sorted = [...pairs].sort(([am, as], [bm, bs]) => (am !== bm ? am - bm : as < bs ? -1 : as > bs ? 1 : 0));
    return [...new Set(sorted.map(([ms, seq]) => `${ms}-${seq}`))];
  });

onTestRedis('the packed user log', (url) => {
  const admin = new Redis(url);
  const prefix = `${RUN_PREFIX}user-log:`;
  let n = 0;
  afterAll(async () => {
    await deleteKeys(admin, prefix);
    await admin.quit();
  });

  test('reads back every id it was given, whole and by its tail, from a list of the earlier form or from nothing', async () => {
    await fc.assert(
      fc.asyncProperty(ids, fc.nat(), fc.nat({ max: 80 }), async (all, split, tail) => {
        const key = `${prefix}${++n}`;
        const listed = all.slice(0, all.length ? split % (all.length + 1) : 0);
        const appended = all.slice(listed.length);
        if (listed.length) await admin.rpush(key, ...listed);
        const kind = appended.length ? await admin.eval(APPEND_LUA, 1, key, ...appended) : undefined;
        if (appended.length) expect(kind).toBe('string');
        expect(await admin.eval(LOG_IDS_LUA, 1, key)).toEqual(all);
        expect(await admin.eval(TAIL_LUA, 1, key, tail)).toEqual(tail === 0 ? [] : all.slice(-tail));
        await admin.del(key);
      }),
      { numRuns: 100 },
    );
    // Round trips, a few per run: on a loaded machine, more than jest's default 5 s.
  }, 60_000);

  test('a long log is read by its tail, and costs a few bytes an id', async () => {
    const key = `${prefix}long`;
    const written = Array.from({ length: 3000 }, (_, i) => `${1_796_420_602_911 + Math.floor(i / 7) * 1000}-${i % 7}`);
    await admin.eval(APPEND_LUA, 1, key, ...written);
    expect(await admin.eval(TAIL_LUA, 1, key, 3)).toEqual(written.slice(-3));
    expect(await admin.eval(TAIL_LUA, 1, key, 100)).toEqual(written.slice(-100));
    expect(await admin.strlen(key)).toBeLessThan(written.length * 10);
  });
});
