import type { Catalog } from '../core/catalog';
import type { Recommendation } from '../core/personalization';
import type { Profile } from '../core/profile';
import { topAffinities } from '../profiles/affinity';
import type { CounterStore } from '../store/store';
import { backfill, type BackfillSource, interleaveByCategory } from './backfill';
import { diversify } from './diversify';
import { explain, explanationLanguage } from './explain';
import { passesFilter } from './filter';
import type { ServingGate } from './gate';
import { type GateRecord, ListCache, listKey } from './list-cache';
import type { Interaction, Recommender } from './recommender';
import type { RecommendRequest, ScoreWeights } from './request';

export type { RecommendRequest, ScoreWeights } from './request';

/** Name of the global popularity counter; context counters are `pop.<key>.<value>`. */
export const POPULARITY = 'pop';

/**
 * Context keys that get their own popularity ranking, in the order a user without behaviour
 * falls back through them: their locale, the part of the day in their time zone, their channel.
 */
export const POPULARITY_CONTEXT_KEYS = ['locale', 'daypart', 'channel'] as const;

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
  /** Default MMR strength in [0, 1] (default 0.3; see {@link diversify}). */
  diversity?: number;
  /** Default cap of items per category for everyone (default: none). */
  maxPerCategory?: number;
  /**
   * Cap of items per category for a user with no history (default: half of k, rounded up),
   * so that a first visit shows a mix rather than the most popular category.
   */
  newcomerMaxPerCategory?: number | ((k: number) => number);
  /**
   * How much a category's purchase propensity (a request's `propensity`) raises its items'
   * scores: score + boost × p (default 0: off).
   */
  propensityBoost?: number;
  clock?: () => number;
  /**
   * Lists remembered until what they depend on changes (see `ListCache`): how many (default
   * 10,000), and for how long at most in ms (default 60 s). `false` computes every list.
   */
  listCache?: { maxEntries?: number; ttlMs?: number } | false;
}


/**
 * One user's adjustments between trainings, as serving reads them: what to fold in beyond the
 * profile's history, and what to demote. Implemented in `src/learning` (online updates).
 */
export interface OnlineAdjustment {
  /** Changes whenever the delta does: the user is folded in again only then. */
  revision: string;
  /** Items to fold in with the user's history (thumbs up, clicks since training). */
  positives: readonly { item: string; weight: number }[];
  /** Item → demotion strength in (0, 1], already spread to neighbours. */
  demoted: ReadonlyMap<string, number>;
}

/** Where serving reads users' online adjustments from; synchronous, so it must never wait. */
export interface OnlineAdjustments {
  /** The user's adjustment for this model, or undefined when none is in memory. */
  forUser(userId: string, model: Recommender | undefined): OnlineAdjustment | undefined;
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
 * The list is full whenever k eligible items exist: what scoring leaves short is filled from
 * overall popularity, then the catalog (a mix of categories). It is then diversified (MMR,
 * and a per-category cap for newcomers), and each item carries its reason and explanation.
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
  private readonly diversity: number;
  private readonly maxPerCategory?: number;
  private readonly newcomerCap: (k: number) => number;
  private readonly propensityBoost: number;
  private readonly now: () => number;
  private catalogOrder?: string[];
  private currentModel?: Recommender;
  private popularity = new Map<string, Map<string, number>>();
  private wanted = new Set<string>([POPULARITY]);
  private refreshedAt = -Infinity;
  private refreshing?: Promise<void>;
  private readonly foldedIn = new WeakMap<Recommender, Map<string, string>>();
  private readonly named = new Map<string, Recommender>();
  private versionLoader?: (version: number) => Promise<Recommender | undefined>;
  private readonly versionsAsked = new Set<number>();
  private online?: OnlineAdjustments;
  private gate?: ServingGate;
  private readonly lists?: ListCache;

