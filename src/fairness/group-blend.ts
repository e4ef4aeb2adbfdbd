/**
 * A group-aware ensemble (a fairness-aware blend): the base model, a few other models and the
 * user group's own popularity, blended with weights chosen per user group on a validation split
 * carved from the training data, so a group whose tastes the shared model covers poorly gets the
 * mix that serves it best instead of the mix that serves the majority best.
 *
 * Each group's weights maximize that group's own validation nDCG, starting from the base model
 * alone and accepting a change only when it beats the current weights by `z` standard errors of
 * the paired per-user difference. So no group is served worse on validation than by the base
 * model: the mitigation lifts groups, it never levels one down to narrow a gap. With
 * `lift: 'underserved'` only the groups the base model serves below its overall validation nDCG
 * get their own weights; every other group is served by the base model, list for list.
 *
 * It is a model like any other, so it is switched on per deployment by serving it as the model,
 * or per experiment variant by name (`service.addModel('als:groups', groupBlend(…))`), and in an
 * audit with `mitigation: 'blend'`.
 */
import { ConfigError } from '../core/errors';
import { blendNdcg, candidatesOf, holdout, normalized, significantlyBetter, tuneWeights, type Candidates } from '../recommend/models/blend';
import { topK } from '../recommend/models/topk';
import type { FitOptions, Interaction, ModelArtifact, RecommendOptions, Recommender, Scored, TrainingData } from '../recommend/recommender';

/** Which groups get weights of their own. */
export type GroupBlendLift = 'all' | 'underserved';

/** Options of {@link groupBlend}. */
export interface GroupBlendOptions {
  /** The user's group; users without one (or of a group too small to tune) get the base model. */
  groupOf: (user: string) => string | undefined;
  /** `all` (default): every group large enough; `underserved`: only groups below the overall validation nDCG. */
  lift?: GroupBlendLift;
  /** Blend the group's own popularity in as a part (default true). */
  groupPrior?: boolean;
  /** Share of each user's training interactions held out to tune (default 0.2). */
  validationFraction?: number;
  /** Length of each part's list that is blended (default 100). */
  candidates?: number;
  /** The k whose nDCG the weights maximize (default 10). */
  k?: number;
  /** Standard errors of the paired difference a weight change must beat on validation (default 1). */
  z?: number;
  /** Groups with fewer validation users keep the base model (default 10): too few to tune on. */
  minGroupUsers?: number;
}

/** The weights one group was given, for reports. */
export interface GroupWeights {
  group: string;
  /** Validation users of the group. */
  users: number;
  /** Weight per part, in part order, then the group prior (when on). */
  weights: number[];
  /** The group's validation nDCG with the base model alone, and with its weights. */
  baseNdcg: number;
  tunedNdcg: number;
}

/** The group-aware ensemble: a {@link Recommender} that also reports its per-group weights. */
export interface GroupBlend extends Recommender {
  /** Per group, the weights the last `fit` chose (groups that kept the base model included). */
  readonly groups: readonly GroupWeights[];
  /** Names of the parts in weight order (the parts' kinds, then `group-prior`). */
  readonly parts: readonly string[];
}

/** The name of the group-popularity part in {@link GroupBlend.parts}. */
export const GROUP_PRIOR = 'group-prior';

/**
 * A group-aware ensemble of the models `create` makes (the first is the base model; each is
 * called twice per fit, once for the validation probe and once for the final fit).
 *
 * ```ts
 * const model = groupBlend([() => createRecommender('als'), () => createRecommender('ease')], { groupOf: (u) => users.get(u)?.age_group });
 * model.fit({ interactions: train }, { seed: 42 });
 * model.groups; // [{ group: '56+', weights: [1, 0.35, 0.2], … }, …]
 * ```
 * @throws ConfigError when no part is given
 */
