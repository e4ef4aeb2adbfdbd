/**
 * Biased matrix factorization trained by SGD (Funk / Koren "SVD", as in Surprise):
 * r̂ = μ + b_u + b_i + p_u·q_i, fitted to observed ratings only. Built for explicit ratings
 * (predicting a score); as a top-N ranker on implicit data the models above do better.
 */
import type { FitOptions, ModelArtifact, RecommendOptions, TrainingData } from '../recommender';
import { ArtifactReader, encodeArray } from '../artifact';
import { RowModel, progress } from './base';
import { concatRows, cosineAll, dotAll, randomFactors, rowViews } from './factors';
import { buildMatrix, rowsOf } from './matrix';
import { readParams, type ParamValues } from './params';
import { Rng } from './rng';

const SPEC = {
  /** Latent dimensions. */
  factors: { type: 'number', default: 100, min: 1, max: 1024, integer: true },
  /** Passes over the ratings. */
  epochs: { type: 'number', default: 20, min: 1, integer: true },
  learningRate: { type: 'number', default: 0.005, min: 0 },
  /** L2 regularization of biases and factors. */
  regularization: { type: 'number', default: 0.02, min: 0 },
  /** Standard deviation of the initial factors. */
  initStd: { type: 'number', default: 0.1, min: 0 },
  /** SGD passes over a folded-in user's ratings (item side fixed). */
  foldInEpochs: { type: 'number', default: 30, min: 1, integer: true },
  /** Treat every interaction as rating 1 (then only biases and factors of presence are learnt). */
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
    super(1, p, p.binary);
  }

  /** SGD over the observed ratings in a seeded random order each epoch. */
  fit(data: TrainingData, options?: FitOptions): void {
    const m = buildMatrix(data.interactions, { binary: this.params.binary });
    this.setTraining(m.users, m.items, rowsOf(m.csr));
    const { factors: f, epochs, learningRate: lr, regularization: reg, initStd } = this.params;
    const rng = new Rng(options?.seed ?? 0);
    const x = m.csr;
    const nnz = x.indices.length;
    const rowOf = new Int32Array(nnz);
    for (let u = 0; u < x.rows; u++) rowOf.fill(u, x.indptr[u], x.indptr[u + 1]);
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

  /** A few SGD passes on the new user's bias and factors, item side fixed; deterministic (zero start). */
  protected override afterFoldIn(u: number): void {
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

  /** Restores a model saved by {@link MatrixFactorization.toArtifact}. */
  static fromArtifact(a: ModelArtifact): MatrixFactorization {
    const r = new ArtifactReader(a, 'mf', 1);
    const m = new MatrixFactorization(r.params);
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
