import type { Stage } from '../src/engine/turn-runner';
import { applyTurn } from '../src/profiles/update';

/**
 * Updates the user's profile from the turn: counters, first/last seen, context signals, and
 * interest in the catalog categories the message mentions ("running shoes" → running).
 *
 * ```ts
 * attune.use(profileUpdate());
 * ```
 */
export function profileUpdate(): Stage {
  return async function profileStage(ctx, next) {
    if (!ctx.allows('personalization')) return next();
    const { turn } = ctx;
    ctx.effects.profile(applyTurn(ctx.personalization.profile, turn, ctx.mentions));
    await next();
  };
}
