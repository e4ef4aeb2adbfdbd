/**
 * Compares models on the same splits: what `attune evaluate` and the benchmark print. Takes a
 * factory rather than importing the models, so the models may use this folder (to tune on a
 * validation split) without an import cycle.
 */
import type { ItemFeatures, Progress, Recommender } from '../recommend/recommender';
import { evaluate } from './evaluate';
import { meanMetrics, type RankingMetrics } from './metrics';
import type { Split } from './splits';
import type { BeyondAccuracy } from './beyond';

/** One model's figures, averaged over the splits (folds). */
export interface ComparisonRow {
  model: string;
  metrics: RankingMetrics;
  /** Share of the training catalog recommended to somebody. */
  coverage: number;
  /** Users scored per split, averaged. */
  users: number;
  /** Seconds per `fit`, averaged over the splits. */
  trainSeconds: number;
  /** Why the model was skipped (it could not be trained on this data); its figures are zeros then. */
  skipped?: string;
  /** Beyond-accuracy metrics averaged over the splits, when `beyond` was asked for. */
  beyond?: BeyondAccuracy;
}

/** Options of {@link compareModels}. */
export interface CompareOptions {
  k?: number;
  seed?: number;
  items?: readonly ItemFeatures[];
  /** Training progress of `model` on split `fold` (0-based) of `folds`. */
  onProgress?: (model: string, fold: number, folds: number, p: Progress) => void;
  /** Called after each model is done, e.g. to print a row at once. */
  onResult?: (row: ComparisonRow) => void;
  /** Also measure the beyond-accuracy metrics of every model. */
  beyond?: boolean;
}

/**
 * Trains and scores each named model on every split; a fresh model per split. A model that
 * cannot be trained on this data (it throws) is reported as skipped, with the reason, and the
 * comparison goes on: one model's limit never costs the others' figures.
 *
 * ```ts
 * const rows = compareModels(['pop', 'itemknn'], (kind) => createRecommender(kind), protocolSplits('msr', data));
 * ```
 */
export function compareModels<K extends string>(
  models: readonly K[],
  create: (kind: K) => Recommender,
  splits: readonly Split[],
  options: CompareOptions = {},
): ComparisonRow[] {
  return models.map((kind) => {
    let runs: ReturnType<typeof evaluate>[];
    try {
      runs = splits.map((split, fold) =>
        evaluate(create(kind), split.train, split.test, {
          k: options.k,
          seed: options.seed,
          items: options.items,
          beyond: options.beyond,
          onProgress: options.onProgress && ((p) => options.onProgress?.(kind, fold, splits.length, p)),
        }),
      );
    } catch (err) {
      const row: ComparisonRow = { model: kind, metrics: meanMetrics([]), coverage: 0, users: 0, trainSeconds: 0, skipped: err instanceof Error ? err.message : String(err) };
      options.onResult?.(row);
      return row;
    }
    const mean = (f: (r: (typeof runs)[number]) => number) => runs.reduce((s, r) => s + f(r), 0) / runs.length;
    const row: ComparisonRow = {
      model: kind,
      metrics: meanMetrics(runs.map((r) => r.metrics)),
      coverage: mean((r) => r.coverage),
      users: mean((r) => r.users),
      trainSeconds: mean((r) => r.trainSeconds),
    };
    if (options.beyond) row.beyond = meanBeyond(runs.map((r) => r.beyond).filter((b) => b !== undefined));
    options.onResult?.(row);
    return row;
  });
}

/** Each beyond-accuracy figure averaged over the folds. */
function meanBeyond(all: readonly BeyondAccuracy[]): BeyondAccuracy {
  const keys = Object.keys(all[0]) as (keyof BeyondAccuracy)[];
  const out = { ...all[0] };
  for (const key of keys) out[key] = all.reduce((s, b) => s + b[key], 0) / all.length;
  return out;
}
