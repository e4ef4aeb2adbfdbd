import type { Logger } from 'pino';
import { compose, type Middleware } from '../core/compose';
import type { Personalization } from '../core/personalization';
import { emptyProfile, type Profile } from '../core/profile';
import { emptySession } from '../core/session';
import type { Turn } from '../core/turn';
import { evaluateSegments, type UserRules } from '../events/apply';
import type { RunningTurns } from '../events/running-turns';
import type { Store, UserSnapshot } from '../store/store';
import { AttuneContext, type TurnServices } from './context';
import { turnBatch, type TurnEffects } from './effects';
import { type HookSet, ingestedEvent, type TurnReport } from './hooks';
import { UserLock } from './user-lock';

/** A turn stage: middleware over the per-turn context, adding the flavor `F` to it. */
export type Stage<F extends object = object> = Middleware<AttuneContext<F>>;

/** The bot's own handler, run inside the pipeline once every stage before it has run. */
export type BotHandler<F extends object = object> = (ctx: AttuneContext<F>) => Promise<void> | void;

/**
 * Failures Attune absorbed so that the bot's turn went on, counted since the engine started.
 * Each is also logged; these counts are what a health check or a metrics exporter reads.
 */
export interface FailureCounts {
  /** Turns whose user could not be read (they ran unpersonalized). */
  turnReads: number;
  /** Turn writes that failed (their events were retried; see `turnEventsDropped`). */
  turnWrites: number;
  /** Turn events given up on after every retry failed. */
  turnEventsDropped: number;
  /** Turn stages that threw (the bot answered unpersonalized). */
  stages: number;
}

/** What the runner needs: the store roles of a turn, the stage services, the rules and the observers. */
export interface TurnRunnerDeps {
  store: Store;
  services: TurnServices;
  rules: UserRules;
  hooks: HookSet;
  logger: Logger;
  /** Write after the bot has answered, without making the turn wait (default true). */
  deferWrites?: boolean;
}

/** How often, and after how long, a failed turn write's events are tried again. */
const TURN_WRITE_RETRIES_MS = [50, 250, 1000] as const;

const TIMINGS = Symbol('attune.stage-timings');

/** How often a run of failed user reads (an outage) is logged. */
const READ_ERROR_LOG_EVERY_MS = 5000;

/**
 * Runs turns: reads the user (one round trip, or none from a snapshot cache), runs the
 * stages around the bot, and writes the turn's effects (one batch) after the bot has
 * answered. Holds each user's lock for the read and for issuing the write, so a user's turns
 * and events apply in order, and knows which turns are running so that events tracked during
 * a turn join it (see `RunningTurns`).
 */
export class TurnRunner implements RunningTurns {
  /** The per-user lock, shared with ingestion. */
  readonly lock = new UserLock();
  readonly failures: FailureCounts = { turnReads: 0, turnWrites: 0, turnEventsDropped: 0, stages: 0 };
  private readonly stages: Stage[] = [];
  private pipeline?: (ctx: AttuneContext, last?: () => Promise<void>) => Promise<void>;
  private readonly active = new Map<string, AttuneContext>();
  private readonly inflight = new Set<Promise<void>>();
  /** Users being erased by this process: a turn that began before must not write them back. */
  private readonly erasingNow = new Set<string>();
  /** When (in turn sequence numbers) each recently erased user's erasure ended. */
  private readonly erasedAt = new Map<string, number>();
  private readonly began = new WeakMap<AttuneContext, number>();
  /** Why a degraded turn's user could not be read, for its report. */
  private readonly readErrors = new WeakMap<AttuneContext, unknown>();
  private seq = 0;
  private lastReadErrorLog = -Infinity;
  private readonly deferWrites: boolean;

  constructor(private readonly deps: TurnRunnerDeps) {
    this.deferWrites = deps.deferWrites ?? true;
  }

  /** Adds stages, run in the order added. */
  use(stages: readonly Stage[]): void {
    this.stages.push(...stages);
    this.pipeline = undefined;
  }

  /** How many stages are installed. */
  get stageCount(): number {
    return this.stages.length;
  }

