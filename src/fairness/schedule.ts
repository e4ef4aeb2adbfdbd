/**
 * Scheduled audits: every interval, run an audit (the live one, in practice), judge its gaps,
 * save the result, and raise an alert when a gap crosses its threshold: one structured log
 * line when it starts alerting (and one when it stops), and the observers (the Prometheus
 * metrics of observe/fairness-metrics.ts) hear every result. Off unless an interval is given;
 * the timer is unref'd, so it never keeps a process alive. A failed audit is logged and the
 * next one still runs.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../core/clock';
import { DurationSchema, durationMs } from '../core/duration';
import { parse } from '../core/validate';
import { MODEL_KINDS, type ModelKind } from '../recommend/models';
import type { AuditReport } from './audit';
import { auditResult, type AuditResult, type AuditResults } from './results';
import { gapVerdicts, type GapThresholds, type GapVerdict } from './thresholds';

/** Hears each audit's result, and each failed audit. */
export interface AuditObserver {
  onAudit?(result: AuditResult, changes: AlertChange[]): void;
  onAuditFailed?(err: unknown): void;
}

/** A gap that started or stopped alerting with the latest audit. */
export interface AlertChange {
  state: 'firing' | 'resolved';
  verdict: GapVerdict;
}

/** What {@link AuditScheduler} needs. */
export interface AuditSchedulerDeps {
  /** Runs one audit (e.g. `() => runLiveAudit(store, options)`). */
  run: () => Promise<AuditReport>;
  results: AuditResults;
  logger: Pick<Logger, 'warn' | 'info' | 'error'>;
  clock: Clock;
  thresholds?: GapThresholds;
  observers?: readonly AuditObserver[];
}

const key = (v: Pick<GapVerdict, 'attribute' | 'metric'>) => `${v.attribute}\u0000${v.metric}`;

/**
 * Runs audits on a schedule and alerts on their gaps.
 *
 * ```ts
 * const scheduler = new AuditScheduler({ run: () => runLiveAudit(attune.store, { catalog: attune.catalog }), results: auditResults(attune.store), logger, clock: Date.now, observers: [metrics] });
 * const stop = scheduler.start(24 * 3_600_000);
 * ```
 */
export class AuditScheduler {
  /** The gaps alerting after the latest audit, by attribute and metric. */
  private readonly alerting = new Set<string>();
  private running: Promise<AuditResult | undefined> | undefined;

  constructor(private readonly deps: AuditSchedulerDeps) {}

