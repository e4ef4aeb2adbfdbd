import type { Catalog } from '../core/catalog';
import { deepFreeze } from '../core/frozen';
import type { Predictions } from '../core/personalization';
import type { Profile } from '../core/profile';
import type { PropensityModel } from './model';

/** Where a failed prediction is reported (a logger's `warn`). */
export type PredictionFailureSink = (err: unknown, userId: string) => void;

/** Options of {@link PropensityService}. */
export interface PropensityServiceOptions {
  /** The model to serve; without one nothing is predicted. */
  model?: PropensityModel;
  /** Item categories for the per-category features. */
  catalog: Catalog;
  /** Called with each failure (after it is counted). */
  onError?: PredictionFailureSink;
}

/**
 * Serves a propensity model on the turn path and to segment rules: from the profile the turn
 * (or the event) already holds, with no I/O. A failure never reaches the caller: it is
 * counted (`failures`), reported, and the user simply has no predictions.
 *
 * ```ts
 * const service = new PropensityService({ model, catalog });
 * service.predict(profile, Date.now()); // { purchase: 0.71, byCategory: { … }, modelVersion: 'p-…', horizonDays: 7 }
 * ```
 */
export class PropensityService {
  /** Predictions that failed so far. */
  failures = 0;
  private current?: PropensityModel;
  private readonly categoryOf: (id: string) => string | undefined;
  private readonly onError?: PredictionFailureSink;
  /** The last prediction, reused for the same frozen profile, model and second (see predict). */
  private last?: { profile: Profile; model: PropensityModel; nowMs: number; predicted: Predictions };

  constructor(options: PropensityServiceOptions) {
    this.current = options.model;
    const catalog = options.catalog;
    this.categoryOf = (id) => catalog.get(id)?.category;
    this.onError = options.onError;
  }

  /** The served model, if any. */
  get model(): PropensityModel | undefined {
    return this.current;
  }

  /** Serves another model (or none) from the next prediction on. */
  setModel(model: PropensityModel | undefined): void {
    this.current = model;
  }

  /** The user's predictions at `nowMs`, or undefined without a model, a profile, or on a failure. */
  predict(profile: Profile | null, nowMs: number): Predictions | undefined {
    const model = this.current;
    if (!model || !profile) return undefined;
    // A turn predicts in its predict stage and again in segment rules, moments apart, from the
    // same frozen profile: the second call reuses the first. Recency is counted in days, so
    // what a second moves is far below anything a rule or a ranking tells apart.
    const last = this.last;
    if (last && last.profile === profile && last.model === model && Object.isFrozen(profile) && Math.abs(nowMs - last.nowMs) < 1000) return last.predicted;
    try {
      const predicted = deepFreeze(model.predict(profile, nowMs, this.categoryOf));
      if (Object.isFrozen(profile)) this.last = { profile, model, nowMs, predicted };
      return predicted;
    } catch (err) {
      this.failures += 1;
      try {
        this.onError?.(err, profile.userId);
      } catch {
        // Reporting must not turn a missing prediction into a failed turn.
      }
      return undefined;
    }
  }
}
