/**
 * `attune/agents`: Attune for agents on the Microsoft 365 Agents SDK (`@microsoft/agents-hosting`),
 * the successor of the Bot Framework SDK: the same middleware, replies and feedback as
 * `attune/botbuilder`.
 *
 * ```ts
 * import { AttuneAgentsAdapter, AttuneMiddleware, getPersonalization, withRecommendations } from 'attune/agents';
 * adapter.use(new AttuneMiddleware(attune));
 * ```
 */
export { ADAPTIVE_CARD_CHANNELS, AttuneMiddleware, getPersonalization, withRecommendations } from './middleware';
export type { AgentActivity, AttuneMiddlewareOptions } from './middleware';
export { AttuneAgentsAdapter } from './http';
export type { AgentsMessagesOptions, AttuneAgentsAdapterOptions } from './http';
export { toTurn, toReply } from '../activity/turn';
export { applyReply, clickedItem } from '../activity/reply';
export type { CardKind, ViewClick } from '../activity/reply';
export { MAX_TEXT_LENGTH, readActivity } from '../activity/read';
