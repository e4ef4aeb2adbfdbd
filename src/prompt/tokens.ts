/**
 * A token estimate without a tokenizer: about four characters per token, the rule of thumb
 * OpenAI and Anthropic give for English. Words count too, so that a block of short words
 * (ids, numbers) is not undercounted. A budget built on it is approximate by design: the
 * block must stay small, not fit a model's window to the token.
 *
 * ```ts
 * estimateTokens('Recommended: Trail Runner X'); // 7
 * ```
 */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  const words = text.split(/\s+/).filter(Boolean).length;
  return Math.max(Math.ceil(text.length / 4), Math.ceil(words * 1.3));
}
