import type { Express } from 'express';
import pino, { type Logger } from 'pino';
import request from 'supertest';
import type { Attune } from '../../src/engine/attune';
import type { Store } from '../../src/store/store';

/**
 * A stand-in for Rasa's side of the action-server protocol: keeps a tracker the way Rasa's
 * `DialogueStateTracker.current_state(EventVerbosity.ALL)` serializes it, sends action calls
 * shaped as `RemoteAction._action_call_format` builds them, and applies the answer as
 * `RemoteAction.run` does (responses → `bot` events with unknown keys as `metadata`, returned
 * events appended, then `action` executed).
 */

export type Json = Record<string, unknown>;

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface ActionAnswer {
  status: number;
  body: { events?: Json[]; responses?: Json[]; error?: string; action_name?: string | null; issues?: unknown[] };
}

/** The domain Rasa sends (`Domain.as_dict()`), trimmed to what the tests need. */
export function shopDomain(): Json {
  return {
    version: '3.1',
    config: { store_entities_as_slots: true },
    session_config: { session_expiration_time: 60, carry_over_slots_to_new_session: true },
    intents: ['greet', 'ask_product', 'ask_recommendation', 'inform_size', 'goodbye'],
    entities: ['category', 'size'],
    slots: {
      shoe_size: { type: 'float', influence_conversation: true, mappings: [{ type: 'from_entity', entity: 'size' }] },
      attune_segments: { type: 'list', influence_conversation: false, mappings: [{ type: 'custom' }] },
      attune_tone: { type: 'text', influence_conversation: false, mappings: [{ type: 'custom' }] },
      attune_recommendations: { type: 'list', influence_conversation: false, mappings: [{ type: 'custom' }] },
    },
    responses: { utter_greet: [{ text: 'Hello! How can I help?' }], utter_ask_shoe_size: [{ text: 'What size do you wear?' }] },
    actions: ['action_attune_recommend', 'action_attune_personalize', 'action_check_stock'],
    forms: { shoe_form: { required_slots: ['shoe_size'] } },
    e2e_actions: [],
  };
}

/** One conversation as Rasa keeps it. */
export class RasaConversation {
  /** The tracker's events; `junk` puts in elements that are not events at all. */
  readonly events: unknown[] = [];
  readonly slots: Json = { shoe_size: null, attune_segments: null, attune_tone: null, attune_recommendations: null, requested_slot: null };
  private clock = 1_718_000_000;
  private activeLoop: Json = {};
  private latestMessage: Json = { intent: {}, entities: [], text: null, message_id: null, metadata: {} };
  private seq = 0;

  constructor(
    readonly senderId: string,
    private readonly channel = 'rest',
  ) {
    this.push({ event: 'action', name: 'action_session_start', policy: null, confidence: 1, action_text: null, hide_rule_turn: false });
    this.push({ event: 'session_started' });
    this.push({ event: 'action', name: 'action_listen', policy: null, confidence: null, action_text: null, hide_rule_turn: false });
  }

  private tick(): number {
    this.clock += 1.25;
    return this.clock;
  }

  private push(event: Json): void {
    this.events.push({ timestamp: this.tick(), metadata: {}, ...event });
  }

  /** The user says something, which the NLU parsed into `intent` and `entities`. */
  user(text: string, intent: string, entities: { entity: string; value: unknown }[] = [], metadata: Json = {}): this {
    const parse = {
      intent: { name: intent, confidence: 0.97 },
      entities: entities.map((e) => ({ ...e, start: 0, end: text.length, confidence_entity: 0.99, extractor: 'DIETClassifier' })),
      text,
      message_id: `msg-${this.senderId}-${++this.seq}`,
      metadata,
      intent_ranking: [{ name: intent, confidence: 0.97 }],
      response_selector: { all_retrieval_intents: [], default: { response: {}, ranking: [] } },
    };
    this.latestMessage = parse;
    this.push({ event: 'user', text, parse_data: parse, input_channel: this.channel, message_id: parse.message_id, metadata });
    this.push({ event: 'user_featurization', use_text_for_featurization: false });
    for (const e of entities) if (e.entity === 'size') this.slot('shoe_size', e.value);
    return this;
  }

