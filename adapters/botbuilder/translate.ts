import { ActionTypes, type Activity, ActivityTypes, CardFactory, type Attachment, type CardAction } from 'botbuilder';
import type { Recommendation } from '../../src/core/personalization';
import type { Reply, Turn, TurnKind } from '../../src/core/turn';

/** Where the bot marks an outgoing activity that should carry recommendations. */
export const CHANNEL_DATA_KEY = 'attune';

/** What `withRecommendations` puts in `channelData.attune`. */
export interface RecommendMarker {
  recommend: NonNullable<Reply['recommend']>;
}

const KIND: Record<string, TurnKind> = {
  [ActivityTypes.Message]: 'message',
  [ActivityTypes.Event]: 'event',
  [ActivityTypes.MessageReaction]: 'reaction',
  [ActivityTypes.ConversationUpdate]: 'conversation',
};

/** Turns an incoming botbuilder Activity into a neutral Turn. */
export function toTurn(activity: Partial<Activity>, userId: string, now: Date): Turn {
  const kind = KIND[activity.type ?? ''] ?? 'other';
  const added = activity.reactionsAdded?.[0];
  const removed = activity.reactionsRemoved?.[0];
  const reaction = added ?? removed;
  const geo = activity.entities?.find((e) => e.type === 'GeoCoordinates' || e.type === 'clientInfo') as Record<string, unknown> | undefined;
  const timestamp = activity.timestamp ? new Date(activity.timestamp) : now;
  return {
    id: activity.id ?? '',
    userId,
    sessionId: activity.conversation?.id ?? `${userId}:default`,
    channel: activity.channelId ?? 'unknown',
    kind,
    text: kind === 'message' && typeof activity.text === 'string' ? activity.text : undefined,
    value: activity.value,
    reaction: reaction ? { type: String(reaction.type), added: Boolean(added), replyToId: activity.replyToId } : undefined,
    signals: {
      locale: activity.locale ?? (typeof geo?.locale === 'string' ? geo.locale : undefined),
      timezone: activity.localTimezone ?? (typeof geo?.timezone === 'string' ? geo.timezone : undefined),
      country: typeof geo?.country === 'string' ? geo.country : undefined,
    },
    timestamp: Number.isNaN(timestamp.getTime()) ? now.toISOString() : timestamp.toISOString(),
  };
}

/** Reads the neutral reply out of an outgoing activity (and strips Attune's marker). */
export function toReply(activity: Partial<Activity>): Reply {
  const data = activity.channelData as Record<string, unknown> | undefined;
  const marker = data?.[CHANNEL_DATA_KEY] as RecommendMarker | undefined;
  return { text: activity.text, recommend: marker?.recommend };
}

/** Applies a transformed reply to the outgoing activity: text, suggested actions or carousel. */
export function applyReply(activity: Partial<Activity>, reply: Reply): void {
  if (reply.text !== undefined && activity.text !== undefined) activity.text = reply.text;
  const data = activity.channelData as Record<string, unknown> | undefined;
  if (data && CHANNEL_DATA_KEY in data) {
    const { [CHANNEL_DATA_KEY]: _marker, ...rest } = data;
    activity.channelData = Object.keys(rest).length ? rest : undefined;
  }
  const recs = reply.recommendations;
  if (!recs?.length) return;
  if (reply.style === 'carousel') {
    activity.attachmentLayout = 'carousel';
    activity.attachments = [...(activity.attachments ?? []), ...recs.map(heroCard)];
  } else {
    activity.suggestedActions = {
      actions: [...(activity.suggestedActions?.actions ?? []), ...recs.map(suggestion)],
      to: activity.recipient?.id ? [activity.recipient.id] : [],
    };
  }
}

function title(r: Recommendation): string {
  return r.item?.title ?? r.itemId;
}

function suggestion(r: Recommendation): CardAction {
  return { type: ActionTypes.ImBack, title: title(r).slice(0, 50), value: `Tell me about ${title(r)}` };
}

function heroCard(r: Recommendation): Attachment {
  const price = r.item?.price !== undefined ? ` · ${r.item.price.toFixed(2)}` : '';
  return CardFactory.heroCard(
    title(r),
    `${r.item?.description ?? ''}${price}`.trim(),
    r.item?.image ? [r.item.image] : [],
    [{ type: ActionTypes.PostBack, title: 'View', value: { attune: 'view', itemId: r.itemId } }],
  );
}
