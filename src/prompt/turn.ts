import type { AttuneContext } from '../engine/context';
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
  return renderPromptContext(promptData(source, deps, options.k), options);
}
