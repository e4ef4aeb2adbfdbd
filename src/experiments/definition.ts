/**
 * What an experiment is, as a bot developer writes it in config, posts it to
 * `POST /v1/experiments` or passes it to the CLI: the zod schema at the edge, and the types the
 * engine, the stage and the results read. Assignment itself (`assign.ts`) needs only a slice of
 * it ({@link toAssignable}).
 */

import { z } from 'zod';
import type { TurnOverrides } from '../core/personalization';
import type { ExperimentDefinition } from './assign';

/** Ids of experiments, variants, metrics and namespaces: letters, digits and `._:-`, at most 64. */
export const ExperimentIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'letters, digits and ._:- only, at most 64');
const Id = ExperimentIdSchema;

/**
 * What a variant changes in the turn. Every field is optional: an empty object is the control.
 * Stages read the overrides that concern them from the turn's personalization.
 */
export const OverridesSchema = z
  .object({
    /** Recommender (model) name to serve, e.g. `popular`, `itemknn`, `hybrid`. */
    recommender: z.string().min(1).max(64).optional(),
    /** A stored model artifact version to serve instead of the latest (recorded; not served per variant yet). */
    modelVersion: z.number().int().positive().optional(),
    /** Weights of the score's parts: `model`, `affinity`, `popularity` (others are ignored). */
    blend: z.record(z.string().min(1).max(64), z.number().min(0)).optional(),
    /** How many items to recommend. */
    k: z.number().int().min(1).max(100).optional(),
    /** Diversity strength in [0, 1] (0 = pure relevance). */
    diversity: z.number().min(0).max(1).optional(),
    /** A fixed tone for the reply. */
    tone: z.enum(['neutral', 'formal', 'friendly', 'concise', 'empathetic']).optional(),
    /** A named tone policy (how tone is chosen from sentiment and segments). */
    tonePolicy: z.string().min(1).max(64).optional(),
    /** A named recommendation policy, e.g. `personalized` or `popular`. */
    policy: z.string().min(1).max(64).optional(),
    /** A message variant the bot's own code reads and renders. */
    message: z.string().max(2000).optional(),
  })
  .strict();

/** What a variant changes in the turn. */
export type Overrides = z.output<typeof OverridesSchema>;

// The schema and the turn's overrides type must agree: this stops compiling if they drift apart.
void ((o: Overrides): TurnOverrides => o);

/** One arm of an experiment. */
export const VariantSchema = z
  .object({
    id: Id,
    /** Relative traffic weight; weights are normalized, equal when all are omitted. */
    weight: z.number().min(0).optional(),
    overrides: OverridesSchema.default({}),
  })
  .strict();

/** One arm of an experiment. */
export type Variant = z.output<typeof VariantSchema>;

/**
 * A metric computed from the event log, per user, from the user's first exposure on.
 * - `conversion`: did the user send `event` (default `Order Completed`) within the window.
 * - `revenue`: sum of `property` (default `revenue`, falling back to `total`) of `event`.
 * - `ctr`: recommendation clicks / impressions (a ratio metric).
 * - `turns-per-session`, `session-duration` (seconds): from the turn log.
 * - `satisfaction`: mean of feedback events' score.
 * - `custom`: `aggregation` over `event` (and `property` for sum/mean).
 */
export const MetricSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('conversion'), id: Id.optional(), event: z.string().min(1).max(200).default('Order Completed'), windowHours: z.number().positive().optional() }).strict(),
  z.object({ kind: z.literal('revenue'), id: Id.optional(), event: z.string().min(1).max(200).default('Order Completed'), property: z.string().min(1).max(200).optional(), windowHours: z.number().positive().optional() }).strict(),
  z.object({ kind: z.literal('ctr'), id: Id.optional() }).strict(),
  z.object({ kind: z.literal('turns-per-session'), id: Id.optional() }).strict(),
  z.object({ kind: z.literal('session-duration'), id: Id.optional() }).strict(),
  z.object({ kind: z.literal('satisfaction'), id: Id.optional() }).strict(),
  z
    .object({
      kind: z.literal('custom'),
      id: Id,
      event: z.string().min(1).max(200),
      property: z.string().min(1).max(200).optional(),
      aggregation: z.enum(['any', 'count', 'sum', 'mean']),
      windowHours: z.number().positive().optional(),
    })
    .strict(),
]);

/** A metric computed from the event log. */
export type Metric = z.output<typeof MetricSchema>;

