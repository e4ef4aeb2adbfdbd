/**
 * The offline bias audit: train a model on a split of a data set (with a mitigation or without),
 * score it, and break its quality and its exposure down by user attributes and item groups. What
 * `attune audit` and the benchmark run; the report is plain data for JSON, Markdown and plots.
 */
import { ConfigError } from '../core/errors';
import type { Dataset } from '../datasets/types';
import { evaluate } from '../evaluate/evaluate';
import { popularityOf, type BeyondAccuracy } from '../evaluate/beyond';
import { protocolSplits, type Protocol } from '../evaluate/protocol';
import type { RankingMetrics } from '../evaluate/metrics';
import { createRecommender, type ModelKind } from '../recommend/models';
import type { Interaction, ItemFeatures, Recommender } from '../recommend/recommender';
import { exposureByItemGroup, exposureShare, type ExposureReport } from './exposure';
import type { MetricFrame } from './frame';
import { fourFifths, userFrame, type FourFifths, type UserFeatures } from './gaps';
import { mitigatedModel } from './serving';
import { reweigh } from './reweigh';
import { groupBlend, type GroupBlend, type GroupBlendLift, type GroupWeights } from './group-blend';
import { exposureParityModel, type ExposureParityModel, type ExposureParityPlan, type ParityReference } from './rerank-parity';

/**
 * The mitigations an audit can apply (`blend`: the group-aware ensemble of group-blend.ts;
 * `parity`: exposure parity across user groups, rerank-parity.ts).
 */
export type Mitigation = 'none' | 'reweigh' | 'rerank' | 'calibrate' | 'blend' | 'parity';

/** Every {@link Mitigation}, for option parsing. */
export const MITIGATIONS: readonly Mitigation[] = ['none', 'reweigh', 'rerank', 'calibrate', 'blend', 'parity'];

/** The models the group-aware ensemble blends with the audited one by default (those that rank best on ML-100K and differ most). */
export const BLEND_PARTS: readonly ModelKind[] = ['als', 'ease', 'rp3beta', 'itemknn'];

/** Options of {@link runAudit}. */
export interface AuditOptions {
  /** User attributes to audit by (default: every attribute the data set has but `zip` and `age`). */
  attributes?: readonly string[];
  model?: ModelKind;
  /** Extra params of the model. */
  params?: Record<string, unknown>;
  mitigation?: Mitigation;
  /**
   * Strength of the mitigation: the re-rankers' trade-off (exposure deficit weight, calibration
   * λ, or for `parity` the fraction in [0, 1] of each group's tail-exposure gap to close);
   * unused by reweighing. Default 0.5.
   */
  strength?: number;
  /** Long-tail share of exposure the exposure re-ranker aims at (default 0.3). */
  tailTarget?: number;
  /** Exposure parity: the share under-served groups move toward (default `best`: the best-served group's). */
  parityReference?: ParityReference;
  /** The attribute reweighing balances, the group-aware ensemble tunes by, or exposure parity equalizes (default: the first audited). */
  reweighBy?: string;
  /** Group-aware ensemble: which groups get their own weights (default `all`). */
  lift?: GroupBlendLift;
  /** Group-aware ensemble: the models blended with `model` (default {@link BLEND_PARTS}, `model` itself left out). */
  blendWith?: readonly ModelKind[];
  /** Group-aware ensemble: standard errors a weight change must beat on validation (default 1). */
  blendZ?: number;
  k?: number;
  split?: Protocol;
  seed?: number;
  /** Bootstrap resamples of the confidence intervals (default 200; 0 for none). */
  bootstrap?: number;
  /** Groups with fewer users are shown but left out of the gaps (default 10). */
  minGroupSize?: number;
  /**
   * A model of kind `model` already trained on this split's training part, to audit without
   * training again (a benchmark compares several re-rankers over one fit). Not used by reweighing,
   * which changes what the model trains on.
   */
  base?: Recommender;
}

/** The part of the data an audit trains on, for callers that train a `base` model once. */
export function auditTrainingPart(data: Dataset, options: Pick<AuditOptions, 'split' | 'seed'> = {}): Interaction[] {
  return protocolSplits(options.split ?? 'msr', data.interactions, options.seed)[0].train;
}

/** The gap of one metric for one attribute. */
export interface AuditGap {
  attribute: string;
  metric: string;
  /** Best minus worst group. */
  difference: number;
  /** Worst over best group. */
  ratio: number;
  worst: string;
  best: string;
  /** Bootstrap interval of the difference. */
  ci?: readonly [number, number];
}

