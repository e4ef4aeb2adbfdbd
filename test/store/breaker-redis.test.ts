import Redis from 'ioredis';
import { BreakerStore } from '../../src/store/breaker';
import { RedisStore } from '../../src/store/redis';
import { CONTRACT_OPTIONS, storeContract } from './contract';
import { RUN_PREFIX, TEST_REDIS_URL, deleteKeys, dumpKeys, redisAnswers } from './redis-harness';

/*
 * The store contract on the circuit breaker in front of Redis, as `openStore` opens it: while
 * the circuit is closed the wrapper changes nothing, errors included. Runner as in
 * redis.test.ts (skipped without Redis, except under CI=true).
 */

const available = redisAnswers(TEST_REDIS_URL);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const quiet = { warn: () => undefined };
let stores = 0;

if (!available && process.env.CI === 'true') {
  test(`Redis answers at ${TEST_REDIS_URL} (required under CI=true)`, () => {
    throw new Error(`Redis does not answer; start it or set ATTUNE_TEST_REDIS_URL`);
  });
} else if (!available) {
  describe.skip('BreakerStore over Redis (skipped: no Redis)', () => {
    test('store contract', () => undefined);
  });
} else {
  const admin = new Redis(TEST_REDIS_URL);
  const runPrefix = `${RUN_PREFIX}breaker:`;
  afterAll(async () => {
    await deleteKeys(admin, runPrefix);
    await admin.quit();
  });

  storeContract('breaker over redis', async (options = {}) => {
    let skew = 0;
    const prefix = `${runPrefix}${++stores}:`;
    const inner = new RedisStore({ ...CONTRACT_OPTIONS, ...options, url: TEST_REDIS_URL, keyPrefix: prefix, clock: () => Date.now() + skew });
    return {
      store: new BreakerStore(inner, { logger: quiet }),
      advance: (seconds) => sleep(seconds * 1000 + 50),
      skip: async (seconds) => {
        skew += seconds * 1000;
      },
      raw: () => dumpKeys(admin, prefix),
    };
  });
}
