/**
 * Popularity, time-decayed and context-aware: the model that serves anyone, including users it
 * has never seen, and the last fallback of the hybrid.
 */
import type { FitOptions, Interaction, ModelArtifact, RecommendOptions, TrainingData } from '../recommender';
import { ArtifactReader, encodeArray } from '../artifact';
import { RowModel, progress } from './base';
import { buildMatrix, csrOf, rowsOf } from './matrix';
import { readParams, type ParamValues } from './params';

const DAY_MS = 86_400_000;

const SPEC = {
  /** Half-life of an interaction's weight, in days; 0 means no decay. */
  halfLifeDays: { type: 'number', default: 0, min: 0 },
  /** Count interaction weights (ratings, purchase 5) instead of 1 per interaction. */
  useWeights: { type: 'boolean', default: false },
  /** Interactions a context value needs before its own counts are trusted. */
  minSupport: { type: 'number', default: 20, min: 1, integer: true },
  /** Pseudo-interactions of global popularity mixed into a context's counts (smoothing). */
  prior: { type: 'number', default: 10, min: 0 },
} as const;

/** Parameters of {@link Popularity}. */
export type PopularityParams = ParamValues<typeof SPEC>;

/** Counts of one context value (`locale=fr`), sparse over items. */
interface ContextCounts {
  /** Interactions seen with this value (before decay): how much data backs it. */
  support: number;
  total: number;
  indices: Int32Array;
  values: Float32Array;
}

/**
 * Most popular items, counts decayed by age (relative to the newest interaction), overall and per
 * context `key=value`. With `options.context`, the most specific value (fewest interactions) that
 * has at least `minSupport` interactions wins, smoothed towards global popularity; otherwise global.
 *
 * ```ts
 * const pop = new Popularity({ halfLifeDays: 30 });
 * pop.fit({ interactions });
 * pop.recommend('anyone', 10, { context: { locale: 'fr' } });
 * ```
 */
export class Popularity extends RowModel {
  /** Always `pop`. */
  readonly kind = 'pop';
  declare readonly params: PopularityParams;
  private global = new Float32Array(0);
  private globalTotal = 0;
  private contexts = new Map<string, ContextCounts>();

  /** @param params see {@link PopularityParams}; ConfigError when out of range. */
  constructor(params?: Record<string, unknown>) {
    const p = readParams('pop', params, SPEC);
    super(1, p, true);
  }

  /** Counts popularity overall and per context value. */
  fit(data: TrainingData, options?: FitOptions): void {
    const { interactions } = data;
    let newest = -Infinity;
    for (const x of interactions) if (x.time > newest) newest = x.time;
    const halfLife = this.params.halfLifeDays * DAY_MS;
    const weigh = (x: Interaction): number =>
      (this.params.useWeights ? x.weight : 1) * (halfLife > 0 ? Math.pow(0.5, (newest - x.time) / halfLife) : 1);

    const m = buildMatrix(interactions, { binary: true });
    this.setTraining(m.users, m.items, rowsOf(m.csr));
    const global = new Float64Array(m.items.size);
    const perContext = new Map<string, { support: number; counts: Map<number, number> }>();
    interactions.forEach((x, n) => {
      const i = m.items.get(x.item) as number;
      const w = weigh(x);
      global[i] += w;
      for (const [key, value] of Object.entries(x.context ?? {})) {
        const name = `${key}=${value}`;
        let c = perContext.get(name);
        if (!c) perContext.set(name, (c = { support: 0, counts: new Map() }));
        c.support++;
        c.counts.set(i, (c.counts.get(i) ?? 0) + w);
      }
      if ((n & 0xffff) === 0) progress(options, 'interactions', n, interactions.length);
    });
    this.global = Float32Array.from(global);
    this.globalTotal = global.reduce((a, b) => a + b, 0);
    this.contexts = new Map();
    for (const name of [...perContext.keys()].sort()) {
      const c = perContext.get(name) as { support: number; counts: Map<number, number> };
      const entries = [...c.counts.entries()].sort((a, b) => a[0] - b[0]);
      this.contexts.set(name, {
        support: c.support,
        total: entries.reduce((a, e) => a + e[1], 0),
        indices: Int32Array.from(entries, (e) => e[0]),
        values: Float32Array.from(entries, (e) => e[1]),
      });
    }
    progress(options, 'interactions', interactions.length, interactions.length);
  }

  /** Popularity is not personal: no user is "known" in the sense of {@link Recommender.knowsUser}. */
  override knowsUser(_user: string): boolean {
    return false;
  }

  /** The context value this request would be served from, or undefined for global popularity. */
  contextFor(context: RecommendOptions['context']): string | undefined {
    let best: string | undefined;
    let bestSupport = Infinity;
    for (const [key, value] of Object.entries(context ?? {}).sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (value === undefined) continue;
      const c = this.contexts.get(`${key}=${value}`);
      if (c && c.support >= this.params.minSupport && c.support < bestSupport) {
        best = `${key}=${value}`;
        bestSupport = c.support;
      }
    }
    return best;
  }

  protected scoreUser(_u: number | undefined, options: RecommendOptions): Float32Array | null {
    const name = this.contextFor(options.context);
    if (this.globalTotal <= 0) return null;
    const out = new Float32Array(this.global.length);
    const c = name === undefined ? undefined : this.contexts.get(name);
    if (!c) {
      for (let i = 0; i < out.length; i++) out[i] = this.global[i] / this.globalTotal;
      return out;
    }
    // Smoothed share: (context count + prior · global share) / (context total + prior).
    const prior = this.params.prior;
    const norm = 1 / (c.total + prior);
    for (let i = 0; i < out.length; i++) out[i] = ((prior * this.global[i]) / this.globalTotal) * norm;
    for (let p = 0; p < c.indices.length; p++) out[c.indices[p]] += c.values[p] * norm;
    return out;
  }

  /** Popularity has no notion of similarity: the popular items other than `i`. */
  protected scoreItem(_i: number): Float32Array | null {
    return this.scoreUser(undefined, {});
  }

  protected saveState(): Record<string, unknown> {
    const names = [...this.contexts.keys()];
    const cs = names.map((n) => this.contexts.get(n) as ContextCounts);
    const packed = csrOf(cs, this.items.size);
    return {
      global: encodeArray(this.global),
      globalTotal: this.globalTotal,
      contextNames: names,
      contextSupport: encodeArray(Float64Array.from(cs, (c) => c.support)),
      contextTotal: encodeArray(Float64Array.from(cs, (c) => c.total)),
      contextIndptr: encodeArray(packed.indptr),
      contextIndices: encodeArray(packed.indices),
      contextValues: encodeArray(packed.values),
    };
  }

  /** Restores a model saved by {@link Popularity.toArtifact}. */
  static fromArtifact(a: ModelArtifact): Popularity {
    const r = new ArtifactReader(a, 'pop', 1);
    const m = new Popularity(r.params);
    m.loadRows(r);
    m.global = r.f32('global', m.items.size);
    m.globalTotal = r.num('globalTotal');
    const names = r.strings('contextNames');
    const support = r.f64('contextSupport', names.length);
    const total = r.f64('contextTotal', names.length);
    const ptr = r.i32('contextIndptr', names.length + 1);
    const idx = r.i32('contextIndices', ptr[names.length]);
    const val = r.f32('contextValues', ptr[names.length]);
    names.forEach((n, k) =>
      m.contexts.set(n, { support: support[k], total: total[k], indices: idx.slice(ptr[k], ptr[k + 1]), values: val.slice(ptr[k], ptr[k + 1]) }),
    );
    return m;
  }
}
