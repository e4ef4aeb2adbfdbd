import type { Logger } from 'pino';
import type { CatalogItem } from '../../core/catalog';
import type { Clock } from '../../core/clock';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors';
import { type Actor, audit } from '../../privacy/rights';
import type { ServingGate } from '../../recommend/gate';
import type { AuditLog } from '../../store/store';
import type { SensitivityPolicy } from './policy';
import { STATUS_OF, type ReviewDecision, type ReviewEntry, type ReviewQuery, type ReviewQueue, type ReviewStatus } from './queue';

/** What the review service tells observers (the metrics): the queue's size, decisions, held-back items. */
export interface ReviewReport {
  /** Entries pending, when known (after a refresh or a decision). */
  pending?: number;
  /** A decision just taken. */
  decision?: ReviewDecision;
  /** Items held back from one list. */
  withheld?: number;
  /** A background call that failed: `enqueue` (requests are asked again on later turns) or `refresh` (the approved set is kept as it was). */
  failed?: 'enqueue' | 'refresh';
}

/** Failures absorbed by the review service: counted, logged, never passed to a turn. */
export interface ReviewFailures {
  enqueue: number;
  refresh: number;
}

/** What {@link ReviewService} needs. */
export interface ReviewServiceOptions {
  /** What is sensitive; without one nothing is held back (the service only lists and decides: `attune review`). */
  policy?: SensitivityPolicy;
  queue: ReviewQueue;
  /** The items served, to know which are sensitive by category or tag. */
  catalog: { all(): Iterable<CatalogItem> };
  /** Where decisions are audited: the store's append-only audit log. */
  audit: AuditLog;
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'error'>;
  /** How stale the cached approved set may get before a turn starts a refresh (default 5 s). */
  refreshMs?: number;
  /** Observer of reports (the engine passes its `onReview` hook). */
  onReport?: (report: ReviewReport) => void;
}

/**
 * Human-in-the-loop review of sensitive content. On the turn path it is the recommendation
 * service's {@link ServingGate}: an item the sensitivity policy marks is held back until it is
 * approved (a rejected one for good), answered from memory, the approved set being cached and
 * refreshed in the background. The held items a list would have shown are queued for review,
 * batched, off the turn. Off the turn path it lists the queue and records decisions, each
 * audited. Fail-closed: until the approved set has been read, and when the queue cannot be
 * reached, sensitive items stay held back.
 *
 * ```ts
 * const review = new ReviewService({ policy: sensitivityPolicy({ tags: ['adult'] }), queue: new MemoryReviewQueue(), catalog, audit: store, clock: Date.now, logger });
 * recommendations.setGate(review);
 * await review.decide(entryId, 'approve', { actor: 'key_abc' }, 'fine for all ages');
 * ```
 */
export class ReviewService implements ServingGate {
  readonly policy?: SensitivityPolicy;
  readonly queue: ReviewQueue;
  private readonly sensitive = new Map<string, string>();
  private readonly deps: Pick<ReviewServiceOptions, 'audit' | 'clock' | 'logger' | 'onReport'>;
  private readonly refreshMs: number;
  private approved = new Set<string>();
  private refreshedAt = -Infinity;
  private refreshing?: Promise<void>;
  private waiting = new Map<string, number>();
  private flushing?: Promise<void>;
  private readonly absorbed: ReviewFailures = { enqueue: 0, refresh: 0 };

  constructor(options: ReviewServiceOptions) {
    this.policy = options.policy;
    this.queue = options.queue;
    this.deps = options;
    this.refreshMs = options.refreshMs ?? 5000;
    // Matched once, here: the turn path then looks an id up instead of running the rules.
    for (const item of this.policy ? options.catalog.all() : []) {
      const reason = this.policy?.match(item);
      if (reason) this.sensitive.set(item.id, reason);
    }
  }

  /** Failures absorbed so far (a copy). */
  get failures(): ReviewFailures {
    return { ...this.absorbed };
  }

  /** Which policy rule marks the item sensitive, or undefined (items outside the catalog match by id only). */
  reasonFor(itemId: string): string | undefined {
    return this.sensitive.get(itemId) ?? this.policy?.match({ id: itemId });
  }

  /** {@link ServingGate.holds}: sensitive and not approved. Starts a refresh of the approved set when it is stale. */
  holds(itemId: string): boolean {
    if (this.reasonFor(itemId) === undefined) return false;
    this.refreshInBackground();
    return !this.approved.has(itemId);
  }

  /** {@link ServingGate.held}: queues the items for review, in the background. */
  held(itemIds: readonly string[]): void {
    if (!itemIds.length) return;
    this.report({ withheld: itemIds.length });
    for (const id of itemIds) this.waiting.set(id, (this.waiting.get(id) ?? 0) + 1);
    // Requests of one burst of turns go in one call: the next flush starts when this one is done.
    this.flushing ??= Promise.resolve().then(() => this.flushNow());
  }

