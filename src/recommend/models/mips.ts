/**
 * Exact maximum-inner-product search over item factors: the same top-k as scoring every item
 * (dot-topk.ts), while computing few full dot products.
 *
 * Built once when a model is trained or loaded:
 * - items are sorted by factor norm, descending, and their factors copied in that order (one
 *   contiguous Float32Array, so the scan reads memory sequentially);
 * - the factors are also expressed in the principal axes of the item Gram matrix VᵀV (an
 *   orthogonal change of basis preserves dot products), and the first `head` coordinates of
 *   each item are kept with the norm of the rest.
 *
 * A query scans items in norm order with a bounded heap and prunes twice, both exact by
 * Cauchy–Schwarz:
 * 1. once |x|·|v_i| falls below the k-th best score, no later item (smaller norm) can enter, so
 *    the scan stops;
 * 2. otherwise y_head·w_head + |y_tail|·|w_tail| bounds x·v_i; in the principal basis the head
 *    holds most of the energy, so that bound prunes most items for `head` multiplies instead of f.
 * Items that survive are scored exactly as the brute-force kernel scores them (same data, same
 * order of operations), so ranks, ties (lower index first) and scores are identical. Bounds carry
 * a small relative margin that covers floating-point rounding.
 */
import { symmetricEigen } from './eigen';
import { scoreOf, type TopItems } from './dot-topk';
import { BoundedHeap } from './topk';

/**
 * Relative slack on every bound. Rounding in the rotated head and in the stored float32
 * coordinates is ~1e-6 of |x|·|v|; 1e-4 covers it with room and costs almost no pruning.
 */
const SLACK = 1e-4;

/** Above this many factors the f×f eigen-decomposition costs more than it saves at build time; only the norm bound is used. */
const MAX_ROTATED = 256;

/**
 * A norm-sorted, principal-axes index of an item-factor matrix for exact top-k dot products.
 *
 * ```ts
 * const index = new MipsIndex(itemFactors, 64);
 * const { items, scores } = index.topK(userFactors, 10, seenSorted);
 * ```
 */
export class MipsIndex {
  /** Item count. */
  readonly size: number;
  private readonly f: number;
  /** Coordinates kept in the principal basis (0: norm bound only). */
  private readonly head: number;
  /** Original item index at each scan position. */
  private readonly order: Int32Array;
  /** Scan position of each original item index. */
  private readonly positions: Int32Array;
  /** Item factors in scan order (n × f), exactly as given. */
  private readonly sorted: Float32Array;
  /** |v| per scan position, rounded up. */
  private readonly norms: Float64Array;
  /** First `head` principal coordinates per scan position (n × head). */
  private readonly heads: Float32Array;
  /** Norm of the remaining principal coordinates per scan position, rounded up. */
  private readonly tails: Float64Array;
  /** Principal axes Q (f × f, row-major, axes as columns). */
  private readonly axes: Float64Array;
  private readonly y: Float64Array;

