/**
 * Matrix factorization trained by SGD, score p_u·q_i + b_i (+ μ + b_u), with two objectives:
 *
 * - **BPR** (the default; Rendle et al., 2009): for implicit data, a ranking objective. Each step
 *   takes an observed (u, i) and an item j the user has not interacted with, sampled uniformly,
 *   and raises ln σ(x̂_ui − x̂_uj): the model learns to put seen items above unseen ones, which is
 *   what a top-N list needs.
 * - **explicit** (Funk / Koren "SVD", as in Surprise): r̂ = μ + b_u + b_i + p_u·q_i fitted to the
 *   observed ratings only, for predicting a rating; a weak top-N ranker on implicit data.
 */
import type { FitOptions, ModelArtifact, RecommendOptions, TrainingData } from '../recommender';
import { ArtifactReader, encodeArray } from '../artifact';
import { RowModel, progress } from './base';
import { concatRows, cosineAll, dotAll, randomFactors, rowViews } from './factors';
import { buildMatrix, rowsOf, type Csr } from './matrix';
import { readParams, type ParamValues } from './params';
import { Rng } from './rng';

const SPEC = {
  /** Fit observed ratings (Funk SVD) instead of ranking seen items above unseen ones (BPR). */
  explicit: { type: 'boolean', default: false },
  /** Latent dimensions. */
  factors: { type: 'number', default: 64, min: 1, max: 1024, integer: true },
  /** Passes over the interactions (BPR: one sampled pair per interaction per pass). */
  epochs: { type: 'number', default: 40, min: 1, integer: true },
  /** SGD step (explicit runs well near 0.005, BPR near 0.05). */
  learningRate: { type: 'number', default: 0.05, min: 0 },
  /** L2 regularization of biases and factors. */
  regularization: { type: 'number', default: 0.01, min: 0 },
  /** Standard deviation of the initial factors. */
  initStd: { type: 'number', default: 0.1, min: 0 },
  /** SGD passes over a folded-in user's interactions (item side fixed). */
  foldInEpochs: { type: 'number', default: 30, min: 1, integer: true },
  /** Explicit: treat every interaction as rating 1. BPR ignores weights either way. */
  binary: { type: 'boolean', default: false },
} as const;

/** Parameters of {@link MatrixFactorization}. */
export type MatrixFactorizationParams = ParamValues<typeof SPEC>;

/**
 * Biased MF recommender; `predict` gives the expected rating of a pair.
 *
 * ```ts
 * const mf = new MatrixFactorization({ factors: 50 });
 * mf.fit({ interactions: ratings }, { seed: 1 });
 * mf.predict('u1', 'i9'); // ≈ a rating
 * ```
 */
export class MatrixFactorization extends RowModel {
  /** Always `mf`. */
  readonly kind = 'mf';
  declare readonly params: MatrixFactorizationParams;
  private mu = 0;
  private userBias: number[] = [];
  private userF: Float32Array[] = [];
  private itemBias: Float32Array = new Float32Array(0);
  private itemF: Float32Array = new Float32Array(0);

  /** @param params see {@link MatrixFactorizationParams}; ConfigError when out of range. */
  constructor(params?: Record<string, unknown>) {
    const p = readParams('mf', params, SPEC);
    super(2, p, p.binary || !p.explicit);
  }

  /** SGD in a seeded random order each epoch, on the objective the params name. */
  fit(data: TrainingData, options?: FitOptions): void {
    const m = buildMatrix(data.interactions, { binary: this.binary });
    this.setTraining(m.users, m.items, rowsOf(m.csr));
    if (this.params.explicit) this.fitExplicit(m.csr, options);
    else this.fitBpr(m.csr, options);
  }

  /** BPR: per step one observed (u, i), one unseen j, a gradient step on ln σ(x̂_ui − x̂_uj). */
  private fitBpr(x: Csr, options?: FitOptions): void {
    const { factors: f, epochs, learningRate: lr, regularization: reg, initStd } = this.params;
    const rng = new Rng(options?.seed ?? 0);
    const nnz = x.indices.length;
    const rowOf = rowsOfEntries(x);
    const pu = randomFactors(x.rows, f, initStd, rng);
    const qi = randomFactors(x.cols, f, initStd, rng);
    const bi = new Float64Array(x.cols);
    const order = Int32Array.from({ length: nnz }, (_, k) => k);
    for (let epoch = 0; epoch < epochs; epoch++) {
      rng.shuffle(order);
      for (let n = 0; n < nnz; n++) {
        const k = order[n];
        const u = rowOf[k];
        const i = x.indices[k];
        const j = unseenItem(x, u, rng);
        if (j < 0) continue;
        bprStep(pu, u * f, qi, i * f, j * f, f, bi, i, j, lr, reg);
      }
      progress(options, 'epoch', epoch + 1, epochs);
    }
    this.mu = 0;
    this.userBias = new Array<number>(x.rows).fill(0);
    this.userF = rowViews(pu, f);
    this.itemBias = Float32Array.from(bi);
    this.itemF = qi;
  }

