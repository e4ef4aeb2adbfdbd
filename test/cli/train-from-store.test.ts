import { execFileSync } from 'node:child_process';
import Redis from 'ioredis';
import { createAttune } from '../../index';
import { RedisStore } from '../../src/store/redis';
import { deleteKeys, describeRedis } from '../store/redis-harness';
import { smallCatalog } from '../support/catalog';

// The command takes no key prefix: it works under the default one, `attune:`, which this test
// therefore owns in the test database and clears (no other test writes under it).
describeRedis('attune train --from-store', (url) => {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await deleteKeys(client, 'attune:');
    client.disconnect();
  });

  /** A fresh store under the default prefix with 20 users' views and orders. */
  async function seeded() {
    await deleteKeys(client, 'attune:');
    const store = new RedisStore({ redis: client });
    const attune = createAttune({ store, catalog: smallCatalog() });
    const batch = [];
    for (let u = 0; u < 20; u++) {
      batch.push({ type: 'track', userId: `u${u}`, event: 'Product Viewed', properties: { product_id: 'running-1' } });
      batch.push({ type: 'track', userId: `u${u}`, event: 'Order Completed', properties: { products: [{ product_id: 'camping-4' }] } });
    }
    await attune.batch({ batch });
    return attune;
  }

  it('trains on the store’s event log and saves a version that a server then serves', async () => {
    const attune = await seeded();

    const out = execFileSync(process.execPath, [require.resolve('tsx/cli'), 'cli/main.ts', 'train', '--from-store', '--model', 'itemknn'], {
      env: { ...process.env, ATTUNE_REDIS_URL: url, ATTUNE_LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    expect(out).toMatch(/trained itemknn on 40 interactions \(20 users, 2 items\) from the redis store .* saved as version 1/);

    expect(await attune.loadRecommender()).toBe(true);
    await attune.track({ userId: 'newcomer', event: 'Product Viewed', properties: { product_id: 'running-1' } });
    expect((await attune.recommend('newcomer', { k: 2 })).map((r) => r.itemId)).toContain('camping-4');
  });

  it('--safe reports the comparison with the served model, and --rollback serves the previous version again', async () => {
    const run = (...args: string[]) =>
      execFileSync(process.execPath, [require.resolve('tsx/cli'), 'cli/main.ts', 'train', '--from-store', ...args], {
        env: { ...process.env, ATTUNE_REDIS_URL: url, ATTUNE_LOG_LEVEL: 'silent' },
        encoding: 'utf8',
      });
    const attune = await seeded();
    run('--model', 'pop');
    const report = JSON.parse(run('--safe', '--model', 'itemknn', '--json')) as { promoted: boolean; served: { kind: string }; holdout: { interactions: number }; drift: { ks: number } };
    expect(report.served.kind).toBe('pop');
    expect(report.holdout.interactions).toBeGreaterThan(0);
    expect(typeof report.drift.ks).toBe('number');
    const servedBefore = (await attune.serving.served())!.current;
    expect(servedBefore.kind).toBe(report.promoted ? 'itemknn' : 'pop');
    expect(run('--rollback')).toMatch(/^rolled back: serving version \d+ \((itemknn|pop)\) again/);
    const after = (await attune.serving.served())!.current;
    expect(after.version).toBeLessThan(servedBefore.version);
    expect(() => run('--safe', '--tolerance', '2')).toThrow(/--tolerance must be in \[0, 1\)/);
    // Five processes, each loading the CLI: slow on a busy machine, and nothing here is timed.
  }, 180_000);
});
