import type { AttuneContext } from '../engine/context';
import type { OnboardingPrompt } from '../onboarding/step';
import { answerLanguage, type PromptDeps, promptData } from './context';
import { type PromptBlockOptions, type PromptContext, renderPromptContext } from './render';

/** Options of a prompt block: its template and budget, and how many items it may list. */
export interface PromptContextOptions extends PromptBlockOptions {
  /** Items to list at most, before the budget trims (default 5). */
  k?: number;
}

/**
 * The prompt block of a running turn, from what its stages decided: the turn's segments,
 * tone and recommendations, in the language of the user's message. An adapter for a language
 * model calls this in its bot handler (see `attune/ai-sdk`).
 */
export function turnPromptContext(ctx: AttuneContext, deps: PromptDeps, options: PromptContextOptions = {}): PromptContext {
  const p = ctx.personalization;
  const source = {
    profile: p.profile,
    segments: p.segments,
    recommendations: p.recommendations,
    tone: p.tone,
    language: answerLanguage(ctx.turn.text, ctx.turn.signals.locale ?? p.profile.context.locale),
    personal: ctx.allows('personalization'),
  };
  const data = promptData(source, deps, options.k);
  // Onboarding's question (the stage's flavor): the model asks it in its own words.
  const q = (p as { onboarding?: OnboardingPrompt }).onboarding;
  if (q && !ctx.degraded) data.ask = onboardingAsk(q);
  return renderPromptContext(data, options);
}

/**
 * An onboarding question as the prompt block's instruction: the question, and the answers
 * to offer in the user's language (the user answers in their own words, which the next turn matches).
 *
 * ```ts
 * onboardingAsk(prompt); // '"What are you into?" Offer: Running, Yoga, Camping (or to skip).'
 * ```
 */
export function onboardingAsk(q: OnboardingPrompt): string {
  return `"${q.question}" Offer: ${q.choices.map((c) => c.label).join(', ')} (or to skip).`;
}