  /** Funk SVD: SGD on the squared error of the observed ratings. */
  private fitExplicit(x: Csr, options?: FitOptions): void {
    const { factors: f, epochs, learningRate: lr, regularization: reg, initStd } = this.params;
    const rng = new Rng(options?.seed ?? 0);
    const nnz = x.indices.length;
    const rowOf = rowsOfEntries(x);
    let sum = 0;
    for (let k = 0; k < nnz; k++) sum += x.values[k];
    const mu = nnz ? sum / nnz : 0;
    const pu = randomFactors(x.rows, f, initStd, rng);
    const qi = randomFactors(x.cols, f, initStd, rng);
    const bu = new Float64Array(x.rows);
    const bi = new Float64Array(x.cols);
    const order = Int32Array.from({ length: nnz }, (_, k) => k);
    for (let epoch = 0; epoch < epochs; epoch++) {
      rng.shuffle(order);
      for (let n = 0; n < nnz; n++) {
        const k = order[n];
        const u = rowOf[k];
        const i = x.indices[k];
        const uo = u * f;
        const io = i * f;
        let dot = 0;
        for (let t = 0; t < f; t++) dot += pu[uo + t] * qi[io + t];
        const e = x.values[k] - (mu + bu[u] + bi[i] + dot);
        bu[u] += lr * (e - reg * bu[u]);
        bi[i] += lr * (e - reg * bi[i]);
        for (let t = 0; t < f; t++) {
          const pv = pu[uo + t];
          const qv = qi[io + t];
          pu[uo + t] += lr * (e * qv - reg * pv);
          qi[io + t] += lr * (e * pv - reg * qv);
        }
      }
      progress(options, 'epoch', epoch + 1, epochs);
    }
    this.mu = mu;
    this.userBias = Array.from(bu);
    this.userF = rowViews(pu, f);
    this.itemBias = Float32Array.from(bi);
    this.itemF = qi;
  }

  /** Predicted rating of `user` for `item`; undefined when either is unknown. */
  predict(user: string, item: string): number | undefined {
    const u = this.users.get(user);
    const i = this.items.get(item);
    if (u === undefined || i === undefined || this.rows[u].indices.length === 0) return undefined;
    const f = this.params.factors;
    let s = this.mu + this.userBias[u] + this.itemBias[i];
    for (let t = 0; t < f; t++) s += this.userF[u][t] * this.itemF[i * f + t];
    return s;
  }

  /** A few SGD passes on the new user's factors (and bias), item side fixed; deterministic. */
  protected override afterFoldIn(u: number): void {
    if (this.params.explicit) this.foldInExplicit(u);
    else this.foldInBpr(u);
  }

