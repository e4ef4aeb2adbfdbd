/**
 * The hybrid: a weighted blend of single models, the weights tuned on a seeded validation split
 * taken from the training data, then every part refitted on all of it. Where collaborative parts
 * know nothing (a new user, a new item) it falls back to content, then popularity.
 */
import { ConfigError } from '../../core/errors';
import type { FitOptions, Interaction, ModelArtifact, RecommendOptions, Recommender, Scored, TrainingData } from '../recommender';
import { ArtifactReader, isRecord } from '../artifact';
import { candidatesOf, holdout, normalized, tuneWeights, type Candidates } from './blend';
import { readParams, type ParamValues } from './params';
import { createBase, isBaseKind, loadBase, type BaseKind } from './registry';

const SPEC = {
  /** Share of each user's training interactions held out to tune the weights. */
  validationFraction: { type: 'number', default: 0.2, min: 0.01, max: 0.9 },
  /** Length of each part's list that is blended. */
  candidates: { type: 'number', default: 100, min: 10, integer: true },
  /** The k whose nDCG the weights maximize. */
  tuneK: { type: 'number', default: 10, min: 1, integer: true },
  /** Validation users sampled for tuning (the cost is linear in them). */
  maxTuneUsers: { type: 'number', default: 2000, min: 10, integer: true },
} as const;

/** One part of the blend: a kind and its params. */
export interface HybridPart {
  kind: BaseKind;
  params?: Record<string, unknown>;
}

/** Parameters of {@link Hybrid}: the numeric ones plus `parts` and optional fixed `weights`. */
export type HybridParams = ParamValues<typeof SPEC> & { parts: HybridPart[]; weights?: number[] };

/** Parts that serve users without collaborative signal: content first, then popularity. */
const FALLBACK_KINDS: ReadonlySet<string> = new Set(['content', 'pop']);

/**
 * The default blend: the two collaborative models that rank best and differ most (a linear item
 * model and implicit factors), content for cold items and text-rich catalogs, popularity last.
 * BPR (mf) and RP3beta are left out: neither earned weight beside these two on MovieLens 100K's
 * validation split, and every part the blend carries adds its training time to the hybrid's.
 */
const DEFAULT_PARTS: HybridPart[] = [{ kind: 'ease' }, { kind: 'als' }, { kind: 'content' }, { kind: 'pop' }];

/**
 * Weighted blend of single models with cold-start fallback.
 *
 * ```ts
 * const hybrid = new Hybrid({ parts: [{ kind: 'ease' }, { kind: 'content' }, { kind: 'pop' }] });
 * hybrid.fit({ interactions, items }, { seed: 42 });
 * hybrid.recommend('brand-new-user', 10); // popularity
 * ```
 */
export class Hybrid implements Recommender {
  /** Always `hybrid`. */
  readonly kind = 'hybrid';
  /** Parsed parameters. */
  readonly params: HybridParams;
  private parts: Recommender[];
  /** Blend weight per part (tuned by `fit`, or given). */
  private weights: number[];
  /** Per part, why its last `fit` failed (undefined: it trained). */
  private failures: (string | undefined)[] = [];

  /** @param params see {@link HybridParams}; ConfigError on an unknown part kind or bad params. */
  constructor(params?: Record<string, unknown>) {
    const base = readParams('hybrid', params, SPEC, ['parts', 'weights']);
    const parts = parseParts(params?.parts);
    const weights = parseWeights(params?.weights, parts.length);
    this.params = { ...base, parts, ...(weights ? { weights } : {}) };
    this.parts = parts.map((p) => createBase(p.kind, p.params));
    this.weights = weights ?? parts.map(() => 1);
  }

  /** The blend weights in part order (for reports). */
  get blend(): { kind: string; weight: number }[] {
    return this.parts.map((p, k) => ({ kind: p.kind, weight: this.weights[k] }));
  }

