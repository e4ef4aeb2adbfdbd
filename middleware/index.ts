import type { Stage } from '../src/engine/turn-runner';
import { sessionContext, type SessionContextOptions } from './context';
import { experiments, type ExperimentStageOptions } from './experiment';
import { feedback, type FeedbackStageOptions } from './feedback';
import { turnLog, type TurnLogOptions } from './log';
import { onboarding, type OnboardingStageOptions } from './onboarding';
import { predictions } from './predict';
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
  /** Options of the feedback stage (online updates between trainings). */
  feedback?: FeedbackStageOptions;
  /** Options of the experiment stage, or `false` to leave it out. */
  experiments?: ExperimentStageOptions | false;
  /** Onboarding for first-time users (off unless given; see {@link onboarding}). */
  onboarding?: OnboardingStageOptions | false;
}

/**
 * The standard pipeline, in DESIGN.md's order: log → context → profile → (onboarding, when
 * given) → predict (nothing without a propensity model) → segment →
 * experiment → recommend → tone → feedback. The experiment stage is in by default, since
 * experiments may be posted over REST after start; with none defined it costs a read of the
 * registry every few seconds per replica, not per turn.
 *
 * ```ts
 * const attune = new Attune({ catalog }).use(...defaultStages({ recommend: { k: 3 } }));
 * ```
 */
export function defaultStages(options: DefaultStagesOptions = {}): Stage[] {
  const experiment = options.experiments === false ? [] : [experiments(options.experiments)];
  const onboard = options.onboarding ? [onboarding(options.onboarding)] : [];
  return [turnLog(options.log), sessionContext(options.context), profileUpdate(), ...onboard, predictions(), segmentMembership(options.segments), ...experiment, recommendations(options.recommend), tone(options.tone), feedback(options.feedback)];
}

export { experiments, feedback, onboarding, predictions, profileUpdate, recommendations, segmentMembership, sessionContext, tone, turnLog };
export { EXPERIMENT_VIEWED, overridesFor } from './experiment';
export type { ExperimentsFlavor, ExperimentStageOptions } from './experiment';
export type { FeedbackStageOptions } from './feedback';
export type { RecommendationsFlavor, RecommendPolicy, RecommendStageOptions } from './recommend';
export type { SegmentsFlavor, SegmentStageOptions } from './segment';
export type { PredictionsFlavor } from './predict';
export type { ToneFlavor, ToneStageOptions } from './tone';
export type { SessionContextOptions } from './context';
export type { TurnLogOptions } from './log';
export { ONBOARDING_EVENTS, onboardingReply } from './onboarding';
export type { OnboardingFlavor, OnboardingStageOptions } from './onboarding';
export { isFeedbackValue } from './feedback';
export type { FeedbackValue } from './feedback';
