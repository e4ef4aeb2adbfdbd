import Redis from 'ioredis';
import { BreakerStore } from '../../src/store/breaker';
import { RedisStore } from '../../src/store/redis';
import { CONTRACT_OPTIONS, storeContract } from './contract';
import { RUN_PREFIX, deleteKeys, dumpKeys, onTestRedis } from './redis-harness';

/*
 * The store contract on the circuit breaker in front of Redis, as `openStore` opens it: while
 * the circuit is closed the wrapper changes nothing, errors included. Runner as in
 * redis.test.ts (skipped without Redis, except under CI=true).
 */

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const quiet = { warn: () => undefined };
let stores = 0;

onTestRedis('BreakerStore over Redis', (url) => {
  const admin = new Redis(url);
  const runPrefix = `${RUN_PREFIX}breaker:`;
  afterAll(async () => {
    await deleteKeys(admin, runPrefix);
    await admin.quit();
  });

  storeContract('breaker over redis', async (options = {}) => {
    let skew = 0;
    const prefix = `${runPrefix}${++stores}:`;
    const inner = new RedisStore({ ...CONTRACT_OPTIONS, ...options, url, keyPrefix: prefix, clock: () => Date.now() + skew });
    return {
      store: new BreakerStore(inner, { logger: quiet }),
      advance: (seconds) => sleep(seconds * 1000 + 50),
      skip: async (seconds) => {
        skew += seconds * 1000;
      },
      raw: () => dumpKeys(admin, prefix),
    };
  });
});