  /**
   * @param factors item factors, n × f row-major (not copied into by later calls; the index keeps its own copy)
   * @param f factor count
   */
  constructor(factors: Float32Array, f: number) {
    const n = Math.floor(factors.length / f);
    this.size = n;
    this.f = f;
    const norm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0, o = i * f; t < f; t++) s += factors[o + t] * factors[o + t];
      norm[i] = Math.sqrt(s);
    }
    this.order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => norm[b] - norm[a] || a - b);
    this.positions = new Int32Array(n);
    this.sorted = new Float32Array(n * f);
    this.norms = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      const i = this.order[p];
      this.positions[i] = p;
      this.sorted.set(factors.subarray(i * f, (i + 1) * f), p * f);
      this.norms[p] = norm[i] * (1 + 1e-7);
    }
    // A head of a quarter of the factors: enough energy in it for a tight bound, few multiplies.
    this.head = f >= 8 && f <= MAX_ROTATED ? Math.max(4, f >> 2) : 0;
    this.axes = this.head > 0 ? principalAxes(this.sorted, n, f) : new Float64Array(0);
    this.heads = new Float32Array(n * this.head);
    this.tails = new Float64Array(n);
    this.y = new Float64Array(f);
    if (this.head > 0) this.project(n);
  }

  /** Fills heads and tails: w = Qᵀv per item, its first `head` coordinates and the norm of the rest. */
  private project(n: number): void {
    const { f, head, axes, sorted } = this;
    const w = new Float64Array(f);
    for (let p = 0; p < n; p++) {
      const o = p * f;
      w.fill(0);
      for (let r = 0; r < f; r++) {
        const vr = sorted[o + r];
        if (vr === 0) continue;
        for (let c = 0; c < f; c++) w[c] += vr * axes[r * f + c];
      }
      for (let c = 0; c < head; c++) this.heads[p * head + c] = w[c];
      let tail = 0;
      for (let c = head; c < f; c++) tail += w[c] * w[c];
      this.tails[p] = Math.sqrt(tail) * (1 + 1e-7);
    }
  }

  /**
   * Top-k of x·v_i, skipping the ascending item indices in `skip` and items `accept` rejects;
   * the same items, order and scores as `topKDot(x, factors, f, k, skip, accept)`.
   */
  topK(x: Float32Array, k: number, skip: Int32Array, accept?: (i: number) => boolean): TopItems {
    const { f, head, order, sorted, norms, heads, tails, y } = this;
    const n = this.size;
    const heap = new BoundedHeap(Math.min(k, n));
    let xNorm = 0;
    for (let t = 0; t < f; t++) xNorm += x[t] * x[t];
    xNorm = Math.sqrt(xNorm);
    let yTail = 0;
    if (head > 0) {
      const axes = this.axes;
      for (let c = 0; c < f; c++) y[c] = 0;
      for (let r = 0; r < f; r++) {
        const xr = x[r];
        for (let c = 0; c < f; c++) y[c] += xr * axes[r * f + c];
      }
      for (let c = head; c < f; c++) yTail += y[c] * y[c];
      yTail = Math.sqrt(yTail) * (1 + 1e-7);
    }
    const enter = (i: number): boolean => !contains(skip, i) && (!accept || accept(i));
    const slack = SLACK * xNorm;
    for (let p = 0; p < n; p++) {
      const floor = heap.threshold();
      // Norms only fall from here on: nothing later can beat the k-th best.
      if (xNorm * norms[p] + slack * norms[p] < floor) break;
      if (head > 0 && floor > -Infinity) {
        let s = 0;
        for (let c = 0, o = p * head; c < head; c++) s += y[c] * heads[o + c];
        if (s + yTail * tails[p] + slack * norms[p] < floor) continue;
      }
      heap.offer(order[p], scoreOf(x, sorted, f, p * f), enter);
    }
    const items = heap.drain();
    const pos = this.positions;
    return { items, scores: Float32Array.from(items, (i) => scoreOf(x, sorted, f, pos[i] * f)) };
  }
}

/** Principal axes of the rows of v (n × f): eigenvectors of VᵀV, largest eigenvalue first. */
function principalAxes(v: Float32Array, n: number, f: number): Float64Array {
  const g = new Float64Array(f * f);
  for (let i = 0; i < n; i++) {
    const o = i * f;
    for (let s = 0; s < f; s++) {
      const a = v[o + s];
      if (a === 0) continue;
      for (let t = 0; t <= s; t++) g[s * f + t] += a * v[o + t];
    }
  }
  for (let s = 0; s < f; s++) for (let t = 0; t < s; t++) g[t * f + s] = g[s * f + t];
  return symmetricEigen(g, f).vectors;
}

/** Binary search in ascending `sorted`. */
function contains(sorted: Int32Array, i: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < i) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === i;
}
