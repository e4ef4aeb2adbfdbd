/**
 * `attune/ai-sdk`: Attune for bots on the Vercel AI SDK, as a language-model middleware.
 *
 * ```ts
 * import { wrapLanguageModel } from 'ai';
 * import { attuneMiddleware } from 'attune/ai-sdk';
 * const model = wrapLanguageModel({ model, middleware: attuneMiddleware(attune) });
 * ```
 */
export { attuneMiddleware } from './middleware';
export type { AttuneModelOptions } from './middleware';
export { AttuneCallOptionsSchema, PROVIDER_KEY } from './options';
export type { AttuneCallOptions } from './options';
