import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock';
import { ConfigError, type Issue, ValidationError } from '../core/errors';
import type { AttuneEvent } from '../core/event';
import { parse } from '../core/validate';
import { type QualityConfig, QualityConfigSchema, type QualitySettings } from './config';
import { QualityMonitor, type SourceQuality } from './monitor';
import { NearDuplicates } from './near-duplicates';
import { type FieldsReport, normalizeFields } from './normalize';
import type { QualityAlert, QualityReport } from './report';
import { checkEvent, enforcement, type Violation } from './tracking-plan';

/**
 * Data quality at ingestion, between validation and de-duplication: configured fields are
 * normalized, `track` events are checked against the tracking plan (and refused or stripped
 * as it says), near-duplicates are found, and the monitor counts all of it per source. Each
 * violation is logged as a `Violation Generated` event, as Segment Protocols forwards them.
 */

/** The event each violation is logged as. */
export const VIOLATION_EVENT = 'Violation Generated';
/**
 * Whom violation events are logged under: not the user whose event broke the plan, so that a
 * violation says nothing about a person and needs no one's consent; `eventMessageId` links it
 * to the event it is about, for as long as that event is kept.
 */
export const QUALITY_USER = 'attune:quality';

/** What the gate knows of an ingestion besides its events. */
export interface IngestMeta {
  /** Where the events came from (default `library`). */
  source?: string;
  /** Per event, whether the client gave its messageId (only events without one can be near-duplicates; default: all had one). */
  sentIds?: readonly boolean[];
  /** Whether the events came as a batch (issues are then named `batch.<i>.…`). */
  batch?: boolean;
}

/** What the gate needs. */
export interface QualityGateDeps {
  clock: Clock;
  /** Appends violation events to the event log, once per messageId. A failure is reported to `onError`, never to the ingestion. */
  log: (events: AttuneEvent[]) => Promise<void>;
  /** Redacts free text (event names) before it is logged. */
  redactText: (text: string) => string;
  onReport?: (report: QualityReport) => void;
  onAlert?: (alert: QualityAlert) => void;
  onError?: (err: unknown) => void;
}

/** The part of the gate ingestion calls. */
export interface IngestQuality {
  check(events: readonly AttuneEvent[], meta?: IngestMeta): Promise<AttuneEvent[]>;
}

/**
 * The data-quality gate. Build it with {@link createQualityGate}; the engine does, from its
 * `quality` option.
 */
export class QualityGate implements IngestQuality {
  /** The monitor's rates and alerts per source. */
  readonly monitor: QualityMonitor;
  private readonly near: NearDuplicates;

  constructor(
    readonly settings: QualitySettings,
    private readonly deps: QualityGateDeps,
  ) {
    const m = settings.monitor;
    this.monitor = new QualityMonitor(m, deps.clock, deps.onAlert);
    this.near = new NearDuplicates({ windowMs: m.nearDuplicateMs, max: m.maxFingerprints });
  }

  /**
   * Normalizes and checks events (ids already pseudonymous). Returns what to keep, in order;
   * throws a ValidationError naming each reason when the plan refuses any of them, so that a
   * batch is refused whole, as validation refuses it.
   */
  async check(events: readonly AttuneEvent[], meta: IngestMeta = {}): Promise<AttuneEvent[]> {
    try {
      return await this.run(events, meta);
    } catch (err) {
      if (err instanceof ValidationError) throw err;
      // A fault in the checks must not cost the events: they are kept as they came.
      this.deps.onError?.(err);
      return [...events];
    }
  }

