/**
 * RP3beta (Paudel, Christoffel, Newell & Bernstein, 2016): a three-step random walk item → user →
 * item on the bipartite interaction graph, each transition probability raised to α, and the
 * landing item's degree divided out as popularity^β, so the walk stops favouring hits:
 *
 *   W_ij = Σ_u P(u|i)^α · P(j|u)^α / deg(j)^β,  P(u|i) = x_ui/Σ_v x_vi,  P(j|u) = x_uj/Σ_k x_uk,
 *
 * pruned to each item's `neighbours` largest entries and L1-normalized per row, as in the
 * reference implementation of Ferrari Dacrema et al. (2019). α and β are tuned on a validation
 * split of the training data (never on test data).
 */
import type { FitOptions, ModelArtifact, TrainingData } from '../recommender';
import { ArtifactReader } from '../artifact';
import { GraphModel, itemGraph } from './item-graph';
import { buildMatrix, rowsOf, transpose, type Csr } from './matrix';
import { readParams, type ParamValues } from './params';
import { tuneOnSplit, validationSplit } from './tune';

const SPEC = {
  /** Exponent of every transition probability (1: a plain random walk). */
  alpha: { type: 'number', default: 1, min: 0, max: 4 },
  /** Popularity penalty: a landing item's score is divided by its degree^β. */
  beta: { type: 'number', default: 0.5, min: 0, max: 2 },
  /** Neighbours kept per item. */
  neighbours: { type: 'number', default: 200, min: 1, integer: true },
  /** Treat every interaction as 1 (implicit feedback) instead of using weights. */
  binary: { type: 'boolean', default: true },
  /** Choose α and β on a validation split of the training data (a small grid around the given ones). */
  tune: { type: 'boolean', default: true },
} as const;

/** Offsets tried around the given α and β when tuning; the given pair first, so it wins ties. */
const ALPHA_STEPS = [0, -0.2, 0.2];
const BETA_STEPS = [0, -0.2, 0.1, 0.2];

/** Parameters of {@link Rp3Beta}. */
export type Rp3BetaParams = ParamValues<typeof SPEC>;

/**
 * RP3beta recommender: a user's score for item j is Σ over their items i of x_ui · W_ij.
 *
 * ```ts
 * const rp3 = new Rp3Beta({ alpha: 1, beta: 0.5 });
 * rp3.fit({ interactions });
 * rp3.recommend('u1', 10);
 * ```
 */
export class Rp3Beta extends GraphModel {
  /** Always `rp3beta`. */
  readonly kind = 'rp3beta';
  declare readonly params: Rp3BetaParams;
  private chosen = { alpha: 0, beta: 0 };

  /** @param params see {@link Rp3BetaParams}; ConfigError when out of range. */
  constructor(params?: Record<string, unknown>) {
    const p = readParams('rp3beta', params, SPEC);
    super(1, p, p.binary);
    this.chosen = { alpha: p.alpha, beta: p.beta };
  }

  /** The α and β the model was fitted with (the tuned ones when `tune`). */
  get solved(): { alpha: number; beta: number } {
    return { ...this.chosen };
  }

  /** The parameters that refit this model without tuning again (the tuned α and β fixed). */
  get tunedParams(): Record<string, unknown> {
    return { ...this.params, ...this.chosen, tune: false };
  }

  /** Tunes α and β on a validation split when `tune`, then builds the walk matrix. */
  fit(data: TrainingData, options?: FitOptions): void {
    let { alpha, beta } = this.params;
    if (this.params.tune) {
      // Coordinate search on one split: β at the given α, then α at the best β (6 fits, not 12).
      const tuning = { fraction: 0.2, seed: options?.seed ?? 0, k: 10, maxUsers: 1000 };
      const split = validationSplit(data, tuning);
      const make = (c: { alpha: number; beta: number }) => new Rp3Beta({ ...this.params, tune: false, ...c });
      beta = tuneOnSplit(split, BETA_STEPS.map((db) => ({ alpha, beta: clamp(beta + db, 0, 2) })), make, tuning).best.beta;
      alpha = tuneOnSplit(split, ALPHA_STEPS.map((da) => ({ alpha: clamp(alpha + da, 0, 4), beta })), make, tuning).best.alpha;
    }
    this.chosen = { alpha, beta };
    const m = buildMatrix(data.interactions, { binary: this.params.binary });
    this.setTraining(m.users, m.items, rowsOf(m.csr));
    this.graph = walkMatrix(m.csr, alpha, beta, this.params.neighbours, options);
  }

  protected saveState(): Record<string, unknown> {
    return { alpha: this.chosen.alpha, beta: this.chosen.beta, ...this.saveGraph('w') };
  }

  /** Restores a model saved by {@link Rp3Beta.toArtifact}. */
  static fromArtifact(a: ModelArtifact): Rp3Beta {
    const r = new ArtifactReader(a, 'rp3beta', 1);
    const m = new Rp3Beta(r.params);
    m.loadRows(r);
    m.chosen = { alpha: r.num('alpha'), beta: r.num('beta') };
    m.loadGraph(r, 'w');
    return m;
  }
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/**
 * The pruned, row-normalized walk matrix of `x` (users × items), one sparse pass per item over
 * the items its users share (item-graph.ts).
 */
export function walkMatrix(x: Csr, alpha: number, beta: number, neighbours: number, options?: FitOptions): Csr {
  const xt = transpose(x);
  const n = xt.rows;
  // P(j|u)^α per stored entry of x; P(u|i)^α per stored entry of xᵀ; deg(j)^-β per item.
  const userStep = new Float64Array(x.indices.length);
  for (let u = 0; u < x.rows; u++) {
    let s = 0;
    for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) s += x.values[p];
    for (let p = x.indptr[u]; p < x.indptr[u + 1]; p++) userStep[p] = Math.pow(x.values[p] / s, alpha);
  }
  const itemStep = new Float64Array(xt.indices.length);
  const penalty = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = xt.indptr[i]; p < xt.indptr[i + 1]; p++) s += xt.values[p];
    for (let p = xt.indptr[i]; p < xt.indptr[i + 1]; p++) itemStep[p] = Math.pow(xt.values[p] / s, alpha);
    const degree = xt.indptr[i + 1] - xt.indptr[i];
    penalty[i] = degree > 0 ? Math.pow(degree, -beta) : 0;
  }
  return itemGraph(x, xt, { fromItem: itemStep, toItem: userStep, finish: (_i, j, walk) => walk * penalty[j], neighbours, normalizeRows: true }, options);
}
