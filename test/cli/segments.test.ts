import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createAttune } from '../../index';
import type { ComputedTraits } from '../../src/profiles/computed/traits';
import { loadLiveSegmentation } from '../../src/segments/discover/artifact';
import { RedisStore } from '../../src/store/redis';
import { deleteKeys, describeRedis, RUN_PREFIX } from '../store/redis-harness';

/*
 * The operator's loop on a real store: events of three planted kinds of shopper go in;
 * `attune segments discover` finds the three and saves a version, `accept` names them and
 * makes them live, and `backfill` computes traits defined after the events arrived.
 */
describeRedis('attune segments', (url) => {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const prefix = `${RUN_PREFIX}cli-segments:`;
  const dir = mkdtempSync(join(tmpdir(), 'attune-segments-'));
  afterAll(async () => {
    await deleteKeys(client, prefix);
    client.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...args: string[]) =>
    execFileSync(process.execPath, [require.resolve('tsx/cli'), 'cli/main.ts', 'segments', ...args, '--key-prefix', prefix], { env: { ...process.env, ATTUNE_REDIS_URL: url, ATTUNE_LOG_LEVEL: 'silent' }, encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('discovers the planted groups, accepts them as live segments, and backfills traits', async () => {
    const store = new RedisStore({ redis: client, keyPrefix: prefix });
    const attune = createAttune({ store, idKeys: false, segments: [] });
    const batch = [];
    for (let u = 0; u < 45; u++) {
      const kind = u % 3;
      const userId = `u${u}`;
      if (kind === 0) for (let i = 0; i < 4 + (u % 4); i++) batch.push({ type: 'track', userId, event: 'Order Completed', properties: { revenue: 300 + u, products: [{ product_id: `p${u}`, category: 'tennis' }] } });
      else for (let i = 0; i < 5 + (u % 5); i++) batch.push({ type: 'track', userId, event: 'Product Viewed', properties: { product_id: `v${u}-${i}`, category: kind === 1 ? 'yoga' : 'camping' } });
    }
    await attune.batch({ batch });

    const [summary, ...clusters] = run('discover', '--features', 'orders,revenue,shares.*', '--k', '2-5', '--seed', '4');
    expect(summary).toMatchObject({ saved: 1, users: 45, k: 3 });
    expect(clusters.map((c) => c.size)).toEqual([15, 15, 15]);
    const names = clusters.map((c, i) => `${i}=${String(c.suggestedId)}`);
    const [accepted] = run('accept', '1', ...names.flatMap((n) => ['--name', n]));
    expect(accepted).toMatchObject({ live: 1, from: 1 });
    expect((await loadLiveSegmentation(store))?.segments.map((s) => s.id)).toEqual(clusters.map((c) => c.suggestedId));
    expect(clusters.map((c) => c.label).join(' | ')).toMatch(/frequent orders|high revenue/);

    const traits = join(dir, 'traits.json');
    writeFileSync(traits, JSON.stringify([{ id: 'views', type: 'event-counter', event: 'Product Viewed' }]));
    expect(run('backfill', traits)).toEqual([{ users: 45, events: batch.length }]);
    const withTraits = createAttune({ store, idKeys: false, segments: [], computedTraits: [{ id: 'views', type: 'event-counter', event: 'Product Viewed' }] });
    const p = await withTraits.profile('u1');
    expect(p && (withTraits.computedTraits as ComputedTraits).values(p, Date.now())).toEqual({ views: 6 });
    await withTraits.flush();
    await attune.close();
  }, 60_000);
});
