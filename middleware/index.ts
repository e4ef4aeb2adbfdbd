import type { Stage } from '../src/engine/attune';
import { sessionContext, type SessionContextOptions } from './context';
import { feedback } from './feedback';
import { turnLog, type TurnLogOptions } from './log';
import { profileUpdate } from './profile';
import { recommendations, type RecommendStageOptions } from './recommend';
import { segmentMembership } from './segment';
import { tone } from './tone';

/** Options of every default stage, by stage. */
export interface DefaultStagesOptions {
  log?: TurnLogOptions;
  context?: SessionContextOptions;
  recommend?: RecommendStageOptions;
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
  return [turnLog(options.log), sessionContext(options.context), profileUpdate(), segmentMembership(), recommendations(options.recommend), tone(), feedback()];
}

export { feedback, profileUpdate, recommendations, segmentMembership, sessionContext, tone, turnLog };
export type { RecommendPolicy, RecommendStageOptions } from './recommend';
export type { SessionContextOptions } from './context';
export type { TurnLogOptions } from './log';