  /** A response of the domain uttered by Rasa itself (no action server involved). */
  utter(name: string, text: string): this {
    this.push({ event: 'action', name, policy: 'RulePolicy', confidence: 1, action_text: null, hide_rule_turn: false });
    this.push({ event: 'bot', text, data: { elements: null, quick_replies: null, buttons: null, attachment: null, image: null, custom: null }, metadata: { utter_action: name } });
    return this;
  }

  slot(name: string, value: unknown): this {
    this.slots[name] = value;
    this.push({ event: 'slot', name, value });
    return this;
  }

  /** A form starts: the active loop and its requested slot, as `FormAction` records them. */
  startForm(name: string, requested: string): this {
    this.push({ event: 'action', name, policy: 'RulePolicy', confidence: 1, action_text: null, hide_rule_turn: false });
    this.push({ event: 'active_loop', name });
    this.activeLoop = { name, validate: true, rejected: false, trigger_message: this.latestMessage };
    return this.slot('requested_slot', requested);
  }

  endForm(): this {
    this.push({ event: 'active_loop', name: null });
    this.activeLoop = {};
    return this.slot('requested_slot', null);
  }

  /** Any other event, as Rasa serializes it (`reminder`, `followup`, `loop_interrupted`, …). */
  raw(event: Json): this {
    this.push(event);
    return this;
  }

  /** An element exactly as given, without the timestamp Rasa would add: what a broken tracker store may hold. */
  junk(...elements: unknown[]): this {
    this.events.push(...elements);
    return this;
  }

  listen(): this {
    this.push({ event: 'action', name: 'action_listen', policy: 'RulePolicy', confidence: 1, action_text: null, hide_rule_turn: false });
    return this;
  }

  /** The JSON Rasa posts to the action server to run `action`. */
  call(action: string): Json {
    return {
      next_action: action,
      sender_id: this.senderId,
      tracker: {
        sender_id: this.senderId,
        slots: { ...this.slots },
        latest_message: this.latestMessage,
        latest_event_time: this.clock,
        followup_action: null,
        paused: false,
        events: this.events.map((e) => (isJson(e) ? { ...e } : e)),
        latest_input_channel: this.channel,
        active_loop: this.activeLoop,
        latest_action: { action_name: 'action_listen' },
        latest_action_name: 'action_listen',
      },
      domain: shopDomain(),
      version: '3.6.20',
    };
  }

  /** Runs a custom action over HTTP and applies its answer to the tracker as Rasa does. */
  async run(app: Express | string, action: string, path = '/rasa/webhook'): Promise<ActionAnswer> {
    const res = await request(app).post(path).send(this.call(action));
    const answer: ActionAnswer = { status: res.status, body: res.body as ActionAnswer['body'] };
    if (res.status !== 200) return answer;
    this.push({ event: 'action', name: action, policy: 'TEDPolicy', confidence: 0.93, action_text: null, hide_rule_turn: false });
    for (const r of answer.body.responses ?? []) {
      const { text, elements, quick_replies, buttons, attachment, image, custom, ...rest } = r;
      const metadata = Object.fromEntries(Object.entries(rest).filter(([, v]) => Boolean(v)));
      this.push({ event: 'bot', text, data: { elements, quick_replies, buttons, attachment: attachment ?? image, image, custom }, metadata });
    }
    for (const e of answer.body.events ?? []) {
      if (e.event === 'slot') this.slots[String(e.name)] = e.value;
      // Rasa stamps events an action returns with `timestamp: null` on arrival.
      const { timestamp: _none, ...event } = e;
      this.push(event);
    }
    return answer;
  }
}

/** The texts of the `Message Received` and `Message Sent` events logged for a user. */
export async function loggedMessages(store: Store, attune: Attune, userId: string): Promise<{ received: unknown[]; sent: unknown[] }> {
  await attune.flush();
  const { events } = await store.readEvents({ userId: attune.userKey(userId), limit: 10000 });
  return {
    received: events.filter((e) => e.event === 'Message Received').map((e) => e.properties.text),
    sent: events.filter((e) => e.event === 'Message Sent').map((e) => e.properties.text),
  };
}

/** A pino logger at `warn` that keeps every entry it writes, parsed. */
export function capturingLogger(): { logger: Logger; entries: Json[] } {
  const entries: Json[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void entries.push(JSON.parse(line) as Json) });
  return { logger, entries };
}
