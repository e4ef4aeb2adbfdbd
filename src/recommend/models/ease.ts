/**
 * EASE^R (Steck, 2019): a closed-form item-item linear model with a zero diagonal,
 * B = I − P·diag(1/diag(P)), P = (XᵀX + λI)⁻¹. One dense n×n inverse, so for catalogs up to a
 * few thousand items; beyond that use ALS.
 */
import { ConfigError } from '../../core/errors';
import type { FitOptions, ModelArtifact, RecommendOptions, TrainingData } from '../recommender';
import { ArtifactReader, encodeArray } from '../artifact';
import { RowModel, progress } from './base';
import { buildMatrix, rowsOf } from './matrix';
import { spdInverse } from './linalg';
import { readParams, type ParamValues } from './params';

const SPEC = {
  /** L2 regularization λ added to the Gram diagonal (tuned on a validation split of ML-100K). */
  lambda: { type: 'number', default: 700, min: 0 },
  /** Treat every interaction as 1 (implicit feedback) instead of using weights. */
  binary: { type: 'boolean', default: true },
  /** Largest catalog accepted: memory and time grow as n² and n³. */
  maxItems: { type: 'number', default: 6000, min: 1, integer: true },
} as const;

/** Parameters of {@link Ease}. */
export type EaseParams = ParamValues<typeof SPEC>;

/**
 * EASE^R recommender: a user's scores are their row times B; fold-in needs no solve at all.
 *
 * ```ts
 * const ease = new Ease({ lambda: 300 });
 * ease.fit({ interactions });
 * ease.recommend('u1', 10);
 * ```
 */
export class Ease extends RowModel {
  /** Always `ease`. */
  readonly kind = 'ease';
  declare readonly params: EaseParams;
  /** Row-major n×n weights; B[i][j] is how much having item i predicts item j. */
  private b: Float32Array = new Float32Array(0);

  /** @param params see {@link EaseParams}; ConfigError when out of range. */
  constructor(params?: Record<string, unknown>) {
    const p = readParams('ease', params, SPEC);
    super(1, p, p.binary);
  }

  /** Solves for B in closed form. */
  fit(data: TrainingData, options?: FitOptions): void {
    const m = buildMatrix(data.interactions, { binary: this.params.binary });
    const n = m.items.size;
    if (n > this.params.maxItems) {
      throw new ConfigError(`ease: ${n} items exceed maxItems ${this.params.maxItems}; use als for large catalogs`);
    }
    this.setTraining(m.users, m.items, rowsOf(m.csr));
    progress(options, 'gram', 0, 3);
    const g = new Float64Array(n * n);
    const x = m.csr;
    // XᵀX, lower triangle only (the inverse reads only that), one user's outer product at a time.
    for (let u = 0; u < x.rows; u++) {
      for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) {
        const ri = x.indices[p] * n;
        const w = x.values[p];
        for (let q = x.indptr[u]; q <= p; q++) g[ri + x.indices[q]] += w * x.values[q];
      }
    }
    for (let i = 0; i < n; i++) g[i * n + i] += this.params.lambda;
    progress(options, 'inverse', 1, 3);
    const inv = spdInverse(g, n);
    progress(options, 'weights', 2, 3);
    const b = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) b[i * n + j] = i === j ? 0 : -inv[i * n + j] / inv[j * n + j];
    }
    this.b = b;
    progress(options, 'weights', 3, 3);
  }

  protected scoreUser(u: number | undefined, _options: RecommendOptions): Float32Array | null {
    if (u === undefined || this.rows[u].indices.length === 0) return null;
    const n = this.items.size;
    const out = new Float32Array(n);
    const { indices, values } = this.rows[u];
    for (let k = 0; k < indices.length; k++) {
      const ri = indices[k] * n;
      const w = values[k];
      for (let j = 0; j < n; j++) out[j] += w * this.b[ri + j];
    }
    return out;
  }

  protected scoreItem(i: number): Float32Array | null {
    const n = this.items.size;
    return this.b.slice(i * n, (i + 1) * n);
  }

  protected saveState(): Record<string, unknown> {
    return { b: encodeArray(this.b) };
  }

  /** Restores a model saved by {@link Ease.toArtifact}. */
  static fromArtifact(a: ModelArtifact): Ease {
    const r = new ArtifactReader(a, 'ease', 1);
    const m = new Ease(r.params);
    m.loadRows(r);
    m.b = r.f32('b', m.items.size * m.items.size);
    return m;
  }
}
