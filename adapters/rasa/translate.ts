import { AttuneEvents } from '../../src/core/ecommerce';
import type { AttuneEvent } from '../../src/core/event';
import type { Recommendation } from '../../src/core/personalization';
import type { Reply, Turn } from '../../src/core/turn';
import type { AttuneContext } from '../../src/engine/context';
import type { RasaBotEvent, RasaUserEvent } from './events';
import { boundValue, clip, RASA_LIMITS, shortString, type Tally } from './limits';
import type { RasaActionCall, RasaButton, RasaResponse } from './schema';
import { cardSubtitle, itemTitle } from '../http/present';

/**
 * Where Attune marks the responses it sends. Rasa copies every key of a response it does not
 * know into the `BotUttered` event's `metadata`, so the mark comes back in later trackers and
 * tells Attune that this bot message was logged already, when it was sent.
 */
export const SENT_MARK = 'attune';

/** Rasa timestamps are epoch seconds (floats); Attune's are ISO strings. */
export function isoFromRasa(seconds: number | null | undefined, now: Date): string {
  const at = typeof seconds === 'number' ? new Date(seconds * 1000) : undefined;
  return at && Number.isFinite(at.getTime()) ? at.toISOString() : now.toISOString();
}

/**
 * The Attune session: the sender's conversation since Rasa's latest `session_started`. Found
 * walking back from the newest event, once per call.
 */
export function sessionIdOf(call: RasaActionCall): string {
  const { events } = call.tracker;
  for (let i = events.length - 1; i >= 0; i--) {
    if (events[i].event !== 'session_started') continue;
    const at = events[i].timestamp;
    return typeof at === 'number' ? `${call.sender_id}@${at}` : call.sender_id;
  }
  return call.sender_id;
}

/** Who a turn is for and where it belongs, the same for every turn of one call. */
export interface TurnScope {
  /** The user id Attune keys data by. */
  userId: string;
  /** The sender's pseudonymous id: ids Attune makes up end in the log, where raw ids must never go. */
  senderKey: string;
  /** See {@link sessionIdOf}. */
  sessionId: string;
  /** Counts what was cut or left out on the way. */
  tally: Tally;
}

/**
 * A user message from the tracker as a neutral message Turn, within the bounds of
 * {@link RASA_LIMITS}: long text is cut, entity values are pruned to a bounded size, and
 * over-long ids, names and signals are left out, so that whatever the tracker holds the
 * turn's write succeeds.
 */
export function userTurn(call: RasaActionCall, event: RasaUserEvent, scope: TurnScope, now: Date): Turn {
  const { tally } = scope;
  const parse = event.parse_data;
  let entities: Record<string, unknown> | undefined;
  for (const e of parse?.entities ?? []) {
    const name = shortString(e.entity, RASA_LIMITS.name, tally);
    if (name === undefined) continue;
    entities ??= {};
    Object.defineProperty(entities, name, { value: boundValue(e.value, tally), enumerable: true, writable: true, configurable: true });
  }
  const meta = event.metadata ?? {};
  const text = event.text ?? parse?.text;
  const messageId = shortString(event.message_id, RASA_LIMITS.messageId, tally);
  return {
    id: messageId ?? `rasa:user:${scope.senderKey}:${event.timestamp ?? now.getTime() / 1000}`,
    userId: scope.userId,
    sessionId: scope.sessionId,
    channel: channelOf(event.input_channel ?? call.tracker.latest_input_channel, tally),
    kind: 'message',
    text: text === undefined ? undefined : clip(text, RASA_LIMITS.text, tally),
    intent: shortString(parse?.intent?.name, RASA_LIMITS.name, tally),
    entities,
    value: activeLoopValue(call, tally),
    signals: {
      locale: signal(meta.locale, tally) ?? signal(meta.language, tally),
      timezone: signal(meta.timezone, tally),
      device: signal(meta.device, tally),
      country: signal(meta.country, tally),
    },
    timestamp: isoFromRasa(event.timestamp, now),
  };
}

const signal = (v: unknown, tally: Tally): string | undefined => (typeof v === 'string' ? shortString(v, RASA_LIMITS.signal, tally) : undefined);

function channelOf(name: string | null | undefined, tally: Tally): string {
  return `rasa:${shortString(name, RASA_LIMITS.name, tally) ?? 'unknown'}`;
}

/**
 * The turn of an action call whose user message was logged already (a second action after
 * the same message, or a replayed tracker): an `event` turn, which the log stage does not
 * log again and which carries no intent, so the session does not count it twice.
 */
export function followUpTurn(call: RasaActionCall, scope: TurnScope, now: Date): Turn {
  return {
    id: `rasa:action:${scope.senderKey}:${call.next_action}:${now.getTime()}`,
    userId: scope.userId,
    sessionId: scope.sessionId,
    channel: channelOf(call.tracker.latest_input_channel, scope.tally),
    kind: 'event',
    value: activeLoopValue(call, scope.tally),
    signals: {},
    timestamp: now.toISOString(),
  };
}

function activeLoopValue(call: RasaActionCall, tally: Tally): { action: string; activeLoop?: string } {
  const loop = shortString(call.tracker.active_loop?.name, RASA_LIMITS.name, tally);
  return loop ? { action: call.next_action, activeLoop: loop } : { action: call.next_action };
}

/** A bot message found in the tracker, as the `Message Sent` event the log stage would write. */
export function botMessageEvent(ctx: AttuneContext, event: RasaBotEvent, tally: Tally): AttuneEvent {
  const { turn } = ctx;
  const received = new Date(ctx.services.clock());
  return {
    type: 'track',
    messageId: `rasa:bot:${turn.userId}:${event.timestamp ?? received.getTime() / 1000}`,
    userId: turn.userId,
    event: AttuneEvents.MessageSent,
    properties: {
      ...(event.text ? { text: ctx.redact(clip(event.text, RASA_LIMITS.text, tally)) } : {}),
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
  const title = itemTitle(r);
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
          // Why it was picked, then what it is: the same words as every other adapter's cards.
          subtitle: cardSubtitle(r),
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
