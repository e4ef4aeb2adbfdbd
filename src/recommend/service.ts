import type { Catalog } from '../core/catalog';
import type { Recommendation } from '../core/personalization';
import type { Profile } from '../core/profile';
import { topAffinities } from '../profiles/affinity';
import type { CounterStore } from '../store/store';
import type { Interaction, Recommender } from './recommender';

/** Name of the global popularity counter; context counters are `pop.<key>.<value>`. */
export const POPULARITY = 'pop';

/** Context keys that get their own popularity ranking. */
export const POPULARITY_CONTEXT_KEYS = ['locale', 'channel'] as const;

/** How the parts of a score are weighted. */
export interface ScoreWeights {
  model: number;
  affinity: number;
  popularity: number;
}

/** Options of {@link RecommendationService}. */
export interface RecommendationServiceOptions {
  catalog: Catalog;
  counters: CounterStore;
  /** A trained model; without one, affinity and popularity still personalize. */
  model?: Recommender;
  weights?: Partial<ScoreWeights>;
  /** Popularity snapshots are refreshed in the background at most this often (default 5 s). */
  popularityRefreshMs?: number;
  /** How many categories of strongest affinity feed candidates (default 3). */
  affinityCategories?: number;
  clock?: () => number;
}

/** One request for recommendations. */
export interface RecommendRequest {
  userId: string;
  profile: Profile | null;
  k: number;
  /** Locale, channel…: picks the popularity ranking for cold users. */
  context?: Readonly<Record<string, string | undefined>>;
  /** Items never to return (besides what the user bought). */
  exclude?: Iterable<string>;
  /** Weights of this request's score parts over the service's (an experiment's `blend`). */
  weights?: Partial<ScoreWeights>;
  /**
   * Which model scores: a name given to {@link RecommendationService.addModel}, the served
   * model's kind, or `none` (affinity and popularity only). Default: the served model. An
   * unknown name serves the served model.
   */
  model?: string;
}

interface Parts {
  model: number;
  affinity: number;
  popularity: number;
  category?: string;
}

/** Counter name for one context value; names are restricted to `[A-Za-z0-9._:-]`. */
export function popularityCounter(key?: string, value?: string): string {
  if (!key || !value) return POPULARITY;
  return `${POPULARITY}.${key}.${value.replace(/[^A-Za-z0-9._:-]/g, '_')}`.slice(0, 128);
}

/**
 * Serves recommendations on the turn path without touching the store: the model answers from
 * memory, popularity comes from a snapshot refreshed in the background, and the user's
 * profile (already read for the turn) supplies affinities and history.
 *
 * Score = model + affinity + popularity, each normalized to [0, 1] and weighted; a user with
 * no history gets what is popular in their context (locale, then channel, then overall).
 *
 * ```ts
 * const service = new RecommendationService({ catalog, counters: store });
 * service.recommend({ userId: 'u1', profile, k: 5, context: { locale: 'de-DE' } });
 * ```
 */
export class RecommendationService {
  private readonly catalog: Catalog;
  private readonly counters: CounterStore;
  private readonly weights: ScoreWeights;
  private readonly refreshMs: number;
  private readonly affinityCategories: number;
  private readonly now: () => number;
  private currentModel?: Recommender;
  private popularity = new Map<string, Map<string, number>>();
  private wanted = new Set<string>([POPULARITY]);
  private refreshedAt = -Infinity;
  private refreshing?: Promise<void>;
  private readonly foldedIn = new WeakMap<Recommender, Map<string, string>>();
  private readonly named = new Map<string, Recommender>();

  constructor(options: RecommendationServiceOptions) {
    this.catalog = options.catalog;
    this.counters = options.counters;
    this.currentModel = options.model;
    this.weights = { model: 1, affinity: 1.2, popularity: 0.4, ...options.weights };
    this.refreshMs = options.popularityRefreshMs ?? 5000;
    this.affinityCategories = options.affinityCategories ?? 3;
    this.now = options.clock ?? Date.now;
  }

  /** The model in use, if any. */
  get model(): Recommender | undefined {
    return this.currentModel;
  }

  /** Swaps the model (after a training run or an artifact load). */
  setModel(model: Recommender | undefined): void {
    this.currentModel = model;
    // A model served again (retrained in place) forgets what was folded into it.
    if (model) this.foldedIn.delete(model);
  }

  /** Keeps a model by name, for requests that ask for it (an experiment's `recommender`). */
  addModel(name: string, model: Recommender): void {
    this.named.set(name, model);
  }

  /** Whether a model name resolves to a model of its own (not the served one's fallback). */
  hasModel(name: string): boolean {
    return name === 'none' || this.named.has(name) || this.currentModel?.kind === name;
  }

  /** Re-reads the popularity counters now. Errors propagate to the caller. */
  async refreshPopularity(): Promise<void> {
    const names = [...this.wanted].slice(0, 32);
    const tops = await Promise.all(names.map((n) => this.counters.topCounters(n, 500)));
    const next = new Map<string, Map<string, number>>();
    names.forEach((n, i) => next.set(n, new Map(tops[i].map((t) => [t.key, t.value]))));
    this.popularity = next;
    this.refreshedAt = this.now();
  }

