/**
 * The experiment statistics engine: pure functions from sufficient statistics to tests,
 * intervals and decisions.
 *
 * ```ts
 * import { moments, welchTest, holm } from './stats';
 * const r = welchTest(moments(control), moments(treatment));
 * holm([r.pValue, other.pValue]);
 * ```
 */

// Sufficient statistics
export { moments, pairedMoments, proportionMoments, type Moments, type PairedMoments } from './moments';

// Distributions
export { chiSquareSf, normalCdf, normalPdf, normalQuantile, tCdf, tQuantile, twoSidedP } from './distributions';

// Estimates, fixed-horizon tests
export { testEstimate, type Estimate, type Interval, type TestOptions, type TestResult } from './estimate';
export { welchDf, welchEstimate, welchTest } from './welch';
export { chiSquareTest, twoProportionZTest, type ChiSquareResult, type Conversions } from './proportions';
export { ratioMoments, relativeLiftEstimate } from './delta';
export { cupedAdjust, cupedTheta, type CupedResult } from './cuped';

// Checks and corrections
export { SRM_THRESHOLD, srmCheck, type SrmResult } from './srm';
export { benjaminiHochberg, holm } from './corrections';

// Sequential, Bayesian, equivalence
export {
  DEFAULT_SEQUENTIAL_TUNING,
  sequentialHalfWidth,
  sequentialRho,
  sequentialTest,
  type SequentialOptions,
} from './sequential';
export { bayesianEffect, expectedShortfall, type BayesianOptions, type BayesianResult, type GaussianPrior } from './bayesian';
export { equivalenceTest, type EquivalenceResult } from './equivalence';

// Planning
export { minimumDetectableEffect, power, sampleSizePerArm, type PowerInput } from './power';
