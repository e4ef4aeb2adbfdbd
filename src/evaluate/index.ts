/**
 * Offline evaluation: seeded splits, ranking metrics and the evaluation runner.
 *
 * ```ts
 * import { stratifiedSplit, evaluate } from './evaluate';
 * const { train, test } = stratifiedSplit(interactions, { by: 'item', seed: 42 });
 * evaluate(model, train, test, { k: 10 }).metrics.ndcg;
 * ```
 */

// Seeded randomness
export { mulberry32, shuffle, type Rng } from './random';

// Splits
export {
  DEFAULT_SEED,
  kFold,
  leaveLastOut,
  stratifiedSplit,
  temporalSplit,
  trainValidationTest,
  type KFoldOptions,
  type Split,
  type StratifiedOptions,
  type StratifyBy,
  type TemporalOptions,
  type ThreeWayOptions,
  type ThreeWaySplit,
} from './splits';

// Metrics
export {
  METRIC_NAMES,
  averagePrecisionAtK,
  catalogCoverage,
  hitsAtK,
  meanMetrics,
  ndcgAtK,
  precisionAtK,
  rankingMetrics,
  recallAtK,
  type ApNormalization,
  type RankingMetrics,
} from './metrics';

// Beyond accuracy
export {
  DEFAULT_HEAD_SHARE,
  averagePopularity,
  beyondAccuracy,
  cooccurrenceSimilarity,
  distributionalCoverage,
  exposureGini,
  gini,
  intraListDiversity,
  longTailShare,
  novelty,
  popularityOf,
  serendipity,
  type BeyondAccuracy,
  type ItemSimilarity,
  type Popularity,
} from './beyond';

// Runner
export {
  breakdown,
  evaluate,
  type EvaluateOptions,
  type EvaluationResult,
  type GroupBy,
  type GroupResult,
  type UserResult,
} from './evaluate';

// Protocols and comparisons
export { KFOLD_FOLDS, PROTOCOLS, PROTOCOL_DESCRIPTIONS, protocolSplits, type Protocol } from './protocol';
export { compareModels, type CompareOptions, type ComparisonRow } from './compare';
