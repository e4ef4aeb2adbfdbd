import { type BaseMessage, HumanMessage, SystemMessage } from '@langchain/core/messages';
import { type Runnable, RunnableLambda } from '@langchain/core/runnables';
import type { Attune } from '../../../src/engine/attune';

/** What the personalized chain takes: who asks, and what. */
export interface PersonalizedInput {
  userId: string;
  input: string;
  sessionId?: string;
}

/**
 * LangChain.js: a runnable around any chat model (or chain of messages in, message out)
 * that puts the user's Attune block into the system message and logs the exchange as a turn.
 * Attune's own failure leaves the call unpersonalized; the model's failure is the caller's.
 *
 * ```ts
 * const chain = personalizedChat(attune, new ChatOpenAI({ model: 'gpt-4o-mini' }), 'You are a shop assistant.');
 * const answer = await chain.invoke({ userId: 'u1', input: 'I need a tent' });
 * ```
 */
export function personalizedChat(attune: Attune, model: Runnable<BaseMessage[], BaseMessage>, instructions: string): Runnable<PersonalizedInput, string> {
  return RunnableLambda.from(async ({ userId, input, sessionId }: PersonalizedInput) => {
    const context = await attune.promptContext(userId, { text: input }).catch((err: unknown) => void attune.logger.warn({ err }, 'attune: no personalization for this call'));
    const system = context ? `${instructions}\n\n${context.text}` : instructions;
    const reply = await model.invoke([new SystemMessage(system), new HumanMessage(input)]);
    const answer = typeof reply.content === 'string' ? reply.content : reply.content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
    await attune.recordAnswer({ userId, sessionId, prompt: input, answer, offered: context?.data.recommendations, channel: 'langchain' }).catch((err: unknown) => attune.logger.warn({ err }, 'attune: the answer could not be logged'));
    return answer;
  });
}
