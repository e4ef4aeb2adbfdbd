import type { Personalization } from '../src/core/personalization';
import type { Stage } from '../src/engine/turn-runner';
import { evaluateSegments } from '../src/events/apply';
import { Segments, type SegmentDefinition } from '../src/segments/segments';

/** What the segment stage adds to the turn: the user's segments, and this turn's changes. */
export type SegmentsFlavor = Pick<Personalization, 'segments' | 'entered' | 'exited'>;

/** Options of {@link segmentMembership}. */
export interface SegmentStageOptions {
  /**
   * Segment definitions of this stage (default: the engine's `segments` option, which
   * ingestion applies too; give the same ones there, or events and turns disagree).
   */
  definitions?: readonly SegmentDefinition[];
}

/**
 * Evaluates the segments against the (just updated) profile; memberships that change are
 * stored with `Segment Entered` / `Segment Exited` events.
 *
 * ```ts
 * attune.use(segmentMembership({ definitions: [{ id: 'vip', rule: { field: 'orders', op: 'gte', value: 5 } }] }));
 * ```
 */
export function segmentMembership(options: SegmentStageOptions = {}): Stage<SegmentsFlavor> {
  const own = options.definitions ? new Segments(options.definitions) : undefined;
  return async function segmentStage(ctx, next) {
    const p = ctx.personalization;
    if (!ctx.allows('personalization')) {
      // Memberships are personal data: a user without consent is in no segment.
      if (p.segments.length) ctx.effects.segments([], [], [...p.segments]);
      return next();
    }
    const segments = own ?? ctx.services.segments;
    const m = evaluateSegments(p.profile, ctx.previousSegments, { segments, clock: ctx.services.clock }, ctx.effects.events);
    if (m.entered.length || m.exited.length) ctx.effects.segments(m.segments, m.entered, m.exited);
    await next();
  };
}
