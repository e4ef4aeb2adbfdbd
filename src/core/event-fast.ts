import { MAX_ID_LENGTH } from './validate';

/**
 * The common `track` call validated without zod: a plain object of ids, a name, a timestamp, a
 * few context signals and flat properties (what shop trackers and `attune.track` send on every
 * event). A schema parse of it cost a tenth of ingesting it; these checks cost a fraction of
 * that. Anything else (another field, a nested property, a value out of bounds, a malformed
 * one) is not decided here: it gets `undefined`, and the full schema decides, errors included.
 * So the schema stays the one definition of a valid event, and this only a shortcut through it
 * for inputs it surely accepts, giving what it would give (held to it by a property test).
 */

/** A `track` call as the fast path gives it, shaped as the schema's output. */
export interface FastTrack {
  type: 'track';
  event: string;
  userId?: string;
  anonymousId?: string;
  messageId?: string;
  timestamp?: string | number;
  properties?: Record<string, unknown>;
  context?: { channel?: string; locale?: string; timezone?: string };
  /** As the schema's loose objects type it (the fast path itself takes no other field). */
  [field: string]: unknown;
}

/** The schema's bounds on what the fast path takes (see core/event.ts); the bounds of size and depth follow from these. */
const EVENT_NAME_MAX = 200;
/** Context signals the fast path takes, with the schema's longest values, in the schema's order (its output's). */
const CONTEXT_FIELDS = [
  ['channel', 64],
  ['locale', 35],
  ['timezone', 64],
] as const;
/** Few enough flat properties, short enough, that an event stays far below its 32 KB bound. */
const MAX_PROPERTIES = 32;
const MAX_PROPERTY_KEY = 64;
const MAX_PROPERTY_TEXT = MAX_ID_LENGTH;
const TOP_FIELDS: ReadonlySet<string> = new Set(['type', 'event', 'userId', 'anonymousId', 'messageId', 'timestamp', 'properties', 'context']);
/** An ISO time as `Date.toISOString` spells it; accepted only when it is that of a real date. */
const CANONICAL_ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * `input` as `EventInputSchema` would parse it, when it is a plain `track` call the schema
 * surely accepts; `undefined` otherwise (then the schema must decide).
 *
 * ```ts
 * const e = fastTrack(input) ?? parse(EventInputSchema, input, 'event');
 * ```
 */
export function fastTrack(input: unknown): FastTrack | undefined {
  if (!isPlainRecord(input)) return undefined;
  for (const k in input) if (!TOP_FIELDS.has(k)) return undefined;
  const { type, event, userId, anonymousId, messageId, timestamp, properties, context } = input;
  if (type !== 'track' || !isText(event, 1, EVENT_NAME_MAX)) return undefined;
  const out: FastTrack = { type, event };
  if (userId !== undefined || 'userId' in input) {
    if (!isText(userId, 1, MAX_ID_LENGTH)) return undefined;
    out.userId = userId;
  }
  if (anonymousId !== undefined || 'anonymousId' in input) {
    if (!isText(anonymousId, 1, MAX_ID_LENGTH)) return undefined;
    out.anonymousId = anonymousId;
  }
  if (out.userId === undefined && out.anonymousId === undefined) return undefined;
  if (messageId !== undefined || 'messageId' in input) {
    if (!isText(messageId, 1, MAX_ID_LENGTH)) return undefined;
    out.messageId = messageId;
  }
  if (timestamp !== undefined || 'timestamp' in input) {
    if (!isTime(timestamp)) return undefined;
    out.timestamp = timestamp;
  }
  if (properties !== undefined || 'properties' in input) {
    const props = flatProperties(properties);
    if (!props) return undefined;
    out.properties = props;
  }
  if (context !== undefined || 'context' in input) {
    const ctx = signals(context);
    if (!ctx) return undefined;
    out.context = ctx;
  }
  return out;
}

/** An object with the plain prototype and only enumerable string keys, none `__proto__`. */
function isPlainRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  const keys = Reflect.ownKeys(v);
  return keys.length === Object.keys(v).length && !keys.includes('__proto__');
}

function isText(v: unknown, min: number, max: number): v is string {
  return typeof v === 'string' && v.length >= min && v.length <= max;
}

/** A time the schema takes: epoch milliseconds, or an ISO time in `toISOString`'s form of a real date. */
function isTime(v: unknown): v is string | number {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0;
  if (typeof v !== 'string' || !CANONICAL_ISO.test(v)) return false;
  const t = Date.parse(v);
  return !Number.isNaN(t) && new Date(t).toISOString() === v;
}

/** A copy of flat properties (strings, finite numbers, booleans, null), as the schema copies them; else undefined. */
function flatProperties(v: unknown): Record<string, unknown> | undefined {
  if (!isPlainRecord(v)) return undefined;
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const k in v) {
    if (++n > MAX_PROPERTIES || k.length > MAX_PROPERTY_KEY) return undefined;
    const x = v[k];
    if (typeof x === 'string') {
      if (x.length > MAX_PROPERTY_TEXT) return undefined;
    } else if (typeof x === 'number') {
      if (!Number.isFinite(x)) return undefined;
    } else if (typeof x !== 'boolean' && x !== null) return undefined;
    out[k] = x;
  }
  return out;
}

/** A copy of a context of the known signals only, in the schema's order; else undefined. */
function signals(v: unknown): FastTrack['context'] | undefined {
  if (!isPlainRecord(v)) return undefined;
  let n = 0;
  const out: Record<string, string> = {};
  for (const [name, max] of CONTEXT_FIELDS) {
    if (!(name in v)) continue;
    const x = v[name];
    if (!isText(x, 0, max)) return undefined;
    out[name] = x;
    n += 1;
  }
  return n === Object.keys(v).length ? out : undefined;
}
