import type { Registry } from 'prom-client';
import { SEGMENT_MEMBERS_COUNTER } from '../../../src/segments/census';
import type { CounterStore } from '../../../src/store/store';
import { EVENT_TYPES, type EventWindow } from './event-window';
import type { MetricHistory, TrackedCounter } from './metric-history';
import { counterBy, counterTotal } from './metric-reader';
import type { BarData, LineData, Panel, TableData } from './panels';

/** The Prometheus counters the built-in panels read (names as `/metrics` exposes them). */
export const METRICS = {
  shown: 'attune_recommendations_shown_total',
  clicked: 'attune_recommendations_clicked_total',
  degraded: 'attune_degraded_turns_total',
  storeErrors: 'attune_store_errors_total',
  validationFailures: 'attune_validation_failures_total',
  duplicates: 'attune_duplicate_events_total',
} as const;

/** The counters whose history the built-in panels draw. */
export const TRACKED_COUNTERS: readonly TrackedCounter[] = [
  { name: METRICS.shown },
  { name: METRICS.clicked },
  { name: METRICS.degraded, by: 'reason' },
  { name: METRICS.storeErrors },
];

/** What the built-in panels read. */
export interface BuiltinSources {
  window: EventWindow;
  history: MetricHistory;
  registry: Registry;
  counters: Pick<CounterStore, 'topCounters'>;
  /** The configured segment ids, shown even while empty. */
  segmentIds: () => readonly string[];
  /** The event window's span and bucket, in words: `over the last 60 min`, `per 1 min`. */
  span: string;
  bucket: string;
}

/** Segments shown at most (the largest first, then the configured ones). */
const MAX_SEGMENTS = 50;

/**
 * The panels every dashboard starts with: events over time by type, segments (size, entries
 * and exits), recommendations (impressions, clicks, CTR), degraded turns and store errors,
 * and data-quality counters.
 */
export function builtinPanels(s: BuiltinSources): Panel[] {
  return [
    {
      id: 'events',
      title: 'Events by type',
      description: `Events received ${s.bucket} ${s.span}, from the event log.`,
      render: 'line',
      data: async (): Promise<LineData> => {
        await s.window.refresh();
        const v = s.window.view();
        const series = EVENT_TYPES.map((t) => ({ label: t, values: v.byType[t] }));
        const totals = Object.fromEntries(series.map((x) => [x.label, x.values.reduce((a, b) => a + b, 0)]));
        return { x: v.x, series, totals };
      },
    },
    {
      id: 'segments',
      title: 'Segments',
      description: `Members now (from the store); entries and exits ${s.span} (from the event log).`,
      render: 'bar',
      data: async (): Promise<BarData> => {
        await s.window.refresh();
        const flows = s.window.view().segments;
        const members = new Map((await s.counters.topCounters(SEGMENT_MEMBERS_COUNTER, MAX_SEGMENTS)).map((c) => [c.key, Math.max(0, c.value)]));
        const labels = [...new Set([...members.keys(), ...s.segmentIds(), ...flows.keys()])].slice(0, MAX_SEGMENTS);
        return {
          labels,
          series: [
            { label: 'members', values: labels.map((l) => members.get(l) ?? 0) },
            { label: 'entered', values: labels.map((l) => flows.get(l)?.entered ?? 0) },
            { label: 'exited', values: labels.map((l) => flows.get(l)?.exited ?? 0) },
          ],
        };
      },
    },
    {
      id: 'recommendations',
      title: 'Recommendations over time',
      description: 'Impressions and clicks per sampling interval; totals since the process started.',
      render: 'line',
      data: async (): Promise<LineData> => {
        await s.history.refresh();
        const shown = s.history.increase(METRICS.shown);
        const clicked = s.history.increase(METRICS.clicked);
        const pick = (h: typeof shown) => h.series.find((x) => x.label === '')?.values ?? h.x.map(() => 0);
        return {
          x: shown.x,
          series: [
            { label: 'shown', values: pick(shown) },
            { label: 'clicked', values: pick(clicked) },
          ],
          totals: { shown: await counterTotal(s.registry, METRICS.shown), clicked: await counterTotal(s.registry, METRICS.clicked) },
        };
      },
    },
    {
      id: 'ctr',
      title: 'Click-through rate',
      description: 'Recommendation clicks over impressions since the process started, in all and by policy.',
      render: 'table',
      data: async (): Promise<TableData> => {
        const shown = await counterBy(s.registry, METRICS.shown, 'policy');
        const clicked = await counterBy(s.registry, METRICS.clicked, 'policy');
        const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
        const row = (name: string, n: number, c: number) => [name, n, c, n > 0 ? `${((100 * c) / n).toFixed(1)}%` : '–'];
        const policies = [...new Set([...shown.keys(), ...clicked.keys()])].filter(Boolean).sort();
        return {
          columns: ['policy', 'shown', 'clicked', 'CTR'],
          rows: [row('all', sum(shown), sum(clicked)), ...policies.map((p) => row(p, shown.get(p) ?? 0, clicked.get(p) ?? 0))],
        };
      },
    },
    {
      id: 'health',
      title: 'Degraded turns and store errors',
      description: 'Per sampling interval; totals since the process started.',
      render: 'line',
      data: async (): Promise<LineData> => {
        await s.history.refresh();
        const degraded = s.history.increase(METRICS.degraded);
        const errors = s.history.increase(METRICS.storeErrors);
        const zeros = degraded.x.map(() => 0);
        const reasons = await counterBy(s.registry, METRICS.degraded, 'reason');
        const totals: Record<string, number> = {};
        for (const [reason, n] of [...reasons].sort()) totals[`degraded: ${reason}`] = n;
        totals['store errors'] = await counterTotal(s.registry, METRICS.storeErrors);
        return {
          x: degraded.x,
          series: [
            ...degraded.series.map((x) => ({ label: `degraded: ${x.label}`, values: x.values })),
            { label: 'store errors', values: errors.series.find((x) => x.label === '')?.values ?? zeros },
          ],
          totals,
        };
      },
    },
    {
      id: 'quality',
      title: 'Data quality',
      description: 'Events refused by validation and duplicates dropped, by source, since the process started.',
      render: 'bar',
      data: async (): Promise<BarData> => {
        const invalid = await counterBy(s.registry, METRICS.validationFailures, 'source');
        const duplicates = await counterBy(s.registry, METRICS.duplicates, 'source');
        const labels = [...new Set([...invalid.keys(), ...duplicates.keys()])].sort();
        return {
          labels,
          series: [
            { label: 'validation failures', values: labels.map((l) => invalid.get(l) ?? 0) },
            { label: 'duplicates', values: labels.map((l) => duplicates.get(l) ?? 0) },
          ],
        };
      },
    },
  ];
}
