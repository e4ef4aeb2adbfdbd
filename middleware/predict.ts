import type { Personalization } from '../src/core/personalization';
import type { Stage } from '../src/engine/turn-runner';

/** What the predict stage adds to the turn: the user's purchase propensity, when a model is served. */
export type PredictionsFlavor = Pick<Personalization, 'predictions'>;

/**
 * Fills `personalization.predictions` from the served propensity model (the engine's
 * `predict` option), reading the profile the turn already holds: no I/O. Without a model, or
 * without consent to personalize, nothing is added; a failed prediction is logged and counted
 * by the service and the turn goes on without it. Runs after the profile stage, so the turn's
 * own signals count, and before the segments and recommendations that read it.
 *
 * ```ts
 * attune.use(profileUpdate(), predictions(), segmentMembership(), recommendations());
 * ```
 */
export function predictions(): Stage<PredictionsFlavor> {
  return async function predictStage(ctx, next) {
    const service = ctx.services.predictions;
    if (service?.model && ctx.allows('personalization')) {
      const predicted = service.predict(ctx.personalization.profile, ctx.services.clock());
      if (predicted) ctx.personalization.predictions = predicted;
    }
    await next();
  };
}
