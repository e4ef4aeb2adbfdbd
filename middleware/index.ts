import type { Stage } from '../src/engine/turn-runner';
import { sessionContext, type SessionContextOptions } from './context';
import { feedback } from './feedback';
import { turnLog, type TurnLogOptions } from './log';
import { profileUpdate } from './profile';
import { recommendations, type RecommendStageOptions } from './recommend';
import { segmentMembership, type SegmentStageOptions } from './segment';
import { tone, type ToneStageOptions } from './tone';

/** Options of every default stage, by stage. */
export interface DefaultStagesOptions {
  log?: TurnLogOptions;
  context?: SessionContextOptions;
  recommend?: RecommendStageOptions;
  segments?: SegmentStageOptions;
  tone?: ToneStageOptions;
}

/**
 * The standard pipeline, in DESIGN.md's order: log → context → profile → segment →
 * recommend → tone → feedback.
 *
 * ```ts
 * const attune = new Attune({ catalog }).use(...defaultStages({ recommend: { k: 3 } }));
 * ```
 */
export function defaultStages(options: DefaultStagesOptions = {}): Stage[] {
  return [turnLog(options.log), sessionContext(options.context), profileUpdate(), segmentMembership(options.segments), recommendations(options.recommend), tone(options.tone), feedback()];
}

export { feedback, profileUpdate, recommendations, segmentMembership, sessionContext, tone, turnLog };
export type { RecommendationsFlavor, RecommendPolicy, RecommendStageOptions } from './recommend';
export type { SegmentsFlavor, SegmentStageOptions } from './segment';
export type { ToneFlavor, ToneStageOptions } from './tone';
export type { SessionContextOptions } from './context';
export type { TurnLogOptions } from './log';
export { isFeedbackValue } from './feedback';
export type { FeedbackValue } from './feedback';
