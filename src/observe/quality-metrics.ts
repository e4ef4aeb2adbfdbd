import { Counter, Gauge, type Registry } from 'prom-client';
import type { Hooks } from '../engine/hooks';
import { boundedLabel, EVENT_NAME_LABEL } from './labels';

/**
 * The data-quality metrics, from the `onQuality` and `onQualityAlert` hooks. Labels stay
 * bounded: sources and event names keep their first values and call the rest `other`; kinds,
 * violation types and rate kinds are fixed lists.
 */

/** The data-quality metric names, as dashboards and alerts read them. */
export const QUALITY_METRIC_NAMES = {
  qualityNormalizations: 'attune_quality_normalizations_total',
  qualityViolations: 'attune_quality_violations_total',
  qualityBlocked: 'attune_quality_blocked_events_total',
  qualityStripped: 'attune_quality_stripped_properties_total',
  qualityNearDuplicates: 'attune_quality_near_duplicates_total',
  qualityRate: 'attune_quality_rate',
  qualityAlerts: 'attune_quality_alerts_total',
  qualityAlerting: 'attune_quality_alerting',
} as const;

/**
 * Registers the data-quality metrics and returns the hooks that keep them.
 *
 * ```ts
 * const hooks = qualityMetrics(registry, 50);
 * attune.hooks.add(hooks);
 * ```
 */
export function qualityMetrics(registry: Registry, maxLabelValues: number): Pick<Hooks, 'onQuality' | 'onQualityAlert'> {
  const registers = [registry];
  const source = boundedLabel(maxLabelValues);
  const eventName = boundedLabel(maxLabelValues, EVENT_NAME_LABEL);
  const N = QUALITY_METRIC_NAMES;
  const normalizations = new Counter({ name: N.qualityNormalizations, help: 'Configured fields normalized at ingestion, by source, kind (number, date, currency…) and outcome (fixed, or unparseable: kept as sent and flagged).', labelNames: ['source', 'kind', 'outcome'] as const, registers });
  const violations = new Counter({ name: N.qualityViolations, help: 'Tracking plan violations, by source, event and type (unplanned-event, required-missing, datatype-mismatch, additional-properties).', labelNames: ['source', 'event', 'type'] as const, registers });
  const blocked = new Counter({ name: N.qualityBlocked, help: 'Events the tracking plan refused, by source.', labelNames: ['source'] as const, registers });
  const stripped = new Counter({ name: N.qualityStripped, help: 'Unplanned properties removed by the tracking plan, by source.', labelNames: ['source'] as const, registers });
  const near = new Counter({ name: N.qualityNearDuplicates, help: 'Events without a messageId repeating one of the same user, name and properties within the window, by source.', labelNames: ['source'] as const, registers });
  const rate = new Gauge({ name: N.qualityRate, help: "A source's data-quality rate over the monitor's window (0 to 1), by kind: missing, duplicate, near_duplicate, violation, fixed, unparseable.", labelNames: ['source', 'kind'] as const, registers });
  const alerts = new Counter({ name: N.qualityAlerts, help: 'Data-quality rates that crossed their threshold, by source and kind.', labelNames: ['source', 'kind'] as const, registers });
  const alerting = new Gauge({ name: N.qualityAlerting, help: 'Whether a data-quality rate is over its threshold now (1) or not (0), by source and kind.', labelNames: ['source', 'kind'] as const, registers });

  return {
    onQuality: (r) => {
      const s = source(r.source);
      for (const [kind, n] of Object.entries(r.fixed)) if (n) normalizations.inc({ source: s, kind, outcome: 'fixed' }, n);
      for (const [kind, n] of Object.entries(r.unparseable)) if (n) normalizations.inc({ source: s, kind, outcome: 'unparseable' }, n);
      for (const v of r.violations) violations.inc({ source: s, event: eventName(v.event), type: v.type }, v.count);
      if (r.blocked) blocked.inc({ source: s }, r.blocked);
      if (r.stripped) stripped.inc({ source: s }, r.stripped);
      if (r.nearDuplicates) near.inc({ source: s }, r.nearDuplicates);
      for (const [kind, value] of Object.entries(r.rates)) rate.set({ source: s, kind }, value);
    },
    onQualityAlert: (a) => {
      const labels = { source: source(a.source), kind: a.kind };
      if (a.state === 'firing') alerts.inc(labels);
      alerting.set(labels, a.state === 'firing' ? 1 : 0);
    },
  };
}
