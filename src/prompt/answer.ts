import { randomUUID } from 'node:crypto';
import { AttuneEvents } from '../core/ecommerce';
import type { Recommendation } from '../core/personalization';
import type { AttuneContext } from '../engine/context';
import type { PromptItem } from './context';

/** Letters and digits, lower-cased, one space between words: how a title is looked for in an answer. */
function words(text: string): string {
  return ` ${text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim()} `;
}

/**
 * The items of the block that an answer names, by title or by id, in the block's order: what
 * the user was really shown. Titles are matched on whole words, case and punctuation aside.
 *
 * ```ts
 * mentionedItems('The Trail Runner X would suit you.', data.recommendations); // [{ itemId: 'p1', … }]
 * ```
 */
export function mentionedItems<T extends Pick<PromptItem, 'itemId' | 'title'>>(answer: string, items: readonly T[]): T[] {
  const said = words(answer);
  return items.filter((i) => said.includes(words(i.title)) || answer.includes(i.itemId));
}

/**
 * Records a language model's answer in the running turn: as the reply sent (the turn log
 * stage logs it as `Message Sent`, redacted, with the turn's pseudonymous ids), and the items
 * it names as a `Recommendation Shown` impression, with their reasons. The answer is not
 * rewritten: the model wrote it in the tone it was asked for.
 */
export function recordAnswerInTurn(ctx: AttuneContext, answer: string, offered: readonly PromptItem[]): void {
  const shown = mentionedItems(answer, offered);
  const p = ctx.personalization;
  // The reply's list is what the turn log records as shown with the answer.
  const served = new Map(shown.length ? p.recommendations.map((r) => [r.itemId, r]) : []);
  const listed: Recommendation[] = shown.map((i) => served.get(i.itemId) ?? { itemId: i.itemId, score: 0, reason: i.reason, explanation: i.explanation ?? '' });
  ctx.sent.push({ text: answer, tone: p.tone, recommendations: listed.length ? listed : undefined });
  if (!shown.length || !ctx.allows('analytics')) return;
  const { turn } = ctx;
  const at = ctx.now();
  ctx.log({
    type: 'track',
    messageId: randomUUID(),
    userId: turn.userId,
    event: AttuneEvents.RecommendationShown,
    // `source: llm`: named in a model's answer, not attached as buttons or cards.
    properties: { items: shown.map((r) => r.itemId), reasons: shown.map((r) => r.reason), source: 'llm', sessionId: turn.sessionId, variant: p.variant },
    traits: {},
    context: { channel: turn.channel },
    timestamp: at,
    receivedAt: at,
  });
}