  private async run(events: readonly AttuneEvent[], meta: IngestMeta): Promise<AttuneEvent[]> {
    const source = meta.source ?? 'library';
    const report: FieldsReport = { fixed: {}, unparseable: {}, unparseableFields: [] };
    const violationCounts = new Map<string, QualityReport['violations'][number]>();
    const violationEvents: AttuneEvent[] = [];
    const issues: Issue[] = [];
    let blocked = 0;
    let stripped = 0;
    let nearDuplicates = 0;
    let missing = 0;
    let inViolation = 0;
    let fixedEvents = 0;
    let unreadableEvents = 0;
    const out = events.map((raw, i) => {
      const before = { fixed: sum(report.fixed), unreadable: report.unparseableFields.length };
      let e = this.normalize(raw, report);
      const unreadable = report.unparseableFields.slice(before.unreadable);
      if (unreadable.length) e = { ...e, context: { ...e.context, quality: { unparseable: unreadable } } };
      if (sum(report.fixed) > before.fixed) fixedEvents++;
      if (unreadable.length) unreadableEvents++;
      const plan = this.settings.trackingPlan;
      if (plan && e.type === 'track' && e.event !== undefined) {
        const violations = checkEvent(e.event, e.properties, plan);
        if (violations.length) {
          inViolation++;
          if (violations.some((v) => v.type === 'required-missing')) missing++;
          for (const v of violations) {
            const key = `${e.event}\u0000${v.type}`;
            const c = violationCounts.get(key);
            if (c) c.count++;
            else violationCounts.set(key, { event: e.event, type: v.type, count: 1 });
          }
          if (plan.emitViolations) violationEvents.push(...violations.map((v, j) => this.violationEvent(e, v, j, source)));
          const act = enforcement(violations, plan);
          if (act.blocked) {
            blocked++;
            const at: (string | number)[] = meta.batch ? ['batch', i] : [];
            for (const v of violations) issues.push({ path: v.field === undefined ? [...at, 'event'] : [...at, 'properties', v.field], message: `${v.type}: ${v.description}` });
          } else if (act.strip.length) {
            stripped += act.strip.length;
            const properties = { ...e.properties };
            for (const f of act.strip) delete properties[f];
            e = { ...e, properties, context: { ...e.context, protocols: { omitted: act.strip } } };
          }
        }
      }
      if (meta.sentIds && !meta.sentIds[i] && this.near.seen(e)) nearDuplicates++;
      return e;
    });
    const rates = this.monitor.record(source, {
      events: events.length,
      missing,
      near_duplicate: nearDuplicates,
      violation: inViolation,
      fixed: fixedEvents,
      unparseable: unreadableEvents,
    });
    if (violationEvents.length) await this.deps.log(violationEvents).catch((err: unknown) => this.deps.onError?.(err));
    this.deps.onReport?.({ source, events: events.length, fixed: report.fixed, unparseable: report.unparseable, violations: [...violationCounts.values()], blocked, stripped, nearDuplicates, rates });
    if (issues.length) throw new ValidationError(blocked === 1 && !meta.batch ? 'event refused by the tracking plan' : `${blocked} event(s) refused by the tracking plan`, issues);
    return out;
  }

  /** Counts exact duplicates (by messageId) that ingestion dropped, against their source. */
  duplicates(source: string, count: number): void {
    if (count > 0) this.monitor.record(source, { duplicate: count });
  }

  /** Every source's rates and alerts now. */
  snapshot(): SourceQuality[] {
    return this.monitor.snapshot();
  }

  private normalize(e: AttuneEvent, report: FieldsReport): AttuneEvent {
    const rules = this.settings.normalize;
    if (!rules) return e;
    const properties = normalizeFields(e.properties, rules.properties, report);
    const traits = normalizeFields(e.traits, rules.traits, report);
    return properties === e.properties && traits === e.traits ? e : { ...e, properties, traits };
  }

  private violationEvent(e: AttuneEvent, v: Violation, index: number, source: string): AttuneEvent {
    const at = new Date(this.deps.clock()).toISOString();
    const properties: Record<string, unknown> = { eventMessageId: e.messageId, eventName: this.deps.redactText(e.event ?? ''), eventType: e.type, source, violationType: v.type, violationDescription: v.description };
    if (v.field !== undefined) properties.violationField = this.deps.redactText(v.field);
    // Derived from the event's own id: a retry of the event logs its violations once.
    const messageId = `violation-${createHash('sha256').update(`${e.messageId}\u0000${index}`).digest('base64url').slice(0, 32)}`;
    return { type: 'track', messageId, userId: QUALITY_USER, event: VIOLATION_EVENT, properties, traits: {}, context: {}, timestamp: at, receivedAt: at };
  }
}

const sum = (r: Partial<Record<string, number>>) => Object.values(r).reduce<number>((a, b) => a + (b ?? 0), 0);

/**
 * A data-quality gate from configuration, validated (a ValidationError names what is wrong).
 *
 * ```ts
 * const gate = createQualityGate({ trackingPlan: { events: { 'Order Completed': { properties: { order_id: { type: 'string', required: true } } } } } }, deps);
 * ```
 */
export function createQualityGate(config: QualityConfig, deps: QualityGateDeps): QualityGate {
  try {
    return new QualityGate(parse(QualityConfigSchema, config, 'quality configuration'), deps);
  } catch (err) {
    // A wrong configuration is the operator's mistake, not a client's: a ConfigError, not a 400.
    throw err instanceof ValidationError ? new ConfigError(err.message) : err;
  }
}

/**
 * Per event as the client sent it, whether it carried its own messageId (ingestion makes one
 * up otherwise, and only those events can be near-duplicates).
 */
export function sentMessageIds(inputs: readonly unknown[]): boolean[] {
  return inputs.map((e) => typeof e === 'object' && e !== null && typeof (e as { messageId?: unknown }).messageId === 'string');
}
