/**
 * An experiment's results from the event log: who was exposed to which variant (the first
 * `Experiment Viewed` of each user), each metric's user-level values from the events after
 * that (`metrics.ts`), and `analyze` per metric, with the sample-ratio check over all users
 * and Holm's correction across the metrics of a family (primary, guardrails). Reading the log
 * ({@link readExperimentResults}) is kept apart from the computation ({@link ResultsBuilder}),
 * which is pure and sees each event once.
 */

import type { AttuneEvent } from '../core/event';
import type { EventLog } from '../store/store';
import { analyze, type Analysis, type MetricKind, type RatioRow } from './analyze';
import { metricId, variantWeights, type Experiment, type Metric } from './definition';
import { EXPOSURE_EVENT, metricTest, userMetricValue, windowHoursOf, type MetricEvent, type MetricOutcome, type ValueOutcome } from './metrics';
import { holm } from './stats/corrections';
import { srmCheck } from './stats/srm';
import { AttuneEvents, EcommerceEvents } from '../core/ecommerce';

/** Options of the results. */
export interface ResultsOptions {
  /** Significance level (default 0.05, two-sided). */
  alpha?: number;
  /** Stop reading after this many events of the log (default 1,000,000); the report says so. */
  maxEvents?: number;
  /** Events per page read from the log (default 1000). */
  pageSize?: number;
}

/** One metric's results. */
export interface MetricResult {
  id: string;
  kind: Metric['kind'];
  role: 'primary' | 'guardrail';
  /** The test the metric takes. */
  test: MetricKind;
  windowHours: number;
  /** The analysis; each comparison's `adjustedPValue` is Holm's across the metrics of the same role. */
  analysis?: Analysis;
  /** Why the metric could not be analyzed (too few users, no impressions in a variant…). */
  error?: string;
}

/** An experiment's results, as JSON. */
export interface ExperimentResults {
  experimentId: string;
  alpha: number;
  /** Users exposed to each variant, with its planned share. */
  variants: { id: string; users: number; plannedShare: number }[];
  /** Sample-ratio check of the exposed users against the planned split. */
  srm: { pValue: number; ok: boolean };
  /** Users left out: exposed to more than one variant, or to a variant the definition does not have. */
  excluded: { multipleVariants: number; unknownVariant: number };
  metrics: MetricResult[];
  /** One line per comparison of each metric, and a warning when the split is off. */
  summary: string[];
  /** How much of the log was read. */
  events: { read: number; truncated: boolean };
}

interface UserLog {
  variant?: string;
  conflict?: boolean;
  unknown?: boolean;
  exposedAt: number;
  events: MetricEvent[];
}

/**
 * Builds the results from events fed in log order, keeping per user only the events some
 * metric reads. Pure: the caller decides where the events come from.
 *
 * ```ts
 * const b = new ResultsBuilder(experiment);
 * for (const e of events) b.add(e);
 * const report = b.results();
 * ```
 */
export class ResultsBuilder {
  private readonly users = new Map<string, UserLog>();
  private readonly names: Set<string>;
  private readonly from: number;
  private read = 0;
  private truncated = false;

  constructor(
    private readonly experiment: Experiment,
    private readonly options: Pick<ResultsOptions, 'alpha'> = {},
  ) {
    this.names = new Set(allMetrics(experiment).flatMap(({ metric }) => eventsRead(metric)));
    // The pre-exposure window of the first exposure may start before the experiment does.
    const longest = Math.max(...allMetrics(experiment).map(({ metric }) => windowHoursOf(metric, experiment.attributionWindowHours)));
    this.from = experiment.start ? Date.parse(experiment.start) - longest * 3_600_000 : -Infinity;
  }

  /** Takes one event of the log. */
  add(e: AttuneEvent): void {
    this.read++;
    if (e.type !== 'track' || e.event === undefined) return;
    const at = Date.parse(e.timestamp);
    if (!(at >= this.from)) return;
    if (e.event === EXPOSURE_EVENT) return this.expose(e, at);
    if (!this.names.has(e.event)) return;
    let u = this.users.get(e.userId);
    if (!u) this.users.set(e.userId, (u = { exposedAt: Infinity, events: [] }));
    u.events.push({ event: e.event, properties: e.properties, at });
  }

  /** Marks the log as read only in part. */
  markTruncated(): void {
    this.truncated = true;
  }

  /** The results of what was added. */
  results(): ExperimentResults {
    const { experiment } = this;
    const alpha = this.options.alpha ?? 0.05;
    const ids = experiment.variants.map((v) => v.id);
    const weights = variantWeights(experiment);
    const exposed: { variant: string; user: UserLog }[] = [];
    const excluded = { multipleVariants: 0, unknownVariant: 0 };
    for (const user of this.users.values()) {
      if (user.conflict) excluded.multipleVariants++;
      else if (user.unknown) excluded.unknownVariant++;
      else if (user.variant !== undefined) exposed.push({ variant: user.variant, user });
    }
    const counts = ids.map((id) => exposed.filter((x) => x.variant === id).length);
    const srm = srmCheck(counts, weights);
    const planned = Object.fromEntries(ids.map((id, i) => [id, weights[i]]));

    const metrics = allMetrics(experiment).map(({ metric, role }): MetricResult => {
      const test = metricTest(metric);
      const windowHours = windowHoursOf(metric, experiment.attributionWindowHours);
      const base = { id: metricId(metric), kind: metric.kind, role, test, windowHours };
      const rows = exposed.map(({ variant, user }) => ({ variant, ...userMetricValue(metric, user.events, user.exposedAt, windowHours) }));
      try {
        // Holm runs across the metrics below, so none within one metric.
        const options = { alpha, baseline: ids[0], weights: planned, correction: 'none' as const };
        const analysis = test === 'ratio' ? analyze(rows.filter(isRatioRow), { ...options, metric: 'ratio' }) : analyze(rows.filter(isValueRow), { ...options, metric: test });
        return { ...base, analysis };
      } catch (err) {
        return { ...base, error: err instanceof Error ? err.message : String(err) };
      }
    });
    for (const role of ['primary', 'guardrail'] as const) correctAcross(metrics.filter((m) => m.role === role));

    return {
      experimentId: experiment.id,
      alpha,
      variants: ids.map((id, i) => ({ id, users: counts[i], plannedShare: weights[i] })),
      srm: { pValue: srm.pValue, ok: srm.ok },
      excluded,
      metrics,
      summary: summarize(metrics, srm.ok, alpha),
      events: { read: this.read, truncated: this.truncated },
    };
  }