  /** Starts a background refresh when the snapshot is stale; never throws, never waits. */
  refreshInBackground(onError?: (err: unknown) => void): void {
    if (this.refreshing || this.now() - this.refreshedAt < this.refreshMs) return;
    this.refreshing = this.refreshPopularity()
      .catch((err: unknown) => {
        this.refreshedAt = this.now();
        onError?.(err);
      })
      .finally(() => {
        this.refreshing = undefined;
      });
  }

  /**
   * Waits for a fresh snapshot only when the current one is stale (sharing a refresh already
   * under way), so that a burst of API calls reads the counters once, not once per call.
   */
  async refreshIfStale(onError?: (err: unknown) => void): Promise<void> {
    this.refreshInBackground(onError);
    await this.refreshing;
  }

  /** Top-k recommendations for one user. Synchronous: no I/O on the turn path. */
  recommend(req: RecommendRequest): Recommendation[] {
    const exclude = new Set([...(req.profile?.purchased ?? []), ...(req.exclude ?? [])]);
    const parts = new Map<string, Parts>();
    const part = (id: string): Parts | undefined => {
      if (exclude.has(id)) return undefined;
      if (this.catalog.size && !this.catalog.get(id)) return undefined;
      let p = parts.get(id);
      if (!p) parts.set(id, (p = { model: 0, affinity: 0, popularity: 0 }));
      return p;
    };

    const model = this.modelFor(req.model);
    for (const s of normalize(this.modelScores(req, model))) {
      const p = part(s.item);
      if (p) p.model = s.score;
    }
    const top = topAffinities(req.profile?.affinities ?? {}, this.affinityCategories);
    for (const { category, score } of top) {
      for (const item of this.catalog.byCategory(category)) {
        const p = part(item.id);
        if (p) {
          p.affinity = score / top[0].score;
          p.category = category;
        }
      }
    }
    const { ranking, label } = this.popularFor(req.context);
    for (const s of normalize([...ranking].map(([item, score]) => ({ item, score })))) {
      const p = parts.get(s.item) ?? (s.score > 0 ? part(s.item) : undefined);
      if (p) p.popularity = s.score;
    }
    // Filter before cutting: a user who bought the first items still gets the next ones.
    if (!parts.size)
      this.catalog
        .all()
        .filter((item) => !exclude.has(item.id))
        .slice(0, Math.max(req.k * 4, 20))
        .forEach((item, i, all) => {
          const p = part(item.id);
          if (p) p.popularity = (all.length - i) / all.length / 10;
        });

    const w = req.weights ? { ...this.weights, ...req.weights } : this.weights;
    const scored: { itemId: string; score: number; p: Parts }[] = [];
    for (const [itemId, p] of parts) scored.push({ itemId, score: w.model * p.model + w.affinity * p.affinity + w.popularity * p.popularity, p });
    scored.sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1));
    // Reasons are named for the shown few only: string building per candidate added up.
    return scored.slice(0, req.k).map(({ itemId, score, p }) => {
      const parts: [string, number][] = [
        [`model:${model?.kind ?? 'none'}`, w.model * p.model],
        [`affinity:${p.category ?? ''}`, w.affinity * p.affinity],
        [ranking.size ? label : 'catalog', w.popularity * p.popularity],
      ];
      const reason = parts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      const item = this.catalog.get(itemId);
      return item ? { itemId, score, reason, item } : { itemId, score, reason };
    });
  }

  private modelFor(name: string | undefined): Recommender | undefined {
    if (name === undefined) return this.currentModel;
    if (name === 'none') return undefined;
    return this.named.get(name) ?? this.currentModel;
  }

  private modelScores(req: RecommendRequest, model: Recommender | undefined): { item: string; score: number }[] {
    const history = req.profile?.recentItems ?? [];
    if (!model) return [];
    // Fold in again only when the history changed since the last fold-in (per model).
    let folded = this.foldedIn.get(model);
    if (!folded) this.foldedIn.set(model, (folded = new Map()));
    const fingerprint = history.length ? `${history.length}:${history[0].id}:${history[0].at}` : '';
    if (history.length && folded.get(req.userId) !== fingerprint) {
      const interactions: Interaction[] = history.map((h) => ({ user: req.userId, item: h.id, weight: Math.max(h.weight, 0.1), time: Date.parse(h.at) }));
      model.foldIn(req.userId, interactions);
      folded.set(req.userId, fingerprint);
      if (folded.size > 100_000) folded.delete(folded.keys().next().value as string);
    }
    if (!model.knowsUser(req.userId)) return [];
    return model.recommend(req.userId, Math.max(50, req.k * 5), { excludeSeen: true });
  }

  private popularFor(context: RecommendRequest['context']): { ranking: Map<string, number>; label: string } {
    for (const key of POPULARITY_CONTEXT_KEYS) {
      const value = context?.[key];
      if (!value) continue;
      const name = popularityCounter(key, value);
      if (this.wanted.size < 64) this.wanted.add(name);
      const ranking = this.popularity.get(name);
      // A context with too little data is noise; fall through to a broader one.
      if (ranking && ranking.size >= 5) return { ranking, label: `popular:${key}=${value}` };
    }
    return { ranking: this.popularity.get(POPULARITY) ?? new Map(), label: 'popular' };
  }
}

function normalize(list: { item: string; score: number }[]): { item: string; score: number }[] {
  if (!list.length) return list;
  const max = Math.max(...list.map((s) => s.score));
  const min = Math.min(0, ...list.map((s) => s.score));
  const span = max - min || 1;
  return list.map((s) => ({ item: s.item, score: (s.score - min) / span }));
}
