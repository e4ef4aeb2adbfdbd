import { type RecommendFilter, RecommendFilterSchema } from '../../src/core/filter';
import type { Reply, Turn, TurnKind } from '../../src/core/turn';

/*
 * The Activity protocol's side of a turn, shared by botbuilder and the Microsoft 365 Agents
 * SDK (both speak it): an incoming activity as a neutral Turn, and the reply the bot marked.
 * Framework-free: each SDK's adapter passes its own Activity objects in.
 */

/** Where the bot marks an outgoing activity that should carry recommendations. */
export const CHANNEL_DATA_KEY = 'attune';

/** What `withRecommendations` puts in `channelData.attune`. */
export interface RecommendMarker {
  recommend: NonNullable<Reply['recommend']>;
}

/** The protocol's activity types (`ActivityTypes` of either SDK) and the turn kinds they are. */
const KIND: Record<string, TurnKind> = {
  message: 'message',
  event: 'event',
  messageReaction: 'reaction',
  conversationUpdate: 'conversation',
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
 * Turns an incoming Activity (botbuilder's or the Agents SDK's) into a neutral Turn. It reads every field as it may
 * really be (an activity that did not come through `readActivity` may hold anything), so that
 * an odd field is left out of the turn rather than breaking it.
 */
export function toTurn(activity: object, userId: string, now: Date): Turn {
  const a = activity as Record<string, unknown>;
  const kind = KIND[str(a.type) ?? ''] ?? 'other';
  const added = first(a.reactionsAdded);
  const removed = first(a.reactionsRemoved);
  const reaction = added ?? removed;
  const entities: unknown[] = Array.isArray(a.entities) ? a.entities : [];
  const geo = entities.find((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && ((e as { type?: unknown }).type === 'GeoCoordinates' || (e as { type?: unknown }).type === 'clientInfo'));
  const at = a.timestamp instanceof Date || typeof a.timestamp === 'string' ? new Date(a.timestamp) : now;
  const conversation = a.conversation as { id?: unknown } | undefined;
  const from = a.from as { id?: unknown; name?: unknown } | undefined;
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
      // Teams' clientInfo names the platform: Android and iOS are small screens.
      device: deviceOf(geo?.platform),
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

/** A client platform as a device signal: `mobile` for phones' platforms, else the platform's name. */
function deviceOf(v: unknown): string | undefined {
  if (typeof v !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(v)) return undefined;
  return /^(android|ios)$/i.test(v) ? 'mobile' : v.toLowerCase();
}

/** A BCP 47 tag, or nothing: a locale ends up in counter names and profile context. */
function locale(v: unknown): string | undefined {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{1,35}$/.test(v) ? v : undefined;
}

/** Reads the neutral reply out of an outgoing activity (and strips Attune's marker). */
export function toReply(activity: { text?: string; channelData?: unknown }): Reply {
  const data = activity.channelData as Record<string, unknown> | undefined;
  const marker = data?.[CHANNEL_DATA_KEY] as RecommendMarker | undefined;
  return { text: activity.text, recommend: marker?.recommend };
}
