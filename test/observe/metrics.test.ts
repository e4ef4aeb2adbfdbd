import { Registry } from 'prom-client';
import { createAttune } from '../../index';
import { StoreError } from '../../src/core/errors';
import type { Stage } from '../../src/engine/turn-runner';
import { boundedLabel } from '../../src/observe/labels';
import { createMetrics, degradedReason, METRIC_NAMES } from '../../src/observe/metrics';
import { MemoryStore } from '../../src/store/memory';

/** A metric's value for the labels given (summed over the others), read as a dashboard reads it. */
async function value(registry: Registry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((sum, v) => sum + v.value, 0);
}

describe('createMetrics', () => {
  it('registers the contract’s names in the registry it is given, and the process metrics only when asked', async () => {
    const registry = new Registry();
    createMetrics({ registry, defaultMetrics: false });
    expect(registry.getMetricsAsArray().map((m) => m.name).sort()).toEqual(Object.values(METRIC_NAMES).sort());
    const withProcess = createMetrics();
    expect(withProcess.registry.getSingleMetric('attune_process_resident_memory_bytes')).toBeDefined();
  });

  it('says why a turn went unpersonalized: a stage that threw, an erased user', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const failing: Stage = async function failingStage() {
      throw new Error('boom');
    };
    const attune = createAttune({ store: new MemoryStore(), hooks: metrics.hooks, idKeys: false });
    attune.use(failing);
    await attune.turn({ userId: 'u1', text: 'hi' });
    await attune.erase('u2');
    const erased = await attune.turn({ userId: 'u2', text: 'hi' });
    expect(erased.degraded).toBe(true);
    await attune.close();
    const r = metrics.registry;
    expect(await value(r, 'attune_turns_total', { adapter: 'inproc', outcome: 'degraded' })).toBe(2);
    expect(await value(r, 'attune_degraded_turns_total', { reason: 'stage' })).toBe(1);
    expect(await value(r, 'attune_degraded_turns_total', { reason: 'other' })).toBe(1);
    expect(await value(r, 'attune_turns_total', { outcome: 'ok' })).toBe(0);
  });

  it('counts events the app tracks itself (source library) and its invalid calls', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    const attune = createAttune({ store: new MemoryStore(), hooks: metrics.hooks });
    await attune.track({ userId: 'u1', event: 'Product Clicked', properties: { product_id: 'p1' } });
    await attune.identify({ userId: 'u1', traits: { plan: 'pro' } });
    await expect(attune.track({ userId: 'u1', event: '' })).rejects.toThrow(/event/);
    await attune.close();
    const r = metrics.registry;
    expect(await value(r, 'attune_events_ingested_total', { source: 'library', type: 'track' })).toBe(1);
    expect(await value(r, 'attune_events_ingested_total', { source: 'library', type: 'identify' })).toBe(1);
    expect(await value(r, 'attune_recommendations_clicked_total')).toBe(1);
    expect(await value(r, 'attune_validation_failures_total', { source: 'library' })).toBe(1);
  });

  it('tells a store that did not answer in time from one that failed', () => {
    expect(degradedReason({ degraded: true, degradedBy: 'store', error: new StoreError('redis readUser timed out: no answer within 150 ms') })).toBe('timeout');
    expect(degradedReason({ degraded: true, degradedBy: 'store', error: new StoreError('could not read', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })) })).toBe('store');
    expect(degradedReason({ degraded: false })).toBeUndefined();
  });
});

describe('boundedLabel', () => {
  it('keeps its first values and calls later ones, and odd ones, other', () => {
    const label = boundedLabel(2);
    expect(['vip', 'new', 'vip', 'lapsed', 'a b', 'x'.repeat(65)].map(label)).toEqual(['vip', 'new', 'vip', 'other', 'other', 'other']);
  });

  it('keeps a stage label bounded whatever the stages are called', async () => {
    const metrics = createMetrics({ defaultMetrics: false, maxLabelValues: 3 });
    const attune = createAttune({ store: new MemoryStore(), hooks: metrics.hooks, stages: {} });
    for (let i = 0; i < 6; i++) attune.use(Object.defineProperty(async (_ctx: unknown, next: () => Promise<void>) => next(), 'name', { value: `stage${i}` }) as Stage);
    await attune.turn({ userId: 'u1', text: 'hi' });
    await attune.close();
    const { values } = await metrics.registry.getSingleMetric('attune_stage_duration_seconds')!.get();
    const stages = new Set(values.map((v) => v.labels.stage));
    expect(stages.size).toBe(4);
    expect(stages).toContain('other');
  });
});
