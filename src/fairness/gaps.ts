/**
 * Group gaps of a recommender's quality for users: equal opportunity (a relevant item is as
 * likely to be found for every group: the gap in recall or hit rate), per-group nDCG gaps, and
 * the four-fifths rule (a group whose rate is under 80 % of the best group's is flagged, as in
 * the US EEOC's guideline for adverse impact).
 */
import type { RankingMetrics } from '../evaluate/metrics';
import { metricFrame, meanOf, type BootstrapOptions, type MetricFrame, type MetricGaps } from './frame';

/** A scored user, as {@link evaluate}'s `perUser` holds them. */
export interface ScoredUser {
  user: string;
  metrics: RankingMetrics;
}

/** User attributes by name, each a value of the user (or undefined when unknown). */
export type UserFeatures = Readonly<Record<string, (user: string) => string | undefined>>;

/**
 * A metric frame of every ranking metric of scored users, by user attributes.
 *
 * ```ts
 * const frame = userFrame(result.perUser, { gender: (u) => users.get(u)?.gender });
 * frame.gaps.ndcg.difference.between_groups;
 * ```
 */
export function userFrame(
  perUser: readonly ScoredUser[],
  features: UserFeatures,
  options: { bootstrap?: BootstrapOptions; minGroupSize?: number; extra?: Readonly<Record<string, (u: ScoredUser) => number>> } = {},
): MetricFrame {
  const metrics: Record<string, (s: readonly ScoredUser[]) => number> = {
    precision: meanOf((u) => u.metrics.precision),
    recall: meanOf((u) => u.metrics.recall),
    ndcg: meanOf((u) => u.metrics.ndcg),
    hitRate: meanOf((u) => u.metrics.hitRate),
  };
  for (const [name, f] of Object.entries(options.extra ?? {})) metrics[name] = meanOf(f);
  return metricFrame({
    samples: perUser,
    metrics,
    features: Object.fromEntries(Object.entries(features).map(([name, f]) => [name, (u: ScoredUser) => f(u.user)])),
    bootstrap: options.bootstrap,
    minGroupSize: options.minGroupSize,
  });
}

/**
 * Equal opportunity: the gaps in recall (or hit rate) between user groups.
 *
 * ```ts
 * equalOpportunity(result.perUser, { gender }).difference.between_groups; // 0.02
 * ```
 */
export function equalOpportunity(perUser: readonly ScoredUser[], features: UserFeatures, metric: 'recall' | 'hitRate' = 'recall'): MetricGaps | undefined {
  return metricFrame({
    samples: perUser,
    metrics: { [metric]: meanOf((u: ScoredUser) => u.metrics[metric]) },
    features: Object.fromEntries(Object.entries(features).map(([name, f]) => [name, (u: ScoredUser) => f(u.user)])),
  }).gaps[metric];
}

/**
 * The per-group nDCG gaps: the spread between the best and worst served group.
 *
 * ```ts
 * ndcgGap(result.perUser, { age }).difference.between_groups;
 * ```
 */
export function ndcgGap(perUser: readonly ScoredUser[], features: UserFeatures): MetricGaps | undefined {
  return userFrame(perUser, features).gaps.ndcg;
}

/** The four-fifths rule's verdict on one metric. */
export interface FourFifths {
  metric: string;
  /** Worst group's value divided by the best group's. */
  ratio: number;
  threshold: number;
  /** True when `ratio` is under the threshold. */
  alert: boolean;
  worst: string;
  best: string;
}

/** The threshold of the four-fifths rule. */
export const FOUR_FIFTHS = 0.8;

/**
 * The four-fifths rule over a frame's metric: alert when the worst group gets less than
 * `threshold` (0.8) of what the best group gets. Undefined when the frame has no gap for it.
 *
 * ```ts
 * fourFifths(frame, 'hitRate')?.alert;
 * ```
 */
export function fourFifths(frame: MetricFrame, metric: string, threshold = FOUR_FIFTHS): FourFifths | undefined {
  const g = frame.gaps[metric];
  if (!g) return undefined;
  return { metric, ratio: g.ratio.between_groups, threshold, alert: g.ratio.between_groups < threshold, worst: g.min.group, best: g.max.group };
}
