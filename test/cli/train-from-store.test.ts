import { execFileSync } from 'node:child_process';
import Redis from 'ioredis';
import { createAttune } from '../../index';
import { RedisStore } from '../../src/store/redis';
import { deleteKeys, redisAnswers } from '../store/redis-harness';
import { smallCatalog } from '../support/catalog';

// A database of its own: the command uses the default key prefix, which this test then clears.
const URL = 'redis://127.0.0.1:6379/11';
const useRedis = redisAnswers(URL);
if (!useRedis && process.env.CI === 'true') throw new Error(`Redis does not answer at ${URL}; CI requires it`);
const maybe = useRedis ? describe : describe.skip;

maybe('attune train --from-store', () => {
  const client = new Redis(URL, { maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await deleteKeys(client, 'attune:');
    client.disconnect();
  });

  it('trains on the store’s event log and saves a version that a server then serves', async () => {
    await deleteKeys(client, 'attune:');
    const store = new RedisStore({ redis: client });
    const attune = createAttune({ store, catalog: smallCatalog() });
    const batch = [];
    for (let u = 0; u < 20; u++) {
      batch.push({ type: 'track', userId: `u${u}`, event: 'Product Viewed', properties: { product_id: 'running-1' } });
      batch.push({ type: 'track', userId: `u${u}`, event: 'Order Completed', properties: { products: [{ product_id: 'camping-4' }] } });
    }
    await attune.batch({ batch });

    const out = execFileSync(process.execPath, [require.resolve('tsx/cli'), 'cli/main.ts', 'train', '--from-store', '--model', 'itemknn'], {
      env: { ...process.env, ATTUNE_REDIS_URL: URL, ATTUNE_LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(out).toMatch(/trained itemknn on 40 interactions \(20 users, 2 items\) from the redis store .* saved as version 1/);

    expect(await attune.loadRecommender()).toBe(true);
    await attune.track({ userId: 'newcomer', event: 'Product Viewed', properties: { product_id: 'running-1' } });
    expect((await attune.recommend('newcomer', { k: 2 })).map((r) => r.itemId)).toContain('camping-4');
  });
});
