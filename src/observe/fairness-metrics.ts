import { Counter, Gauge, type Registry } from 'prom-client';
import type { AuditObserver } from '../fairness/schedule';
import { boundedLabel } from './labels';

/**
 * The fairness metrics, from the scheduled audits (see fairness/schedule.ts): each audited
 * gap's size and ratio, whether it alerts, alerts raised, and audits run. Attribute labels are
 * the configured attribute names, bounded like every label of open-ended origin; metrics are
 * the audit's fixed list.
 */

/** The fairness metric names, as dashboards and alerts read them. */
export const FAIRNESS_METRIC_NAMES = {
  fairnessGap: 'attune_fairness_gap',
  fairnessGapRatio: 'attune_fairness_gap_ratio',
  fairnessAlerting: 'attune_fairness_alerting',
  fairnessAlerts: 'attune_fairness_alerts_total',
  fairnessAudits: 'attune_fairness_audits_total',
  fairnessLastAudit: 'attune_fairness_last_audit_timestamp_seconds',
} as const;

/**
 * Registers the fairness metrics and returns the observer that keeps them.
 *
 * ```ts
 * const scheduler = new AuditScheduler({ ...deps, observers: [fairnessMetrics(metrics.registry)] });
 * ```
 */
export function fairnessMetrics(registry: Registry, maxLabelValues = 50): AuditObserver {
  const registers = [registry];
  const attribute = boundedLabel(maxLabelValues);
  const metric = boundedLabel(maxLabelValues);
  const N = FAIRNESS_METRIC_NAMES;
  const labelNames = ['attribute', 'metric'] as const;
  const gap = new Gauge({ name: N.fairnessGap, help: 'Best minus worst group of an audited metric at the latest audit, by attribute and metric.', labelNames, registers });
  const ratio = new Gauge({ name: N.fairnessGapRatio, help: 'Worst over best group of an audited metric at the latest audit, by attribute and metric.', labelNames, registers });
  const alerting = new Gauge({ name: N.fairnessAlerting, help: 'Whether a gap is over its threshold at the latest audit (1) or not (0), by attribute and metric.', labelNames, registers });
  const alerts = new Counter({ name: N.fairnessAlerts, help: 'Gaps that crossed their threshold (started alerting), by attribute and metric.', labelNames, registers });
  const audits = new Counter({ name: N.fairnessAudits, help: 'Scheduled fairness audits, by outcome (ok, failed).', labelNames: ['outcome'] as const, registers });
  const last = new Gauge({ name: N.fairnessLastAudit, help: 'When the latest fairness audit finished (Unix seconds).', registers });
  return {
    onAudit(result, changes) {
      audits.inc({ outcome: 'ok' });
      last.set(Date.parse(result.at) / 1000);
      for (const v of result.verdicts) {
        const labels = { attribute: attribute(v.attribute), metric: metric(v.metric) };
        gap.set(labels, v.difference);
        if (Number.isFinite(v.ratio)) ratio.set(labels, v.ratio);
        alerting.set(labels, v.alert ? 1 : 0);
      }
      for (const c of changes) if (c.state === 'firing') alerts.inc({ attribute: attribute(c.verdict.attribute), metric: metric(c.verdict.metric) });
    },
    onAuditFailed() {
      audits.inc({ outcome: 'failed' });
    },
  };
}
