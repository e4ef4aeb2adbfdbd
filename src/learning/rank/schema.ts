import { z } from 'zod';
import { MAX_ID_LENGTH } from '../../core/validate';

/**
 * The shapes rank/reward takes, checked with zod at every edge (the facade, REST, the CLI) and
 * when decisions are read back from the event log. The bounds keep one decision's event well
 * under the event log's 32 KB per event.
 */

/** At most this many candidate actions per decision (Personalizer's own limit is 50). */
export const MAX_ACTIONS = 50;
/** At most this many features per context or per action. */
export const MAX_FEATURES = 32;

const featureName = z.string().min(1).max(64);

/** Named numeric features: `{ mobile: 1, hour: 0.75 }`. */
export const FeaturesSchema = z
  .record(featureName, z.number().finite().min(-1e6).max(1e6))
  .refine((f) => Object.keys(f).length <= MAX_FEATURES, { message: `at most ${MAX_FEATURES} features` });

/** One candidate action. */
export const RankActionSchema = z.strictObject({
  id: z.string().min(1).max(128),
  features: FeaturesSchema.optional(),
});

/** What {@link RankService.rank} takes. */
export const RankRequestSchema = z
  .strictObject({
    actions: z.array(RankActionSchema).min(1).max(MAX_ACTIONS),
    context: FeaturesSchema.optional(),
    /** The caller's id for the decision, to reward it by (default: a new UUID). */
    eventId: z.string().min(1).max(200).optional(),
    /** The user the decision is for (pseudonymized before it is logged), if any. */
    userId: z.string().min(1).max(MAX_ID_LENGTH).optional(),
  })
  .superRefine((r, ctx) => {
    const seen = new Set<string>();
    r.actions.forEach((a, i) => {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', message: `duplicate action id ${JSON.stringify(a.id)}`, path: ['actions', i, 'id'] });
      seen.add(a.id);
    });
  });
/** A rank request. */
export type RankRequest = z.input<typeof RankRequestSchema>;

/** A reward value: Personalizer's range is [0, 1]; any bounded number is taken. */
export const RewardValueSchema = z.number().finite().min(-1e6).max(1e6);

/** The id a decision is rewarded by. */
export const EventIdSchema = z.string().min(1).max(200);
