import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAttune } from '../../index';
import { parseApiKeys } from '../../adapters/http/api-keys';
import { createShopApp } from '../../examples/ecommerce/app';
import catalog from '../../examples/ecommerce/catalog.json';
import { shopExperimentInputs, shopExperiments } from '../../examples/ecommerce/experiment';
import { runTraffic } from '../../examples/ecommerce/traffic';
import type { Attune } from '../../src/engine/attune';
import { assign } from '../../src/experiments/assign';
import { toAssignable } from '../../src/experiments/definition';
import type { ExperimentResults } from '../../src/experiments/results';
import { MemoryStore } from '../../src/store/memory';

/*
 * The case study's loop closed: the shop runs "personalized vs popular recommendations", a
 * seeded population of shoppers with planted preferences talks to it over real HTTP
 * (`/v1/turns`, `/v1/batch`), and the results read from its event log find the uplift.
 */

const KEY = 'demo-admin-key-0123456789';
const [experiment] = shopExperiments;

describe('the shop experiment, end to end over HTTP', () => {
  let attune: Attune;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    attune = createAttune({ store: new MemoryStore(), catalog, experiments: shopExperimentInputs, stages: { recommend: { k: 5 } } });
    const { app } = createShopApp(attune, { apiKeys: parseApiKeys(`${KEY}:admin`), ratePerMinute: 1_000_000 });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await attune.close();
  });

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
    return { status: res.status, body: (await res.json()) as unknown };
  };

  it('serves the popular arm what is popular, whatever the shopper asks, and the personalized arm what they asked for', async () => {
    const definition = toAssignable(experiment);
    const armOf = (id: string) => {
      const a = assign(definition, attune.userKey(id));
      return a.inExperiment ? a.variant : undefined;
    };
    const ids = Array.from({ length: 40 }, (_, i) => `probe-${i}`);
    const popular = ids.filter((id) => armOf(id) === 'popular').slice(0, 2);
    const personalized = ids.find((id) => armOf(id) === 'personalized') as string;
    const turn = (userId: string, text: string) => attune.turn({ userId, text, reply: { text: 'Picks:', recommend: { k: 5 } } });

    const [yoga, camping] = [await turn(popular[0], "I'm looking for yoga gear"), await turn(popular[1], "I'm looking for camping gear")];
    expect(yoga.variant).toBe('popular');
    expect(yoga.reply?.recommendations?.map((r) => r.itemId)).toEqual(camping.reply?.recommendations?.map((r) => r.itemId));
    const mine = await turn(personalized, "I'm looking for yoga gear");
    expect(mine.variant).toBe('personalized');
    expect(mine.reply?.recommendations?.every((r) => r.item?.category === 'yoga')).toBe(true);
  });

  it('finds the personalized arm’s uplift in CTR and conversion, with the split as planned', async () => {
    const traffic = await runTraffic({ baseUrl: base, apiKey: KEY, shoppers: 120, seed: 5, concurrency: 1 });
    expect(Object.keys(traffic.byVariant).sort()).toEqual(['personalized', 'popular']);

    const { status, body } = await get('/v1/experiments/recs-policy/results');
    expect(status).toBe(200);
    const r = body as ExperimentResults;
    // 120 shoppers and the three probes of the test above (they saw the experiment too).
    expect(r.variants.reduce((s, v) => s + v.users, 0)).toBe(123);
    expect(r.srm.ok).toBe(true);
    const comparison = (id: string) => r.metrics.find((m) => m.id === id)?.analysis?.comparisons[0];
    const ctr = comparison('ctr');
    expect(ctr?.variant).toBe('personalized');
    expect(ctr?.relCi[0]).toBeGreaterThan(0);
    expect(ctr?.adjustedPValue).toBeLessThan(0.05);
    expect(comparison('conversion')?.absCi[0]).toBeGreaterThan(0);
    expect(r.summary.find((l) => l.startsWith('ctr (primary)'))).toMatch(/: significant$/);
    // Some 600 turns over HTTP: slow on a busy machine, and never timed.
  }, 120_000);
});
