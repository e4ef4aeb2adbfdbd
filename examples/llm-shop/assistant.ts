import { generateText, streamText, wrapLanguageModel } from 'ai';
import { attuneMiddleware, type AttuneModelOptions } from '../../adapters/ai-sdk';
import type { Attune } from '../../src/engine/attune';

/** The assistant's own instructions: what it is, not who the user is (Attune adds that). */
export const SHOP_INSTRUCTIONS = 'You are the shop assistant of an outdoor and sports store. Answer in two or three sentences. Recommend only items from the list you are given, by their title.';

/** A language model object (a provider's model, `gateway(id)`, or ai/test's mock), as `wrapLanguageModel` takes it. */
export type ShopModel = Parameters<typeof wrapLanguageModel>[0]['model'];

/** A shop assistant: one user's message in, the model's answer out. */
export interface ShopAssistant {
  /** Answers a message of a user (generated whole). */
  reply(userId: string, text: string, sessionId?: string): Promise<string>;
  /** Answers a message of a user as a stream of text. */
  stream(userId: string, text: string, sessionId?: string): AsyncIterable<string>;
}

/**
 * The shop assistant of the LLM case study, on the Vercel AI SDK. It knows nothing about
 * personalization: its model is wrapped in Attune's middleware, which tells the model about
 * the user (interests, segments, the tone to answer in, the items to recommend) and logs
 * each exchange as a turn. As the user shows interest in a category, the next system prompt
 * lists that category's items.
 *
 * ```ts
 * const assistant = createShopAssistant(attune, gateway('openai/gpt-4o-mini'));
 * console.log(await assistant.reply('u1', 'I am planning a camping trip'));
 * ```
 */
export function createShopAssistant(attune: Attune, model: ShopModel, options: AttuneModelOptions = {}): ShopAssistant {
  const personalized = wrapLanguageModel({ model, middleware: attuneMiddleware(attune, { channel: 'llm-shop', ...options }) });
  const call = (userId: string, text: string, sessionId?: string) => ({
    model: personalized,
    system: SHOP_INSTRUCTIONS,
    prompt: text,
    providerOptions: { attune: sessionId ? { userId, sessionId } : { userId } },
  });
  return {
    async reply(userId, text, sessionId) {
      return (await generateText(call(userId, text, sessionId))).text;
    },
    stream(userId, text, sessionId) {
      return streamText(call(userId, text, sessionId)).textStream;
    },
  };
}
