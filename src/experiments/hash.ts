/**
 * Deterministic bucketing, bit-for-bit the one of GrowthBook's SDKs: a user hashed here lands in
 * the same bucket, and so in the same variant, as in any GrowthBook SDK given the same experiment,
 * so that assignments made by Attune and by a GrowthBook-instrumented front end agree.
 *
 * The float arithmetic (cumulative weights, `coverage * weight`) is done in the SDK's order on
 * purpose: a different but mathematically equal order could move a user sitting exactly on a
 * range boundary.
 */

/** A half-open interval `[start, end)` of the unit line that maps to one variant. */
export type BucketRange = readonly [start: number, end: number];

/**
 * A namespace slice: experiments that share the namespace `id` and take disjoint slices of
 * `[0, 1)` never enroll the same user (GrowthBook's `namespace`).
 */
export type Namespace = readonly [id: string, start: number, end: number];

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * 32-bit FNV-1a over the UTF-16 code units of `text`, as an unsigned integer.
 *
 * ```ts
 * fnv1a32('a'); // 3826002220
 * ```
 */
export function fnv1a32(text: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    // Math.imul is the multiplication mod 2^32 that the SDK spells as a sum of shifts.
    h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  }
  return h >>> 0;
}

/**
 * The bucket of `value` under `seed`, in `[0, 1)`.
 *
 * Version 2 (the default, and the one to use for experiments) hashes twice and keeps four
 * decimals, which removes the bias of version 1 towards some seeds; version 1 keeps three decimals
 * and exists because namespaces still use it.
 *
 * ```ts
 * hash('checkout-button', 'user-42');    // 0.9068: the same in every GrowthBook SDK
 * hash('__pricing', 'user-42', 1);       // a namespace position
 * ```
 */
export function hash(seed: string, value: string, version: 1 | 2 = 2): number {
  if (version === 2) return (fnv1a32(String(fnv1a32(seed + value))) % 10000) / 10000;
  return (fnv1a32(value + seed) % 1000) / 1000;
}

/**
 * Whether `userId` falls in the namespace slice (GrowthBook's `inNamespace`).
 *
 * ```ts
 * inNamespace('user-42', ['pricing', 0, 0.5]); // experiments on [0.5, 1) of 'pricing' exclude this user
 * ```
 */
export function inNamespace(userId: string, namespace: Namespace): boolean {
  const n = hash(`__${namespace[0]}`, userId, 1);
  return n >= namespace[1] && n < namespace[2];
}

/**
 * `count` equal weights.
 *
 * ```ts
 * equalWeights(4); // [0.25, 0.25, 0.25, 0.25]
 * ```
 */
export function equalWeights(count: number): number[] {
  return count > 0 ? new Array<number>(count).fill(1 / count) : [];
}

/**
 * The bucket range of each variant: variant `i` takes the first `coverage` share of its weight's
 * stretch of the unit line, so that raising coverage later only adds users and never moves one.
 *
 * As the SDK does, a coverage outside [0, 1] is clamped, and weights of the wrong length or not
 * summing to 1 (± 0.01) fall back to equal weights; a definition schema should reject those
 * before they get here.
 *
 * ```ts
 * bucketRanges(2, 0.5, [0.4, 0.6]); // [[0, 0.2], [0.4, 0.7]]
 * ```
 */
export function bucketRanges(count: number, coverage = 1, weights?: readonly number[]): BucketRange[] {
  const cov = Math.min(1, Math.max(0, coverage));
  let w: readonly number[] = weights && weights.length === count ? weights : equalWeights(count);
  // Summed in the SDK's order (a fold from the left), so the total is the same float.
  const total = w.reduce((sum, x) => sum + x, 0);
  if (total < 0.99 || total > 1.01) w = equalWeights(count);
  let cumulative = 0;
  return w.map((x) => {
    const start = cumulative;
    cumulative += x;
    return [start, start + cov * x] as const;
  });
}

/**
 * The index of the range that holds `bucket`, or -1 when it falls in none (outside coverage).
 *
 * ```ts
 * chooseVariant(0.45, bucketRanges(2, 0.5)); // -1: between [0, 0.25) and [0.5, 0.75)
 * ```
 */
export function chooseVariant(bucket: number, ranges: readonly BucketRange[]): number {
  for (let i = 0; i < ranges.length; i++) {
    if (bucket >= ranges[i][0] && bucket < ranges[i][1]) return i;
  }
  return -1;
}
