import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAttune } from '../../../index';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { createShopApp } from '../../../examples/ecommerce/app';
import catalog from '../../../examples/ecommerce/catalog.json';
import { shopExperimentInputs } from '../../../examples/ecommerce/experiment';
import { shopper } from '../../../examples/ecommerce/shoppers';
import { runTraffic } from '../../../examples/ecommerce/traffic';
import type { Profile } from '../../../src/core/profile';
import type { Attune } from '../../../src/engine/attune';
import { adjustedRandIndex } from '../../../src/segments/discover/ari';
import { discoverSegments, type DiscoverOptions } from '../../../src/segments/discover/discover';
import { MemoryStore } from '../../../src/store/memory';

/*
 * The case study's shoppers, each with a planted favourite category, talk to the shop over
 * real HTTP (the demo's own traffic); discovery, given only their stored profiles, must find
 * the planted groups again: adjusted Rand index ≥ 0.8 against what each shopper loves.
 */

const KEY = 'demo-admin-key-0123456789';
const SHOPPERS = 300;
const SEED = 11;
const CATEGORIES = [...new Set(catalog.map((i) => i.category))].sort();

describe('discovery on the demo’s simulated shoppers', () => {
  let attune: Attune;
  let server: Server;
  let profiles: Profile[];
  let planted: string[];

  beforeAll(async () => {
    // Raw ids: the arms (and so what each shopper is shown) do not depend on a random key.
    attune = createAttune({ store: new MemoryStore(), idKeys: false, catalog, experiments: shopExperimentInputs, stages: { recommend: { k: 5 } } });
    const { app } = createShopApp(attune, { apiKeys: parseApiKeys(`${KEY}:admin`), ratePerMinute: 1_000_000 });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await runTraffic({ baseUrl: base, apiKey: KEY, shoppers: SHOPPERS, seed: SEED, concurrency: 1 });
    await attune.flush();
    const people = Array.from({ length: SHOPPERS }, (_, i) => shopper(SEED, i, CATEGORIES));
    profiles = [];
    planted = [];
    for (const s of people) {
      const p = await attune.profile(s.userId);
      if (p) {
        profiles.push(p);
        planted.push(s.loves);
      }
    }
  }, 120_000);

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await attune.close();
  });

  const options: DiscoverOptions = { features: ['shares.*'], k: { min: 2, max: 14 }, scaling: 'minmax', imputation: 'zero', seed: 3, nowMs: Date.now() };

  it.each(['kmeans', 'ward'] as const)('rediscovers the planted groups with %s (ARI ≥ 0.8), and picks their number by silhouette', (method) => {
    expect(profiles).toHaveLength(SHOPPERS);
    const d = discoverSegments(profiles, { ...options, method });
    const ari = adjustedRandIndex(d.assignments, planted);
    expect(ari).toBeGreaterThanOrEqual(0.8);
    // The planted groups, give or take a cluster of shoppers with two loves.
    expect(d.k).toBeGreaterThanOrEqual(new Set(planted).size);
    expect(d.k).toBeLessThanOrEqual(new Set(planted).size + 2);
  });
});
