import { plausibleTime, RASA_LIMITS, type Tally } from './limits';

/**
 * Typed views of the tracker events Attune logs, read field by field the way rasa-sdk's
 * `Tracker` reads them (`event.get("text")`): a field of the wrong type is left out and
 * counted, never a reason to refuse the call. The tracker holds the whole conversation, so an
 * event refused once would be refused again with every later call of that user.
 */

/** One entity as Rasa's NLU reports it in `parse_data.entities`. */
export interface RasaEntity {
  entity: string;
  value: unknown;
  [field: string]: unknown;
}

/** An intent and its confidence. */
export interface RasaIntent {
  name?: string;
  confidence?: number;
  [field: string]: unknown;
}

/** What the NLU made of a message: `tracker.latest_message` and a user event's `parse_data`. */
export interface RasaParseData {
  text?: string;
  intent?: RasaIntent;
  entities: RasaEntity[];
  message_id?: string;
  metadata?: Record<string, unknown>;
  [field: string]: unknown;
}

/** A `user` event: something the user said. */
export interface RasaUserEvent {
  event: 'user';
  /** Epoch seconds; absent when missing or implausible (see `plausibleTime`). */
  timestamp?: number;
  text?: string;
  parse_data?: RasaParseData;
  input_channel?: string;
  message_id?: string;
  metadata?: Record<string, unknown>;
}

/** A `bot` event: something the bot said (`BotUttered`). */
export interface RasaBotEvent {
  event: 'bot';
  timestamp?: number;
  text?: string;
  metadata?: Record<string, unknown>;
}

type Fields = Record<string, unknown>;

/** Whether a value is a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A tracker element's event name, if it is an event at all. */
export function eventName(value: unknown): string | undefined {
  return isObject(value) && typeof value.event === 'string' && value.event ? value.event : undefined;
}

/** `value` when it has the type `ok` checks, else undefined (counted when present). */
function typed<T>(value: unknown, ok: (v: unknown) => v is T, tally: Tally): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (ok(value)) return value;
  tally.fields++;
  return undefined;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';

/**
 * A `parse_data` (or `latest_message`) with the fields Attune reads typed and the rest kept
 * as they came; at most {@link RASA_LIMITS}`.entities` entities, those without a name left
 * out. Undefined when `raw` is not an object.
 */
export function readParseData(raw: unknown, tally: Tally): RasaParseData | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isObject(raw)) {
    tally.fields++;
    return undefined;
  }
  const entities: RasaEntity[] = [];
  const list = typed(raw.entities, Array.isArray, tally) ?? [];
  for (const e of list) {
    if (entities.length >= RASA_LIMITS.entities) {
      tally.fields += list.length - RASA_LIMITS.entities;
      break;
    }
    if (isObject(e) && typeof e.entity === 'string' && e.entity) entities.push(e as RasaEntity);
    else tally.fields++;
  }
  const intent = typed(raw.intent, isObject, tally);
  return {
    ...raw,
    text: typed(raw.text, isString, tally),
    intent: intent && { ...intent, name: typed(intent.name, isString, tally), confidence: typed(intent.confidence, isNumber, tally) },
    entities,
    message_id: typed(raw.message_id, isString, tally),
    metadata: typed(raw.metadata, isObject, tally),
  };
}

/** A tracker `user` event, read tolerantly. */
export function readUserEvent(raw: Fields, nowSeconds: number, tally: Tally): RasaUserEvent {
  return {
    event: 'user',
    timestamp: time(raw.timestamp, nowSeconds, tally),
    text: typed(raw.text, isString, tally),
    parse_data: readParseData(raw.parse_data, tally),
    input_channel: typed(raw.input_channel, isString, tally),
    message_id: typed(raw.message_id, isString, tally),
    metadata: typed(raw.metadata, isObject, tally),
  };
}

/** A tracker `bot` event, read tolerantly. */
export function readBotEvent(raw: Fields, nowSeconds: number, tally: Tally): RasaBotEvent {
  return {
    event: 'bot',
    timestamp: time(raw.timestamp, nowSeconds, tally),
    text: typed(raw.text, isString, tally),
    metadata: typed(raw.metadata, isObject, tally),
  };
}

function time(value: unknown, nowSeconds: number, tally: Tally): number | undefined {
  const at = plausibleTime(value, nowSeconds);
  if (at === undefined && value !== undefined && value !== null) tally.fields++;
  return at;
}
