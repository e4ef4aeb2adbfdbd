import Redis from 'ioredis';
import { createAttune, EXPERIMENT_VIEWED } from '../../index';
import type { Attune } from '../../src/engine/attune';
import { RedisStore } from '../../src/store/redis';
import { smallCatalog } from '../support/catalog';
import { deleteKeys, describeRedis, RUN_PREFIX } from '../store/redis-harness';

/*
 * Two replicas of Attune on one Redis, as behind a load balancer: an experiment posted to one
 * is served by the other, assignments stay sticky whichever replica serves the user (also
 * after the weights change), exposure is logged once, and export and erase include assignments.
 */

const metrics = { primary: [{ kind: 'conversion' as const }] };
const experiment = (weights: [number, number]) => ({ id: 'checkout-copy', variants: [{ id: 'control', weight: weights[0] }, { id: 'short', weight: weights[1], overrides: { message: 'Buy now' } }], metrics });

describeRedis('experiments across two replicas on one Redis', (url) => {
  const prefix = `${RUN_PREFIX}experiments-e2e:`;
  let a: Attune;
  let b: Attune;
  const replica = () => createAttune({ store: new RedisStore({ url, keyPrefix: prefix }), catalog: smallCatalog(), idKeys: false, experimentRegistry: { refreshMs: 60_000 } });

  beforeAll(async () => {
    a = replica();
    b = replica();
    await a.experiments.save(experiment([1, 1]));
    await b.experiments.refresh();
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    const admin = new Redis(url);
    await deleteKeys(admin, prefix);
    admin.disconnect();
  });

  const exposuresOf = async (attune: Attune, userId: string) => (await attune.store.readEvents({ userId })).events.filter((e) => e.event === EXPERIMENT_VIEWED);

  it('serves on one replica what was posted to the other, sticky across replicas after the weights change', async () => {
    const users = Array.from({ length: 60 }, (_, i) => `shopper-${i}`);
    const first = new Map<string, string | undefined>();
    for (const u of users) {
      first.set(u, (await b.turn({ userId: u, text: 'hello' })).variant);
    }
    await b.flush();
    const shorts = [...first.values()].filter((v) => v === 'short').length;
    expect(shorts).toBeGreaterThan(15);
    expect(shorts).toBeLessThan(45);

    // 95/5 now, posted on B; A re-reads and serves the same users.
    await b.experiments.save(experiment([19, 1]));
    await a.experiments.refresh();
    expect((await a.experiments.get('checkout-copy')).weights).toEqual([0.95, 0.05]);
    for (const u of users) expect((await a.turn({ userId: u, text: 'back again' })).variant).toBe(first.get(u));
    await a.flush();
    // New users follow the new weights.
    let newShorts = 0;
    for (let i = 0; i < 60; i++) if ((await a.turn({ userId: `newcomer-${i}`, kind: 'conversation' })).variant === 'short') newShorts++;
    await a.flush();
    expect(newShorts).toBeLessThan(12);
    // Each user was exposed once, whichever replica served them.
    for (const u of users.slice(0, 10)) expect(await exposuresOf(a, u)).toHaveLength(1);
  });

  it('logs one exposure when two replicas serve a new user at the same time', async () => {
    await b.experiments.refresh();
    for (let i = 0; i < 5; i++) {
      const u = `racer-${i}`;
      const [x, y] = await Promise.all([a.turn({ userId: u, text: 'hi' }), b.turn({ userId: u, text: 'hi' })]);
      expect(x.variant).toBe(y.variant);
      await Promise.all([a.flush(), b.flush()]);
      const seen = await exposuresOf(a, u);
      expect(seen).toHaveLength(1);
      expect(seen[0].properties).toMatchObject({ experiment_id: 'checkout-copy', variation_id: x.variant });
    }
  });

  it('exports the assignments with the user and erases them', async () => {
    await a.turn({ userId: 'leaver', text: 'hello' });
    await a.flush();
    const data = await b.export('leaver');
    expect(data.profile?.experiments?.['checkout-copy']).toMatchObject({ bucketVersion: 0, variant: expect.any(String), exposedAt: expect.any(String) });
    expect(data.events.filter((e) => e.event === EXPERIMENT_VIEWED)).toHaveLength(1);
    await b.erase('leaver');
    const after = await a.export('leaver');
    expect(after.profile).toBeNull();
    expect(after.events).toEqual([]);
  });
});
