import { inverse, Matrix } from 'ml-matrix';

/**
 * Ridge regression kept in the form the linear bandits need: A⁻¹ (A = λI + Σ xxᵀ), b = Σ r·x
 * and θ = A⁻¹b, updated one observation at a time. Pure (no I/O) and deterministic.
 *
 * The rank-one update is Sherman–Morrison written over a flat Float64Array: it runs on every
 * reward and inside 50k-round simulations, where a matrix object per step would cost more than
 * the arithmetic. ml-matrix does what needs a factorization (the inverse when state is rebuilt
 * from A, the Cholesky factor Thompson sampling draws with).
 */
export class RidgeRegression {
  /** Number of features. */
  readonly dims: number;
  /** A⁻¹, row-major, d×d. */
  readonly ainv: Float64Array;
  /** Σ r·x. */
  readonly b: Float64Array;
  /** θ = A⁻¹b, the posterior mean. */
  readonly theta: Float64Array;
  /** Observations folded in. */
  n: number;
  // Scratch for A⁻¹x, so that an update allocates nothing.
  private readonly ax: Float64Array;

  /** A fresh model: A = λI (λ > 0 keeps A invertible before any data). */
  constructor(dims: number, lambda = 1) {
    if (!Number.isInteger(dims) || dims < 1) throw new RangeError('dims must be a positive integer');
    if (!(lambda > 0)) throw new RangeError('lambda must be positive');
    this.dims = dims;
    this.ainv = new Float64Array(dims * dims);
    for (let i = 0; i < dims; i++) this.ainv[i * dims + i] = 1 / lambda;
    this.b = new Float64Array(dims);
    this.theta = new Float64Array(dims);
    this.ax = new Float64Array(dims);
    this.n = 0;
  }

  /** θ·x, the predicted reward. */
  predict(x: ArrayLike<number>): number {
    let s = 0;
    for (let i = 0; i < this.dims; i++) s += this.theta[i] * x[i];
    return s;
  }

  /** √(xᵀA⁻¹x): the confidence width LinUCB adds and the spread Thompson samples from. */
  width(x: ArrayLike<number>): number {
    const d = this.dims;
    let s = 0;
    for (let i = 0; i < d; i++) {
      const xi = x[i];
      if (xi === 0) continue;
      let row = 0;
      for (let j = 0; j < d; j++) row += this.ainv[i * d + j] * x[j];
      s += xi * row;
    }
    return Math.sqrt(Math.max(0, s));
  }

  /** Folds in one observation (x, r). */
  observe(x: ArrayLike<number>, reward: number): void {
    const d = this.dims;
    const { ainv, ax, b } = this;
    let denom = 1;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += ainv[i * d + j] * x[j];
      ax[i] = s;
      denom += x[i] * s;
    }
    // A⁻¹ ← A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x); A⁻¹ is symmetric, so one vector serves both sides.
    for (let i = 0; i < d; i++) {
      const f = ax[i] / denom;
      if (f === 0) continue;
      for (let j = 0; j < d; j++) ainv[i * d + j] -= f * ax[j];
    }
    for (let i = 0; i < d; i++) b[i] += reward * x[i];
    this.refreshTheta();
    this.n++;
  }

  private refreshTheta(): void {
    const d = this.dims;
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += this.ainv[i * d + j] * this.b[j];
      this.theta[i] = s;
    }
  }

  /** A⁻¹ as an ml-matrix Matrix (a copy). */
  covariance(): Matrix {
    const d = this.dims;
    const m = new Matrix(d, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) m.set(i, j, (this.ainv[i * d + j] + this.ainv[j * d + i]) / 2);
    return m;
  }

  /** The stored form: A (not A⁻¹, whose rounding errors would compound across saves), b and n. */
  toJSON(): RidgeJson {
    const a = inverse(this.covariance());
    return { dims: this.dims, a: a.to1DArray(), b: [...this.b], n: this.n };
  }

  /** A model back from {@link RidgeRegression.toJSON}. */
  static fromJSON(json: RidgeJson): RidgeRegression {
    const d = json.dims;
    const model = new RidgeRegression(d);
    const ainv = inverse(Matrix.from1DArray(d, d, json.a)).to1DArray();
    model.ainv.set(ainv);
    model.b.set(json.b);
    model.refreshTheta();
    model.n = json.n;
    return model;
  }
}

/** A ridge model as stored: A row-major, b, and how many observations it holds. */
export interface RidgeJson {
  dims: number;
  a: number[];
  b: number[];
  n: number;
}
