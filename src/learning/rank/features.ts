import { hashString } from '../../recommend/models/rng';

/**
 * From named features to the vectors the linear policies learn on. Names are hashed into a
 * fixed number of buckets (the hashing trick Vowpal Wabbit uses), so any feature a bot sends
 * has a place without a vocabulary to agree on between replicas. The joint vector of a
 * context and an action is the outer product [1, c] ⊗ [1, a]: a bias, the context alone, the
 * action alone and every context × action interaction, which lets one shared model learn which
 * action suits which context.
 */

/** Named numeric features, e.g. `{ mobile: 1, hour: 0.5 }`. */
export type Features = Readonly<Record<string, number>>;

/** How many hash buckets context and action features get. */
export interface FeatureDims {
  context: number;
  action: number;
}

/** FNV-1a, 32-bit: stable across processes and machines, as the bucket of a name must be. */
export const fnv1a: (text: string) => number = hashString;

/** The features hashed into `dims` buckets (names that share a bucket add up). */
export function hashed(features: Features | undefined, dims: number): Float64Array {
  const v = new Float64Array(dims);
  if (features) for (const [name, value] of Object.entries(features)) v[fnv1a(name) % dims] += value;
  return v;
}

/** Length of the joint vector for these dims. */
export function jointDims(dims: FeatureDims): number {
  return (dims.context + 1) * (dims.action + 1);
}

/** [1, context] ⊗ [1, action], flattened row by row. */
export function jointVector(context: ArrayLike<number>, action: ArrayLike<number>): Float64Array {
  const c = context.length + 1;
  const a = action.length + 1;
  const v = new Float64Array(c * a);
  for (let i = 0; i < c; i++) {
    const ci = i === 0 ? 1 : context[i - 1];
    if (ci === 0) continue;
    for (let j = 0; j < a; j++) v[i * a + j] = ci * (j === 0 ? 1 : action[j - 1]);
  }
  return v;
}