  constructor(options: RecommendationServiceOptions) {
    this.catalog = options.catalog;
    this.counters = options.counters;
    this.currentModel = options.model;
    this.weights = { model: 1, affinity: 1.2, popularity: 0.4, ...options.weights };
    this.refreshMs = options.popularityRefreshMs ?? 5000;
    this.affinityCategories = options.affinityCategories ?? 3;
    this.diversity = options.diversity ?? 0.3;
    this.maxPerCategory = options.maxPerCategory;
    const cap = options.newcomerMaxPerCategory;
    this.newcomerCap = typeof cap === 'function' ? cap : cap !== undefined ? () => cap : (k) => Math.ceil(k / 2);
    this.propensityBoost = options.propensityBoost ?? 0;
    this.now = options.clock ?? Date.now;
    if (options.listCache !== false) this.lists = new ListCache({ ...options.listCache, clock: this.now });
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
    this.lists?.invalidate();
  }

  /**
   * Applies users' online adjustments from now on: positives are folded in with the user's
   * training row and history (not instead of it), and demoted items lose up to the sum of the
   * score weights, so a full demotion ranks an item below every undemoted scored one.
   */
  setOnline(online: OnlineAdjustments | undefined): void {
    // The feedback stage sets the same source on every turn: only another one changes lists.
    if (online !== this.online) this.lists?.invalidate();
    this.online = online;
  }

  /**
   * Holds back from every list what `gate` holds (sensitive items awaiting review): the list
   * is filled with the next best instead, and the gate is told which held items would have
   * been shown. `undefined` removes the gate.
   */
  setGate(gate: ServingGate | undefined): void {
    if (gate !== this.gate) this.lists?.invalidate();
    this.gate = gate;
  }

  /** Drops what this service remembers of an erased user (their cached lists). */
  forgetUser(userId: string): void {
    this.lists?.forgetUser(userId);
  }

  /** Keeps a model by name, for requests that ask for it (an experiment's `recommender`). */
  addModel(name: string, model: Recommender): void {
    this.named.set(name, model);
    this.lists?.invalidate();
  }

  /** How a stored model version is read when a request asks for one not in memory (see {@link versionModel}). */
  setVersionLoader(loader: (version: number) => Promise<Recommender | undefined>): void {
    this.versionLoader = loader;
  }

