import type { Attune } from '../../src/engine/attune';
import type { RasaBotEvent, RasaEvent, RasaUserEvent } from './schema';
import { RasaBotEventSchema, RasaUserEventSchema } from './schema';
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

  /** The latest logged timestamp for the sender, or undefined when nothing is remembered. */
  async loggedUntil(senderId: string, userId: string): Promise<number | undefined> {
    const raw = await this.attune.store.cacheGet(this.key(senderId), this.attune.userKey(userId));
    const at = raw === null ? NaN : Number(raw);
    return Number.isFinite(at) ? at : undefined;
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
  /** The latest timestamp in the tracker: where the ledger stands once this call is logged. */
  until?: number;
}

/**
 * Splits a tracker's events into what is new since `loggedUntil`. With nothing remembered
 * (first call, or the ledger expired) only the latest user message and what followed it count
 * as new: re-logging a whole old conversation would be worse than missing a little of it.
 * Bot messages carrying Attune's sent mark were logged when they were sent and are skipped.
 */
export function backlog(events: readonly RasaEvent[], loggedUntil: number | undefined): Backlog {
  const lastUser = lastIndex(events, (e) => e.event === 'user');
  const start = loggedUntil === undefined ? Math.max(lastUser, 0) : lastIndex(events, (e) => typeof e.timestamp === 'number' && e.timestamp <= loggedUntil) + 1;
  const out: Backlog = { earlier: [], bots: [] };
  let bots: RasaBotEvent[] = [];
  events.forEach((e, i) => {
    if (i < start) return;
    if (e.event === 'bot') {
      const bot = RasaBotEventSchema.parse(e);
      if (!bot.metadata?.[SENT_MARK]) bots.push(bot);
    } else if (e.event === 'user') {
      const user = RasaUserEventSchema.parse(e);
      if (i === lastUser) out.current = user;
      else out.earlier.push({ user, botsBefore: bots });
      if (i !== lastUser) bots = [];
    }
  });
  out.bots = bots;
  const stamps = events.map((e) => e.timestamp).filter((t): t is number => typeof t === 'number');
  if (stamps.length) out.until = Math.max(...stamps, loggedUntil ?? -Infinity);
  return out;
}

function lastIndex<T>(list: readonly T[], test: (item: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i])) return i;
  return -1;
}
