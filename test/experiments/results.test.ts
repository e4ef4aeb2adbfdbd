import Redis from 'ioredis';
import type { AttuneEvent } from '../../src/core/event';
import { holm } from '../../src/experiments';
import { ResultsBuilder, readExperimentResults, type ExperimentResults, type MetricResult } from '../../src/experiments/results';
import { MemoryStore } from '../../src/store/memory';
import { RedisStore } from '../../src/store/redis';
import { deleteKeys, onTestRedis, RUN_PREFIX } from '../store/redis-harness';
import { shopExperiment, syntheticLog, T0 } from './event-log';

const ARMS = { popular: { convert: 0.1, click: 0.05 }, personalized: { convert: 0.16, click: 0.1 } };
const log = syntheticLog({ seed: 42, users: 3000, arms: ARMS, lateOrder: 0.5 });

function build(events: readonly AttuneEvent[], experiment = shopExperiment()): ExperimentResults {
  const b = new ResultsBuilder(experiment);
  for (const e of events) b.add(e);
  return b.results();
}

const metricOf = (r: ExperimentResults, id: string): MetricResult => {
  const m = r.metrics.find((x) => x.id === id);
  if (!m) throw new Error(`no metric ${id}`);
  return m;
};
const only = (m: MetricResult) => {
  if (!m.analysis) throw new Error(`${m.id} not analyzed: ${m.error}`);
  expect(m.analysis.comparisons).toHaveLength(1);
  return m.analysis.comparisons[0];
};

describe('experiment results from a synthetic event log with planted effects', () => {
  const r = build(log);

  it('counts each exposed user once, in the planned split', () => {
    expect(r.variants.map((v) => v.id)).toEqual(['popular', 'personalized']);
    expect(r.variants[0].users + r.variants[1].users).toBe(3000);
    expect(r.srm.ok).toBe(true);
    expect(r.excluded).toEqual({ multipleVariants: 0, unknownVariant: 0 });
  });

  it('finds the planted conversion uplift, counting orders within the window only', () => {
    const m = metricOf(r, 'conversion');
    expect(m.test).toBe('binomial');
    const [control, treated] = m.analysis?.variants ?? [];
    // Half the users order again 100 hours on: counted, both rates would be above 0.5.
    expect(control.mean).toBeCloseTo(0.1, 1);
    expect(treated.mean).toBeCloseTo(0.16, 1);
    const c = only(m);
    expect(c.absCi[0]).toBeLessThan(0.06);
    expect(c.absCi[1]).toBeGreaterThan(0.06);
    expect(c.absCi[0]).toBeGreaterThan(0);
    expect(c.adjustedPValue).toBeLessThan(0.05);
  });

  it('finds the planted CTR uplift (a ratio metric: clicks over items shown)', () => {
    const m = metricOf(r, 'ctr');
    expect(m.test).toBe('ratio');
    const c = only(m);
    // Planted: 0.10 / 0.05 − 1 = +100 %.
    expect(c.relCi[0]).toBeLessThan(1);
    expect(c.relCi[1]).toBeGreaterThan(1);
    expect(c.relCi[0]).toBeGreaterThan(0.5);
    expect(c.chanceToWin).toBeGreaterThan(0.99);
  });

  it('corrects the primary metrics together with Holm, the guardrails apart', () => {
    const primary = [only(metricOf(r, 'conversion')), only(metricOf(r, 'ctr'))];
    expect(primary.map((c) => c.adjustedPValue)).toEqual(holm(primary.map((c) => c.pValue)));
    const revenue = only(metricOf(r, 'revenue'));
    expect(revenue.adjustedPValue).toBe(revenue.pValue);
  });

  it('adjusts revenue with its pre-exposure covariate (CUPED)', () => {
    expect(metricOf(r, 'revenue').analysis?.cuped).toBeDefined();
  });

  it('summarizes each comparison in one line with its interval', () => {
    expect(r.summary).toHaveLength(3);
    expect(r.summary[0]).toMatch(/^conversion \(primary\): personalized vs popular: \+\d+\.\d% \(95% CI \+\d+\.\d% to \+\d+\.\d%\), p = .*: significant$/);
  });
});

describe('who counts', () => {
  it('warns of a sample ratio mismatch when one arm loses exposures', () => {
    const r = build(syntheticLog({ seed: 7, users: 3000, arms: ARMS, lose: { personalized: 0.2 } }));
    expect(r.srm.ok).toBe(false);
    expect(r.summary[0]).toMatch(/^WARNING: sample ratio mismatch/);
  });

  it('leaves out users exposed to two variants or to one the experiment does not have, and reads variant indexes', () => {
    const exposure = (userId: string, variation_id: unknown, at = T0 + 1000): AttuneEvent => ({
      type: 'track', messageId: `${userId}-${String(variation_id)}`, userId, event: 'Experiment Viewed', properties: { experiment_id: 'recs-policy', variation_id },
      traits: {}, context: {}, timestamp: new Date(at).toISOString(), receivedAt: new Date(at).toISOString(),
    });
    const r = build([...log, exposure('both', 'popular'), exposure('both', 'personalized', T0 + 2000), exposure('ghost', 'nope'), exposure('indexed', 1), exposure('other-exp', 'popular')].map((e) => (e.userId === 'other-exp' ? { ...e, properties: { ...e.properties, experiment_id: 'another' } } : e)));
    expect(r.excluded).toEqual({ multipleVariants: 1, unknownVariant: 1 });
    expect(r.variants[0].users + r.variants[1].users).toBe(3001);
  });

  it('reports a metric it cannot analyze, and still the others', () => {
    const r = build(log, shopExperiment({ metrics: { primary: [{ kind: 'conversion' }, { kind: 'satisfaction' }] } }));
    const s = metricOf(r, 'satisfaction');
    expect(s.analysis).toBeUndefined();
    expect(s.error).toMatch(/denominators sum to 0/);
    expect(metricOf(r, 'conversion').analysis).toBeDefined();
    expect(r.summary.some((l) => l.startsWith('satisfaction (primary): not analyzed'))).toBe(true);
  });
});

describe('readExperimentResults: the log read page by page', () => {
  it('reads every page of a memory store, and gives the same results as one pass', async () => {
    const store = new MemoryStore();
    await store.write({ events: log });
    const read = await readExperimentResults(store, shopExperiment(), { pageSize: 97 });
    expect(read.events).toEqual({ read: log.length, truncated: false });
    expect(read.metrics).toEqual(build(log).metrics);
    await store.close();
  });

  it('stops at maxEvents and says so', async () => {
    const store = new MemoryStore();
    await store.write({ events: log });
    const read = await readExperimentResults(store, shopExperiment(), { pageSize: 100, maxEvents: 1000 });
    expect(read.events).toEqual({ read: 1000, truncated: true });
    await store.close();
  });
});

onTestRedis('readExperimentResults on Redis', (url) => {
  const prefix = `${RUN_PREFIX}results:`;
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    client.disconnect();
  });

  it('reads the Redis event log to the same results', async () => {
    const store = new RedisStore({ redis: client, keyPrefix: prefix });
    const events = log.slice(0, 4000);
    await store.write({ events });
    const read = await readExperimentResults(store, shopExperiment(), { pageSize: 500 });
    expect(read.events.read).toBe(4000);
    expect(read.metrics).toEqual(build(events).metrics);
  });
});