  /**
   * The model name that serves stored artifact `version` (an experiment's `modelVersion`):
   * `version:N`. The first ask starts loading it in the background, never waiting; until it
   * is in memory (or when it does not exist) requests naming it get the served model.
   */
  versionModel(version: number, onError?: (err: unknown) => void): string {
    const name = `version:${version}`;
    if (!this.named.has(name) && this.versionLoader && !this.versionsAsked.has(version)) {
      this.versionsAsked.add(version);
      this.versionLoader(version)
        .then((model) => {
          if (model) this.addModel(name, model);
        })
        .catch((err: unknown) => {
          // Asked again on a later turn: a store that was down may answer then.
          this.versionsAsked.delete(version);
          onError?.(err);
        });
    }
    return name;
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
    // Lists made from the same counts stay right; only a change of them ends them.
    if (!samePopularity(this.popularity, next)) this.lists?.invalidate();
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

  /**
   * Top-k recommendations for one user. Synchronous: no I/O on the turn path. A list asked for
   * again while nothing it depends on has changed comes from memory, equal to what computing
   * it again would give.
   */
  recommend(req: RecommendRequest): Recommendation[] {
    // An iterable may be read once only: the key and the computation each read it.
    const exclude = req.exclude === undefined || Array.isArray(req.exclude) ? (req.exclude as readonly string[] | undefined) : [...req.exclude];
    const request = { ...req, exclude };
    const model = this.modelFor(req.model);
    const adjustment = req.profile ? this.online?.forUser(req.userId, model) : undefined;
    const gate = this.gate;
    if (!this.lists) return this.compute(request, model, adjustment, gate);
    const key = listKey(request, adjustment?.revision);
    const hit = this.lists.get(key, gate && ((id) => holdsSafely(gate, id)));
    if (hit) {
      if (gate && hit.gate?.told) tellHeld(gate, hit.gate.told);
      return hit.list;
    }
    const recorder = gate && recordingGate(gate);
    const list = this.compute(request, model, adjustment, recorder?.gate);
    this.lists.set(key, list, recorder?.record());
    return list;
  }

  private compute(req: RecommendRequest, model: Recommender | undefined, adjustment: OnlineAdjustment | undefined, gate: ServingGate | undefined): Recommendation[] {
    const exclude = new Set([...(req.profile?.purchased ?? []), ...(req.exclude ?? [])]);
    const filter = req.filter;
    const eligible = (id: string): boolean => {
      if (exclude.has(id)) return false;
      if (!this.catalog.size) return !filter;
      const item = this.catalog.get(id);
      return item !== undefined && passesFilter(item, filter);
    };
    const parts = new Map<string, Parts>();
    const part = (id: string): Parts | undefined => {
      let p = parts.get(id);
      if (!p && eligible(id)) parts.set(id, (p = { model: 0, affinity: 0, popularity: 0 }));
      return p;
    };

    for (const s of normalize(this.modelScores(req, model, adjustment))) {
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

    // The categories a user is likely to buy in are candidates too, not only raised when scored.
    const boost = req.propensityBoost ?? this.propensityBoost;
    if (boost > 0 && req.propensity) {
      for (const category of likelyCategories(req.propensity, this.affinityCategories)) for (const item of this.catalog.byCategory(category)) part(item.id);
    }
    const w = req.weights ? { ...this.weights, ...req.weights } : this.weights;
    type Candidate = { itemId: string; score: number; reason?: string; p?: Parts; category?: string; tags?: readonly string[]; tagSet?: ReadonlySet<string> };
    const candidates: Candidate[] = [];
    for (const [itemId, p] of parts) {
      const item = this.catalog.get(itemId);
      candidates.push({ itemId, score: w.model * p.model + w.affinity * p.affinity + w.popularity * p.popularity, p, category: item?.category, tags: item?.tags, tagSet: this.catalog.tagSet(itemId) });
    }
    if (boost > 0 && req.propensity) boostByPropensity(candidates, req.propensity, boost);
    if (adjustment?.demoted.size) {
      const full = w.model + w.affinity + w.popularity;
      for (const c of candidates) c.score -= (adjustment.demoted.get(c.itemId) ?? 0) * full;
    }
    // Diversifying needs room to choose, and a short list must be filled: take enough
    // candidates from overall popularity, then the catalog, each below every scored one.
    const pool = Math.max(req.k * 4, 20);
    if (candidates.length < pool) {
      const sources: BackfillSource[] = [];
      const overall = this.popularity.get(POPULARITY);
      if (overall && overall !== ranking) sources.push({ reason: 'popular', items: overall.keys() });
      sources.push({ reason: 'catalog', items: (this.catalogOrder ??= interleaveByCategory(this.catalog.all())) });
      const floor = candidates.reduce((low, c) => Math.min(low, c.score), 0);
      const added = backfill(new Set(parts.keys()), pool - candidates.length, sources, eligible);
      added.forEach(({ itemId, reason }, i) => {
        const item = this.catalog.get(itemId);
        candidates.push({ itemId, score: floor - (i + 1) / (added.length + 1) / 10, reason, category: item?.category, tags: item?.tags, tagSet: this.catalog.tagSet(itemId) });
      });
    }

    // Only the best `pool` are considered for the list: diversity costs k × pool similarity checks.
    candidates.sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1));
    if (gate) this.holdBack(gate, candidates, req.k, pool, eligible);
    if (candidates.length > pool) candidates.length = pool;
    const newcomer = !req.profile || (!req.profile.recentItems.length && !req.profile.purchased.length && !top.length);
    const chosen = diversify(candidates, req.k, {
      strength: req.diversity ?? this.diversity,
      maxPerCategory: req.maxPerCategory ?? this.maxPerCategory ?? (newcomer ? this.newcomerCap(req.k) : undefined),
    });
    const language = explanationLanguage(req.context?.locale);
    // Reasons are named for the shown few only: string building per candidate added up.
    return chosen.map(({ itemId, score, p, reason: filled }) => {
      let reason = filled ?? 'catalog';
      if (p) {
        const named: [string, number][] = [
          [`model:${model?.kind ?? 'none'}`, w.model * p.model],
          [`affinity:${p.category ?? ''}`, w.affinity * p.affinity],
          [ranking.size ? label : 'catalog', w.popularity * p.popularity],
        ];
        reason = named.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
      }
      const item = this.catalog.get(itemId);
      const explanation = explain(reason, { language, category: item?.category, viewedTitle: reason.startsWith('model:') ? this.viewedTitle(req.profile, item?.category) : undefined });
      return item ? { itemId, score, reason, explanation, item } : { itemId, score, reason, explanation };
    });
  }

