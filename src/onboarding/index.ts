/**
 * Onboarding: a configurable flow of two or three quick-reply questions for first-time
 * users, whose answers seed the profile (category affinities, a budget that becomes the
 * default price filter, whom the user shops for). Pure flow and state; the
 * `onboarding()` stage (middleware/onboarding.ts) runs it on turns through effects.
 */
export { defaultOnboardingFlow } from './default-flow';
export type { DefaultFlowOptions } from './default-flow';
export { allTexts, LocalizedTextSchema, ONBOARDING_LANGUAGES, onboardingFlow, OnboardingFlowSchema, onboardingLanguage, textIn } from './flow';
export type { LocalizedText, OnboardingAnswer, OnboardingFlow, OnboardingFlowInput, OnboardingLanguage, OnboardingQuestion, OnboardingSeeds } from './flow';
export { isOnboardingValue, isSkip, matchAnswer, normalized } from './match';
export type { OnboardingValue } from './match';
export { ONBOARDING_SLOT, onboardingFilter, onboardingOf, onboardingSlotOf } from './state';
export type { OnboardingSlot, OnboardingState } from './state';
export { nextQuestion, onboardingPrompt, onboardingStep } from './step';
export type { OnboardingChoice, OnboardingPrompt, StepInput, StepOutcome, StepResult } from './step';
