/**
 * Experiments: GrowthBook-compatible assignment. Everything here is pure.
 *
 * ```ts
 * import { assign } from './experiments';
 * const a = assign({ key: 'reply-tone', variants: ['control', 'friendly'] }, userId, stored);
 * ```
 */

// Assignment
export { bucketRanges, chooseVariant, equalWeights, fnv1a32, hash, inNamespace, type BucketRange, type Namespace } from './hash';
export { assign, type Assignment, type ExclusionReason, type ExperimentDefinition, type PreviousAssignment } from './assign';
