/**
 * Demographic parity of exposure across user groups: a re-ranker that closes the gap between
 * user groups in the long-tail share of their lists, instead of pushing every list toward one
 * global target (which raises every group's share, so best − worst grows even when the ratio
 * improves).
 *
 * Each user group's baseline tail share is measured on the model's own lists for the training
 * users (lists only: no held-out label is read). The reference share is the best-served group's
 * (or the overall share); every group below it gets a goal `baseline + strength × (reference −
 * baseline)`, and the exposure deficit weight of {@link exposureRerank} that brings the group's
 * mean share to its goal is found by bisection on those same lists. Groups at or above the
 * reference are not re-ranked at all, so the best-served group's lists stay the model's.
 */
import { ConfigError } from '../core/errors';
import type { FitOptions, Interaction, ModelArtifact, RecommendOptions, Recommender, Scored, TrainingData } from '../recommend/recommender';
import { exposureShare } from './exposure';
import { DEFAULT_CANDIDATES } from './mitigated';
import { exposureRerank } from './rerank-exposure';

/** Which share the under-served groups are moved toward. */
export type ParityReference = 'best' | 'overall';

/** Options of {@link planExposureParity}. */
export interface ExposureParityOptions {
  /** Length of the lists shown. */
  k: number;
  /** Fraction of each group's gap to the reference to close, in [0, 1] (1: parity on the measured lists). */
  strength: number;
  /** `best` (default): the best-served group's share; `overall`: the mean share over every measured user. */
  reference?: ParityReference;
  /** Groups with fewer measured users are left alone and cannot be the reference (default 10): too few to measure. */
  minGroupUsers?: number;
  /** Upper bound of the searched deficit weight (default 1e6). */
  maxWeight?: number;
}

/** What the plan does for one user group. */
export interface GroupParity {
  group: string;
  users: number;
  /** Mean long-tail share of the group's lists as the model makes them. */
  baseline: number;
  /** The mean share aimed at (the baseline for groups left alone). */
  goal: number;
  /** The deficit weight of {@link exposureRerank} for the group's users (0: left alone). */
  weight: number;
  /** The mean share the weight reaches on the measured lists. */
  reached: number;
}

/** A plan: the reference share and what each group gets. */
export interface ExposureParityPlan {
  reference: number;
  groups: GroupParity[];
}

/** Mean tail share of `lists` re-ranked with deficit weight `weight` toward `goal`. */
function meanShare(lists: readonly (readonly Scored[])[], k: number, weight: number, goal: number, isTail: (item: string) => boolean): number {
  let sum = 0;
  for (const c of lists) sum += exposureShare(rerankTail(c, k, weight, goal, isTail).map((s) => s.item), isTail);
  return lists.length ? sum / lists.length : 0;
}

/** One list re-ranked toward a long-tail share of `goal` with deficit weight `weight`. */
function rerankTail(candidates: readonly Scored[], k: number, weight: number, goal: number, isTail: (item: string) => boolean): Scored[] {
  return exposureRerank(candidates, { k, strength: weight, groupOf: (i) => (isTail(i) ? 'tail' : 'head'), targets: { tail: goal } });
}

/**
 * Plans parity of long-tail exposure across user groups from each user's candidate list (best
 * first, longer than k so there is something to re-rank toward). Pure: the same lists give the
 * same plan.
 *
 * ```ts
 * const plan = planExposureParity(lists, (u) => users.get(u)?.age_group, (i) => tail.has(i), { k: 10, strength: 1 });
 * plan.groups.find((g) => g.group === '45-49')?.weight; // the deficit weight its users get
 * ```
 * @throws ConfigError when strength is outside [0, 1]
 */