  private expose(e: AttuneEvent, at: number): void {
    const p = e.properties;
    if (p.experiment_id !== this.experiment.id) return;
    const variant = variantOf(this.experiment, p.variation_id);
    let u = this.users.get(e.userId);
    if (!u) this.users.set(e.userId, (u = { exposedAt: Infinity, events: [] }));
    if (variant === undefined) u.unknown = true;
    else if (u.variant !== undefined && u.variant !== variant) u.conflict = true;
    else u.variant = variant;
    u.exposedAt = Math.min(u.exposedAt, at);
  }
}

/**
 * Reads the event log page by page (bounded by `maxEvents`) and builds the experiment's results.
 *
 * ```ts
 * const report = await readExperimentResults(attune.store, experiment);
 * report.metrics[0].analysis?.comparisons[0].relCi; // the uplift's interval
 * ```
 */
export async function readExperimentResults(log: Pick<EventLog, 'readEvents'>, experiment: Experiment, options: ResultsOptions = {}): Promise<ExperimentResults> {
  const maxEvents = options.maxEvents ?? 1_000_000;
  const pageSize = options.pageSize ?? 1000;
  const builder = new ResultsBuilder(experiment, options);
  let after: string | undefined;
  let read = 0;
  for (;;) {
    const limit = Math.min(pageSize, maxEvents - read);
    if (limit <= 0) {
      builder.markTruncated();
      break;
    }
    const page = await log.readEvents({ after, limit });
    for (const e of page.events) builder.add(e);
    read += page.events.length;
    if (page.events.length < limit || page.cursor === undefined) break;
    after = page.cursor;
  }
  return builder.results();
}

function allMetrics(e: Experiment): { metric: Metric; role: 'primary' | 'guardrail' }[] {
  return [...e.metrics.primary.map((metric) => ({ metric, role: 'primary' as const })), ...e.metrics.guardrails.map((metric) => ({ metric, role: 'guardrail' as const }))];
}

/** The event names a metric reads. */
function eventsRead(m: Metric): string[] {
  switch (m.kind) {
    case 'conversion':
    case 'revenue':
    case 'custom':
      return [m.event];
    case 'ctr':
      return [AttuneEvents.RecommendationShown, EcommerceEvents.ProductClicked];
    case 'turns-per-session':
    case 'session-duration':
      return [AttuneEvents.MessageReceived, AttuneEvents.MessageSent];
    case 'satisfaction':
      return [AttuneEvents.FeedbackGiven];
  }
}

const isRatioRow = (r: { variant: string } & MetricOutcome): r is RatioRow => 'numerator' in r;
const isValueRow = (r: { variant: string } & MetricOutcome): r is { variant: string } & ValueOutcome => 'value' in r;

/** A variant id as logged: its id, or its index (GrowthBook's SDKs log the index). */
function variantOf(e: Experiment, logged: unknown): string | undefined {
  if (typeof logged === 'string' && e.variants.some((v) => v.id === logged)) return logged;
  const index = typeof logged === 'number' ? logged : typeof logged === 'string' && /^\d+$/.test(logged) ? Number(logged) : NaN;
  return Number.isInteger(index) && index >= 0 && index < e.variants.length ? e.variants[index].id : undefined;
}

/** Holm's correction over every comparison of every metric in one family. */
function correctAcross(family: MetricResult[]): void {
  const comparisons = family.flatMap((m) => m.analysis?.comparisons ?? []);
  const adjusted = holm(comparisons.map((c) => c.pValue));
  comparisons.forEach((c, i) => (c.adjustedPValue = adjusted[i]));
}

const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}%`;

function summarize(metrics: readonly MetricResult[], srmOk: boolean, alpha: number): string[] {
  const level = `${Math.round((1 - alpha) * 100)}%`;
  const lines = srmOk ? [] : ['WARNING: sample ratio mismatch: the users per variant do not fit the planned split; do not read the results until assignment or logging is fixed'];
  for (const m of metrics) {
    if (!m.analysis) {
      lines.push(`${m.id} (${m.role}): not analyzed: ${m.error ?? 'no data'}`);
      continue;
    }
    for (const c of m.analysis.comparisons) {
      const verdict = c.adjustedPValue < alpha ? 'significant' : 'not significant';
      lines.push(
        `${m.id} (${m.role}): ${c.variant} vs ${c.baseline}: ${pct(c.relLift)} (${level} CI ${pct(c.relCi[0])} to ${pct(c.relCi[1])}), p = ${c.pValue.toPrecision(3)}, adjusted ${c.adjustedPValue.toPrecision(3)}, chance to win ${(100 * c.chanceToWin).toFixed(1)}%: ${verdict}`,
      );
    }
  }
  return lines;
}
