import { MockLanguageModelV3 } from 'ai/test';
import { simulateReadableStream } from 'ai';

/** The model-level prompt a mock received. */
export type ReceivedPrompt = MockLanguageModelV3['doGenerateCalls'][number]['prompt'];

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: 10, text: 10, reasoning: undefined },
};

/** Every system message of a prompt, joined: what the model was told. */
export function systemText(prompt: ReceivedPrompt): string {
  return prompt.flatMap((m) => (m.role === 'system' ? [m.content] : [])).join('\n');
}

/**
 * A mock language model (ai/test) that answers with `answer(prompt)`, generated or streamed
 * in three chunks, and keeps every prompt it received.
 */
export function mockModel(answer: (prompt: ReceivedPrompt) => string): MockLanguageModelV3 {
  return new MockLanguageModelV3({
    doGenerate: async ({ prompt }) => ({
      content: [{ type: 'text', text: answer(prompt) }],
      finishReason: { unified: 'stop', raw: undefined },
      usage,
      warnings: [],
    }),
    doStream: async ({ prompt }) => {
      const text = answer(prompt);
      const third = Math.ceil(text.length / 3);
      const deltas = [text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)];
      return {
        stream: simulateReadableStream({
          chunks: [
            { type: 'stream-start', warnings: [] },
            { type: 'text-start', id: 't' },
            ...deltas.map((delta) => ({ type: 'text-delta' as const, id: 't', delta })),
            { type: 'text-end', id: 't' },
            { type: 'finish', finishReason: { unified: 'stop', raw: undefined }, usage },
          ],
        }),
      };
    },
  });
}
