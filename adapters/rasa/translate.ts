import { AttuneEvents } from '../../src/core/ecommerce';
import type { AttuneEvent } from '../../src/core/event';
import type { Recommendation } from '../../src/core/personalization';
import type { Reply, Turn } from '../../src/core/turn';
import type { AttuneContext } from '../../src/engine/context';
import type { RasaActionCall, RasaBotEvent, RasaButton, RasaResponse, RasaUserEvent } from './schema';

/**
 * Where Attune marks the responses it sends. Rasa copies every key of a response it does not
 * know into the `BotUttered` event's `metadata`, so the mark comes back in later trackers and
 * tells Attune that this bot message was logged already, when it was sent.
 */
export const SENT_MARK = 'attune';

/** Rasa timestamps are epoch seconds (floats); Attune's are ISO strings. */
export function isoFromRasa(seconds: number | null | undefined, now: Date): string {
  return typeof seconds === 'number' && Number.isFinite(seconds) ? new Date(seconds * 1000).toISOString() : now.toISOString();
}

/** The Attune session: the sender's conversation since Rasa's latest `session_started`. */
export function sessionIdOf(call: RasaActionCall): string {
  const started = [...call.tracker.events].reverse().find((e) => e.event === 'session_started');
  return typeof started?.timestamp === 'number' ? `${call.sender_id}@${started.timestamp}` : call.sender_id;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/**
 * A user message from the tracker as a neutral message Turn. `senderKey` is the sender's
 * pseudonymous id: ids Attune makes up end in the log, where raw ids must never go.
 */
export function userTurn(call: RasaActionCall, event: RasaUserEvent, userId: string, senderKey: string, now: Date): Turn {
  const parse = event.parse_data;
  const entities = parse?.entities.length ? Object.fromEntries(parse.entities.map((e) => [e.entity, e.value])) : undefined;
  const meta = event.metadata ?? {};
  return {
    id: event.message_id ?? `rasa:user:${senderKey}:${event.timestamp ?? now.getTime() / 1000}`,
    userId,
    sessionId: sessionIdOf(call),
    channel: `rasa:${event.input_channel ?? call.tracker.latest_input_channel ?? 'unknown'}`,
    kind: 'message',
    text: event.text ?? parse?.text ?? undefined,
    intent: parse?.intent?.name ?? undefined,
    entities,
    value: activeLoopValue(call),
    signals: { locale: str(meta.locale) ?? str(meta.language), timezone: str(meta.timezone), device: str(meta.device), country: str(meta.country) },
    timestamp: isoFromRasa(event.timestamp, now),
  };
}

/**
 * The turn of an action call whose user message was logged already (a second action after
 * the same message, or a replayed tracker): an `event` turn, which the log stage does not
 * log again and which carries no intent, so the session does not count it twice.
 */
export function followUpTurn(call: RasaActionCall, userId: string, senderKey: string, now: Date): Turn {
  return {
    id: `rasa:action:${senderKey}:${call.next_action}:${now.getTime()}`,
    userId,
    sessionId: sessionIdOf(call),
    channel: `rasa:${call.tracker.latest_input_channel ?? 'unknown'}`,
    kind: 'event',
    value: activeLoopValue(call),
    signals: {},
    timestamp: now.toISOString(),
  };
}

function activeLoopValue(call: RasaActionCall): { action: string; activeLoop?: string } {
  const loop = call.tracker.active_loop?.name ?? undefined;
  return loop ? { action: call.next_action, activeLoop: loop } : { action: call.next_action };
}

/** A bot message found in the tracker, as the `Message Sent` event the log stage would write. */
export function botMessageEvent(ctx: AttuneContext, event: RasaBotEvent): AttuneEvent {
  const { turn, attune } = ctx;
  const received = new Date(attune.clock());
  return {
    type: 'track',
    messageId: `rasa:bot:${turn.userId}:${event.timestamp ?? received.getTime() / 1000}`,
    userId: turn.userId,
    event: AttuneEvents.MessageSent,
    properties: {
      ...(event.text ? { text: attune.redactor.redactText(event.text) } : {}),
      sessionId: turn.sessionId,
      source: 'rasa',
    },
    traits: {},
    context: { channel: turn.channel },
    timestamp: isoFromRasa(event.timestamp, received),
    receivedAt: received.toISOString(),
  };
}

/** How a recommendation becomes a button (default: a plain-text payload the NLU understands). */
export type ButtonFor = (r: Recommendation) => RasaButton;

/** The default button: the item's title, saying "Tell me about …" when pressed. */
export const defaultButton: ButtonFor = (r) => {
  const title = r.item?.title ?? r.itemId;
  return { title: title.slice(0, 80), payload: `Tell me about ${title}` };
};

/** What an action adds to a response besides the text. */
export interface ResponseExtras {
  buttons?: RasaButton[];
  custom?: Record<string, unknown>;
  image?: string;
  response?: string;
}

/**
 * A transformed reply as a rasa-sdk response: text, recommendations as buttons (and, for the
 * carousel style, generic-template elements), and Attune's sent mark.
 */
export function toResponse(reply: Reply, extras: ResponseExtras, button: ButtonFor): RasaResponse {
  const recs = reply.recommendations ?? [];
  const elements =
    reply.style === 'carousel'
      ? recs.map((r) => ({
          title: r.item?.title ?? r.itemId,
          subtitle: [r.item?.description, r.item?.price !== undefined ? r.item.price.toFixed(2) : undefined].filter(Boolean).join(' · '),
          ...(r.item?.image ? { image_url: r.item.image } : {}),
          buttons: [{ ...button(r), type: 'postback' }],
        }))
      : [];
  return {
    text: reply.text ?? null,
    buttons: [...(extras.buttons ?? []), ...recs.map(button)],
    elements,
    custom: extras.custom ?? {},
    template: extras.response ?? null,
    response: extras.response ?? null,
    image: extras.image ?? null,
    attachment: null,
    [SENT_MARK]: { logged: true, tone: reply.tone ?? null, recommendations: recs.map((r) => r.itemId) },
  };
}
