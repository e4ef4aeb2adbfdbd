import type { Logger } from 'pino';
import type { QualityConfig } from '../quality/config';
import { createQualityGate, type QualityGate } from '../quality/gate';
import type { Redactor } from '../privacy/redact';
import type { Store } from '../store/store';
import type { Clock } from '../core/clock';
import type { HookSet } from './hooks';

/** What the engine lends its quality gate. */
export interface QualityHost {
  readonly store: Pick<Store, 'claim' | 'write'>;
  readonly clock: Clock;
  readonly redactor: Pick<Redactor, 'redactText'>;
  readonly hooks: HookSet;
  readonly logger: Pick<Logger, 'warn' | 'error'>;
}

/**
 * The engine's quality gate: violation events claimed and written to the event log, reports
 * and alerts to the hooks, each alert also a log line, and the exact duplicates ingestion
 * drops counted against their source.
 *
 * ```ts
 * const gate = attuneQualityGate({ trackingPlan }, attune);
 * ```
 */
export function attuneQualityGate(config: QualityConfig, host: QualityHost): QualityGate {
  const { store, hooks, logger } = host;
  const gate = createQualityGate(config, {
    clock: host.clock,
    redactText: (t) => host.redactor.redactText(t),
    log: async (events) => {
      // Claimed like any event: a retried ingestion logs its violations once.
      const fresh = await store.claim(events.map((e) => e.messageId));
      const keep = events.filter((_, i) => fresh[i]);
      if (keep.length) await store.write({ events: keep });
    },
    onReport: (r) => hooks.emit('onQuality', r),
    onAlert: (a) => {
      const line = { source: a.source, kind: a.kind, rate: a.rate, threshold: a.threshold, events: a.events };
      if (a.state === 'firing') logger.warn(line, `attune: data quality alert: ${a.kind} rate of ${a.source} at ${(100 * a.rate).toFixed(1)}% (threshold ${(100 * a.threshold).toFixed(1)}%)`);
      else logger.warn(line, `attune: data quality alert resolved: ${a.kind} rate of ${a.source} back under its threshold`);
      hooks.emit('onQualityAlert', a);
    },
    onError: (err) => logger.error({ err }, 'attune: a data quality check failed; the events were kept as they came'),
  });
  hooks.add({ onIngest: (r) => gate.duplicates(r.source, r.duplicates) });
  return gate;
}