  /** Resolves once every request noted so far has reached the queue (or failed, logged and counted). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Re-reads the approved items and the queue's size now. Errors propagate. */
  async refresh(): Promise<void> {
    const [approved, counts] = await Promise.all([this.queue.approvedItems(), this.queue.counts()]);
    this.approved = new Set(approved);
    this.refreshedAt = this.deps.clock();
    this.report({ pending: counts.pending });
  }

  /** Starts a refresh when the approved set is stale; never throws, never waits. */
  refreshInBackground(): void {
    if (this.refreshing || this.deps.clock() - this.refreshedAt < this.refreshMs) return;
    this.refreshing = this.refresh()
      .catch((err: unknown) => {
        // Tried again after refreshMs, not on every turn of an outage; the old set stays.
        this.refreshedAt = this.deps.clock();
        this.absorbed.refresh++;
        this.report({ failed: 'refresh' });
        this.deps.logger.warn({ err }, 'attune: review queue could not be read; sensitive items stay held back');
      })
      .finally(() => {
        this.refreshing = undefined;
      });
  }

  /** Entries by status (default: all), oldest request first. */
  list(query?: ReviewQuery): Promise<ReviewEntry[]> {
    return this.queue.list(query);
  }

  /** One entry, or NotFoundError. */
  async get(id: string): Promise<ReviewEntry> {
    const entry = await this.queue.get(id);
    if (!entry) throw new NotFoundError(`review entry ${id}`);
    return entry;
  }

  /** How many entries stand in each status. */
  counts(): Promise<Record<ReviewStatus, number>> {
    return this.queue.counts();
  }

  /**
   * Approves or rejects a pending entry, and audits it as `review.decide` with the entry, the
   * decision and whether a note was given (the note itself may hold anything, so it stays in
   * the queue, out of the audit log). An entry decided already is a ConflictError, unless
   * `options.revise` asks to replace the earlier decision (revoking an approval); an unknown
   * id is a NotFoundError; both are audited as failures. This replica serves the decision at
   * once; the others within their refresh interval.
   */
  async decide(id: string, decision: ReviewDecision, by: Actor, note?: string, options: { revise?: boolean } = {}): Promise<ReviewEntry> {
    if (decision !== 'approve' && decision !== 'reject') throw new ValidationError('invalid review decision', [{ path: ['decision'], message: 'must be "approve" or "reject"' }]);
    const sink = { store: this.deps.audit, clock: this.deps.clock };
    let entry: ReviewEntry | null;
    try {
      entry = await this.queue.decide(id, { status: STATUS_OF[decision], by: by.actor, at: new Date(this.deps.clock()).toISOString(), ...(note === undefined ? {} : { note }), ...(options.revise ? {} : { expect: 'pending' as const }) });
    } catch (err) {
      if (err instanceof ConflictError) await audit(sink, by, 'review.decide', undefined, 'failure', { entry: id, decision, code: 'conflict' });
      throw err;
    }
    if (!entry) {
      await audit(sink, by, 'review.decide', undefined, 'failure', { entry: id, decision, code: 'not_found' });
      throw new NotFoundError(`review entry ${id}`);
    }
    if (entry.status === 'approved') this.approved.add(entry.itemId);
    else this.approved.delete(entry.itemId);
    await audit(sink, by, 'review.decide', undefined, 'success', { entry: entry.id, decision, reason: entry.reason.slice(0, 80), noted: note !== undefined, ...(options.revise ? { revised: true } : {}) });
    const counts = await this.queue.counts().catch(() => undefined);
    this.report({ decision, ...(counts ? { pending: counts.pending } : {}) });
    return entry;
  }

  /** Sends what is waiting, then closes the queue. */
  async close(): Promise<void> {
    await this.flush();
    await this.refreshing;
    await this.queue.close();
  }

  private async flushNow(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    try {
      const requests = [...batch].map(([itemId, count]) => ({ itemId, reason: this.reasonFor(itemId) ?? 'item', count }));
      if (requests.length) await this.queue.request(requests, new Date(this.deps.clock()).toISOString());
    } catch (err) {
      // Dropped, not retried: a held item is asked for again by the next turn that would show it.
      this.absorbed.enqueue++;
      this.report({ failed: 'enqueue' });
      this.deps.logger.warn({ err, items: batch.size }, 'attune: review requests could not be queued; the items stay held back');
    } finally {
      this.flushing = this.waiting.size ? Promise.resolve().then(() => this.flushNow()) : undefined;
    }
  }

  private report(report: ReviewReport): void {
    try {
      this.deps.onReport?.(report);
    } catch {
      // Observers never change what happens (the hook set logs its own failures).
    }
  }
}
