import type { Activity } from 'botbuilder';
import type { Reply } from '../../src/core/turn';
import { applyReply as applyWireReply } from '../activity/reply';

// The Activity protocol's turn and reply are shared with the Agents SDK's adapter.
export { CHANNEL_DATA_KEY, toReply, toTurn } from '../activity/turn';
export type { RecommendMarker } from '../activity/turn';

/** Applies a transformed reply to the outgoing activity: text, suggested actions or a carousel of hero cards. */
export function applyReply(activity: Partial<Activity>, reply: Reply): void {
  applyWireReply(activity, reply, 'hero');
}
