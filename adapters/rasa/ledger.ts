import type { Attune } from '../../src/engine/attune';
import { eventName, isObject, type RasaBotEvent, type RasaUserEvent, readBotEvent, readUserEvent } from './events';
import { plausibleTime, RASA_LIMITS, type Tally } from './limits';
import { SENT_MARK } from './translate';

/**
 * Rasa sends the whole tracker with every action call, so the same user and bot events come
 * back again and again. The ledger remembers, per sender, the timestamp of the latest tracker
 * event already logged, in the store's cache (one small key per sender, expiring after
 * `ttlSeconds` of silence), so that every event is logged once across calls, processes and
 * replays of the same tracker.
 */
export class RasaLedger {
  constructor(
    private readonly attune: Attune,
    private readonly ttlSeconds: number,
  ) {}

  /**
   * The latest logged timestamp for the sender, or undefined when nothing is remembered (or
   * what is remembered lies implausibly far in the future: it would hide every new message).
   */
  async loggedUntil(senderId: string, userId: string): Promise<number | undefined> {
    const raw = await this.attune.store.cacheGet(this.key(senderId), this.attune.userKey(userId));
    return raw === null ? undefined : plausibleTime(Number(raw), this.attune.clock() / 1000);
  }

  /** Remembers that everything up to `at` is logged. */
  async markLogged(senderId: string, userId: string, at: number): Promise<void> {
    await this.attune.store.cacheSet(this.key(senderId), String(at), this.ttlSeconds, this.attune.userKey(userId));
  }

  // Keyed by the pseudonymous sender id: the store never sees a raw id.
  private key(senderId: string): string {
    return `rasa:logged:${this.attune.userKey(senderId)}`;
  }
}

/** The events of a tracker that still have to be logged, grouped into turns. */
export interface Backlog {
  /** Earlier user messages not logged yet, each with the bot messages that came just before it. */
  earlier: { user: RasaUserEvent; botsBefore: RasaBotEvent[] }[];
  /** The tracker's latest user message, when it is not logged yet. */
  current?: RasaUserEvent;
  /** Bot messages to log with the current turn (those after the last new user message). */
  bots: RasaBotEvent[];
  /** The latest timestamp among the new events: where the ledger stands once this call is logged. */
  until?: number;
  /** Tracker events looked at: at most {@link RASA_LIMITS}`.walkEvents`, however long the tracker. */
  examined: number;
  /** New messages the bounds left out of the log, and older events not looked at. */
  skipped: { messages: number; bots: number; unexamined: number };
}

/**
 * What of a tracker is new since `loggedUntil`, found by walking back from the newest event
 * until the first one logged already, so that a call costs what is new, not the length of the
 * conversation. The walk looks at {@link RASA_LIMITS}`.walkEvents` events at most and keeps
 * the newest {@link RASA_LIMITS}`.earlierMessages` earlier messages and
 * {@link RASA_LIMITS}`.botMessages` bot messages; what it leaves is counted in `skipped`.
 *
 * With nothing remembered (first call, or the ledger expired) only the latest user message
 * and what followed it count as new: re-logging a whole old conversation would be worse than
 * missing a little of it. Bot messages carrying Attune's sent mark were logged when they were
 * sent and are skipped. Elements that are not events are counted in `tally.events`, and
 * timestamps that are not plausible are treated as absent (see `plausibleTime`).
 */
export function backlog(events: readonly unknown[], loggedUntil: number | undefined, nowSeconds: number, tally: Tally): Backlog {
  const out: Backlog = { earlier: [], bots: [], examined: 0, skipped: { messages: 0, bots: 0, unexamined: 0 } };
  // Bots found walking back belong to the turn of the nearest newer user message: the current
  // turn (`out.bots`) until an earlier message is found, then that message's `botsBefore`.
  let bucket: RasaBotEvent[] = [];
  let owner: Backlog['earlier'][number] | undefined;
  let settled = false;
  const settle = () => {
    bucket.reverse();
    if (owner) owner.botsBefore = bucket;
    else out.bots = bucket;
    bucket = [];
  };
  let bots = 0;
  let capped = false;
  let i = events.length - 1;
  for (; i >= 0; i--) {
    if (out.examined >= RASA_LIMITS.walkEvents) {
      capped = true;
      break;
    }
    out.examined++;
    const name = eventName(events[i]);
    if (!name) {
      tally.events++;
      continue;
    }
    const e = events[i] as Record<string, unknown>;
    const at = plausibleTime(e.timestamp, nowSeconds);
    if (loggedUntil !== undefined && at !== undefined && at <= loggedUntil) break;
    if (at !== undefined && (out.until === undefined || at > out.until)) out.until = at;
    if (name === 'bot') {
      if (isObject(e.metadata) && e.metadata[SENT_MARK]) continue;
      if (settled || bots >= RASA_LIMITS.botMessages) out.skipped.bots++;
      else {
        bucket.push(readBotEvent(e, nowSeconds, tally));
        bots++;
      }
    } else if (name === 'user') {
      if (settled) out.skipped.messages++;
      else if (!out.current) {
        out.current = readUserEvent(e, nowSeconds, tally);
        if (loggedUntil === undefined) break;
      } else if (out.earlier.length >= RASA_LIMITS.earlierMessages) {
        settle();
        settled = true;
        out.skipped.messages++;
      } else {
        settle();
        owner = { user: readUserEvent(e, nowSeconds, tally), botsBefore: [] };
        out.earlier.push(owner);
      }
    }
  }
  if (!settled) settle();
  if (capped) out.skipped.unexamined = i + 1;
  out.earlier.reverse();
  return out;
}
