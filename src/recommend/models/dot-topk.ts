/**
 * Serving for latent-factor models: the k items with the largest dot product with a user's
 * factors, in one fused pass over the item factors (one contiguous array, item-major) with a
 * bounded heap. No per-item allocation and no score vector of catalog size: on 50,000 items ×
 * 64 factors the whole call reads 12.8 MB once and writes nothing but the heap.
 */
import { BoundedHeap } from './topk';

/** The chosen items, best first, with their scores (rounded to single precision like stored scores). */
export interface TopItems {
  items: Int32Array;
  scores: Float32Array;
}

/**
 * Top-k of x·V_i over the items of `factors` (n × f, row-major), skipping the ascending item
 * indices in `skip` (a user's seen items) and items `accept` rejects. Ties go to the lower
 * index, and `accept` is consulted only for items that would enter the list, as in `topK`.
 *
 * ```ts
 * const { items, scores } = topKDot(userFactors, itemFactors, 64, 10, seenSorted);
 * ```
 */
export function topKDot(x: Float32Array, factors: Float32Array, f: number, k: number, skip: Int32Array, accept?: (i: number) => boolean): TopItems {
  const n = factors.length / f;
  const heap = new BoundedHeap(Math.min(k, n));
  let next = 0;
  let skipAt = skip.length > 0 ? skip[0] : -1;
  for (let i = 0, o = 0; i < n; i++, o += f) {
    if (i === skipAt) {
      skipAt = ++next < skip.length ? skip[next] : -1;
      continue;
    }
    heap.offer(i, scoreOf(x, factors, f, o), accept);
  }
  const items = heap.drain();
  return { items, scores: Float32Array.from(items, (i) => scoreOf(x, factors, f, i * f)) };
}

/**
 * x · factors[o … o+f) in single precision, with four independent sums (one running sum would
 * wait on every add); small enough for the optimizer to inline into the loop above. The pruned
 * index (mips.ts) scores through it too, so both paths give bit-identical scores.
 *
 * ```ts
 * scoreOf(userFactors, itemFactors, 64, item * 64);
 * ```
 */
export function scoreOf(x: Float32Array, factors: Float32Array, f: number, o: number): number {
  const f4 = f - (f % 4);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t < f4; t += 4) {
    s0 += x[t] * factors[o + t];
    s1 += x[t + 1] * factors[o + t + 1];
    s2 += x[t + 2] * factors[o + t + 2];
    s3 += x[t + 3] * factors[o + t + 3];
  }
  for (; t < f; t++) s0 += x[t] * factors[o + t];
  return Math.fround(s0 + s1 + (s2 + s3));
}