export function planExposureParity(
  lists: ReadonlyMap<string, readonly Scored[]>,
  groupOf: (user: string) => string | undefined,
  isTail: (item: string) => boolean,
  options: ExposureParityOptions,
): ExposureParityPlan {
  const { k, strength } = options;
  if (!(strength >= 0 && strength <= 1)) throw new ConfigError(`the parity strength is the fraction of the gap to close, in [0, 1]; got ${strength}`);
  const minUsers = options.minGroupUsers ?? 10;
  const maxWeight = options.maxWeight ?? 1e6;
  const byGroup = new Map<string, Scored[][]>();
  let overallSum = 0;
  let overallUsers = 0;
  for (const [user, candidates] of lists) {
    const share = exposureShare(candidates.slice(0, k).map((s) => s.item), isTail);
    overallSum += share;
    overallUsers++;
    const g = groupOf(user);
    if (g === undefined) continue;
    const mine = byGroup.get(g) ?? byGroup.set(g, []).get(g);
    mine?.push([...candidates]);
  }
  const baselines = [...byGroup].map(([group, ls]) => ({ group, lists: ls, baseline: meanShare(ls, k, 0, 0, isTail) }));
  const eligible = baselines.filter((b) => b.lists.length >= minUsers);
  const reference =
    (options.reference ?? 'best') === 'overall' ? (overallUsers ? overallSum / overallUsers : 0) : Math.max(0, ...eligible.map((b) => b.baseline));
  const groups = baselines
    .map(({ group, lists: ls, baseline }): GroupParity => {
      const left = { group, users: ls.length, baseline, goal: baseline, weight: 0, reached: baseline };
      if (ls.length < minUsers || baseline >= reference || strength === 0) return left;
      const goal = baseline + strength * (reference - baseline);
      // The smallest weight whose mean share reaches the goal: grow an upper bound, then bisect.
      let lo = 0;
      let hi = 1;
      while (hi < maxWeight && meanShare(ls, k, hi, goal, isTail) < goal) {
        lo = hi;
        hi *= 2;
      }
      hi = Math.min(hi, maxWeight);
      for (let i = 0; i < 30 && hi - lo > 1e-6 * hi; i++) {
        const mid = (lo + hi) / 2;
        if (meanShare(ls, k, mid, goal, isTail) >= goal) hi = mid;
        else lo = mid;
      }
      return { group, users: ls.length, baseline, goal, weight: hi, reached: meanShare(ls, k, hi, goal, isTail) };
    })
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  return { reference, groups };
}

/** Options of {@link exposureParityModel}. */
export interface ExposureParityModelOptions extends Omit<ExposureParityOptions, 'k'> {
  /** The user's group (e.g. age group); users without one are served the model's lists. */
  groupOf: (user: string) => string | undefined;
  /** Whether an item is long tail (e.g. outside the 20 % most popular of the training data). */
  isTail: (item: string) => boolean;
  /** Length of the lists the plan is measured on (default 10). */
  k?: number;
  /** Candidates re-ranked per list (default {@link DEFAULT_CANDIDATES}). */
  candidates?: number;
}

/** The exposure-parity model: a {@link Recommender} that also reports its plan. */
export interface ExposureParityModel extends Recommender {
  /** The plan measured on the training users' lists (made on first use after a fit). */
  readonly plan: ExposureParityPlan;
}

/**
 * `model` with exposure parity across user groups in front. The plan is measured on the model's
 * lists for the users of `interactions` (its training data), on the first list asked for after
 * the model is trained, so a model trained elsewhere (a benchmark's shared fit) is planned too.
 *
 * ```ts
 * const fair = exposureParityModel(als, train, { groupOf: (u) => users.get(u)?.age_group, isTail: (i) => tail.has(i), strength: 1 });
 * fair.recommend('42', 10);
 * ```
 */
export function exposureParityModel(model: Recommender, interactions: readonly Interaction[], options: ExposureParityModelOptions): ExposureParityModel {
  const k = options.k ?? 10;
  const candidates = options.candidates ?? DEFAULT_CANDIDATES;
  let training = interactions;
  let plan: ExposureParityPlan | undefined;
  let weightOf = new Map<string, GroupParity>();
  const planned = (): ExposureParityPlan => {
    if (plan) return plan;
    const users = [...new Set(training.map((x) => x.user))];
    const lists = new Map(users.map((u) => [u, model.recommend(u, Math.max(k, candidates))]));
    plan = planExposureParity(lists, options.groupOf, options.isTail, { ...options, k });
    weightOf = new Map(plan.groups.filter((g) => g.weight > 0).map((g) => [g.group, g]));
    return plan;
  };
  return {
    get kind() {
      return model.kind;
    },
    get plan() {
      return planned();
    },
    fit: (data: TrainingData, fitOptions?: FitOptions) => {
      model.fit(data, fitOptions);
      training = data.interactions;
      plan = undefined;
    },
    recommend: (user: string, n: number, recommendOptions?: RecommendOptions) => {
      planned();
      const g = options.groupOf(user);
      const parity = g === undefined ? undefined : weightOf.get(g);
      // Groups at or above the reference are served the model's own lists, untouched.
      if (!parity) return model.recommend(user, n, recommendOptions);
      const pool = model.recommend(user, Math.max(n, candidates), recommendOptions);
      // Re-ranked items take the model's scores by rank, so a caller sorting by score keeps the order.
      return rerankTail(pool, n, parity.weight, parity.goal, options.isTail).map((s, r) => ({ item: s.item, score: pool[r].score }));
    },
    similar: (item: string, n: number) => model.similar(item, n),
    foldIn: (user: string, xs: readonly Interaction[]) => model.foldIn(user, xs),
    knowsUser: (user: string) => model.knowsUser(user),
    toArtifact: (): ModelArtifact => model.toArtifact(),
  };
}