  /**
   * Tunes weights on a validation split of `data` (unless given), then fits on all of `data` the
   * parts the blend uses: those with a non-zero weight. A part that earned no weight keeps its
   * probe (fitted on the validation split's fit part): it is never blended, so refitting it would
   * only cost time. That holds for content too, which serves only users the blended parts do not
   * know (a new user folds into the probe as into a refit; the probe has seen four fifths of the
   * data): its refit was a quarter of the hybrid's time on MovieLens 100K. Popularity, the list
   * every stranger gets, is refitted on all of it: it costs next to nothing.
   *
   * A part that cannot be trained on this data (it throws) is dropped from the blend (weight 0)
   * and named in {@link Hybrid.skipped}; the hybrid still trains on the others.
   */
  fit(data: TrainingData, options?: FitOptions): void {
    const seed = options?.seed ?? 0;
    const total = this.parts.length * (this.params.weights ? 1 : 2);
    let done = 0;
    const step = (): void => options?.onProgress?.({ stage: 'parts', done: ++done, total });
    this.failures = this.parts.map(() => undefined);
    const tryFit = (m: Recommender, p: number, d: TrainingData): boolean => {
      try {
        m.fit(d, { seed });
        return true;
      } catch (err) {
        this.failures[p] = err instanceof Error ? err.message : String(err);
        return false;
      } finally {
        step();
      }
    };
    let refit = this.parts.map(() => true);
    if (!this.params.weights) {
      const { fit, validation } = holdout(data.interactions, this.params.validationFraction, seed);
      const probe = this.params.parts.map((p) => createBase(p.kind, p.params));
      const usable = probe.map((m, p) => tryFit(m, p, { interactions: fit, items: data.items }));
      const users = [...validation.keys()].filter((u) => probe.some((m, p) => usable[p] && m.knowsUser(u))).slice(0, this.params.maxTuneUsers);
      const cands: Candidates[] = users.map((u) =>
        candidatesOf(
          probe.map((m, p) => (usable[p] ? m.recommend(u, this.params.candidates) : [])),
          validation.get(u) as Set<string>,
        ),
      );
      this.weights = tuneWeights(cands, probe.length, this.params.tuneK);
      refit = probe.map((m, p) => usable[p] && (this.weights[p] > 0 || m.kind === 'pop'));
      // Refit with what the probe tuned: each part tunes once, not twice.
      this.parts = probe.map((m, p) => (refit[p] ? createBase(this.params.parts[p].kind, tunedParamsOf(m) ?? this.params.parts[p].params) : usable[p] ? m : this.parts[p]));
    }
    this.parts.forEach((m, p) => {
      if (this.failures[p] === undefined && refit[p]) tryFit(m, p, data);
      else step();
    });
    // A failed part is never consulted: not blended, not a fallback.
    this.weights = this.weights.map((w, p) => (this.failures[p] === undefined ? w : 0));
  }

  /** The parts dropped by the last `fit`, with why (empty when every part trained). */
  get skipped(): { kind: string; reason: string }[] {
    return this.parts.flatMap((m, p) => {
      const reason = this.failures[p];
      return reason === undefined ? [] : [{ kind: m.kind, reason }];
    });
  }

