/**
 * Item-based k-nearest neighbours: cosine similarity with shrinkage, pruned to the top-N
 * neighbours per item. With `shrink` 0 and binary data it is plain item co-occurrence cosine.
 */
import type { FitOptions, ModelArtifact, RecommendOptions, TrainingData } from '../recommender';
import { ArtifactReader, encodeArray } from '../artifact';
import { RowModel, progress } from './base';
import { buildMatrix, rowsOf, transpose, type Csr } from './matrix';
import { readParams, type ParamValues } from './params';
import { topK } from './topk';

const SPEC = {
  /** Neighbours kept per item (the pruning that makes serving sparse). */
  neighbours: { type: 'number', default: 400, min: 1, integer: true },
  /** Added to the cosine denominator: damps similarities backed by few co-occurrences. */
  shrink: { type: 'number', default: 0, min: 0 },
  /** Treat every interaction as 1 (implicit feedback) instead of using weights. */
  binary: { type: 'boolean', default: true },
} as const;

/** Parameters of {@link ItemKnn}. */
export type ItemKnnParams = ParamValues<typeof SPEC>;

/**
 * Item-kNN recommender: a user's score for item j is Σ over their items i of x_ui · sim(i, j),
 * where sim is kept only for i's `neighbours` most similar items.
 *
 * ```ts
 * const knn = new ItemKnn({ neighbours: 50, shrink: 10 });
 * knn.fit({ interactions });
 * knn.similar('item-42', 5);
 * ```
 */
export class ItemKnn extends RowModel {
  /** Always `itemknn`. */
  readonly kind = 'itemknn';
  declare readonly params: ItemKnnParams;
  /** Item × item neighbour lists, row i holds i's pruned neighbours. */
  private sim: Csr = { rows: 0, cols: 0, indptr: new Int32Array(1), indices: new Int32Array(0), values: new Float32Array(0) };

  /** @param params see {@link ItemKnnParams}; ConfigError when out of range. */
  constructor(params?: Record<string, unknown>) {
    const p = readParams('itemknn', params, SPEC);
    super(1, p, p.binary);
  }

  /** Computes pruned item-item cosine similarities. */
  fit(data: TrainingData, options?: FitOptions): void {
    const m = buildMatrix(data.interactions, { binary: this.params.binary });
    this.setTraining(m.users, m.items, rowsOf(m.csr));
    const x = m.csr;
    const xt = transpose(x);
    const n = xt.rows;
    const norm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = xt.indptr[i]; p < xt.indptr[i + 1]; p++) s += xt.values[p] * xt.values[p];
      norm[i] = Math.sqrt(s);
    }
    const { neighbours, shrink } = this.params;
    const acc = new Float64Array(n);
    const mark = new Uint8Array(n);
    const touched = new Int32Array(n);
    const indptr = new Int32Array(n + 1);
    const outIdx: Int32Array[] = [];
    const outVal: Float32Array[] = [];
    for (let i = 0; i < n; i++) {
      let nt = 0;
      // Co-occurrence dot products of item i with every item sharing a user, in one sparse pass.
      for (let p = xt.indptr[i]; p < xt.indptr[i + 1]; p++) {
        const u = xt.indices[p];
        const w = xt.values[p];
        for (let q = x.indptr[u]; q < x.indptr[u + 1]; q++) {
          const j = x.indices[q];
          if (!mark[j]) {
            mark[j] = 1;
            touched[nt++] = j;
          }
          acc[j] += w * x.values[q];
        }
      }
      const cand = new Float32Array(nt);
      for (let t = 0; t < nt; t++) {
        const j = touched[t];
        cand[t] = j === i ? -Infinity : acc[j] / (norm[i] * norm[j] + shrink);
        acc[j] = 0;
        mark[j] = 0;
      }
      const best = topK(cand, neighbours);
      outIdx.push(Int32Array.from(best, (t) => touched[t]));
      outVal.push(Float32Array.from(best, (t) => cand[t]));
      indptr[i + 1] = indptr[i] + best.length;
      if ((i & 255) === 0) progress(options, 'items', i, n);
    }
    const indices = new Int32Array(indptr[n]);
    const values = new Float32Array(indptr[n]);
    for (let i = 0; i < n; i++) {
      indices.set(outIdx[i], indptr[i]);
      values.set(outVal[i], indptr[i]);
    }
    this.sim = { rows: n, cols: n, indptr, indices, values };
    progress(options, 'items', n, n);
  }

  protected scoreUser(u: number | undefined, _options: RecommendOptions): Float32Array | null {
    if (u === undefined || this.rows[u].indices.length === 0) return null;
    const { indices, values } = this.rows[u];
    const s = this.sim;
    const out = new Float32Array(this.items.size);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      const w = values[k];
      for (let p = s.indptr[i]; p < s.indptr[i + 1]; p++) out[s.indices[p]] += w * s.values[p];
    }
    return out;
  }

  protected scoreItem(i: number): Float32Array | null {
    const s = this.sim;
    // Items outside the neighbour list are unknown, not dissimilar: keep them out of the list.
    const out = new Float32Array(this.items.size).fill(-Infinity);
    for (let p = s.indptr[i]; p < s.indptr[i + 1]; p++) out[s.indices[p]] = s.values[p];
    return out;
  }

  protected saveState(): Record<string, unknown> {
    return { simIndptr: encodeArray(this.sim.indptr), simIndices: encodeArray(this.sim.indices), simValues: encodeArray(this.sim.values) };
  }

  /** Restores a model saved by {@link ItemKnn.toArtifact}. */
  static fromArtifact(a: ModelArtifact): ItemKnn {
    const r = new ArtifactReader(a, 'itemknn', 1);
    const m = new ItemKnn(r.params);
    m.loadRows(r);
    const n = m.items.size;
    const indptr = r.i32('simIndptr', n + 1);
    m.sim = { rows: n, cols: n, indptr, indices: r.i32('simIndices', indptr[n]), values: r.f32('simValues', indptr[n]) };
    return m;
  }
}
