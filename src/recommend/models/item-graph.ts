/**
 * The sparse item × item pass that item-kNN and RP3beta share: for every item i, the weighted
 * co-occurrence Σ_u a_ui·b_uj with every item j that one of i's users also has, in one pass over
 * those users' rows, then a model-specific finishing step and pruning to the top neighbours.
 */
import type { FitOptions, RecommendOptions } from '../recommender';
import { RowModel, progress } from './base';
import type { ArtifactReader } from '../artifact';
import { encodeArray } from '../artifact';
import type { Csr } from './matrix';
import { topK } from './topk';

/** How a model turns co-occurrences into its item graph. */
export interface ItemGraphSpec {
  /** a_ui per stored entry of xᵀ (the step from item i to user u). */
  fromItem: ArrayLike<number>;
  /** b_uj per stored entry of x (the step from user u to item j). */
  toItem: ArrayLike<number>;
  /** The edge weight of (i, j) from their co-occurrence sum (j ≠ i). */
  finish(i: number, j: number, cooccurrence: number): number;
  /** Neighbours kept per item. */
  neighbours: number;
  /** Divide each row by its sum (a transition probability), after pruning. */
  normalizeRows?: boolean;
}

/**
 * The pruned item graph of `x` (users × items) given its transpose, neighbours of a row by
 * descending weight (ties to the lower item).
 *
 * ```ts
 * const sim = itemGraph(x, transpose(x), { fromItem: xt.values, toItem: x.values, finish: (i, j, c) => c, neighbours: 100 });
 * ```
 */
export function itemGraph(x: Csr, xt: Csr, spec: ItemGraphSpec, options?: FitOptions): Csr {
  const n = xt.rows;
  const { fromItem, toItem, finish, neighbours } = spec;
  const acc = new Float64Array(n);
  const mark = new Uint8Array(n);
  const touched = new Int32Array(n);
  const indptr = new Int32Array(n + 1);
  const outIdx: Int32Array[] = [];
  const outVal: Float32Array[] = [];
  for (let i = 0; i < n; i++) {
    let nt = 0;
    for (let p = xt.indptr[i]; p < xt.indptr[i + 1]; p++) {
      const u = xt.indices[p];
      const a = fromItem[p];
      for (let q = x.indptr[u]; q < x.indptr[u + 1]; q++) {
        const j = x.indices[q];
        if (!mark[j]) {
          mark[j] = 1;
          touched[nt++] = j;
        }
        acc[j] += a * toItem[q];
      }
    }
    const cand = new Float32Array(nt);
    for (let t = 0; t < nt; t++) {
      const j = touched[t];
      // An item is not its own neighbour.
      cand[t] = j === i ? -Infinity : finish(i, j, acc[j]);
      acc[j] = 0;
      mark[j] = 0;
    }
    const best = topK(cand, neighbours);
    let sum = 0;
    if (spec.normalizeRows) for (const t of best) sum += cand[t];
    const scale = sum > 0 ? 1 / sum : 1;
    outIdx.push(Int32Array.from(best, (t) => touched[t]));
    outVal.push(Float32Array.from(best, (t) => cand[t] * scale));
    indptr[i + 1] = indptr[i] + best.length;
    if ((i & 255) === 0) progress(options, 'items', i, n);
  }
  const indices = new Int32Array(indptr[n]);
  const values = new Float32Array(indptr[n]);
  for (let i = 0; i < n; i++) {
    indices.set(outIdx[i], indptr[i]);
    values.set(outVal[i], indptr[i]);
  }
  progress(options, 'items', n, n);
  return { rows: n, cols: n, indptr, indices, values };
}

/** Σ over a user's items of x_ui · row i of `graph`: the score of every item (item-kNN, RP3beta). */
export function graphScores(graph: Csr, indices: Int32Array, values: Float32Array, items: number): Float32Array {
  const out = new Float32Array(items);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const v = values[k];
    for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) out[graph.indices[p]] += v * graph.values[p];
  }
  return out;
}

/** Row i of `graph` as a dense vector; items off the list are unknown (−∞), not dissimilar. */
export function graphRow(graph: Csr, i: number, items: number): Float32Array {
  const out = new Float32Array(items).fill(-Infinity);
  for (let p = graph.indptr[i]; p < graph.indptr[i + 1]; p++) out[graph.indices[p]] = graph.values[p];
  return out;
}

/**
 * A model that scores through an item graph (item-kNN, RP3beta): a user's score for j is
 * Σ_i x_ui·graph_ij, and `similar` reads row i.
 */
export abstract class GraphModel extends RowModel {
  /** Item × item edges, row i holding i's pruned neighbours. */
  protected graph: Csr = { rows: 0, cols: 0, indptr: new Int32Array(1), indices: new Int32Array(0), values: new Float32Array(0) };

  protected scoreUser(u: number | undefined, _options: RecommendOptions): Float32Array | null {
    if (u === undefined || this.rows[u].indices.length === 0) return null;
    return graphScores(this.graph, this.rows[u].indices, this.rows[u].values, this.items.size);
  }

  protected scoreItem(i: number): Float32Array | null {
    return graphRow(this.graph, i, this.items.size);
  }

  /** The graph's artifact fields, under `prefix` (each model keeps its historical names). */
  protected saveGraph(prefix: string): Record<string, unknown> {
    return { [`${prefix}Indptr`]: encodeArray(this.graph.indptr), [`${prefix}Indices`]: encodeArray(this.graph.indices), [`${prefix}Values`]: encodeArray(this.graph.values) };
  }

  /** Restores what {@link GraphModel.saveGraph} wrote (after `loadRows`, which sets the item count). */
  protected loadGraph(r: ArtifactReader, prefix: string): void {
    const n = this.items.size;
    const indptr = r.i32(`${prefix}Indptr`, n + 1);
    this.graph = { rows: n, cols: n, indptr, indices: r.i32(`${prefix}Indices`, indptr[n]), values: r.f32(`${prefix}Values`, indptr[n]) };
  }
}
