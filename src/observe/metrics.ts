import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { AttuneEvents, EcommerceEvents } from '../core/ecommerce';
import type { Hooks, IngestReport, TurnReport } from '../engine/hooks';
import { boundedLabel } from './labels';
import { QUALITY_METRIC_NAMES, qualityMetrics } from './quality-metrics';
import { REVIEW_METRIC_NAMES, reviewMetrics } from './review-metrics';

/**
 * Prometheus metrics of Attune, as an observer of the engine's hooks: no metric code sits in
 * the engine, the adapters or the stages. Every name starts with `attune_`; every label takes
 * a few values only (adapters, stage names, event types, sources, segments, store methods),
 * and a label of open-ended origin keeps its first values and calls the rest `other`.
 */

/** The metric names, as dashboards and alerts read them. */
export const METRIC_NAMES = {
  turnDuration: 'attune_turn_duration_seconds',
  stageDuration: 'attune_stage_duration_seconds',
  turns: 'attune_turns_total',
  degradedTurns: 'attune_degraded_turns_total',
  eventsIngested: 'attune_events_ingested_total',
  duplicateEvents: 'attune_duplicate_events_total',
  validationFailures: 'attune_validation_failures_total',
  predictionFailures: 'attune_prediction_failures_total',
  recommendationsShown: 'attune_recommendations_shown_total',
  recommendationsClicked: 'attune_recommendations_clicked_total',
  segmentEntries: 'attune_segment_entries_total',
  segmentExits: 'attune_segment_exits_total',
  storeErrors: 'attune_store_errors_total',
  /** The data-quality metrics (`attune_quality_*`), kept with the `quality` option. */
  ...QUALITY_METRIC_NAMES,
  /** The review queue's metrics (`attune_review_*`), kept with the `review` option. */
  ...REVIEW_METRIC_NAMES,
} as const;

/** The adapters a turn's `adapter` label may name; anything else is `other`. */
export const ADAPTER_LABELS = ['botbuilder', 'dialogflow', 'rasa', 'http', 'inproc'] as const;

/** Why a degraded turn was degraded, as the `reason` label says it. */
export type DegradedReason = 'store' | 'stage' | 'timeout' | 'other';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Where the metrics are registered (default: a new Registry, not prom-client's global one). */
  registry?: Registry;
  /** Also collect Node's process metrics (CPU, memory, event loop lag, GC) as `attune_process_*`, `attune_nodejs_*` (default true). */
  defaultMetrics?: boolean;
  /** Most values a label of open-ended origin (stage, source, segment, store method) keeps before the rest are `other` (default 50). */
  maxLabelValues?: number;
}

/** What {@link createMetrics} returns. */
export interface Metrics {
  /** The registry to expose (`GET /metrics`) or read from (a dashboard). */
  readonly registry: Registry;
  /** The hooks that feed the metrics: pass them to the engine (`createAttune({ hooks })`), so that store calls are observed too. */
  readonly hooks: Partial<Hooks>;
}