/** Everything an audit measured. */
export interface AuditReport {
  model: string;
  mitigation: Mitigation;
  strength: number;
  k: number;
  split: Protocol;
  users: number;
  metrics: RankingMetrics;
  beyond: BeyondAccuracy;
  /** Per attribute: every metric by group (with `tailExposure`: long-tail share of each user's exposure). */
  frames: Record<string, MetricFrame>;
  /** nDCG, recall, hit rate and tail-exposure gaps of every attribute, largest relative gap first. */
  gaps: AuditGap[];
  /** Four-fifths verdicts on hit rate and nDCG per attribute. */
  alerts: FourFifths[];
  /** Exposure by item popularity (head, tail) and by category. */
  exposure: { popularity: ExposureReport; category?: ExposureReport };
  /** The group-aware ensemble's parts and per-group weights (mitigation `blend` only). */
  blend?: { parts: readonly string[]; groups: readonly GroupWeights[] };
  /** The exposure-parity plan: reference share and per-group goal and weight (mitigation `parity` only). */
  parity?: ExposureParityPlan;
}

/** The metrics whose group gaps an audit reports. */
export const AUDITED_METRICS = ['ndcg', 'recall', 'hitRate', 'tailExposure'] as const;

/**
 * Audits one model on one data set.
 *
 * ```ts
 * const report = runAudit(loadMovieLens100k(dir), { attributes: ['gender', 'age_group'], model: 'ease' });
 * report.gaps[0]; // the largest gap
 * ```
 * @throws ConfigError when the data set has no user attributes, or not the ones asked for
 */
export function runAudit(data: Dataset, options: AuditOptions = {}): AuditReport {
  const users = data.users;
  if (!users?.size) throw new ConfigError('the data set has no user attributes to audit by (MovieLens 100K has them in u.user)');
  const attributes = options.attributes?.length ? [...options.attributes] : defaultAttributes(users);
  const known = new Set([...users.values()].flatMap((u) => Object.keys(u)));
  for (const a of attributes) if (!known.has(a)) throw new ConfigError(`unknown user attribute ${a} (known: ${[...known].join(', ')})`);
  const k = options.k ?? 10;
  const split = options.split ?? 'msr';
  const mitigation = options.mitigation ?? 'none';
  const strength = options.strength ?? 0.5;
  const [{ train, test }] = protocolSplits(split, data.interactions, options.seed);
  const pop = popularityOf(train);
  const isTail = (item: string) => pop.tail.has(item);
  const categories = new Map(data.items.map((i) => [i.id, i.categories ?? []]));
  const features: UserFeatures = Object.fromEntries(attributes.map((a) => [a, (u: string) => users.get(u)?.[a]]));

  const kind = options.model ?? 'ease';
  // Reweighing and the ensemble change what is trained, so they train their own.
  const base = mitigation === 'reweigh' || mitigation === 'blend' ? undefined : options.base;
  const { model, interactions } = mitigated(() => base ?? createRecommender(kind, options.params), kind, options.params, mitigation, {
    train,
    strength,
    isTail,
    tailTarget: options.tailTarget ?? 0.3,
    groupOf: features[options.reweighBy ?? attributes[0]] ?? (() => undefined),
    items: data.items,
    lift: options.lift ?? 'all',
    blendWith: (options.blendWith ?? BLEND_PARTS).filter((p) => p !== kind),
    blendZ: options.blendZ ?? 1,
    k,
    parityReference: options.parityReference ?? 'best',
  });
  const result = evaluate(model, interactions, test, { k, seed: options.seed, items: data.items, beyond: true, fit: base === undefined });
  // Popularity counts distinct users, so reweighted interactions give the same beyond-accuracy basis.
  const beyond = result.beyond;
  if (!beyond) throw new ConfigError('evaluation returned no beyond-accuracy metrics');

  const lists = result.perUser.map((u) => u.recommended);
  const tailOf = new Map(result.perUser.map((u) => [u.user, exposureShare(u.recommended, isTail)]));
  const frames: Record<string, MetricFrame> = {};
  const gaps: AuditGap[] = [];
  const alerts: FourFifths[] = [];
  for (const a of attributes) {
    const frame = userFrame(result.perUser, { [a]: features[a] }, {
      bootstrap: { samples: options.bootstrap ?? 200, seed: options.seed },
      minGroupSize: options.minGroupSize ?? 10,
      extra: { tailExposure: (u) => tailOf.get(u.user) ?? 0 },
    });
    frames[a] = frame;
    for (const metric of AUDITED_METRICS) {
      const g = frame.gaps[metric];
      if (!g) continue;
      gaps.push({ attribute: a, metric, difference: g.difference.between_groups, ratio: g.ratio.between_groups, worst: g.min.group, best: g.max.group, ...(g.ci ? { ci: g.ci.difference } : {}) });
    }
    for (const metric of ['hitRate', 'ndcg']) {
      const verdict = fourFifths(frame, metric);
      if (verdict) alerts.push({ ...verdict, metric: `${a}.${metric}` });
    }
  }
  gaps.sort((x, y) => x.ratio - y.ratio);
  const catalog = [...pop.count.keys()];
  const withCategories = data.items.some((i) => i.categories?.length);
  return {
    model: kind,
    mitigation,
    strength: mitigation === 'none' || mitigation === 'reweigh' || mitigation === 'blend' ? 0 : strength,
    k,
    split,
    users: result.users,
    metrics: result.metrics,
    beyond,
    frames,
    gaps,
    alerts,
    exposure: {
      popularity: exposureByItemGroup(lists, catalog, (i) => [isTail(i) ? 'tail' : 'head']),
      ...(withCategories ? { category: exposureByItemGroup(lists, catalog, (i) => categories.get(i) ?? []) } : {}),
    },
    ...(isGroupBlend(model) ? { blend: { parts: model.parts, groups: model.groups } } : {}),
    ...(isExposureParity(model) ? { parity: model.plan } : {}),
  };
}

