import { ActionTypes, type Activity, ActivityTypes, CardFactory, type Attachment, type CardAction } from 'botbuilder';
import { type RecommendFilter, RecommendFilterSchema } from '../../src/core/filter';
import type { Recommendation } from '../../src/core/personalization';
import type { Reply, Turn, TurnKind } from '../../src/core/turn';
import { itemDetails, itemTitle as title } from '../http/present';

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

/** A string field of the activity, if it is one and not too long; channels send odd shapes. */
function str(v: unknown, max = 512): string | undefined {
  return typeof v === 'string' && v.length <= max ? v : undefined;
}

/** The first object of a list field, if the field is a list. */
function first(v: unknown): Record<string, unknown> | undefined {
  const item: unknown = Array.isArray(v) ? v[0] : undefined;
  return typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : undefined;
}

/**
 * Turns an incoming botbuilder Activity into a neutral Turn. It reads every field as it may
 * really be (an activity that did not come through `readActivity` may hold anything), so that
 * an odd field is left out of the turn rather than breaking it.
 */
export function toTurn(activity: Partial<Activity>, userId: string, now: Date): Turn {
  const a = activity as Record<string, unknown>;
  const kind = KIND[str(a.type) ?? ''] ?? 'other';
  const added = first(a.reactionsAdded);
  const removed = first(a.reactionsRemoved);
  const reaction = added ?? removed;
  const entities: unknown[] = Array.isArray(a.entities) ? a.entities : [];
  const geo = entities.find((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && ((e as { type?: unknown }).type === 'GeoCoordinates' || (e as { type?: unknown }).type === 'clientInfo'));
  const at = a.timestamp instanceof Date || typeof a.timestamp === 'string' ? new Date(a.timestamp) : now;
  const conversation = activity.conversation as { id?: unknown } | undefined;
  const from = activity.from as { id?: unknown; name?: unknown } | undefined;
  const filter = filterOf(a.channelData);
  const turn: Turn = {
    id: str(a.id) ?? '',
    userId,
    sessionId: str(conversation?.id) ?? `${userId}:default`,
    channel: str(a.channelId, 64) ?? 'unknown',
    kind,
    text: kind === 'message' ? str(a.text, Number.POSITIVE_INFINITY) : undefined,
    value: a.value,
    reaction: reaction ? { type: String(str(reaction.type, 256) ?? 'unknown'), added: Boolean(added), replyToId: str(a.replyToId) } : undefined,
    signals: {
      locale: locale(a.locale) ?? locale(geo?.locale),
      timezone: str(a.localTimezone, 64) ?? str(geo?.timezone, 64),
      country: str(geo?.country, 64),
    },
    timestamp: Number.isNaN(at.getTime()) ? now.toISOString() : at.toISOString(),
  };
  // A channel that knows no name often repeats the id there: that is not a name to greet by.
  const userName = str(from?.name, 256)?.trim();
  if (userName && userName !== from?.id) turn.userName = userName;
  if (filter) turn.filter = filter;
  return turn;
}

/**
 * A recommendation filter a client put in the incoming activity's `channelData.attune.filter`
 * (Web Chat can send one with a price slider, say); a malformed one is left out.
 */
function filterOf(channelData: unknown): RecommendFilter | undefined {
  const marker = typeof channelData === 'object' && channelData !== null ? (channelData as Record<string, unknown>)[CHANNEL_DATA_KEY] : undefined;
  const raw = typeof marker === 'object' && marker !== null ? (marker as Record<string, unknown>).filter : undefined;
  if (raw === undefined) return undefined;
  const parsed = RecommendFilterSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** A BCP 47 tag, or nothing: a locale ends up in counter names and profile context. */
function locale(v: unknown): string | undefined {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{1,35}$/.test(v) ? v : undefined;
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

function suggestion(r: Recommendation): CardAction {
  return { type: ActionTypes.ImBack, title: title(r).slice(0, 50), value: `Tell me about ${title(r)}` };
}

function heroCard(r: Recommendation): Attachment {
  return CardFactory.heroCard(
    title(r),
    itemDetails(r),
    r.item?.image ? [r.item.image] : [],
    [{ type: ActionTypes.PostBack, title: 'View', value: { attune: 'view', itemId: r.itemId } }],
    // The reason in words ("because you viewed …"), where a card has room for it.
    { subtitle: r.explanation },
  );
}