  /**
   * Removes what the gate holds from the ranked candidates (in place), tells it which held
   * items ranked within the first k (what the list would have shown), and tops the pool up
   * from the catalog so that the list stays full. A gate that throws holds everything it was
   * asked about: an item is never shown because its check failed.
   */
  private holdBack(gate: ServingGate, candidates: { itemId: string; score: number; reason?: string; category?: string; tags?: readonly string[]; tagSet?: ReadonlySet<string> }[], k: number, pool: number, eligible: (id: string) => boolean): void {
    const holds = (id: string): boolean => holdsSafely(gate, id);
    const wanted: string[] = [];
    const seen = new Set<string>();
    let kept = 0;
    candidates.forEach((c, i) => {
      seen.add(c.itemId);
      if (holds(c.itemId)) {
        if (i < k) wanted.push(c.itemId);
      } else candidates[kept++] = c;
    });
    if (kept === candidates.length) return;
    candidates.length = kept;
    tellHeld(gate, wanted);
    if (kept >= pool) return;
    const floor = candidates.reduce((low, c) => Math.min(low, c.score), 0);
    const added = backfill(seen, pool - kept, [{ reason: 'catalog', items: (this.catalogOrder ??= interleaveByCategory(this.catalog.all())) }], (id) => eligible(id) && !holds(id));
    added.forEach(({ itemId, reason }, i) => {
      const item = this.catalog.get(itemId);
      candidates.push({ itemId, score: floor - (i + 1) / (added.length + 1) / 10, reason, category: item?.category, tags: item?.tags, tagSet: this.catalog.tagSet(itemId) });
    });
  }

  /** The title of what the user viewed last, preferring an item of the same category. */
  private viewedTitle(profile: Profile | null, category: string | undefined): string | undefined {
    const history = profile?.recentItems ?? [];
    const same = category === undefined ? undefined : history.find((h) => this.catalog.get(h.id)?.category === category);
    const id = (same ?? history[0])?.id;
    return id === undefined ? undefined : this.catalog.get(id)?.title;
  }

  private modelFor(name: string | undefined): Recommender | undefined {
    if (name === undefined) return this.currentModel;
    if (name === 'none') return undefined;
    return this.named.get(name) ?? this.currentModel;
  }

