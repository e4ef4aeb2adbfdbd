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
  const cap = Math.max(0, Math.min(k, n));
  const heapIdx = new Int32Array(cap);
  const heapVal = new Float64Array(cap);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i];
    // Non-finite (-Infinity marks excluded items, NaN is a model bug) never enters the list.
    if (!(s > -Infinity) || s === Infinity) continue;
    if (size === cap) {
      // Equal scores keep the earlier (lower) index already in the heap.
      if (cap === 0 || s <= heapVal[0]) continue;
      if (accept && !accept(i)) continue;
      siftDown(heapIdx, heapVal, size, i, s);
    } else {
      if (accept && !accept(i)) continue;
      siftUp(heapIdx, heapVal, size, i, s);
      size++;
    }
  }
  return drainHeap(heapIdx, heapVal, size);
}

/**
 * Empties a min-heap of `size` entries (built with {@link siftUp}/{@link siftDown}) into an
 * array of its indices, best first. The heap is destroyed.
 */
export function drainHeap(heapIdx: Int32Array, heapVal: Float64Array, size: number): Int32Array {
  // Drain the min-heap from the back: the smallest goes last.
  const out = new Int32Array(size);
  for (let end = size - 1; end >= 0; end--) {
    out[end] = heapIdx[0];
    const lastI = heapIdx[end];
    const lastV = heapVal[end];
    if (end > 0) siftDown(heapIdx, heapVal, end, lastI, lastV);
  }
  return out;
}

/** Heap order: smaller score first; among equal scores the higher index is "smaller" (evicted first). */
function less(va: number, ia: number, vb: number, ib: number): boolean {
  return va < vb || (va === vb && ia > ib);
}

/** Adds (i, v) as entry number `size` of the min-heap and restores heap order. */
export function siftUp(idx: Int32Array, val: Float64Array, size: number, i: number, v: number): void {
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
export function siftDown(idx: Int32Array, val: Float64Array, size: number, i: number, v: number): void {
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
