/**
 * Partial top-k selection over a dense score vector: a size-k min-heap, O(n log k), because a
 * full sort of a 10,000-item catalog per request would dominate serving time.
 */

/**
 * Indices of the k largest finite scores, best first; ties go to the lower index so results
 * are deterministic. `accept` is consulted only for candidates that would enter the heap, so
 * an expensive caller filter runs on few items.
 *
 * ```ts
 * topK(new Float32Array([0.1, 0.9, 0.5]), 2); // Int32Array [1, 2]
 * ```
 */
export function topK(scores: ArrayLike<number>, k: number, accept?: (i: number) => boolean): Int32Array {
  const n = scores.length;
  const heap = new BoundedHeap(Math.min(k, n));
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    // Non-finite (-Infinity marks excluded items, NaN is a model bug) never enters the list.
    if (!(s > -Infinity) || s === Infinity) continue;
    heap.offer(i, s, accept);
  }
  return heap.drain();
}

/**
 * The k best (index, score) pairs seen so far: a size-k min-heap whose root is the one to evict.
 *
 * ```ts
 * const heap = new BoundedHeap(10);
 * heap.offer(3, 0.9);
 * heap.drain(); // Int32Array [3]
 * ```
 */
export class BoundedHeap {
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  private size = 0;
  private readonly cap: number;

  /** @param k the most entries kept (negative counts as 0) */
  constructor(k: number) {
    this.cap = Math.max(0, k);
    this.idx = new Int32Array(this.cap);
    this.val = new Float64Array(this.cap);
  }

  /**
   * Keeps (i, s) if it is among the k best so far. Among equal scores the lower index wins,
   * whatever order pairs are offered in; `accept` is consulted only for a pair that would enter.
   */
  offer(i: number, s: number, accept?: (i: number) => boolean): void {
    if (this.size === this.cap) {
      if (this.cap === 0 || !less(this.val[0], this.idx[0], s, i)) return;
      if (accept && !accept(i)) return;
      siftDown(this.idx, this.val, this.size, i, s);
    } else {
      if (accept && !accept(i)) return;
      siftUp(this.idx, this.val, this.size, i, s);
      this.size++;
    }
  }

  /**
   * The score a new pair must beat to enter: the k-th best once k pairs are kept, -Infinity
   * before (and Infinity for k = 0, where nothing enters). Pruned scans stop on it.
   */
  threshold(): number {
    if (this.cap === 0) return Infinity;
    return this.size === this.cap ? this.val[0] : -Infinity;
  }

  /** The kept indices, best first; empties the heap. */
  drain(): Int32Array {
    // Drain the min-heap from the back: the smallest goes last.
    const out = new Int32Array(this.size);
    for (let end = this.size - 1; end >= 0; end--) {
      out[end] = this.idx[0];
      const lastI = this.idx[end];
      const lastV = this.val[end];
      if (end > 0) siftDown(this.idx, this.val, end, lastI, lastV);
    }
    this.size = 0;
    return out;
  }
}

/** Heap order: smaller score first; among equal scores the higher index is "smaller" (evicted first). */
function less(va: number, ia: number, vb: number, ib: number): boolean {
  return va < vb || (va === vb && ia > ib);
}

function siftUp(idx: Int32Array, val: Float64Array, size: number, i: number, v: number): void {
  let pos = size;
  while (pos > 0) {
    const parent = (pos - 1) >> 1;
    if (!less(v, i, val[parent], idx[parent])) break;
    idx[pos] = idx[parent];
    val[pos] = val[parent];
    pos = parent;
  }
  idx[pos] = i;
  val[pos] = v;
}

/** Replaces the root with (i, v) and restores heap order within the first `size` slots. */
function siftDown(idx: Int32Array, val: Float64Array, size: number, i: number, v: number): void {
  let pos = 0;
  for (;;) {
    let child = 2 * pos + 1;
    if (child >= size) break;
    if (child + 1 < size && less(val[child + 1], idx[child + 1], val[child], idx[child])) child++;
    if (!less(val[child], idx[child], v, i)) break;
    idx[pos] = idx[child];
    val[pos] = val[child];
    pos = child;
  }
  idx[pos] = i;
  val[pos] = v;
}
