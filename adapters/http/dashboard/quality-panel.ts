import { RATE_KINDS, type RateKind } from '../../../src/quality/config';
import type { SourceQuality } from '../../../src/quality/monitor';
import type { TableData, TablePanel } from './panels';

/** What the quality panel reads: the engine's quality gate (`attune.quality`). */
export interface QualityPanelSource {
  snapshot(): SourceQuality[];
  readonly monitor: { readonly thresholds: Readonly<Partial<Record<RateKind, number>>> };
}

const percent = (r: number) => `${(100 * r).toFixed(1)}%`;

/**
 * The data-quality monitor's panel: per source, the events of the window and each rate, a
 * rate over its threshold marked with `!`, and the kinds alerting now.
 *
 * ```ts
 * if (attune.quality) dashboard.registerPanel(qualityPanel(attune.quality));
 * ```
 */
export function qualityPanel(quality: QualityPanelSource): TablePanel {
  const thresholds = quality.monitor.thresholds;
  const limits = RATE_KINDS.filter((k) => thresholds[k] !== undefined).map((k) => `${k} ${percent(thresholds[k] ?? 0)}`);
  return {
    id: 'quality-monitor',
    title: 'Data quality monitor',
    description: `Rates per source over the monitor's window; thresholds: ${limits.join(', ') || 'none'}.`,
    render: 'table',
    data: async (): Promise<TableData> => ({
      columns: ['source', 'events', ...RATE_KINDS, 'alerting'],
      rows: quality.snapshot().map((s) => [
        s.source,
        s.events,
        ...RATE_KINDS.map((k) => `${percent(s.rates[k])}${s.alerting.includes(k) ? ' !' : ''}`),
        s.alerting.join(', ') || '–',
      ]),
    }),
  };
}
