import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parse } from '../core/validate';
import { featureSchema } from './features';

/**
 * A trained propensity model as a versioned JSON artifact: the feature names it was trained
 * on, the standardization it applies, one logistic head overall and one per category. The
 * version is a hash of what predicts (features, scaling, coefficients), so the same model is
 * the same version on every replica, and predictions name the model that made them.
 */

/** The artifact's `kind`. */
export const PROPENSITY_ARTIFACT = 'attune-propensity';
/** The artifact format this code reads and writes. */
export const PROPENSITY_FORMAT = 1;

const finite = z.number().finite();

/** One logistic head: z = intercept + weights · standardized features. */
export const LogisticHeadSchema = z.strictObject({ intercept: finite, weights: z.array(finite) });
/** One logistic head. */
export type LogisticHead = z.infer<typeof LogisticHeadSchema>;

/** What was measured on the time-based holdout when the model was trained. */
export const HoldoutSummarySchema = z.looseObject({
  auc: z.number().nullable(),
  brier: z.number().nullable(),
  ece: z.number().nullable(),
  count: z.number().int().nonnegative(),
  baseRate: z.number().nullable(),
  testCutoff: z.iso.datetime(),
  byCategoryAuc: z.record(z.string(), z.number().nullable()),
});
/** The holdout measurements kept with a model. */
export type HoldoutSummary = z.infer<typeof HoldoutSummarySchema>;

/** zod schema of a propensity artifact; lengths and feature names are checked against each other. */
export const PropensityArtifactSchema = z
  .strictObject({
    kind: z.literal(PROPENSITY_ARTIFACT),
    format: z.literal(PROPENSITY_FORMAT),
    version: z.string().min(1),
    trainedAt: z.iso.datetime(),
    /** Purchases are predicted within this many days. */
    horizonDays: z.number().positive(),
    l2: z.number().nonnegative(),
    features: z.array(z.string().min(1)).min(1),
    categories: z.array(z.string().min(1)),
    standardization: z.strictObject({ mean: z.array(finite), scale: z.array(finite.positive()) }),
    overall: LogisticHeadSchema,
    byCategory: z.record(z.string(), LogisticHeadSchema),
    /** Rows the model was fitted on, and how many were positive. */
    training: z.strictObject({ rows: z.number().int().nonnegative(), positives: z.number().int().nonnegative(), cutoffs: z.array(z.iso.datetime()) }),
    holdout: HoldoutSummarySchema.optional(),
  })
  .superRefine((a, ctx) => {
    const d = a.features.length;
    const expected = featureSchema(a.categories).names;
    if (expected.length !== d || expected.some((n, i) => n !== a.features[i])) ctx.addIssue({ code: 'custom', path: ['features'], message: 'not the features this version of Attune computes; retrain with attune predict train' });
    if (a.standardization.mean.length !== d || a.standardization.scale.length !== d) ctx.addIssue({ code: 'custom', path: ['standardization'], message: `needs ${d} means and scales` });
    if (a.overall.weights.length !== d) ctx.addIssue({ code: 'custom', path: ['overall', 'weights'], message: `needs ${d} weights` });
    for (const [c, h] of Object.entries(a.byCategory)) {
      if (!a.categories.includes(c)) ctx.addIssue({ code: 'custom', path: ['byCategory', c], message: 'not one of the categories' });
      if (h.weights.length !== d) ctx.addIssue({ code: 'custom', path: ['byCategory', c, 'weights'], message: `needs ${d} weights` });
    }
  });
/** A propensity artifact. */
export type PropensityArtifact = z.infer<typeof PropensityArtifactSchema>;

/**
 * Validates an artifact (from a file, a store, a request).
 *
 * @throws ValidationError naming the field that is wrong
 */
export function parsePropensityArtifact(input: unknown): PropensityArtifact {
  return parse(PropensityArtifactSchema, input, 'propensity model');
}

/**
 * The version of an artifact's predicting parts: the first 12 hex digits of a SHA-256.
 *
 * ```ts
 * propensityVersion(artifact); // 'p-3f9c2a1b7d04'
 * ```
 */
export function propensityVersion(a: Pick<PropensityArtifact, 'features' | 'standardization' | 'overall' | 'byCategory' | 'horizonDays'>): string {
  const heads = Object.keys(a.byCategory)
    .sort()
    .map((c) => [c, a.byCategory[c]]);
  const text = JSON.stringify([a.horizonDays, a.features, a.standardization, a.overall, heads]);
  return `p-${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
}
