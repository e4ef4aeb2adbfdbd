/**
 * Experiments: GrowthBook-compatible assignment, adaptive allocation and the statistics that
 * read the results, and the registry of running experiments. Everything but the registry (which
 * persists definitions through the artifact store) is pure: arrays in, numbers out, seeded where random.
 *
 * ```ts
 * import { assign, analyze } from './experiments';
 * const a = assign({ key: 'reply-tone', variants: ['control', 'friendly'] }, userId, stored);
 * const r = analyze(rows, { metric: 'binomial', baseline: 'control' });
 * ```
 */

// Assignment
export { bucketRanges, chooseVariant, equalWeights, fnv1a32, hash, inNamespace, type BucketRange, type Namespace } from './hash';
export { assign, type Assignment, type ExclusionReason, type ExperimentDefinition, type PreviousAssignment } from './assign';

// Who is in which experiment on a turn
export { enroll, isRunning, isTargeted, type EnrolInput, type Enrolment, type RunnableExperiment } from './enroll';

// Adaptive allocation
export { applyFloor, thompsonWeights, type ArmStats, type ThompsonOptions, type ThompsonResult } from './bandit';
export { currentWeights, isDue, MAX_ALLOCATION_POINTS, reallocate, type AllocationPoint, type ArmStatsSource } from './allocation';
export { betaSampler, gammaSampler, normalSampler } from './sampling';

// Analysis
export {
  analyze,
  type Analysis,
  type AnalyzeOptions,
  type Comparison,
  type MetricKind,
  type RatioRow,
  type ValueRow,
  type VariantSummary,
} from './analyze';

// Statistics
export {
  bayesianEffect,
  benjaminiHochberg,
  chiSquareTest,
  cupedAdjust,
  cupedTheta,
  DEFAULT_SEQUENTIAL_TUNING,
  equivalenceTest,
  expectedShortfall,
  holm,
  minimumDetectableEffect,
  moments,
  pairedMoments,
  power,
  proportionMoments,
  ratioMoments,
  relativeLiftEstimate,
  sampleSizePerArm,
  sequentialHalfWidth,
  sequentialRho,
  sequentialTest,
  SRM_THRESHOLD,
  srmCheck,
  testEstimate,
  twoProportionZTest,
  welchDf,
  welchEstimate,
  welchTest,
  type BayesianOptions,
  type BayesianResult,
  type ChiSquareResult,
  type Conversions,
  type CupedResult,
  type EquivalenceResult,
  type Estimate,
  type GaussianPrior,
  type Interval,
  type Moments,
  type PairedMoments,
  type PowerInput,
  type SequentialOptions,
  type SrmResult,
  type TestOptions,
  type TestResult,
} from './stats';

// The registry (config and REST, persisted for replicas)
export { armCounter, counterArmStats, EXPERIMENTS_ARTIFACT, ExperimentRegistry, type ExperimentRecord, type ExperimentRegistryOptions } from './registry';

// Definitions
export {
  ExperimentSchema,
  MetricSchema,
  OverridesSchema,
  VariantSchema,
  metricId,
  toAssignable,
  variantWeights,
  type Experiment,
  type ExperimentInput,
  type Metric,
  type Overrides,
  type Variant,
} from './definition';
