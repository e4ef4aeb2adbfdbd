/**
 * Item-based k-nearest neighbours: cosine similarity with shrinkage, pruned to the top-N
 * neighbours per item. With `shrink` 0 and binary data it is plain item co-occurrence cosine.
 */
import type { FitOptions, ModelArtifact, TrainingData } from '../recommender';
import { ArtifactReader } from '../artifact';
import { GraphModel, itemGraph } from './item-graph';
import { buildMatrix, rowsOf, transpose } from './matrix';
import { readParams, type ParamValues } from './params';

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
export class ItemKnn extends GraphModel {
  /** Always `itemknn`. */
  readonly kind = 'itemknn';
  declare readonly params: ItemKnnParams;

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
    this.graph = itemGraph(x, xt, { fromItem: xt.values, toItem: x.values, finish: (i, j, dot) => dot / (norm[i] * norm[j] + shrink), neighbours }, options);
  }

  protected saveState(): Record<string, unknown> {
    return this.saveGraph('sim');
  }

  /** Restores a model saved by {@link ItemKnn.toArtifact}. */
  static fromArtifact(a: ModelArtifact): ItemKnn {
    const r = new ArtifactReader(a, 'itemknn', 1);
    const m = new ItemKnn(r.params);
    m.loadRows(r);
    m.loadGraph(r, 'sim');
    return m;
  }
}
