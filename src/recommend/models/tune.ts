/**
 * Hyper-parameter tuning on a validation split carved from the training data only: a seeded
 * per-user holdout of the interactions a model is given, each candidate fitted on the rest and
 * scored by nDCG@k on what was held out. The test part of an evaluation never reaches a model,
 * so nothing tuned here can have seen it.
 */
import { ndcgAtK } from '../../evaluate/metrics';
import type { Recommender, TrainingData } from '../recommender';
import { holdout } from './blend';

/** How the validation split is carved and scored. */
export interface ValidationOptions {
  /** Share of each user's interactions held out (users with fewer than 2 keep all). */
  fraction: number;
  seed: number;
  /** The k of the nDCG maximized. */
  k: number;
  /** Validation users scored (the first ones in input order; the cost is linear in them). */
  maxUsers: number;
}

/** The fit part and the held-out items per user. */
export interface ValidationSplit {
  fit: TrainingData;
  validation: Map<string, Set<string>>;
}

/**
 * Splits `data` into a fit part and held-out items per user, keeping the item side information.
 *
 * ```ts
 * const { fit, validation } = validationSplit(data, { fraction: 0.2, seed: 1, k: 10, maxUsers: 1000 });
 * ```
 */
export function validationSplit(data: TrainingData, options: ValidationOptions): ValidationSplit {
  const { fit, validation } = holdout(data.interactions, options.fraction, options.seed);
  return { fit: { interactions: fit, items: data.items }, validation };
}

/**
 * Mean nDCG@k of a fitted model over the validation users it knows (at most `maxUsers`); items
 * the user has in the fit part are excluded by the model, as in an evaluation.
 */
export function validationNdcg(model: Recommender, validation: ReadonlyMap<string, ReadonlySet<string>>, k: number, maxUsers: number): number {
  let sum = 0;
  let n = 0;
  for (const [user, held] of validation) {
    if (n >= maxUsers) break;
    n++;
    if (!model.knowsUser(user) && model.kind !== 'pop') continue;
    sum += ndcgAtK(
      model.recommend(user, k).map((s) => s.item),
      held,
      k,
    );
  }
  return n ? sum / n : 0;
}

/** What {@link tuneOnValidation} found: the chosen candidate and every candidate's score. */
export interface TuneResult<T> {
  best: T;
  scores: { candidate: T; ndcg: number }[];
}

/**
 * Fits `make(candidate)` on the fit part of a validation split of `data` for every candidate
 * and returns the one with the best validation nDCG@k (the first on ties, so list the
 * preferred default first).
 *
 * ```ts
 * const { best } = tuneOnValidation(data, [300, 700, 1500], (lambda) => new Ease({ lambda, tune: false }), opts);
 * ```
 */
export function tuneOnValidation<T>(data: TrainingData, candidates: readonly T[], make: (candidate: T) => Recommender, options: ValidationOptions): TuneResult<T> {
  const split = validationSplit(data, options);
  return tuneOnSplit(split, candidates, make, options);
}

/** {@link tuneOnValidation} on a split already made (to reuse one split over several rounds). */
export function tuneOnSplit<T>(split: ValidationSplit, candidates: readonly T[], make: (candidate: T) => Recommender, options: ValidationOptions): TuneResult<T> {
  const scores = candidates.map((candidate) => {
    const m = make(candidate);
    m.fit(split.fit, { seed: options.seed });
    return { candidate, ndcg: validationNdcg(m, split.validation, options.k, options.maxUsers) };
  });
  let best = scores[0];
  for (const s of scores) if (s.ndcg > best.ndcg) best = s;
  return { best: best.candidate, scores };
}
