import { z } from 'zod';

/**
 * The Rasa action-server protocol as zod schemas, written from rasa-sdk (`endpoint.py`,
 * `executor.py`, `events.py`) and Rasa's `RemoteAction`. Only what Attune reads is checked
 * strictly; everything else passes through untouched, so a newer Rasa with more fields or
 * event types still validates.
 */

/** One entity as Rasa's NLU reports it in `parse_data.entities`. */
export const RasaEntitySchema = z.looseObject({
  entity: z.string(),
  value: z.unknown(),
  start: z.number().optional(),
  end: z.number().optional(),
  extractor: z.string().nullish(),
  confidence_entity: z.number().nullish(),
  role: z.string().nullish(),
  group: z.string().nullish(),
});

const IntentSchema = z.looseObject({ name: z.string().nullish(), confidence: z.number().nullish() });

/** What the NLU made of a message: `tracker.latest_message` and a user event's `parse_data`. */
export const RasaParseDataSchema = z.looseObject({
  text: z.string().nullish(),
  intent: IntentSchema.nullish(),
  entities: z.array(RasaEntitySchema).default([]),
  intent_ranking: z.array(IntentSchema).optional(),
  message_id: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});

/** A `user` event: something the user said. */
export const RasaUserEventSchema = z.looseObject({
  event: z.literal('user'),
  timestamp: z.number().nullish(),
  text: z.string().nullish(),
  parse_data: RasaParseDataSchema.nullish(),
  input_channel: z.string().nullish(),
  message_id: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type RasaUserEvent = z.infer<typeof RasaUserEventSchema>;

/** A `bot` event: something the bot said (`BotUttered`). */
export const RasaBotEventSchema = z.looseObject({
  event: z.literal('bot'),
  timestamp: z.number().nullish(),
  text: z.string().nullish(),
  data: z.record(z.string(), z.unknown()).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
});
export type RasaBotEvent = z.infer<typeof RasaBotEventSchema>;

const SPECIFIC: Record<string, z.ZodType> = { user: RasaUserEventSchema, bot: RasaBotEventSchema };

/**
 * Any tracker event. `user` and `bot` events are checked in full (Attune logs them); other
 * types (`slot`, `action`, `active_loop`, `session_started`, …) only need a name, because
 * Rasa adds new ones between versions.
 */
export const RasaEventSchema = z
  .looseObject({ event: z.string().min(1), timestamp: z.number().nullish() })
  .superRefine((event, ctx) => {
    const schema = SPECIFIC[event.event];
    const result = schema?.safeParse(event);
    for (const issue of result?.success === false ? result.error.issues : []) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }
  });
export type RasaEvent = z.infer<typeof RasaEventSchema>;

/** The conversation state Rasa sends with every action call. */
export const RasaTrackerSchema = z.looseObject({
  sender_id: z.string().optional(),
  conversation_id: z.string().optional(),
  slots: z.record(z.string(), z.unknown()).default({}),
  latest_message: RasaParseDataSchema.nullish(),
  latest_event_time: z.number().nullish(),
  followup_action: z.string().nullish(),
  paused: z.boolean().optional(),
  events: z.array(RasaEventSchema).default([]),
  latest_input_channel: z.string().nullish(),
  // `{}` when no form runs, else `{ name, validate, rejected, trigger_message }`.
  active_loop: z.looseObject({ name: z.string().nullish(), validate: z.boolean().nullish(), rejected: z.boolean().nullish() }).nullish(),
  latest_action: z.record(z.string(), z.unknown()).nullish(),
  latest_action_name: z.string().nullish(),
});
export type RasaTracker = z.infer<typeof RasaTrackerSchema>;

/** `POST /webhook`: one action call. */
export const RasaActionCallSchema = z.looseObject({
  next_action: z.string().min(1),
  sender_id: z.string().min(1).max(512),
  tracker: RasaTrackerSchema,
  domain: z.record(z.string(), z.unknown()).default({}),
  version: z.string().optional(),
});
export type RasaActionCall = z.infer<typeof RasaActionCallSchema>;

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
