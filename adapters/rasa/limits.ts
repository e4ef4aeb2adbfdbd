/**
 * What Attune takes from one Rasa action call, at most. Rasa sends the whole tracker with
 * every call, and trackers only grow, so every walk over it and every value kept from it has
 * a bound: a long conversation or one odd event must cost a call no more than a small
 * multiple of a normal one, and must never fail the turn's write.
 */
export const RASA_LIMITS = {
  /**
   * Longest `sender_id` (top level or `tracker.sender_id`); a longer one is a 400. Ids Attune
   * derives from it (session, message and ledger keys) then stay under the store's 512.
   */
  senderId: 256,
  /** Longest action name (`next_action`); a longer one is a 400, and never echoed back. */
  actionName: 128,
  /** Events one call walks back from the end of the tracker, looking for what is not logged yet. */
  walkEvents: 500,
  /** Earlier user messages (answered by Rasa without the action server) replayed as turns per call. */
  earlierMessages: 10,
  /** Bot messages found in the tracker logged per call. */
  botMessages: 50,
  /** Longest message text kept; longer text is cut there. */
  text: 4096,
  /** Longest name kept (intent, entity, input channel, form); a longer one is left out. */
  name: 128,
  /** Longest context signal kept (locale, timezone, device, country); a longer one is left out. */
  signal: 64,
  /** Longest `message_id` used as the logged event's id; with a longer one Attune makes its own. */
  messageId: 200,
  /** Entities kept per message. */
  entities: 50,
  /** An entity value: nesting depth, values in all and string length kept. */
  entityValue: { depth: 3, values: 64, string: 512 },
  /**
   * How far in the future (by Attune's clock) a timestamp may be and still count. A later
   * one (a garbled event, milliseconds taken for seconds) is treated as absent: remembered as
   * the logged mark, it would hide every later message.
   */
  futureSeconds: 3600,
} as const;

/**
 * What reading one call left out or cut short, to log once and count with the turn. Nothing
 * in here makes the call fail: a tracker holds the whole conversation, so an event Attune
 * cannot use comes back with every later call and must not break any of them.
 */
export interface Tally {
  /** Tracker events that are not events (no name, not an object) among those walked. */
  events: number;
  /** Fields of the wrong type, or too long to be meaningful, left out. */
  fields: number;
  /** Texts cut to {@link RASA_LIMITS}`.text` and values pruned to the entity bounds. */
  truncated: number;
}

/** A tally with nothing counted yet. */
export function newTally(): Tally {
  return { events: 0, fields: 0, truncated: 0 };
}

/** Whether anything was left out or cut. */
export function tallied(t: Tally): boolean {
  return t.events + t.fields + t.truncated > 0;
}

/** `text`, cut to `max` characters (counted when cut). */
export function clip(text: string, max: number, tally: Tally): string {
  if (text.length <= max) return text;
  tally.truncated++;
  return text.slice(0, max);
}

/** A string of at most `max` characters, else undefined; a present value of another kind or length is counted. */
export function shortString(value: unknown, max: number, tally: Tally): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && value.length <= max) return value || undefined;
  tally.fields++;
  return undefined;
}

/**
 * A copy of a JSON value with bounded depth, number of values and string length, for entity
 * values that are stored: a value nested thousands deep would overflow every recursive walk
 * after it (redaction, freezing, serialization) and fail the write. What is cut is counted
 * once per value.
 *
 * ```ts
 * boundValue({ unit: 'cm', range: { from: { value: 40, inner: { x: 1 } } } }, tally); // { unit: 'cm', range: { from: { value: 40, inner: {} } } }
 * ```
 */
export function boundValue(value: unknown, tally: Tally): unknown {
  const { depth, values, string } = RASA_LIMITS.entityValue;
  let budget = values;
  let cut = false;
  const copy = (v: unknown, level: number): unknown => {
    budget--;
    if (typeof v === 'string') {
      if (v.length > string) cut = true;
      return v.length > string ? v.slice(0, string) : v;
    }
    if (typeof v !== 'object' || v === null) return v;
    if (level >= depth) {
      cut = true;
      return Array.isArray(v) ? [] : {};
    }
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const item of v) {
        if (budget <= 0) {
          cut = true;
          break;
        }
        out.push(copy(item, level + 1));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      if (budget <= 0) {
        cut = true;
        break;
      }
      // Defined as a data property: a key named `__proto__` stays a key.
      Object.defineProperty(out, key.slice(0, string), { value: copy((v as Record<string, unknown>)[key], level + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  const out = copy(value, 0);
  if (cut) tally.truncated++;
  return out;
}

/**
 * A Rasa timestamp (epoch seconds) Attune can rely on, else undefined: a finite number after
 * 1970 and at most {@link RASA_LIMITS}`.futureSeconds` ahead of `nowSeconds`.
 */
export function plausibleTime(value: unknown, nowSeconds: number): number | undefined {
  return typeof value === 'number' && value > 0 && value <= nowSeconds + RASA_LIMITS.futureSeconds ? value : undefined;
}