export function groupBlend(create: readonly (() => Recommender)[], options: GroupBlendOptions): GroupBlend {
  if (!create.length) throw new ConfigError('a group blend needs at least one model (the base)');
  const settings = {
    lift: options.lift ?? 'all',
    groupPrior: options.groupPrior ?? true,
    validationFraction: options.validationFraction ?? 0.2,
    candidates: options.candidates ?? 100,
    k: options.k ?? 10,
    z: options.z ?? 1,
    minGroupUsers: options.minGroupUsers ?? 10,
  };
  let models = create.map((make) => make());
  let prior = new GroupPrior(options.groupOf);
  let weightsOf = new Map<string, number[]>();
  let report: GroupWeights[] = [];
  const partCount = models.length + (settings.groupPrior ? 1 : 0);
  const baseOnly = (): number[] => Array.from({ length: partCount }, (_, p) => (p === 0 ? 1 : 0));

  const lists = (parts: readonly Recommender[], groupPrior: GroupPrior, user: string, options?: RecommendOptions): Scored[][] => {
    // A part that knows nothing of the user answers [] (or, like popularity, what it shows anyone).
    const out = parts.map((m) => m.recommend(user, settings.candidates, options));
    if (settings.groupPrior) out.push(groupPrior.recommend(user, settings.candidates, options));
    return out;
  };

  return {
    get kind() {
      return models[0].kind;
    },
    get groups() {
      return report;
    },
    get parts() {
      return [...models.map((m) => m.kind), ...(settings.groupPrior ? [GROUP_PRIOR] : [])];
    },
    fit(data: TrainingData, fitOptions?: FitOptions) {
      const seed = fitOptions?.seed ?? 0;
      const { fit, validation } = holdout(data.interactions, settings.validationFraction, seed);
      const probe = create.map((make) => make());
      for (const m of probe) m.fit({ interactions: fit, items: data.items }, { seed });
      const probePrior = new GroupPrior(options.groupOf);
      probePrior.fit(fit);
      const byGroup = new Map<string, Candidates[]>();
      for (const [user, held] of validation) {
        const group = options.groupOf(user);
        if (group === undefined) continue;
        const c = candidatesOf(lists(probe, probePrior, user, { excludeSeen: true }), held);
        const list = byGroup.get(group);
        if (list) list.push(c);
        else byGroup.set(group, [c]);
      }
      const base = baseOnly();
      const all = [...byGroup.values()].flat();
      const overall = meanOf(blendNdcg(all, base, settings.k));
      weightsOf = new Map();
      report = [];
      for (const [group, users] of [...byGroup].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const baseNdcg = meanOf(blendNdcg(users, base, settings.k));
        const tune = users.length >= settings.minGroupUsers && (settings.lift === 'all' || baseNdcg < overall);
        const weights = tune ? tuneFromBase(users, partCount, settings.k, settings.z) : base;
        weightsOf.set(group, weights);
        report.push({ group, users: users.length, weights, baseNdcg, tunedNdcg: tune ? meanOf(blendNdcg(users, weights, settings.k)) : baseNdcg });
      }
      models = probe.map((_, p) => create[p]());
      for (const m of models) m.fit(data, fitOptions);
      prior = new GroupPrior(options.groupOf);
      prior.fit(data.interactions);
    },
    recommend(user: string, k: number, recommendOptions?: RecommendOptions) {
      const group = options.groupOf(user);
      const weights = (group === undefined ? undefined : weightsOf.get(group)) ?? baseOnly();
      // A group that kept the base model gets exactly the base model's list.
      if (weights.every((w, p) => (p === 0 ? w === 1 : w === 0))) return models[0].recommend(user, k, recommendOptions);
      const blended = new Map<string, number>();
      lists(models, prior, user, recommendOptions).forEach((list, p) => {
        if (weights[p] === 0) return;
        for (const [item, v] of normalized(list)) blended.set(item, (blended.get(item) ?? 0) + weights[p] * v);
      });
      const items = [...blended.keys()];
      const scores = items.map((i) => blended.get(i) ?? 0);
      return Array.from(topK(scores, k), (j) => ({ item: items[j], score: scores[j] }));
    },
    similar: (item: string, k: number) => models[0].similar(item, k),
    foldIn(user: string, interactions: readonly Interaction[]) {
      for (const m of models) m.foldIn(user, interactions);
      prior.foldIn(user, interactions);
    },
    knowsUser: (user: string) => models[0].knowsUser(user),
    // The artifact is the base model's: a loaded artifact serves the base model, without the blend.
    toArtifact: (): ModelArtifact => models[0].toArtifact(),
  };
}

/**
 * Coordinate ascent from the base model alone (not from the best single part, as the hybrid
 * does): a group moves away from the base model only where validation says it gains.
 */
function tuneFromBase(users: readonly Candidates[], parts: number, k: number, z: number): number[] {
  // tuneWeights starts from the best single part on validation, which may not be the base
  // model: its answer must beat the base model by z standard errors too.
  const base = Array.from({ length: parts }, (_, p) => (p === 0 ? 1 : 0));
  const tuned = tuneWeights(users, parts, k, z);
  const b = blendNdcg(users, base, k);
  const t = blendNdcg(users, tuned, k);
  return significantlyBetter(t, b, z) ? tuned : base;
}

const meanOf = (xs: Float64Array): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/**
 * Popularity within the user's group (users counted once per item), the group's own prior:
 * a demographic backfill that knows what the group watches when the shared factors do not.
 */
class GroupPrior {
  private counts = new Map<string, Map<string, number>>();
  private ranked = new Map<string, { item: string; score: number }[]>();
  private seen = new Map<string, Set<string>>();

  constructor(private readonly groupOf: (user: string) => string | undefined) {}

  fit(interactions: readonly Interaction[]): void {
    this.counts = new Map();
    this.seen = new Map();
    for (const x of interactions) this.add(x);
    this.rank();
  }

  foldIn(user: string, interactions: readonly Interaction[]): void {
    // Only what the user has seen changes: a fold-in must not shift the group's counts for others.
    const seen = new Set(interactions.map((x) => x.item));
    this.seen.set(user, seen);
  }

  recommend(user: string, n: number, options?: RecommendOptions): Scored[] {
    const group = this.groupOf(user);
    const ranked = group === undefined ? undefined : this.ranked.get(group);
    if (!ranked) return [];
    const seen = options?.excludeSeen === false ? undefined : this.seen.get(user);
    const out: Scored[] = [];
    for (const s of ranked) {
      if (out.length >= n) break;
      if (seen?.has(s.item) || (options?.filter && !options.filter(s.item))) continue;
      out.push(s);
    }
    return out;
  }

  private add(x: Interaction): void {
    const seen = this.seen.get(x.user) ?? new Set<string>();
    if (!this.seen.has(x.user)) this.seen.set(x.user, seen);
    if (seen.has(x.item)) return;
    seen.add(x.item);
    const group = this.groupOf(x.user);
    if (group === undefined) return;
    const counts = this.counts.get(group) ?? new Map<string, number>();
    if (!this.counts.has(group)) this.counts.set(group, counts);
    counts.set(x.item, (counts.get(x.item) ?? 0) + 1);
  }

  private rank(): void {
    this.ranked = new Map(
      [...this.counts].map(([group, counts]) => [group, [...counts].map(([item, score]) => ({ item, score })).sort((a, b) => b.score - a.score || (a.item < b.item ? -1 : 1))]),
    );
  }
}