  /**
   * Runs one audit now: saves its result, logs each gap that starts (warn) or stops (info)
   * alerting, tells the observers. Resolves undefined when the audit failed (logged). An
   * audit still running is joined, never run twice at once.
   */
  runOnce(): Promise<AuditResult | undefined> {
    this.running ??= this.audit().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Runs an audit every `everyMs` (the first after one interval); returns a function that stops it. */
  start(everyMs: number): () => void {
    if (!(Number.isFinite(everyMs) && everyMs >= 1000)) throw new RangeError(`an audit interval must be at least 1 s, got ${everyMs} ms`);
    const timer = setInterval(() => void this.runOnce(), everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async audit(): Promise<AuditResult | undefined> {
    const { logger, observers = [] } = this.deps;
    let result: AuditResult;
    try {
      const report = await this.deps.run();
      result = auditResult(report, gapVerdicts(report, this.deps.thresholds), new Date(this.deps.clock()));
      await this.deps.results.save(result);
    } catch (err) {
      logger.error({ err }, 'attune: scheduled fairness audit failed');
      for (const o of observers) o.onAuditFailed?.(err);
      return undefined;
    }
    const changes: AlertChange[] = [];
    const now = new Set<string>();
    for (const v of result.verdicts) {
      if (!v.alert) continue;
      now.add(key(v));
      if (!this.alerting.has(key(v))) changes.push({ state: 'firing', verdict: v });
    }
    for (const v of result.verdicts) if (!v.alert && this.alerting.has(key(v))) changes.push({ state: 'resolved', verdict: v });
    this.alerting.clear();
    for (const k of now) this.alerting.add(k);
    for (const { state, verdict: v } of changes) {
      const fields = { alert: 'fairness_gap', state, attribute: v.attribute, metric: v.metric, difference: v.difference, ratio: v.ratio, worst: v.worst, best: v.best, minRatio: v.minRatio, ...(v.maxDifference !== undefined && { maxDifference: v.maxDifference }), model: result.report.model, at: result.at };
      if (state === 'firing') logger.warn(fields, `attune: fairness gap alert: ${v.attribute} ${v.metric} ${v.worst}/${v.best} = ${v.ratio.toFixed(3)} crossed its threshold`);
      else logger.info(fields, `attune: fairness gap resolved: ${v.attribute} ${v.metric}`);
    }
    for (const o of observers) o.onAudit?.(result, changes);
    return result;
  }
}

/** Scheduled audits as configured in the environment. */
export interface AuditScheduleConfig {
  /** Interval in ms; undefined: scheduled audits are off. */
  everyMs?: number;
  attributes?: string[];
  model?: ModelKind;
  thresholds: GapThresholds;
  /** Folder results are also written to. */
  dir?: string;
}

const Env = z.object({
  ATTUNE_AUDIT_EVERY: DurationSchema.optional(),
  ATTUNE_AUDIT_ATTRIBUTES: z.string().optional(),
  ATTUNE_AUDIT_MODEL: z.enum(MODEL_KINDS, { error: `ATTUNE_AUDIT_MODEL must be one of ${MODEL_KINDS.join(', ')}` }).optional(),
  ATTUNE_AUDIT_MIN_RATIO: z.coerce.number().min(0).max(1).optional(),
  ATTUNE_AUDIT_MAX_DIFFERENCE: z.coerce.number().min(0).optional(),
  ATTUNE_AUDIT_DIR: z.string().min(1).optional(),
});

/**
 * Scheduled audits from the environment: `ATTUNE_AUDIT_EVERY` (a duration such as `24h`;
 * unset, audits are off), `ATTUNE_AUDIT_ATTRIBUTES` (comma-separated; default all recorded),
 * `ATTUNE_AUDIT_MODEL` (default itemknn), `ATTUNE_AUDIT_MIN_RATIO` (default 0.8),
 * `ATTUNE_AUDIT_MAX_DIFFERENCE`, `ATTUNE_AUDIT_DIR` (a folder for JSON and Markdown copies).
 * A malformed value is a ValidationError naming the variable.
 */
export function auditScheduleFromEnv(env: NodeJS.ProcessEnv = process.env): AuditScheduleConfig {
  const pick = (name: keyof z.infer<typeof Env>) => env[name]?.trim() || undefined;
  const e = parse(
    Env,
    Object.fromEntries((Object.keys(Env.shape) as (keyof z.infer<typeof Env>)[]).map((k) => [k, pick(k)])),
    'audit settings',
  );
  const attributes = e.ATTUNE_AUDIT_ATTRIBUTES?.split(',').map((a) => a.trim()).filter(Boolean);
  return {
    ...(e.ATTUNE_AUDIT_EVERY !== undefined && { everyMs: durationMs(e.ATTUNE_AUDIT_EVERY) }),
    ...(attributes?.length && { attributes }),
    ...(e.ATTUNE_AUDIT_MODEL && { model: e.ATTUNE_AUDIT_MODEL }),
    thresholds: { ...(e.ATTUNE_AUDIT_MIN_RATIO !== undefined && { minRatio: e.ATTUNE_AUDIT_MIN_RATIO }), ...(e.ATTUNE_AUDIT_MAX_DIFFERENCE !== undefined && { maxDifference: e.ATTUNE_AUDIT_MAX_DIFFERENCE }) },
    ...(e.ATTUNE_AUDIT_DIR && { dir: e.ATTUNE_AUDIT_DIR }),
  };
}
