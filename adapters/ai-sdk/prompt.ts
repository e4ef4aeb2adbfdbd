import type { LanguageModelMiddleware } from 'ai';

/** The call options a language model receives (`LanguageModelV3CallOptions`), as the middleware sees them. */
export type CallOptions = Parameters<NonNullable<LanguageModelMiddleware['transformParams']>>[0]['params'];
/** The model-level prompt: system, user, assistant and tool messages. */
export type ModelPrompt = CallOptions['prompt'];
/** What `doGenerate` returns. */
export type GenerateResult = Awaited<ReturnType<NonNullable<LanguageModelMiddleware['wrapGenerate']>>>;

/**
 * The user's words the call answers: the text of the last message when it is the user's.
 * After a tool call the last message is the tool's result, and the step continues a turn
 * that has begun already (`undefined`).
 */
export function lastUserText(prompt: ModelPrompt): string | undefined {
  const last = prompt.at(-1);
  if (last?.role !== 'user') return undefined;
  return last.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');
}

/**
 * The prompt with the block as a system message of its own, right after the caller's leading
 * system messages: the caller's instructions come first and stay as written.
 */
export function withSystemBlock(prompt: ModelPrompt, block: string): ModelPrompt {
  if (!block) return prompt;
  const at = prompt.findIndex((m) => m.role !== 'system');
  const index = at < 0 ? prompt.length : at;
  return [...prompt.slice(0, index), { role: 'system', content: block }, ...prompt.slice(index)];
}

/** The text a generate call answered with (its text parts, in order). */
export function answerText(result: GenerateResult): string {
  return result.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
}
