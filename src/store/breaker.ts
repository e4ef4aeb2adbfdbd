import pino from 'pino';
import { StoreError } from '../core/errors';
import type {
  AuditFields,
  AuditPage,
  ClaimedEvent,
  Erased,
  EventPage,
  EventQuery,
  GroupRead,
  GroupStart,
  PendingSummary,
  RetentionPolicy,
  StaleClaim,
  Store,
  StreamedEvent,
  UserExport,
  UserSnapshot,
  WriteBatch,
} from './store';

/** Where a {@link BreakerStore}'s circuit stands. */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** What the breaker logs with: a pino logger fits; `info` is used for good news when present. */
export interface BreakerLogger {
  warn(obj: object, msg: string): void;
  info?(obj: object, msg: string): void;
}

/** Options of {@link BreakerStore}. */
export interface BreakerOptions {
  /** Consecutive back-end failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** The first probe runs this long after the circuit opened (default 250 ms)… */
  probeIntervalMs?: number;
  /** …and each failed probe doubles the wait, up to this (default 2000 ms). */
  maxProbeIntervalMs?: number;
  /** Told each transition, once (default: a pino logger, silent under test). */
  logger?: BreakerLogger;
  /** Called when the circuit opens or closes, after it is logged (for metrics); not for each probe. */
  onStateChange?: (state: CircuitState, stats: CircuitStats) => void;
}

/** Defaults of {@link BreakerOptions}. */
export const BREAKER_DEFAULTS = { failureThreshold: 5, probeIntervalMs: 250, maxProbeIntervalMs: 2000 } as const;

/** The circuit's state and counters, for health checks and metrics. */
export interface CircuitStats {
  state: CircuitState;
  /** Consecutive back-end failures counted while closed. */
  failures: number;
  /** How many times the circuit opened since the store was created. */
  opened: number;
  /** Calls failed at once, without reaching the store, since the store was created. */
  skipped: number;
  /** When the circuit last opened or closed (epoch ms; creation time until then). */
  since: number;
}

/**
 * What a call gets while the circuit is open: the back end is known to be down, so the call
 * was not even tried. A StoreError like any other back-end failure (the store contract's
 * rule), so callers need no new case: turns run unpersonalized, the REST API answers 503.
 */
export class StoreUnavailableError extends StoreError {
  constructor(kind: string) {
    super(`the ${kind} store is unavailable: calls skip it until it answers again`);
  }
}

/**
 * A circuit breaker in front of any {@link Store}. After `failureThreshold` consecutive
 * back-end failures (StoreErrors; a ValidationError is the caller's fault and does not count)
 * the circuit opens: every call fails at once with {@link StoreUnavailableError} instead of
 * waiting for a store that is down, so a turn costs nothing and runs unpersonalized. While
 * open, the store is probed with `ping` after `probeIntervalMs`, doubling up to
 * `maxProbeIntervalMs` after each failed probe (half-open while a probe is in flight). The
 * first probe that answers closes the circuit, and calls go through again: personalization
 * resumes by itself. Each transition is logged once, not per call.
 *
 * `ping` always asks the back end (it is what a health check or a start-up check wants) and
 * counts as a probe: an answer closes the circuit. Off the turn path, calls are gated too: an
 * export or erasure asked for while the store is down fails at once rather than after the
 * connection's own timeouts.
 *
 * Calls succeed and fail exactly as the wrapped store's do while the circuit is closed, so
 * the wrapper passes the store contract on any back end (test/store/breaker.test.ts).
 *
 * ```ts
 * const store = new BreakerStore(new RedisStore({ url }), { logger });
 * store.circuit.state; // 'closed' | 'open' | 'half-open'
 * ```
 */
export class BreakerStore implements Store {
  readonly kind: string;
  private readonly threshold: number;
  private readonly firstDelay: number;
  private readonly maxDelay: number;
  private readonly logger: BreakerLogger;
  private readonly onStateChange: BreakerOptions['onStateChange'];
  private state: CircuitState = 'closed';
  private failures = 0;
  private opened = 0;
  private skipped = 0;
  private since = Date.now();
  /** When the current outage began (the circuit opened). */
  private opening = 0;
  /** Calls skipped in the current outage, for the log line that ends it. */
  private skippedNow = 0;
  private delay: number;
  private timer: NodeJS.Timeout | undefined;
  private lastError: unknown;
  private stopped = false;