  /** BPR on the user's vector only, from zero, negatives from a generator seeded by the row. */
  private foldInBpr(u: number): void {
    const { factors: f, foldInEpochs, learningRate: lr, regularization: reg } = this.params;
    const { indices } = this.rows[u];
    const row: Csr = { rows: 1, cols: this.items.size, indptr: Int32Array.of(0, indices.length), indices, values: new Float32Array(indices.length) };
    const rng = new Rng(indices.length);
    const p = new Float32Array(f);
    const itemF = this.itemF;
    for (let epoch = 0; epoch < foldInEpochs; epoch++) {
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k];
        const j = unseenItem(row, 0, rng);
        if (j < 0) continue;
        const io = i * f;
        const jo = j * f;
        let d = this.itemBias[i] - this.itemBias[j];
        for (let t = 0; t < f; t++) d += p[t] * (itemF[io + t] - itemF[jo + t]);
        const g = 1 / (1 + Math.exp(d));
        for (let t = 0; t < f; t++) p[t] += lr * (g * (itemF[io + t] - itemF[jo + t]) - reg * p[t]);
      }
    }
    this.userBias[u] = 0;
    this.userF[u] = p;
  }

  private foldInExplicit(u: number): void {
    const { factors: f, foldInEpochs, learningRate: lr, regularization: reg } = this.params;
    const p = new Float64Array(f);
    let b = 0;
    const { indices, values } = this.rows[u];
    for (let epoch = 0; epoch < foldInEpochs; epoch++) {
      for (let k = 0; k < indices.length; k++) {
        const io = indices[k] * f;
        let dot = 0;
        for (let t = 0; t < f; t++) dot += p[t] * this.itemF[io + t];
        const e = values[k] - (this.mu + b + this.itemBias[indices[k]] + dot);
        b += lr * (e - reg * b);
        for (let t = 0; t < f; t++) p[t] += lr * (e * this.itemF[io + t] - reg * p[t]);
      }
    }
    this.userBias[u] = b;
    this.userF[u] = Float32Array.from(p);
  }

  protected scoreUser(u: number | undefined, _options: RecommendOptions): Float32Array | null {
    if (u === undefined || this.rows[u].indices.length === 0) return null;
    const out = dotAll(this.userF[u], this.itemF, this.params.factors, this.itemBias);
    const base = this.mu + this.userBias[u];
    for (let i = 0; i < out.length; i++) out[i] += base;
    return out;
  }

  protected scoreItem(i: number): Float32Array | null {
    return cosineAll(this.itemF, this.params.factors, i);
  }

  protected saveState(): Record<string, unknown> {
    return {
      mu: this.mu,
      userBias: encodeArray(Float64Array.from(this.userBias)),
      userFactors: encodeArray(concatRows(this.userF, this.params.factors)),
      itemBias: encodeArray(this.itemBias),
      itemFactors: encodeArray(this.itemF),
    };
  }

  /** Restores a model saved by {@link MatrixFactorization.toArtifact} (format 1 was always explicit). */
  static fromArtifact(a: ModelArtifact): MatrixFactorization {
    const old = a.format === 1;
    const r = new ArtifactReader(a, 'mf', old ? 1 : 2);
    const m = new MatrixFactorization(old ? { ...r.params, explicit: true } : r.params);
    m.loadRows(r);
    const f = m.params.factors;
    m.mu = r.num('mu');
    m.userBias = Array.from(r.f64('userBias', m.users.size));
    m.userF = rowViews(r.f32('userFactors', m.users.size * f), f);
    m.itemBias = r.f32('itemBias', m.items.size);
    m.itemF = r.f32('itemFactors', m.items.size * f);
    return m;
  }
}

/**
 * An item user `u` has not interacted with, uniformly (rejection sampling against the sorted
 * row: a few tries suffice when a user has seen a small part of the catalog); -1 when the user
 * has seen nearly everything.
 */
function unseenItem(x: Csr, u: number, rng: Rng): number {
  const lo = x.indptr[u];
  const hi = x.indptr[u + 1];
  if (hi - lo >= x.cols) return -1;
  for (let tries = 0; tries < 32; tries++) {
    const j = rng.int(x.cols);
    let a = lo;
    let b = hi;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (x.indices[mid] < j) a = mid + 1;
      else b = mid;
    }
    if (a === hi || x.indices[a] !== j) return j;
  }
  return -1;
}

/** One BPR gradient step on user factors at `uo`, items at `io` (seen) and `jo` (unseen). */
function bprStep(pu: Float32Array, uo: number, qi: Float32Array, io: number, jo: number, f: number, bias: Float64Array, i: number, j: number, lr: number, reg: number): void {
  let d = bias[i] - bias[j];
  for (let t = 0; t < f; t++) d += pu[uo + t] * (qi[io + t] - qi[jo + t]);
  // d/dθ ln σ(d) = σ(−d) · dd/dθ.
  const g = 1 / (1 + Math.exp(d));
  bias[i] += lr * (g - reg * bias[i]);
  bias[j] += lr * (-g - reg * bias[j]);
  for (let t = 0; t < f; t++) {
    const p = pu[uo + t];
    const qa = qi[io + t];
    const qb = qi[jo + t];
    pu[uo + t] += lr * (g * (qa - qb) - reg * p);
    qi[io + t] += lr * (g * p - reg * qa);
    qi[jo + t] += lr * (-g * p - reg * qb);
  }
}

/** The row of each stored entry of `x`, so that SGD can visit entries in a shuffled order. */
function rowsOfEntries(x: Csr): Int32Array {
  const rowOf = new Int32Array(x.indices.length);
  for (let u = 0; u < x.rows; u++) rowOf.fill(u, x.indptr[u], x.indptr[u + 1]);
  return rowOf;
}
