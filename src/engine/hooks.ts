import type { Logger } from 'pino';
import { AttuneEvents } from '../core/ecommerce';
import type { AttuneEvent, EventType } from '../core/event';
import type { QualityAlert, QualityReport } from '../quality/report';
import type { ReviewReport } from '../fairness/review/service';

export type { QualityAlert, QualityReport } from '../quality/report';
export type { ReviewReport } from '../fairness/review/service';

/**
 * Observers of the engine (metrics, tracing, audits), in the spirit of Fastify's lifecycle
 * hooks: they see every turn, stage failure, store call and ingestion without editing the
 * engine. A hook that throws is logged and ignored; hooks never change what happens.
 */

/** One turn, once it has run (before its write is acknowledged). */
export interface TurnReport {
  /** The stored (pseudonymous) user id. */
  userId: string;
  /** From the start of the turn to the end of the pipeline, the bot's own code included. */
  durationMs: number;
  /** Each stage's own time (without the stages after it and the bot), in pipeline order. */
  stages: { name: string; ms: number }[];
  /** The adapter the turn came through (`botbuilder`, `dialogflow`, `rasa`, `http`); `inproc` when the app called the engine itself. */
  adapter: string;
  degraded: boolean;
  erased: boolean;
  /**
   * Why the turn went unpersonalized, when it did: the user could not be read (`store`), a
   * stage threw (`stage`: the bot answered without the stages' work), the user was erased.
   */
  degradedBy?: 'store' | 'stage' | 'erased';
  /** The error behind `degradedBy` `store` or `stage`. */
  error?: unknown;
  /** Recommendations attached to the replies the turn sent. */
  recommendationsShown: number;
}

/** A stage threw; the turn went on unpersonalized. */
export interface StageErrorReport {
  stage: string;
  userId: string;
  error: unknown;
}

/** One call to the store. */
export interface StoreCallReport {
  method: string;
  ms: number;
  ok: boolean;
  error?: unknown;
}

/** What an accepted event was, without whom it was about. */
export interface IngestedEvent {
  type: EventType;
  /** The `track` event's name. */
  event?: string;
  /** The segment a `Segment Entered` or `Segment Exited` event names. */
  segment?: string;
}

/** What a hook may know of an event: its type and (for `track`) its name. */
export function ingestedEvent(e: Pick<AttuneEvent, 'type' | 'event' | 'properties'>): IngestedEvent {
  if (e.type !== 'track' || e.event === undefined) return { type: e.type };
  const segment = e.properties.segment;
  return typeof segment === 'string' && (e.event === AttuneEvents.SegmentEntered || e.event === AttuneEvents.SegmentExited) ? { type: e.type, event: e.event, segment } : { type: e.type, event: e.event };
}

/**
 * One ingestion (a REST call, an SDK batch, `attune.track`), or a turn's logged events once
 * they are written (`source: 'turn'`).
 */
export interface IngestReport {
  /**
   * Where the events came from: `rest` (the REST API), `segment` (a Segment or RudderStack
   * client: writeKey auth), `turn` (logged by a turn), `library` (the app's own calls), or what
   * the caller named.
   */
  source: string;
  accepted: number;
  duplicates: number;
  /** The accepted events' types and names, in order. */
  events: readonly IngestedEvent[];
  /** What the ingestion wrote besides, of its own: `Segment Entered` and `Segment Exited` events. */
  derived: readonly IngestedEvent[];
  ms: number;
  ok: boolean;
  error?: unknown;
}

/** The edge refused a request as invalid (a 400: malformed body, a field out of bounds). */
export interface InvalidInputReport {
  /** The edge: `rest`, `segment`, `turns`, `botbuilder`, `dialogflow`, `rasa`, `library`… */
  source: string;
  /** How many problems the answer listed (0 when the body could not be parsed at all). */
  issues: number;
}

/** A turn's write failed (its events are retried; `dropped` once given up on). */
export interface WriteErrorReport {
  userId: string;
  error: unknown;
  /** Events given up on (0 while retries are still to come). */
  dropped: number;
}

/** A purchase-propensity prediction failed (the user had no predictions on that turn or event). */
export interface PredictionErrorReport {
  error: unknown;
}

/**
 * The hooks one may register.
 *
 * ```ts
 * const attune = createAttune({ hooks: { onTurn: (t) => histogram.observe(t.durationMs) } });
 * attune.hooks.add({ onStageError: (e) => console.warn(e.stage, e.error) });
 * ```
 */
export interface Hooks {
  onTurn(report: TurnReport): void;
  onStageError(report: StageErrorReport): void;
  /** Observing store calls wraps the store: register it in the engine's options. */
  onStoreCall(report: StoreCallReport): void;
  onIngest(report: IngestReport): void;
  onWriteError(report: WriteErrorReport): void;
  /** Emitted by the edges (HTTP, webhooks) and by ingestion called in process. */
  onInvalidInput(report: InvalidInputReport): void;
  /** What the data-quality checks found in one ingestion (with the `quality` option). */
  onQuality(report: QualityReport): void;
  /** A data-quality rate crossed its threshold, or fell back under it. */
  onQualityAlert(alert: QualityAlert): void;
  /** The review queue of sensitive items: its size, decisions, items held back (with the `review` option). */
  onReview(report: ReviewReport): void;
  /** A propensity prediction failed (with the `predict` option); the turn went on without it. */
  onPredictionError(report: PredictionErrorReport): void;
}

type Lists = { [K in keyof Hooks]: Hooks[K][] };

/** The registered hooks, called in the order they were added. */
export class HookSet {
  private readonly lists: Lists = { onTurn: [], onStageError: [], onStoreCall: [], onIngest: [], onWriteError: [], onInvalidInput: [], onQuality: [], onQualityAlert: [], onReview: [], onPredictionError: [] };

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    initial: Partial<Hooks> = {},
  ) {
    this.add(initial);
  }

  /** Registers hooks; returns a function that removes them again. */
  add(hooks: Partial<Hooks>): () => void {
    const added: [keyof Hooks, unknown][] = [];
    for (const name of Object.keys(this.lists) as (keyof Hooks)[]) {
      const fn = hooks[name];
      if (typeof fn !== 'function') continue;
      (this.lists[name] as unknown[]).push(fn);
      added.push([name, fn]);
    }
    return () => {
      for (const [name, fn] of added) {
        const list = this.lists[name] as unknown[];
        const i = list.indexOf(fn);
        if (i >= 0) list.splice(i, 1);
      }
    };
  }

  /** Whether any hook of this name is registered (so that callers skip building reports). */
  has(name: keyof Hooks): boolean {
    return this.lists[name].length > 0;
  }

  /** Calls every hook of this name; a throwing hook is logged and skipped. */
  emit<K extends keyof Hooks>(name: K, report: Parameters<Hooks[K]>[0]): void {
    for (const fn of this.lists[name]) {
      try {
        (fn as (r: typeof report) => void)(report);
      } catch (err) {
        this.logger.warn({ err, hook: name }, 'attune: a hook threw; ignored');
      }
    }
  }
}