  /**
   * Runs one turn. A failure inside Attune never stops the bot: it runs unpersonalized and
   * the failure is logged. Errors thrown by `bot` itself propagate. `adapter` names where the
   * turn came from, for the hooks (default `inproc`).
   */
  async handle(turn: Turn, bot: BotHandler, adapter = 'inproc'): Promise<AttuneContext> {
    const started = performance.now();
    const ctx = await this.begin(turn);
    if (ctx.degraded) {
      await bot(ctx);
      this.report(ctx, started, adapter, ctx.erased ? { degradedBy: 'erased' } : { degradedBy: 'store', error: this.readErrors.get(ctx) });
      return ctx;
    }
    let botRan = false;
    let botError: { error: unknown } | undefined;
    const last = async () => {
      botRan = true;
      try {
        await bot(ctx);
      } catch (error) {
        botError = { error };
        throw error;
      }
    };
    let failure: Pick<TurnReport, 'degradedBy' | 'error'> = {};
    try {
      await (this.pipeline ??= this.build())(ctx, last);
    } catch (err) {
      if (botError) {
        this.report(ctx, started, adapter, failure);
        await this.save(ctx);
        throw botError.error;
      }
      this.failures.stages += 1;
      failure = { degradedBy: 'stage', error: err };
      this.deps.logger.error({ err, userId: turn.userId }, 'attune: a turn stage failed; the bot answers unpersonalized');
      if (!botRan) await bot(ctx);
    }
    this.report(ctx, started, adapter, failure);
    await this.save(ctx);
    return ctx;
  }

  /** A context for a turn that runs without Attune (its user id was unusable). */
  blank(turn: Turn): AttuneContext {
    const ctx = new AttuneContext(this.deps.services, turn, this.personalization(turn, { profile: null, session: null, segments: [] }), []);
    ctx.degraded = true;
    return ctx;
  }

