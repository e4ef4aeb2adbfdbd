import { z } from 'zod';
import { eventName, isObject, readParseData } from './events';
import { newTally, RASA_LIMITS } from './limits';

/**
 * The Rasa action-server protocol as zod schemas, written from rasa-sdk (`endpoint.py`,
 * `executor.py`, `interfaces.py`, `events.py`) and Rasa's `RemoteAction`. A call is accepted
 * when rasa-sdk would serve it; everything Attune does not read passes through untouched, so
 * a newer Rasa with more fields or event types still validates. Events are not checked here:
 * Attune reads only the newest few, tolerantly (see `events.ts`).
 */

/** Any tracker event: a name, and a timestamp when Rasa gave one; other fields as they came. */
export const RasaEventSchema = z.looseObject({ event: z.string().min(1), timestamp: z.number().nullish() });
/** A tracker event. */
export type RasaEvent = z.infer<typeof RasaEventSchema>;

/**
 * The tracker's events as actions see them. Only the array is checked (one cheap pass, nothing
 * deeper, whatever its length). rasa-sdk hands elements on unchecked, and its `Tracker`
 * helpers (`event.get("event")`) then fail on one that is not an object; here such elements
 * are left out, and a timestamp that is not a number is dropped from its event, so that
 * `RasaEvent` holds. Attune itself reads only the newest events, from the body (see `backlog`).
 */
const EventsSchema = z
  .array(z.unknown())
  .nullish()
  .transform((raw): RasaEvent[] => {
    const out: RasaEvent[] = [];
    for (const e of raw ?? []) {
      if (!eventName(e)) continue;
      const event = e as RasaEvent;
      const t = event.timestamp;
      out.push(t === undefined || t === null || typeof t === 'number' ? event : { ...event, timestamp: undefined });
    }
    return out;
  });

// `{}` when no form runs, else `{ name, validate, rejected, trigger_message }`.
const ActiveLoopSchema = z
  .looseObject({
    name: z.string().nullish().catch(undefined),
    validate: z.boolean().nullish().catch(undefined),
    rejected: z.boolean().nullish().catch(undefined),
  })
  .nullish()
  .catch(undefined);

/**
 * The conversation state Rasa sends with every action call, read as rasa-sdk's
 * `Tracker.from_dict` reads it: every field may be missing (`slots` → `{}`, `events` → `[]`,
 * `active_loop` → the deprecated `active_form`), and a field Attune only passes on is
 * dropped when it has the wrong type instead of failing the call. Only what cannot be
 * guessed is a 400: an over-long or non-string `sender_id`, slots or events that are not an
 * object and a list.
 */
export const RasaTrackerSchema = z
  .looseObject({
    sender_id: z.string().max(RASA_LIMITS.senderId).nullish(),
    conversation_id: z.string().nullish().catch(undefined),
    slots: z
      .record(z.string(), z.unknown())
      .nullish()
      .transform((s) => s ?? {}),
    latest_message: z.unknown().optional().transform((m) => readParseData(m, newTally()) ?? null),
    latest_event_time: z.number().nullish().catch(undefined),
    followup_action: z.string().nullish().catch(undefined),
    paused: z.boolean().nullish().catch(undefined),
    events: EventsSchema,
    latest_input_channel: z.string().nullish().catch(undefined),
    active_loop: ActiveLoopSchema,
    /** rasa-sdk still reads it when `active_loop` is missing (Rasa 2.0 renamed forms to loops). */
    active_form: ActiveLoopSchema,
    latest_action: z.record(z.string(), z.unknown()).nullish().catch(undefined),
    latest_action_name: z.string().nullish().catch(undefined),
  })
  .transform((t) => (t.active_loop === undefined && t.active_form ? { ...t, active_loop: t.active_form } : t));
/** The conversation state Rasa sends with every action call. */
export type RasaTracker = z.infer<typeof RasaTrackerSchema>;

/**
 * `POST /webhook`: one action call. The sender is `tracker.sender_id`, which is what
 * rasa-sdk's executor hands actions, else the top-level `sender_id` Rasa sends beside it; in
 * the parsed call both hold it. A missing `domain` is `{}` and `version` is informational.
 */
export const RasaActionCallSchema = z
  .looseObject({
    next_action: z.string().min(1).max(RASA_LIMITS.actionName),
    sender_id: z.string().max(RASA_LIMITS.senderId).nullish(),
    tracker: RasaTrackerSchema,
    domain: z
      .record(z.string(), z.unknown())
      .nullish()
      .catch(undefined)
      .transform((d) => d ?? {}),
    version: z.string().nullish().catch(undefined),
  })
  .transform((call, ctx) => {
    const sender = call.tracker.sender_id || call.sender_id;
    if (!sender) {
      ctx.addIssue({ code: 'custom', path: ['sender_id'], message: 'a sender id is required, at the top level or as tracker.sender_id' });
      return z.NEVER;
    }
    return { ...call, sender_id: sender, tracker: { ...call.tracker, sender_id: sender } };
  });
/** One action call. */
export type RasaActionCall = z.infer<typeof RasaActionCallSchema>;

/**
 * The tracker's events exactly as the body carried them (an array once the call parsed), for
 * the walk that finds what to log: it counts what is not an event instead of never seeing it.
 */
export function rawEvents(body: unknown): readonly unknown[] {
  const tracker = isObject(body) ? body.tracker : undefined;
  const events = isObject(tracker) ? tracker.events : undefined;
  return Array.isArray(events) ? events : [];
}

/** A button in a response, as `dispatcher.utter_message(buttons=[…])` sends it. */
export interface RasaButton {
  title: string;
  payload: string;
}

/**
 * One bot message of an action's answer, in the shape `CollectingDispatcher.utter_message`
 * produces. Keys Rasa does not know become the `BotUttered` event's `metadata`.
 */
export interface RasaResponse {
  text: string | null;
  buttons: RasaButton[];
  elements: Record<string, unknown>[];
  custom: Record<string, unknown>;
  template: string | null;
  response: string | null;
  image: string | null;
  attachment: string | null;
  [extra: string]: unknown;
}

/** An event an action returns (`SlotSet`, `FollowupAction`, …), as rasa-sdk's `events.py` builds it. */
export interface RasaResultEvent {
  event: string;
  timestamp?: number | null;
  [field: string]: unknown;
}

/** The answer to an action call. */
export interface RasaActionResult {
  events: RasaResultEvent[];
  responses: RasaResponse[];
}

/**
 * rasa-sdk's `SlotSet(key, value)`.
 *
 * ```ts
 * return { events: [slotSet('shoe_size', 42)] };
 * ```
 */
export function slotSet(name: string, value: unknown): RasaResultEvent {
  return { event: 'slot', timestamp: null, name, value };
}