  private modelScores(req: RecommendRequest, model: Recommender | undefined, adjustment: OnlineAdjustment | undefined): { item: string; score: number }[] {
    const history = req.profile?.recentItems ?? [];
    if (!model) return [];
    // Fold in again only when the history changed since the last fold-in (per model).
    let folded = this.foldedIn.get(model);
    if (!folded) this.foldedIn.set(model, (folded = new Map()));
    const fingerprint = `${history.length ? `${history.length}:${history[0].id}:${history[0].at}` : ''}${adjustment ? `#${adjustment.revision}` : ''}`;
    if (fingerprint && folded.get(req.userId) !== fingerprint) {
      let interactions: Interaction[] = history.map((h) => ({ user: req.userId, item: h.id, weight: Math.max(h.weight, 0.1), time: Date.parse(h.at) }));
      if (adjustment) interactions = withOnline(model, req.userId, interactions, adjustment);
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

/** Most one user's fold-in reads: it bounds the cost of an online update whatever the history. */
const MAX_FOLD_IN = 500;

/**
 * The interactions an online fold-in uses: the user's row in the model (training, or an
 * earlier fold-in), the profile's history and the online positives, one per item, newest
 * last, bounded. Fold-in replaces a row, so without the row a warm user would lose training.
 */
function withOnline(model: Recommender, user: string, history: Interaction[], adjustment: OnlineAdjustment): Interaction[] {
  const seen = 'seenBy' in model && typeof model.seenBy === 'function' ? (model.seenBy as (u: string) => { item: string; weight: number }[])(user) : [];
  const merged = new Map<string, Interaction>();
  for (const s of seen) merged.set(s.item, { user, item: s.item, weight: s.weight, time: 0 });
  for (const h of history) merged.set(h.item, { ...h, weight: Math.max(h.weight, merged.get(h.item)?.weight ?? 0) });
  for (const p of adjustment.positives) merged.set(p.item, { user, item: p.item, weight: Math.max(p.weight, merged.get(p.item)?.weight ?? 0), time: 0 });
  const all = [...merged.values()];
  return all.length > MAX_FOLD_IN ? all.slice(all.length - MAX_FOLD_IN) : all;
}

/** Whether the gate holds the item; a gate that throws holds it (an item is never shown because its check failed). */
function holdsSafely(gate: ServingGate, itemId: string): boolean {
  try {
    return gate.holds(itemId);
  } catch {
    return true;
  }
}

function tellHeld(gate: ServingGate, itemIds: readonly string[]): void {
  try {
    gate.held(itemIds);
  } catch {
    // The gate's own bookkeeping; the list is right without it.
  }
}

/** A gate that notes what it answered and was told while one list was computed, for the list cache. */
function recordingGate(gate: ServingGate): { gate: ServingGate; record: () => GateRecord } {
  const answers = new Map<string, boolean>();
  let told: readonly string[] | undefined;
  return {
    gate: {
      holds: (id) => {
        const held = holdsSafely(gate, id);
        answers.set(id, held);
        return held;
      },
      held: (ids) => {
        told = [...ids];
        gate.held(ids);
      },
    },
    record: () => ({ answers, told }),
  };
}

/** The same counters with the same counts in the same order (the order breaks ties and orders backfill). */
function samePopularity(a: ReadonlyMap<string, ReadonlyMap<string, number>>, b: ReadonlyMap<string, ReadonlyMap<string, number>>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, counts] of a) {
    const other = b.get(name);
    if (!other || other.size !== counts.size) return false;
    const theirs = other.entries();
    for (const [item, n] of counts) {
      const [otherItem, otherN] = theirs.next().value as [string, number];
      if (otherItem !== item || otherN !== n) return false;
    }
  }
  return true;
}


/** The `n` categories of highest positive propensity, likeliest first. */
function likelyCategories(propensity: Readonly<Record<string, number>>, n: number): string[] {
  return Object.entries(propensity)
    .filter(([, p]) => Number.isFinite(p) && p > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([c]) => c);
}

/** Raises each scored candidate by boost × the purchase propensity of its category. */
function boostByPropensity(candidates: { score: number; category?: string }[], propensity: Readonly<Record<string, number>>, boost: number): void {
  for (const c of candidates) {
    const p = c.category !== undefined && Object.hasOwn(propensity, c.category) ? propensity[c.category] : undefined;
    if (p !== undefined && Number.isFinite(p)) c.score += boost * p;
  }
}

function normalize(list: { item: string; score: number }[]): { item: string; score: number }[] {
  if (!list.length) return list;
  const max = Math.max(...list.map((s) => s.score));
  const min = Math.min(0, ...list.map((s) => s.score));
  const span = max - min || 1;
  return list.map((s) => ({ item: s.item, score: (s.score - min) / span }));
}
