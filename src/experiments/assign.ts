/**
 * The assignment decision: which variant a user sees, from the experiment, the user's id and the
 * assignment already stored for them. Pure: storing the result is the caller's job.
 *
 * It follows GrowthBook's `runExperiment` with `hashVersion: 2` and sticky bucketing on:
 * - a stored assignment of the current bucket version is kept, even after weights or coverage
 *   change, so that enrolled users are never reshuffled by a reallocation;
 * - bumping `bucketVersion` is how one asks for a reshuffle: everyone is hashed afresh;
 * - raising `minBucketVersion` as well excludes the users assigned under an older version (they
 *   saw another variant, their data would mix two treatments).
 */

import { bucketRanges, chooseVariant, hash, inNamespace, type Namespace } from './hash';

/** What an experiment looks like to the assignment. */
export interface ExperimentDefinition {
  /** Unique key; also the hashing seed unless `seed` is set. */
  key: string;
  /** Variant keys, the control first. At least two. */
  variants: readonly string[];
  /** Traffic share of each variant, summing to 1; equal by default. */
  weights?: readonly number[];
  /** Share of eligible users who enter the experiment, in [0, 1]; 1 by default. */
  coverage?: number;
  /** A slice of a namespace, for experiments that must not share users. */
  namespace?: Namespace;
  /** Hashing seed; the key by default (an empty seed also means the key, as in GrowthBook). */
  seed?: string;
  /** Version of the bucketing; bump it to reassign everyone. 0 by default. */
  bucketVersion?: number;
  /** Users whose stored assignment is older than this version are excluded. 0 by default. */
  minBucketVersion?: number;
}

/** The assignment stored for a user, as `assign` returned it the last time. */
export interface PreviousAssignment {
  variant: string;
  bucketVersion: number;
}

/** Why a user is not in the experiment. */
export type ExclusionReason = 'invalid' | 'missing-id' | 'blocked' | 'namespace' | 'coverage';

/** The decision for one user. */
export type Assignment =
  | {
      inExperiment: true;
      /** The variant's key, and its index in `variants`. */
      variant: string;
      index: number;
      /** The bucket version to store with the variant. */
      bucketVersion: number;
      /** The user's hash bucket in [0, 1). */
      bucket: number;
      /** True when the variant came from `previous` rather than from the hash. */
      sticky: boolean;
    }
  | { inExperiment: false; reason: ExclusionReason };

/**
 * Assigns `userId` to a variant of `experiment`, keeping `previous` when it still holds.
 *
 * Differs from GrowthBook in one corner only: GrowthBook keeps one stored assignment per bucket
 * version and blocks a user if any of them is older than `minBucketVersion`; here the caller
 * keeps the latest one, so a user reassigned under a newer version is judged by that one.
 *
 * ```ts
 * const exp = { key: 'reply-tone', variants: ['control', 'friendly'], weights: [0.5, 0.5] };
 * const a = assign(exp, 'user-42');                    // { inExperiment: true, variant: 'friendly', … }
 * // later, after a reallocation to 90/10, the user keeps their variant:
 * assign({ ...exp, weights: [0.9, 0.1] }, 'user-42', a.inExperiment ? a : undefined);
 * ```
 */
export function assign(experiment: ExperimentDefinition, userId: string, previous?: PreviousAssignment): Assignment {
  const { variants } = experiment;
  if (variants.length < 2) return { inExperiment: false, reason: 'invalid' };
  if (!userId) return { inExperiment: false, reason: 'missing-id' };
  const version = experiment.bucketVersion ?? 0;
  const bucket = hash(experiment.seed || experiment.key, userId, 2);

  if (previous) {
    if (previous.bucketVersion < (experiment.minBucketVersion ?? 0)) return { inExperiment: false, reason: 'blocked' };
    const index = previous.bucketVersion === version ? variants.indexOf(previous.variant) : -1;
    // A stored variant that no longer exists counts as no assignment, as in GrowthBook.
    if (index >= 0) return { inExperiment: true, variant: variants[index], index, bucketVersion: version, bucket, sticky: true };
  }

  if (experiment.namespace && !inNamespace(userId, experiment.namespace)) return { inExperiment: false, reason: 'namespace' };
  const index = chooseVariant(bucket, bucketRanges(variants.length, experiment.coverage ?? 1, experiment.weights));
  if (index < 0) return { inExperiment: false, reason: 'coverage' };
  return { inExperiment: true, variant: variants[index], index, bucketVersion: version, bucket, sticky: false };
}
