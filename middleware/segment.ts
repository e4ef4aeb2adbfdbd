import type { Stage } from '../src/engine/attune';

/**
 * Evaluates the configured segments against the (just updated) profile; memberships that
 * change are stored with `Segment Entered` / `Segment Exited` events.
 *
 * ```ts
 * attune.use(segmentMembership());
 * ```
 */
export function segmentMembership(): Stage {
  return async function segmentStage(ctx, next) {
    const p = ctx.personalization;
    if (!ctx.allows('personalization')) {
      // Memberships are personal data: a user without consent is in no segment.
      if (p.segments.length) ctx.pending.segments = true;
      p.segments = [];
      return next();
    }
    const m = ctx.attune.updateSegments(p.profile, ctx.previousSegments, ctx.pending.events);
    p.segments = m.segments;
    p.entered = m.entered;
    p.exited = m.exited;
    if (m.entered.length || m.exited.length) ctx.pending.segments = true;
    await next();
  };
}
