/**
 * The offline evaluation runner: train a model on one part, rank for every held-out user, score
 * the lists against what each user really did. Never scores on training data.
 */
import type { Interaction, ItemFeatures, Progress, Recommender } from '../recommend/recommender';
import { ConfigError } from '../core/errors';
import { catalogCoverage, meanMetrics, rankingMetrics, type RankingMetrics } from './metrics';
import { beyondAccuracy, type BeyondAccuracy } from './beyond';

/** A user attribute to break results down by: a map or a function of the user id. */
export type GroupBy = ReadonlyMap<string, string> | ((user: string) => string | undefined);

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Length of the ranked lists (default 10). */
  k?: number;
  /** Item side information handed to `fit` (content and hybrid models use it). */
  items?: readonly ItemFeatures[];
  /** Train the model on `train` first (default true); false scores an already trained model. */
  fit?: boolean;
  /** Seed handed to `fit`. */
  seed?: number;
  /** Training progress, passed through to `fit`. */
  onProgress?: (p: Progress) => void;
  /** Which held-out interactions count as relevant (default: all of them). */
  isRelevant?: (x: Interaction) => boolean;
  /** Break results down by this user attribute (gender, segment, …) for bias audits. */
  groupBy?: GroupBy;
  /** Also measure the beyond-accuracy metrics (coverage, Gini, novelty, diversity, …); default false. */
  beyond?: boolean;
}

/** One evaluated user. */
export interface UserResult {
  user: string;
  /** Number of distinct relevant items held out for this user. */
  relevant: number;
  /** The ranked items scored (seen items already removed). */
  recommended: string[];
  metrics: RankingMetrics;
}

/** Mean metrics of a group of users. */
export interface GroupResult {
  users: number;
  metrics: RankingMetrics;
}

/** Everything {@link evaluate} measured. */
export interface EvaluationResult {
  /** The model's kind. */
  model: string;
  k: number;
  /** Users scored: those with relevant held-out items who also appear in train. */
  users: number;
  /** Held-out users unknown to train (cold): not scored, as in Microsoft Recommenders. */
  coldUsers: number;
  /** Metrics averaged over the scored users. */
  metrics: RankingMetrics;
  /** Share of the training catalog that appears in some list. */
  coverage: number;
  /** Wall-clock seconds spent in `fit` (0 when `fit: false`). */
  trainSeconds: number;
  perUser: UserResult[];
  /** Mean metrics per attribute value, when `groupBy` was given; users without a value are left out. */
  groups?: Record<string, GroupResult>;
  /** Beyond-accuracy metrics of the lists, when `beyond` was asked for. */
  beyond?: BeyondAccuracy;
}

/**
 * Trains `model` on `train` and scores its top-k lists against `test`.
 *
 * Protocol (that of Microsoft Recommenders): every user who has relevant items in `test` and
 * at least one interaction in `train` is scored; items the user saw in `train` are removed before
 * ranking; every distinct held-out item is relevant; metrics are averaged over scored users.
 *
 * ```ts
 * const { train, test } = stratifiedSplit(interactions, { by: 'item', seed: 42 });
 * const result = evaluate(createRecommender('itemknn'), train, test, { k: 10 });
 * console.log(result.metrics.ndcg, result.metrics.precision);
 * ```
 */
export function evaluate(
  model: Recommender,
  train: readonly Interaction[],
  test: readonly Interaction[],
  options: EvaluateOptions = {},
): EvaluationResult {
  const k = options.k ?? 10;
  if (!Number.isInteger(k) || k < 1) throw new ConfigError(`k must be a positive integer, got ${k}`);
  let trainSeconds = 0;
  if (options.fit !== false) {
    const started = performance.now();
    model.fit({ interactions: train, items: options.items }, { seed: options.seed, onProgress: options.onProgress });
    trainSeconds = (performance.now() - started) / 1000;
  }

  const seen = itemsByUser(train);
  const isRelevant = options.isRelevant ?? (() => true);
  const relevant = itemsByUser(test.filter(isRelevant));
  const perUser: UserResult[] = [];
  let coldUsers = 0;
  for (const [user, items] of relevant) {
    const history = seen.get(user);
    if (!history) {
      coldUsers++;
      continue;
    }
    const recommended = topK(model, user, k, history);
    perUser.push({ user, relevant: items.size, recommended, metrics: rankingMetrics(recommended, items, k) });
  }

  const catalog = new Set<string>();
  for (const x of train) catalog.add(x.item);
  const result: EvaluationResult = {
    model: model.kind,
    k,
    users: perUser.length,
    coldUsers,
    metrics: meanMetrics(perUser.map((u) => u.metrics)),
    coverage: catalogCoverage(
      perUser.map((u) => u.recommended),
      catalog.size,
    ),
    trainSeconds,
    perUser,
  };
  if (options.groupBy) result.groups = breakdown(perUser, options.groupBy);
  if (options.beyond) result.beyond = beyondAccuracy(perUser, train, (user) => relevant.get(user) ?? new Set());
  return result;
}

/**
 * Mean metrics per value of a user attribute, e.g. per gender or age band, to see whether a
 * model serves one group worse than another.
 *
 * ```ts
 * breakdown(result.perUser, (u) => users.get(u)?.gender);
 * ```
 */
export function breakdown(perUser: readonly UserResult[], groupBy: GroupBy): Record<string, GroupResult> {
  const valueOf = typeof groupBy === 'function' ? groupBy : (u: string) => groupBy.get(u);
  const members = new Map<string, RankingMetrics[]>();
  for (const u of perUser) {
    const value = valueOf(u.user);
    if (value === undefined) continue;
    const list = members.get(value);
    if (list) list.push(u.metrics);
    else members.set(value, [u.metrics]);
  }
  const out: Record<string, GroupResult> = {};
  for (const [value, list] of [...members].sort((a, b) => a[0].localeCompare(b[0]))) {
    out[value] = { users: list.length, metrics: meanMetrics(list) };
  }
  return out;
}

/** Distinct items per user, users in order of first appearance. */
function itemsByUser(data: readonly Interaction[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const x of data) {
    const items = out.get(x.user);
    if (items) items.add(x.item);
    else out.set(x.user, new Set([x.item]));
  }
  return out;
}

/**
 * The model's top k with the user's training items removed. Models are asked to exclude seen
 * items themselves; the filter here makes the protocol hold even for one that does not, asking
 * again for a longer list when filtering left fewer than k.
 */
function topK(model: Recommender, user: string, k: number, history: ReadonlySet<string>): string[] {
  const unseen = (n: number) =>
    model
      .recommend(user, n, { excludeSeen: true })
      .map((s) => s.item)
      .filter((item) => !history.has(item));
  let list = unseen(k);
  if (list.length < k) list = unseen(k + history.size);
  return list.slice(0, k);
}