// Turns take milliseconds on memory, tens of them on a remote Redis; a stage, far less.
const TURN_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const STAGE_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * Creates Attune's metrics in a registry, and the hooks that keep them.
 *
 * ```ts
 * const metrics = createMetrics();
 * const attune = createAttune({ store, hooks: metrics.hooks });
 * const app = createServer(attune, { apiKeys, metrics }); // GET /metrics
 * ```
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'attune_' });
  const max = options.maxLabelValues ?? 50;
  const stageLabel = boundedLabel(max);
  const sourceLabel = boundedLabel(max);
  const segmentLabel = boundedLabel(max);
  const opLabel = boundedLabel(max);
  const adapters = new Set<string>(ADAPTER_LABELS);

  const turnDuration = new Histogram({ name: METRIC_NAMES.turnDuration, help: 'Time of a turn, from its read to the end of the pipeline (the bot included), by adapter.', labelNames: ['adapter'] as const, buckets: TURN_BUCKETS, registers });
  const stageDuration = new Histogram({ name: METRIC_NAMES.stageDuration, help: "A stage's own time in a turn (without the stages after it and the bot).", labelNames: ['stage'] as const, buckets: STAGE_BUCKETS, registers });
  const turns = new Counter({ name: METRIC_NAMES.turns, help: 'Turns run, by adapter and outcome (ok, or degraded: run unpersonalized).', labelNames: ['adapter', 'outcome'] as const, registers });
  const degraded = new Counter({ name: METRIC_NAMES.degradedTurns, help: 'Turns run unpersonalized, by reason: store (the user could not be read), timeout (the store did not answer in time), stage (a stage threw), other (the user was erased).', labelNames: ['reason'] as const, registers });
  const ingested = new Counter({ name: METRIC_NAMES.eventsIngested, help: 'Events stored, by type and source (rest, segment, turn, library).', labelNames: ['type', 'source'] as const, registers });
  const duplicates = new Counter({ name: METRIC_NAMES.duplicateEvents, help: 'Events dropped as already seen (same messageId), by source.', labelNames: ['source'] as const, registers });
  const invalid = new Counter({ name: METRIC_NAMES.validationFailures, help: 'Requests refused as invalid (400), by the edge that refused them.', labelNames: ['source'] as const, registers });
  const shown = new Counter({ name: METRIC_NAMES.recommendationsShown, help: 'Recommendations attached to replies.', registers });
  const clicked = new Counter({ name: METRIC_NAMES.recommendationsClicked, help: `Clicks on products reported as \`${EcommerceEvents.ProductClicked}\` events.`, registers });
  const entries = new Counter({ name: METRIC_NAMES.segmentEntries, help: 'Users entering a segment, by segment.', labelNames: ['segment'] as const, registers });
  const exits = new Counter({ name: METRIC_NAMES.segmentExits, help: 'Users leaving a segment, by segment.', labelNames: ['segment'] as const, registers });
  const predictionFailures = new Counter({ name: METRIC_NAMES.predictionFailures, help: 'Purchase-propensity predictions that failed; those users had no predictions on that turn or event.', registers });
  const storeErrors = new Counter({ name: METRIC_NAMES.storeErrors, help: 'Store calls that failed, by store method.', labelNames: ['op'] as const, registers });

  const onTurn = (t: TurnReport): void => {
    const adapter = adapters.has(t.adapter) ? t.adapter : 'other';
    turnDuration.observe({ adapter }, t.durationMs / 1000);
    for (const s of t.stages) stageDuration.observe({ stage: stageLabel(s.name) }, s.ms / 1000);
    const reason = degradedReason(t);
    turns.inc({ adapter, outcome: reason ? 'degraded' : 'ok' });
    if (reason) degraded.inc({ reason });
    if (t.recommendationsShown > 0) shown.inc(t.recommendationsShown);
  };

  const onIngest = (r: IngestReport): void => {
    if (!r.ok) return;
    const source = sourceLabel(r.source);
    const byType = new Map<string, number>();
    for (const e of r.events) {
      byType.set(e.type, (byType.get(e.type) ?? 0) + 1);
      if (e.event === EcommerceEvents.ProductClicked) clicked.inc();
    }
    // A turn logs its segment changes among its events; ingestion writes them besides.
    for (const e of [...r.events, ...r.derived]) {
      if (e.segment === undefined) continue;
      if (e.event === AttuneEvents.SegmentEntered) entries.inc({ segment: segmentLabel(e.segment) });
      else if (e.event === AttuneEvents.SegmentExited) exits.inc({ segment: segmentLabel(e.segment) });
    }
    for (const [type, n] of byType) ingested.inc({ type, source }, n);
    if (r.duplicates > 0) duplicates.inc({ source }, r.duplicates);
  };

  return {
    registry,
    hooks: {
      ...qualityMetrics(registry, max),
      ...reviewMetrics(registry),
      onTurn,
      onIngest,
      onInvalidInput: (r) => invalid.inc({ source: sourceLabel(r.source) }),
      onPredictionError: () => predictionFailures.inc(),
      onStoreCall: (c) => {
        if (!c.ok) storeErrors.inc({ op: opLabel(c.method) });
      },
    },
  };
}

/** The `reason` of a degraded turn, or undefined for a turn that ran as it should. */
export function degradedReason(t: Pick<TurnReport, 'degraded' | 'degradedBy' | 'error'>): DegradedReason | undefined {
  switch (t.degradedBy) {
    case 'store':
      return isTimeout(t.error) ? 'timeout' : 'store';
    case 'stage':
      return 'stage';
    case 'erased':
      return 'other';
    default:
      return t.degraded ? 'other' : undefined;
  }
}

/** Whether an error (or one of its causes) is a deadline that passed: the store's own, or the socket's. */
function isTimeout(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if ((e as { code?: unknown }).code === 'ETIMEDOUT' || /timed out/i.test(e.message)) return true;
  }
  return false;
}