  /** Resolves when every turn's write (and retry) has reached the store. */
  async flush(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  /** Marks users as being erased (see {@link TurnRunner.erased}). */
  erasing(userIds: readonly string[]): void {
    for (const id of userIds) this.erasingNow.add(id);
  }

  /** The erasure ended: turns that began before it and commit later write nothing. */
  erased(userIds: readonly string[]): void {
    const at = ++this.seq;
    for (const id of userIds) {
      this.erasingNow.delete(id);
      this.erasedAt.delete(id);
      this.erasedAt.set(id, at);
    }
    while (this.erasedAt.size > 10_000) this.erasedAt.delete(this.erasedAt.keys().next().value as string);
  }

  isErasing(userId: string): boolean {
    return this.erasingNow.has(userId);
  }

  /** The profile of the user's running turn, if one runs (for events tracked meanwhile). */
  runningProfile(userId: string): Profile | undefined {
    return this.active.get(userId)?.personalization.profile;
  }

  /** Applies what events did to the user's running turn's profile; false when none runs. */
  joinRunning(userId: string, update: (profile: Profile) => Profile): boolean {
    const ctx = this.active.get(userId);
    if (!ctx) return false;
    ctx.effects.profile(update(ctx.personalization.profile));
    ctx.effects.resegment();
    return true;
  }

  private build(): (ctx: AttuneContext, last?: () => Promise<void>) => Promise<void> {
    const { hooks } = this.deps;
    if (!hooks.has('onTurn') && !hooks.has('onStageError')) return compose(this.stages);
    // Observed: each stage is timed (its own time, without what runs after it) and named
    // when it throws. Only built when a hook wants it; unobserved turns pay nothing.
    return compose(this.stages.map((stage, i) => this.observed(stage, i)));
  }

  private observed(stage: Stage, i: number): Stage {
    const name = stage.name || `stage ${i + 1}`;
    const { hooks } = this.deps;
    return async (ctx, next) => {
      const timings = (ctx.state.get(TIMINGS) as { name: string; ms: number }[] | undefined) ?? [];
      ctx.state.set(TIMINGS, timings);
      const t0 = performance.now();
      let inner = 0;
      try {
        await stage(ctx, async () => {
          const t1 = performance.now();
          try {
            await next();
          } finally {
            inner += performance.now() - t1;
          }
        });
      } catch (error) {
        if (!(ctx.state.get(TIMINGS_FAILED) ?? false)) {
          ctx.state.set(TIMINGS_FAILED, true);
          hooks.emit('onStageError', { stage: name, userId: ctx.turn.userId, error });
        }
        throw error;
      } finally {
        timings.push({ name, ms: performance.now() - t0 - inner });
      }
    };
  }

  private report(ctx: AttuneContext, started: number, adapter: string, failure: Pick<TurnReport, 'degradedBy' | 'error'>): void {
    if (!this.deps.hooks.has('onTurn')) return;
    const stages = ((ctx.state.get(TIMINGS) as { name: string; ms: number }[] | undefined) ?? []).slice().reverse();
    let recommendationsShown = 0;
    for (const reply of ctx.sent) recommendationsShown += reply.recommendations?.length ?? 0;
    this.deps.hooks.emit('onTurn', {
      userId: ctx.turn.userId,
      durationMs: performance.now() - started,
      stages,
      adapter,
      degraded: ctx.degraded,
      erased: ctx.erased,
      ...failure,
      recommendationsShown,
    });
  }

  private save(ctx: AttuneContext): Promise<void> {
    // The commit takes the user's lock now, synchronously, so the user's next turn reads
    // what this one wrote even though this turn does not wait for the write.
    const done = this.commit(ctx);
    if (!this.deferWrites) return done;
    this.inflight.add(done);
    // Fire and forget: commit catches, logs and counts every failure, so `done` never rejects.
    void done.finally(() => this.inflight.delete(done));
    return Promise.resolve();
  }

  private async begin(turn: Turn): Promise<AttuneContext> {
    const { store, logger } = this.deps;
    let snap: UserSnapshot = { profile: null, session: null, segments: [] };
    let degraded = false;
    let readError: unknown;
    let erased = false;
    const began = ++this.seq;
    try {
      snap = await this.lock.run(turn.userId, () => store.readUser(turn.userId, turn.sessionId));
      // Only a user without a profile can be an erased one (erasure removes it, and nothing is
      // written for them afterwards), so known users pay nothing for this check.
      if (!snap.profile) erased = this.erasingNow.has(turn.userId) || (await store.isSuppressed([turn.userId]))[0];
    } catch (err) {
      degraded = true;
      readError = err;
      this.failures.turnReads += 1;
      // During an outage every turn fails alike: one line a few seconds, with the count since.
      const now = Date.now();
      if (now - this.lastReadErrorLog >= READ_ERROR_LOG_EVERY_MS) {
        logger.error({ err, userId: turn.userId, failedReads: this.failures.turnReads }, 'attune: could not read the user; the turn runs unpersonalized');
        this.lastReadErrorLog = now;
      }
    }
    if (erased) snap = { profile: null, session: null, segments: [] };
    const ctx = new AttuneContext(this.deps.services, turn, this.personalization(turn, snap), snap.segments);
    ctx.degraded = degraded || erased;
    ctx.erased = erased;
    if (degraded) this.readErrors.set(ctx, readError);
    if (!ctx.degraded) {
      this.active.set(turn.userId, ctx);
      this.began.set(ctx, began);
    }
    return ctx;
  }

  private personalization(turn: Turn, snap: UserSnapshot): Personalization {
    return {
      userId: turn.userId,
      profile: snap.profile ?? emptyProfile(turn.userId, turn.timestamp),
      session: snap.session ?? emptySession(turn.sessionId, turn.userId, turn.timestamp),
      segments: snap.segments,
      entered: [],
      exited: [],
      recommendations: [],
      tone: this.deps.services.defaultTone,
      firstVisit: !snap.profile,
    };
  }

  /** Whether the user was erased after the turn began (or is being erased now). */
  private erasedSince(ctx: AttuneContext): boolean {
    const { userId } = ctx.turn;
    if (this.erasingNow.has(userId)) return true;
    const at = this.erasedAt.get(userId);
    return at !== undefined && at > (this.began.get(ctx) ?? 0);
  }

  private async commit(ctx: AttuneContext): Promise<void> {
    if (ctx.degraded) return;
    const { store, logger } = this.deps;
    const { userId } = ctx.turn;
    const effects = ctx.effects;
    try {
      // The lock is held until the write is issued, not until it is acknowledged: a store
      // applies calls in the order they were made (see Store), so the user's next read, made
      // later, sees this write. On Redis this spares a user's next turn a round trip.
      const issued = await this.lock.run(userId, async () => {
        if (this.active.get(userId) === ctx) this.active.delete(userId);
        if (this.erasedSince(ctx)) return undefined;
        ctx.runDeferred();
        this.resegment(ctx, effects);
        if (effects.empty) return undefined;
        const written = store.write(turnBatch(effects, ctx.personalization));
        // Custom kinds are issued right after, still in order with the user's next turn.
        const custom = [...effects.custom].map(([kind, values]) => kind.write(userId, values, store));
        // Wrapped, so that the lock's promise does not wait for the write to be acknowledged.
        return { written, custom };
      });
      if (issued) {
        const customs = Promise.allSettled(issued.custom);
        const t0 = performance.now();
        await issued.written;
        this.reportLogged(effects, performance.now() - t0);
        for (const r of await customs) if (r.status === 'rejected') logger.error({ err: r.reason, userId }, 'attune: a custom turn effect could not be written');
      }
    } catch (err) {
      this.failures.turnWrites += 1;
      logger.error({ err, userId }, 'attune: could not save the turn; its events will be retried');
      this.deps.hooks.emit('onWriteError', { userId, error: err, dropped: 0 });
      await this.retryEvents(ctx, effects, err);
    } finally {
      if (this.active.get(userId) === ctx) this.active.delete(userId);
      this.began.delete(ctx);
    }
  }

  /** A turn's logged events, once written, are ingested events too (source `turn`). */
  private reportLogged(effects: Pick<TurnEffects, 'events'>, ms: number): void {
    const { hooks } = this.deps;
    if (!effects.events.length || !hooks.has('onIngest')) return;
    hooks.emit('onIngest', { source: 'turn', accepted: effects.events.length, duplicates: 0, events: effects.events.map(ingestedEvent), derived: [], ms, ok: true });
  }

  private resegment(ctx: AttuneContext, effects: TurnEffects): void {
    if (!effects.needsResegment) return;
    const p = ctx.personalization;
    const m = evaluateSegments(p.profile, p.segments, this.deps.rules, effects.events);
    if (m.entered.length || m.exited.length) effects.segments(m.segments, [...p.entered, ...m.entered], [...p.exited, ...m.exited]);
  }

  /**
   * A turn's log entries and counters are appended again after a failed write; its profile,
   * session and memberships are not: they replace what is stored, and the user's next turn
   * may already have written newer ones. What still fails is counted and logged as dropped.
   */
  private async retryEvents(ctx: AttuneContext, effects: TurnEffects, firstError: unknown): Promise<void> {
    const { events, counters } = effects;
    if (!events.length && !counters.length) return;
    const { store, logger } = this.deps;
    let error = firstError;
    for (const delay of TURN_WRITE_RETRIES_MS) {
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      if (this.erasedSince(ctx)) return;
      try {
        const t0 = performance.now();
        await store.write({ events, counters });
        this.reportLogged(effects, performance.now() - t0);
        logger.info({ userId: ctx.turn.userId, events: events.length }, 'attune: a failed turn write was stored on retry');
        return;
      } catch (err) {
        error = err;
        logger.warn({ err, userId: ctx.turn.userId }, 'attune: retry of a turn write failed');
      }
    }
    this.failures.turnEventsDropped += events.length;
    logger.error({ userId: ctx.turn.userId, events: events.length }, 'attune: gave up on a turn write; its events are lost');
    this.deps.hooks.emit('onWriteError', { userId: ctx.turn.userId, error, dropped: events.length });
  }
}

const TIMINGS_FAILED = Symbol('attune.stage-failed');
