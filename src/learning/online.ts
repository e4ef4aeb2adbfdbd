/**
 * Online updates between trainings: each user's {@link OnlineState} lives in the store's
 * user-scoped cache (recomputable from the event log, expiring with its longest TTL, erased
 * with the user), so every replica on one Redis serves the same delta. Serving reads a copy
 * kept in memory ({@link OnlineUpdates.forUser}, synchronous); the feedback stage refreshes
 * that copy before the bot runs, waiting at most `waitMs`, and records new feedback after
 * the turn, off its critical path.
 */
import type { Recommender } from '../recommend/recommender';
import type { OnlineAdjustment, OnlineAdjustments } from '../recommend/service';
import type { Cache } from '../store/store';
import { classify, feedbackConfig, type Feedback, type FeedbackConfig, type FeedbackSignal } from './feedback-types';
import { applyFeedback, demotions, emptyOnlineState, parseOnlineState, type OnlineState } from './online-state';

/** The user-cache key of a user's delta. */
export const ONLINE_KEY = 'online';

/** Options of {@link OnlineUpdates}. */
export interface OnlineUpdatesOptions {
  /** Where deltas are kept: the user-scoped cache role. */
  store: Cache;
  /** Feedback types (default {@link feedbackConfig}'s). */
  config?: FeedbackConfig;
  clock?: () => number;
  /** A copy in memory younger than this is served without reading the store (default 1000 ms). */
  refreshMs?: number;
  /** Users kept in memory; the least recently used go first (default 10 000). */
  maxUsers?: number;
  /** Neighbours of a demoted item demoted with it (default 10). */
  neighbours?: number;
  /** What share of an item's demotion its neighbours get, times their similarity (default 0.3). */
  neighbourShare?: number;
}

interface Local {
  state: OnlineState;
  readAt: number;
  spread?: { model: Recommender | undefined; revision: number; adjustment: OnlineAdjustment };
}

/**
 * Keeps users' online deltas on the store and serves them from memory.
 *
 * ```ts
 * const online = new OnlineUpdates({ store: attune.store });
 * attune.use(feedback({ online })); // also tells serving to apply the deltas
 * ```
 */
export class OnlineUpdates implements OnlineAdjustments {
  /** The feedback types in use. */
  readonly config: FeedbackConfig;
  private readonly store: Cache;
  private readonly now: () => number;
  private readonly refreshMs: number;
  private readonly maxUsers: number;
  private readonly neighbours: number;
  private readonly share: number;
  private readonly local = new Map<string, Local>();

  constructor(options: OnlineUpdatesOptions) {
    this.store = options.store;
    this.config = options.config ?? feedbackConfig();
    this.now = options.clock ?? Date.now;
    this.refreshMs = options.refreshMs ?? 1000;
    this.maxUsers = options.maxUsers ?? 10_000;
    this.neighbours = options.neighbours ?? 10;
    this.share = options.neighbourShare ?? 0.3;
  }

  /** Classifies native signals by the configured types (unknown ones are dropped). */
  classify(signals: readonly FeedbackSignal[]): Feedback[] {
    return signals.flatMap((s) => classify(s, this.config) ?? []);
  }

  /**
   * The user's adjustment from the copy in memory, with demotions spread to the model's
   * nearest neighbours (computed once per revision and model). Never waits.
   */
  forUser(userId: string, model: Recommender | undefined): OnlineAdjustment | undefined {
    const entry = this.local.get(userId);
    if (!entry || entry.state.revision === 0) return undefined;
    if (entry.spread && entry.spread.model === model && entry.spread.revision === entry.state.revision) return entry.spread.adjustment;
    const now = this.now();
    const near = model && this.neighbours > 0 ? (item: string) => model.similar(item, this.neighbours) : undefined;
    const demoted = demotions(entry.state, this.config, now, near, { share: this.share });
    const adjustment: OnlineAdjustment = {
      revision: String(entry.state.revision),
      positives: entry.state.positives.filter((p) => p.expiresAt > now).map(({ item, weight }) => ({ item, weight })),
      demoted,
    };
    entry.spread = { model, revision: entry.state.revision, adjustment };
    return adjustment;
  }

  /** The delta in memory, if any (for tests and reports). */
  peek(userId: string): OnlineState | undefined {
    return this.local.get(userId)?.state;
  }

  /**
   * Reads the user's delta from the store into memory unless the copy is fresh. Errors
   * propagate; the stage that calls this waits a bounded time and serves what it has.
   */
  async load(userId: string): Promise<OnlineState | undefined> {
    const entry = this.local.get(userId);
    if (entry && this.now() - entry.readAt < this.refreshMs) return entry.state;
    const stored = await this.store.cacheGet(ONLINE_KEY, userId);
    const state = stored === null ? undefined : parseOnlineState(stored);
    if (state) this.keep(userId, state);
    else this.local.delete(userId);
    return state;
  }

  /**
   * Applies classified feedback to the user's delta and stores it. Reads the stored delta
   * first, so that what another replica recorded is kept. Cost is bounded by the delta's
   * limits, whatever the user's history.
   */
  async record(userId: string, feedback: readonly Feedback[]): Promise<OnlineState | undefined> {
    if (!feedback.length) return this.peek(userId);
    const stored = await this.store.cacheGet(ONLINE_KEY, userId);
    const before = (stored === null ? undefined : parseOnlineState(stored)) ?? emptyOnlineState();
    const now = this.now();
    const state = applyFeedback(before, feedback, now);
    const until = Math.max(0, ...state.positives.map((p) => p.expiresAt), ...state.negatives.map((p) => p.expiresAt), ...state.shown.map((p) => p.expiresAt));
    if (until <= now) return undefined;
    await this.store.cacheSet(ONLINE_KEY, JSON.stringify(state), Math.ceil((until - now) / 1000), userId);
    this.keep(userId, state);
    return state;
  }

  /** Drops a user's copy in memory (after an erasure). */
  forget(userId: string): void {
    this.local.delete(userId);
  }

  private keep(userId: string, state: OnlineState): void {
    this.local.delete(userId);
    this.local.set(userId, { state, readAt: this.now() });
    if (this.local.size > this.maxUsers) this.local.delete(this.local.keys().next().value as string);
  }
}