  constructor(
    /** The store calls go to while the circuit is closed. */
    readonly inner: Store,
    options: BreakerOptions = {},
  ) {
    this.kind = inner.kind;
    this.threshold = options.failureThreshold ?? BREAKER_DEFAULTS.failureThreshold;
    this.firstDelay = options.probeIntervalMs ?? BREAKER_DEFAULTS.probeIntervalMs;
    this.maxDelay = Math.max(this.firstDelay, options.maxProbeIntervalMs ?? BREAKER_DEFAULTS.maxProbeIntervalMs);
    this.delay = this.firstDelay;
    this.logger = options.logger ?? defaultLogger();
    this.onStateChange = options.onStateChange;
  }

  /** The circuit's state and counters (a copy). */
  get circuit(): CircuitStats {
    return { state: this.state, failures: this.failures, opened: this.opened, skipped: this.skipped, since: this.since };
  }

  claim(messageIds: readonly string[]): Promise<boolean[]> {
    return this.call(() => this.inner.claim(messageIds));
  }

  /**
   * Tried whatever the circuit's state: a release follows a failed write, often the very
   * failure that opened the circuit, and giving the claims back is what lets the client's
   * retry of the events be accepted rather than dropped as duplicates.
   */
  release(messageIds: readonly string[]): Promise<void> {
    return this.inner.release(messageIds);
  }

  readEvents(query?: EventQuery): Promise<EventPage> {
    return this.call(() => this.inner.readEvents(query));
  }

  ensureGroup(group: string, options?: GroupStart): Promise<void> {
    return this.call(() => this.inner.ensureGroup(group, options));
  }

  readGroup(group: string, consumer: string, options: GroupRead): Promise<StreamedEvent[]> {
    return this.call(() => this.inner.readGroup(group, consumer, options));
  }

  ack(group: string, ids: readonly string[]): Promise<number> {
    return this.call(() => this.inner.ack(group, ids));
  }

  claimStale(group: string, consumer: string, options: StaleClaim): Promise<ClaimedEvent[]> {
    return this.call(() => this.inner.claimStale(group, consumer, options));
  }

  pending(group: string): Promise<PendingSummary> {
    return this.call(() => this.inner.pending(group));
  }

  readUser(userId: string, sessionId?: string): Promise<UserSnapshot> {
    return this.call(() => this.inner.readUser(userId, sessionId));
  }

  write(batch: WriteBatch): Promise<void> {
    return this.call(() => this.inner.write(batch));
  }

  topCounters(name: string, k: number): Promise<{ key: string; value: number }[]> {
    return this.call(() => this.inner.topCounters(name, k));
  }

  cacheGet(key: string, userId?: string): Promise<string | null> {
    return this.call(() => this.inner.cacheGet(key, userId));
  }

  cacheSet(key: string, value: string, ttlSeconds: number, userId?: string): Promise<void> {
    return this.call(() => this.inner.cacheSet(key, value, ttlSeconds, userId));
  }

  putArtifact(name: string, data: string): Promise<number> {
    return this.call(() => this.inner.putArtifact(name, data));
  }

  getArtifact(name: string, version?: number): Promise<{ version: number; data: string } | null> {
    return this.call(() => this.inner.getArtifact(name, version));
  }

  pruneArtifacts(name: string, keep: number): Promise<number> {
    return this.call(() => this.inner.pruneArtifacts(name, keep));
  }

  exportUser(userId: string): Promise<UserExport> {
    return this.call(() => this.inner.exportUser(userId));
  }

  eraseUser(userId: string): Promise<Erased> {
    return this.call(() => this.inner.eraseUser(userId));
  }

  suppress(userIds: readonly string[]): Promise<void> {
    return this.call(() => this.inner.suppress(userIds));
  }

  isSuppressed(userIds: readonly string[]): Promise<boolean[]> {
    return this.call(() => this.inner.isSuppressed(userIds));
  }