  /** Blends the parts that can serve this user; falls back to content, then popularity. */
  recommend(user: string, k: number, options: RecommendOptions = {}): Scored[] {
    if (!(k > 0)) return [];
    const active = this.parts.map((m, p) => (this.weights[p] > 0 && (m.kind === 'pop' || m.knowsUser(user)) ? p : -1)).filter((p) => p >= 0);
    const collaborative = active.some((p) => !FALLBACK_KINDS.has(this.parts[p].kind));
    if (!collaborative) {
      // No collaborative signal about this user: their own items through content if it knows
      // them (onboarding answers), else popularity.
      const ok = (p: number): boolean => this.failures[p] === undefined;
      const fallback = this.parts.find((m, p) => ok(p) && m.kind === 'content' && m.knowsUser(user)) ?? this.parts.find((m, p) => ok(p) && m.kind === 'pop');
      return fallback ? fallback.recommend(user, k, options) : [];
    }
    const n = Math.max(k, this.params.candidates);
    const blended = new Map<string, number>();
    for (const p of active) {
      for (const [item, v] of normalized(this.parts[p].recommend(user, n, options))) blended.set(item, (blended.get(item) ?? 0) + this.weights[p] * v);
    }
    return [...blended]
      .map(([item, score]) => ({ item, score }))
      .sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0))
      .slice(0, k);
  }

  /** The heaviest part that knows the item answers; content, then popularity, for items it does not know. */
  similar(item: string, k: number): Scored[] {
    const order = this.parts.map((_, p) => p).sort((a, b) => this.weights[b] - this.weights[a] || a - b);
    const ranked = [...order.filter((p) => this.parts[p].kind !== 'pop'), ...order.filter((p) => this.parts[p].kind === 'pop')];
    for (const p of ranked) {
      const out = this.parts[p].similar(item, k);
      if (out.length) return out;
    }
    return [];
  }

  /** Folds the user into every part. */
  foldIn(user: string, interactions: readonly Interaction[]): void {
    for (const m of this.parts) m.foldIn(user, interactions);
  }

  /** True when some part can say something personal about the user. */
  knowsUser(user: string): boolean {
    return this.parts.some((m) => m.knowsUser(user));
  }

  /** Weights and every part's own artifact. */
  toArtifact(): ModelArtifact {
    return { kind: 'hybrid', format: 1, params: { ...this.params }, state: { weights: this.weights.slice(), parts: this.parts.map((m) => m.toArtifact()) } };
  }

  /** Restores a model saved by {@link Hybrid.toArtifact}. */
  static fromArtifact(a: ModelArtifact): Hybrid {
    const r = new ArtifactReader(a, 'hybrid', 1);
    const m = new Hybrid(r.params);
    const parts = r.raw('parts');
    if (!Array.isArray(parts) || parts.length !== m.parts.length) throw new ConfigError('hybrid artifact parts do not match its params');
    m.parts = parts.map((p: unknown) => {
      if (!isRecord(p)) throw new ConfigError('hybrid artifact part is not an object');
      return loadBase(p as unknown as ModelArtifact);
    });
    const weights = parseWeights(r.raw('weights'), m.parts.length);
    if (!weights) throw new ConfigError('hybrid artifact has no weights');
    m.weights = weights;
    return m;
  }
}

/** A tuned part's parameters with its tuning result fixed, when the part reports them. */
function tunedParamsOf(m: Recommender): Record<string, unknown> | undefined {
  const tuned = (m as Partial<{ tunedParams: Record<string, unknown> }>).tunedParams;
  return tuned && typeof tuned === 'object' ? tuned : undefined;
}

function parseParts(raw: unknown): HybridPart[] {
  if (raw === undefined) return DEFAULT_PARTS.map((p) => ({ ...p }));
  if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError('hybrid: parts must be a non-empty list');
  return raw.map((p: unknown, k) => {
    const part = typeof p === 'string' ? { kind: p } : p;
    if (!isRecord(part) || !isBaseKind(part.kind)) throw new ConfigError(`hybrid: parts[${k}] is not a known single model kind`);
    if (part.params !== undefined && !isRecord(part.params)) throw new ConfigError(`hybrid: parts[${k}].params must be an object`);
    return part.params === undefined ? { kind: part.kind } : { kind: part.kind, params: part.params };
  });
}

function parseWeights(raw: unknown, n: number): number[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.length !== n || !raw.every((w) => typeof w === 'number' && Number.isFinite(w) && w >= 0)) {
    throw new ConfigError(`hybrid: weights must be ${n} non-negative numbers, one per part`);
  }
  return raw as number[];
}
