/**
 * Safe retraining, off the turn path: a candidate is trained on all but a recent holdout,
 * evaluated against the served model on that holdout, and promoted (refitted on everything,
 * saved as a version, named in the served record that every replica loads) only if it is not
 * worse by more than a tolerance. The report says why, with the drift between the versions.
 */
import { ConfigError } from '../core/errors';
import { evaluate, temporalSplit, type RankingMetrics } from '../evaluate';
import { createRecommender, loadRecommender, type ModelKind } from '../recommend/models';
import type { Interaction, Recommender } from '../recommend/recommender';
import type { RecommenderServing } from '../recommend/serving';
import { drift, type DriftReport } from './drift';

/** Options of {@link safeRetrain}. */
export interface SafeRetrainOptions {
  /** The candidate's kind (default: the served model's, else `itemknn`). */
  kind?: ModelKind;
  params?: Record<string, unknown>;
  seed?: number;
  /** The newest share of interactions held out (default 0.1). */
  holdoutFraction?: number;
  /** Promote unless the candidate's nDCG@k is below the served one's by more than this share of it (default 0.02). */
  tolerance?: number;
  /** List length of the evaluation (default 10). */
  k?: number;
  /** Lists compared for drift, at most (default 500 users). */
  driftUsers?: number;
}

/** One model's side of the comparison. */
export interface EvaluatedModel {
  kind: string;
  /** Its stored version (the candidate's once promoted). */
  version?: number;
  metrics: RankingMetrics;
  users: number;
}

/** What {@link safeRetrain} decided, and on what evidence. */
export interface RetrainReport {
  promoted: boolean;
  /** Why, in one sentence. */
  reason: string;
  candidate: EvaluatedModel;
  /** Undefined when nothing was served: the candidate is then promoted without comparison. */
  served?: EvaluatedModel & {
    /** `as-served` when the holdout is newer than what it was trained on; else the served recipe refitted on the same part. */
    baseline: 'as-served' | 'refit';
  };
  holdout: { from: number; interactions: number; users: number };
  tolerance: number;
  /** From the served version to the candidate (on the holdout users' lists). */
  drift?: DriftReport;
}

function metricsRecord(m: RankingMetrics): Record<string, number> {
  return { ...m };
}

/** Each holdout user's top-k from a model, with scores, for drift. */
function lists(model: Recommender, users: readonly string[], k: number): { item: string; score: number }[][] {
  return users.map((u) => model.recommend(u, k, { excludeSeen: true }));
}

/** A copy of the served model that knows every user of `train` (folded in when it does not). */
function servedOn(served: Recommender, train: readonly Interaction[]): Recommender {
  const copy = loadRecommender(served.toArtifact());
  const byUser = new Map<string, Interaction[]>();
  for (const x of train) {
    let l = byUser.get(x.user);
    if (!l) byUser.set(x.user, (l = []));
    l.push(x);
  }
  for (const [user, history] of byUser) if (!copy.knowsUser(user)) copy.foldIn(user, history);
  return copy;
}

/**
 * Trains a candidate and promotes it only if it holds up against the served model on a
 * recent holdout (the newest `holdoutFraction` of `interactions` by time).
 *
 * ```ts
 * const report = await safeRetrain(attune.serving, await interactionsFromLog(store), { kind: 'als', tolerance: 0.02 });
 * if (!report.promoted) console.warn(report.reason);
 * ```
 */
export async function safeRetrain(serving: RecommenderServing, interactions: readonly Interaction[], options: SafeRetrainOptions = {}): Promise<RetrainReport> {
  const k = options.k ?? 10;
  const tolerance = options.tolerance ?? 0.02;
  const fraction = options.holdoutFraction ?? 0.1;
  if (!(tolerance >= 0 && tolerance < 1)) throw new ConfigError(`tolerance must be in [0, 1), got ${tolerance}`);
  if (!(fraction > 0 && fraction < 1)) throw new ConfigError(`holdout fraction must be in (0, 1), got ${fraction}`);
  const record = await serving.served();
  const served = serving.model ?? (record ? await serving.version(record.current.version) : undefined);
  const kind = options.kind ?? (served?.kind as ModelKind | undefined) ?? 'itemknn';

  const { train, test } = temporalSplit(interactions, { ratio: 1 - fraction, scope: 'global' });
  if (!train.length || !test.length) throw new ConfigError(`too few interactions (${interactions.length}) to hold out ${fraction * 100} % and train on the rest`);
  const from = test.reduce((t, x) => Math.min(t, x.time), Infinity);
  const candidate = createRecommender(kind, options.params);
  const cand = evaluate(candidate, train, test, { k, seed: options.seed });
  const candidateSide: EvaluatedModel = { kind, metrics: cand.metrics, users: cand.users };
  const holdout = { from, interactions: test.length, users: new Set(test.map((x) => x.user)).size };

  let servedSide: RetrainReport['served'];
  let driftReport: DriftReport | undefined;
  if (served) {
    // The served model is compared as it is only when it never saw the holdout; else its recipe is refitted on the same part.
    const asServed = record?.current.trainedThrough !== undefined && record.current.trainedThrough < from;
    const baseline = asServed ? servedOn(served, train) : createRecommender(served.kind as ModelKind, served.toArtifact().params);
    const base = evaluate(baseline, train, test, { k, seed: options.seed, fit: !asServed });
    servedSide = { kind: served.kind, version: record?.current.version, metrics: base.metrics, users: base.users, baseline: asServed ? 'as-served' : 'refit' };
    const users = cand.perUser.slice(0, options.driftUsers ?? 500).map((u) => u.user);
    driftReport = drift({ before: lists(baseline, users, k), after: lists(candidate, users, k) }, metricsRecord(base.metrics), metricsRecord(cand.metrics));
  }

  const floor = servedSide ? servedSide.metrics.ndcg * (1 - tolerance) : -Infinity;
  if (servedSide && cand.metrics.ndcg < floor) {
    return {
      promoted: false,
      reason: `candidate ${kind} nDCG@${k} ${cand.metrics.ndcg.toFixed(4)} is below the served ${servedSide.kind}'s ${servedSide.metrics.ndcg.toFixed(4)} by more than ${(tolerance * 100).toFixed(1)} %`,
      candidate: candidateSide,
      served: servedSide,
      holdout,
      tolerance,
      drift: driftReport,
    };
  }
  // Promoted: the served model learns from everything, holdout included.
  const final = createRecommender(kind, options.params);
  final.fit({ interactions }, { seed: options.seed });
  const version = await serving.save(final);
  const trainedThrough = interactions.reduce((t, x) => Math.max(t, x.time), -Infinity);
  await serving.promote(version, { kind, trainedThrough: Number.isFinite(trainedThrough) ? trainedThrough : undefined });
  return {
    promoted: true,
    reason: servedSide
      ? `candidate ${kind} nDCG@${k} ${cand.metrics.ndcg.toFixed(4)} is within ${(tolerance * 100).toFixed(1)} % of the served ${servedSide.kind}'s ${servedSide.metrics.ndcg.toFixed(4)} or better`
      : 'no model was served',
    candidate: { ...candidateSide, version },
    served: servedSide,
    holdout,
    tolerance,
    drift: driftReport,
  };
}