/** Attributes worth auditing by default: all but identifiers and raw numbers. */
function defaultAttributes(users: ReadonlyMap<string, Record<string, string>>): string[] {
  const first = users.values().next().value ?? {};
  return Object.keys(first).filter((a) => a !== 'zip' && a !== 'age');
}

/** What a mitigation needs to know. */
interface MitigationContext {
  train: readonly Interaction[];
  strength: number;
  isTail: (item: string) => boolean;
  tailTarget: number;
  groupOf: (user: string) => string | undefined;
  items: readonly ItemFeatures[];
  lift: GroupBlendLift;
  blendWith: readonly ModelKind[];
  blendZ: number;
  k: number;
  parityReference: ParityReference;
}

/** Parameters that make a kind train on interaction weights (reweighing needs them). */
const WEIGHTED: Partial<Record<ModelKind, Record<string, unknown>>> = {
  pop: { useWeights: true },
  itemknn: { binary: false },
  ease: { binary: false },
  als: { binary: false },
  mf: { binary: false },
  content: { binary: false },
};

/**
 * The model and the training interactions of a mitigation. Reweighing changes what the model
 * trains on (AIF360 weights as interaction weights, the model switched to read weights); the
 * re-rankers change only what it shows.
 */
function mitigated(
  create: () => Recommender,
  kind: ModelKind,
  params: Record<string, unknown> | undefined,
  mitigation: Mitigation,
  c: MitigationContext,
): { model: Recommender; interactions: readonly Interaction[] } {
  switch (mitigation) {
    case 'none':
      return { model: create(), interactions: c.train };
    case 'reweigh': {
      const weighted = WEIGHTED[kind];
      if (!weighted) throw new ConfigError(`reweighing needs a model that trains on weights; ${kind} does not`);
      return {
        model: createRecommender(kind, { ...params, ...weighted }),
        interactions: reweigh(c.train, { groupOf: c.groupOf, labelOf: (x) => (c.isTail(x.item) ? 'tail' : 'head') }),
      };
    }
    case 'blend':
      return {
        model: groupBlend([create, ...c.blendWith.map((k) => () => createRecommender(k))], { groupOf: c.groupOf, lift: c.lift, z: c.blendZ }),
        interactions: c.train,
      };
    case 'parity':
      return {
        model: exposureParityModel(create(), c.train, { groupOf: c.groupOf, isTail: c.isTail, strength: c.strength, reference: c.parityReference, k: c.k }),
        interactions: c.train,
      };
    case 'rerank':
    case 'calibrate':
      return { model: mitigatedModel(create(), { kind: mitigation, strength: c.strength, tailTarget: c.tailTarget }, { interactions: c.train, items: c.items }), interactions: c.train };
  }
}

/** True for the exposure-parity model (its plan goes into the report). */
function isExposureParity(model: Recommender): model is ExposureParityModel {
  return 'plan' in model;
}

/** True for the group-aware ensemble (its weights go into the report). */
function isGroupBlend(model: Recommender): model is GroupBlend {
  return 'groups' in model && 'parts' in model;
}
