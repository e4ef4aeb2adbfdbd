/**
 * `attune/botbuilder`: Attune for Microsoft Bot Framework bots.
 *
 * ```ts
 * import { AttuneMiddleware, getPersonalization, withRecommendations } from 'attune/botbuilder';
 * adapter.use(new AttuneMiddleware(attune));
 * ```
 */
export { AttuneMiddleware, getPersonalization, withRecommendations } from './middleware';
export type { AttuneMiddlewareOptions } from './middleware';
export { toTurn, toReply, applyReply } from './translate';
export { AttuneCloudAdapter } from './http';
export type { AttuneCloudAdapterOptions } from './http';
export { MAX_TEXT_LENGTH, readActivity } from './activity';
export type { ReadActivity } from './activity';
