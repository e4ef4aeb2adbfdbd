import type { Registry } from 'prom-client';

/*
 * The dashboard reads the engine's Prometheus counters by name from the Registry it is given,
 * the one `/metrics` exposes. A name that is not registered reads as zero: the page works
 * before metrics are configured, and a counter nobody has increased yet is zero anyway.
 */

/**
 * A counter's value summed by one label (`by`), or in all under `''` when `by` is omitted.
 * Histograms and summaries are not counters; their samples are skipped.
 *
 * ```ts
 * await counterBy(registry, 'attune_events_ingested_total', 'type'); // Map { 'track' => 12, 'identify' => 3 }
 * ```
 */
export async function counterBy(registry: Registry, name: string, by?: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const metric = registry.getSingleMetric(name);
  if (!metric) return out;
  const { type, values } = await metric.get();
  if (String(type) !== 'counter' && String(type) !== 'gauge') return out;
  for (const v of values) {
    if (!Number.isFinite(v.value)) continue;
    const label = by === undefined ? '' : String((v.labels as Record<string, string | number | undefined>)[by] ?? '');
    out.set(label, (out.get(label) ?? 0) + v.value);
  }
  return out;
}

/** A counter's value over all its labels (0 when absent). */
export async function counterTotal(registry: Registry, name: string): Promise<number> {
  return (await counterBy(registry, name)).get('') ?? 0;
}