  unsuppress(userIds: readonly string[]): Promise<void> {
    return this.call(() => this.inner.unsuppress(userIds));
  }

  appendAudit(record: AuditFields): Promise<void> {
    return this.call(() => this.inner.appendAudit(record));
  }

  readAudit(query?: { after?: string; limit?: number }): Promise<AuditPage> {
    return this.call(() => this.inner.readAudit(query));
  }

  sweep(policy: RetentionPolicy): Promise<{ events: number; profiles: number }> {
    return this.call(() => this.inner.sweep(policy));
  }

  reencryptAll(): Promise<number> {
    return this.call(() => this.inner.reencryptAll());
  }

  /** Asks the back end, whatever the circuit's state; an answer closes the circuit. */
  async ping(): Promise<void> {
    try {
      await this.inner.ping();
    } catch (err) {
      if (this.state === 'closed') this.failed(err);
      throw err;
    }
    if (this.state !== 'closed') this.recovered();
  }

  /** Stops probing and closes the wrapped store. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.inner.close();
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    // Once closed for good, the wrapped store says so itself (a ValidationError).
    if (this.state !== 'closed' && !this.stopped) {
      this.skipped += 1;
      this.skippedNow += 1;
      return Promise.reject(new StoreUnavailableError(this.kind));
    }
    return fn().then(
      (value) => {
        this.failures = 0;
        return value;
      },
      (err: unknown) => {
        this.failed(err);
        throw err;
      },
    );
  }

  /** A call failed: a back-end failure counts towards opening the circuit. */
  private failed(err: unknown): void {
    // Calls that were in flight when the circuit opened end here too: they change nothing.
    if (this.state !== 'closed' || !(err instanceof StoreError) || err instanceof StoreUnavailableError) return;
    this.lastError = err;
    this.failures += 1;
    if (this.failures >= this.threshold && !this.stopped) this.trip();
  }

  private trip(): void {
    this.delay = this.firstDelay;
    this.skippedNow = 0;
    this.transition('open');
    this.logger.warn(
      { store: this.kind, failures: this.failures, err: this.lastError },
      'attune: the store keeps failing; circuit open: calls skip it (turns run unpersonalized) until a probe answers',
    );
    this.emit();
    this.schedule();
  }

  private recovered(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const downMs = Date.now() - this.opening;
    this.failures = 0;
    this.transition('closed');
    const log = this.logger.info?.bind(this.logger) ?? this.logger.warn.bind(this.logger);
    log({ store: this.kind, downMs, skipped: this.skippedNow }, 'attune: the store answers again; circuit closed: personalization resumes');
    this.emit();
  }

  private transition(state: CircuitState): void {
    if (state === 'open' && this.state === 'closed') {
      this.opened += 1;
      this.opening = Date.now();
    }
    this.state = state;
    this.since = Date.now();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => this.probe(), this.delay);
    // A probe must never keep a process alive.
    this.timer.unref();
  }

  private probe(): void {
    this.timer = undefined;
    if (this.stopped || this.state !== 'open') return;
    this.state = 'half-open';
    this.inner.ping().then(
      () => {
        if (this.state === 'half-open') this.recovered();
      },
      (err: unknown) => {
        if (this.state !== 'half-open') return;
        // Quietly: the outage was logged once when it began.
        this.lastError = err;
        this.state = 'open';
        this.delay = Math.min(this.delay * 2, this.maxDelay);
        this.schedule();
      },
    );
  }

  private emit(): void {
    try {
      this.onStateChange?.(this.state, this.circuit);
    } catch (err) {
      this.logger.warn({ err }, 'attune: a circuit breaker listener failed');
    }
  }
}

/** The circuit of a store that has one (a {@link BreakerStore}), for health checks. */
export function circuitOf(store: Store): CircuitStats | undefined {
  return store instanceof BreakerStore ? store.circuit : undefined;
}

/** The logger of a breaker given none: the engine's defaults (level from ATTUNE_LOG_LEVEL, silent under test). */
function defaultLogger(): BreakerLogger {
  return pino({ name: 'attune', level: process.env.ATTUNE_LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info') });
}
