import { gateway } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import type { ShopModel } from './assistant';

/**
 * The model the example talks to: a real one through the Vercel AI Gateway when
 * `AI_GATEWAY_API_KEY` is set (`ATTUNE_LLM_MODEL` names it, default `openai/gpt-4o-mini`), or
 * else a stand-in that recommends the first item Attune offered, so that the example runs
 * offline and shows what the model was told.
 */
export function modelFromEnv(env: NodeJS.ProcessEnv = process.env): { model: ShopModel; real: boolean } {
  if (env.AI_GATEWAY_API_KEY) return { model: gateway(env.ATTUNE_LLM_MODEL ?? 'openai/gpt-4o-mini'), real: true };
  return { model: standInModel(), real: false };
}

/** The text of every system message of a call: what the model was told. */
function told(prompt: { role: string; content: unknown }[]): string {
  return prompt.flatMap((m) => (m.role === 'system' && typeof m.content === 'string' ? [m.content] : [])).join('\n');
}

/** Answers with the first item of the personalization block, as a real model would pick it. */
function standInModel(): ShopModel {
  const answer = (prompt: { role: string; content: unknown }[]) => {
    const first = /1\. (.+?) \[/.exec(told(prompt))?.[1];
    return first ? `I would suggest the ${first}. Shall I tell you more about it?` : 'What are you looking for today?';
  };
  const usage = { inputTokens: { total: 0, noCache: 0, cacheRead: undefined, cacheWrite: undefined }, outputTokens: { total: 0, text: 0, reasoning: undefined } };
  return new MockLanguageModelV3({
    provider: 'stand-in',
    modelId: 'first-item',
    doGenerate: async ({ prompt }) => ({ content: [{ type: 'text', text: answer(prompt) }], finishReason: { unified: 'stop', raw: undefined }, usage, warnings: [] }),
    doStream: async ({ prompt }) => ({
      stream: new ReadableStream({
        start(controller) {
          controller.enqueue({ type: 'stream-start', warnings: [] });
          controller.enqueue({ type: 'text-start', id: '0' });
          controller.enqueue({ type: 'text-delta', id: '0', delta: answer(prompt) });
          controller.enqueue({ type: 'text-end', id: '0' });
          controller.enqueue({ type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage });
          controller.close();
        },
      }),
    }),
  });
}
