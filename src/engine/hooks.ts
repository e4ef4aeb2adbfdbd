import type { Logger } from 'pino';

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
  degraded: boolean;
  erased: boolean;
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

/** One ingestion (a REST call, an SDK batch, `attune.track`). */
export interface IngestReport {
  accepted: number;
  duplicates: number;
  ms: number;
  ok: boolean;
  error?: unknown;
}

/** A turn's write failed (its events are retried; `dropped` once given up on). */
export interface WriteErrorReport {
  userId: string;
  error: unknown;
  /** Events given up on (0 while retries are still to come). */
  dropped: number;
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
}

type Lists = { [K in keyof Hooks]: Hooks[K][] };

/** The registered hooks, called in the order they were added. */
export class HookSet {
  private readonly lists: Lists = { onTurn: [], onStageError: [], onStoreCall: [], onIngest: [], onWriteError: [] };

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