/** An experiment as written in config, REST or the CLI. */
export const ExperimentSchema = z
  .object({
    id: Id,
    name: z.string().max(200).optional(),
    description: z.string().max(2000).optional(),
    /** The control first. */
    variants: z.array(VariantSchema).min(2).max(20),
    /** Share of eligible users who enter, in [0, 1]. */
    coverage: z.number().min(0).max(1).default(1),
    /** Mutually exclusive experiments share a namespace id and take disjoint ranges of it. */
    namespace: z.object({ id: Id, range: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]) }).strict().optional(),
    /** Only users in (or not in) these segments enter. */
    targeting: z
      .object({ segments: z.array(Id).max(50).optional(), excludeSegments: z.array(Id).max(50).optional() })
      .strict()
      .optional(),
    /** ISO dates; outside them nobody is assigned. */
    start: z.iso.datetime({ offset: true }).optional(),
    end: z.iso.datetime({ offset: true }).optional(),
    /** Hashing seed; the id by default. */
    seed: z.string().max(200).optional(),
    /** Bump to reshuffle everyone; raise `minBucketVersion` too to exclude earlier enrolments. */
    bucketVersion: z.number().int().min(0).default(0),
    minBucketVersion: z.number().int().min(0).default(0),
    /** `bandit`: Thompson sampling over the primary metric with a floor per arm. */
    allocation: z
      .discriminatedUnion('mode', [
        z.object({ mode: z.literal('fixed') }).strict(),
        z.object({ mode: z.literal('bandit'), floor: z.number().min(0).max(0.5).default(0.05), updateEveryMinutes: z.number().positive().default(60) }).strict(),
      ])
      .default({ mode: 'fixed' }),
    metrics: z
      .object({ primary: z.array(MetricSchema).min(1).max(10), guardrails: z.array(MetricSchema).max(10).default([]) })
      .strict(),
    /** Default attribution window after first exposure, for metrics that don't set their own. */
    attributionWindowHours: z.number().positive().default(72),
    status: z.enum(['draft', 'running', 'stopped']).default('running'),
  })
  .strict()
  .superRefine((e, ctx) => {
    const ids = new Set<string>();
    e.variants.forEach((v, i) => {
      if (ids.has(v.id)) ctx.addIssue({ code: 'custom', path: ['variants', i, 'id'], message: `duplicate variant id "${v.id}"` });
      ids.add(v.id);
    });
    if (e.variants.every((v) => v.weight === 0)) ctx.addIssue({ code: 'custom', path: ['variants'], message: 'at least one weight must be positive' });
    if (e.start && e.end && Date.parse(e.end) <= Date.parse(e.start)) ctx.addIssue({ code: 'custom', path: ['end'], message: 'end must be after start' });
    if (e.namespace && e.namespace.range[1] <= e.namespace.range[0]) ctx.addIssue({ code: 'custom', path: ['namespace', 'range'], message: 'range must be [lo, hi] with lo < hi' });
    if (e.minBucketVersion > e.bucketVersion) ctx.addIssue({ code: 'custom', path: ['minBucketVersion'], message: 'must not exceed bucketVersion' });
  });

/** An experiment as written (before defaults). */
export type ExperimentInput = z.input<typeof ExperimentSchema>;
/** An experiment with its defaults filled in. */
export type Experiment = z.output<typeof ExperimentSchema>;

/** A metric's id: its own, or its kind. */
export function metricId(metric: Metric): string {
  return metric.id ?? metric.kind;
}

/** Normalized weights: as given, or equal when none is given. */
export function variantWeights(e: Experiment): number[] {
  if (e.variants.every((v) => v.weight === undefined)) return e.variants.map(() => 1 / e.variants.length);
  const raw = e.variants.map((v) => v.weight ?? 0);
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / sum);
}

/** The slice of an experiment that assignment reads, with `weights` overriding the configured ones (a bandit's). */
export function toAssignable(e: Experiment, weights: readonly number[] = variantWeights(e)): ExperimentDefinition {
  return {
    key: e.id,
    variants: e.variants.map((v) => v.id),
    weights,
    coverage: e.coverage,
    namespace: e.namespace ? [e.namespace.id, e.namespace.range[0], e.namespace.range[1]] : undefined,
    seed: e.seed,
    bucketVersion: e.bucketVersion,
    minBucketVersion: e.minBucketVersion,
  };
}
