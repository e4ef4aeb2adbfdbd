import type { Catalog } from '../core/catalog';
import type { AttuneEvent } from '../core/event';
import type { Profile } from '../core/profile';
import { applyEvent } from '../profiles/update';

/**
 * A user's profile as it was at each of several cut-off times, rebuilt from their events with
 * the function ingestion applies (`applyEvent`): the features of training are then read from
 * the very profile a turn would have held at that time. Events after a cut-off never reach
 * its profile.
 */

/**
 * Groups events by user, each user's events in time order (ties keep their log order).
 *
 * ```ts
 * const byUser = eventsByUser(events); // Map { 'u1' => [e1, e4], 'u2' => [e2] }
 * ```
 */
export function eventsByUser(events: Iterable<AttuneEvent>): Map<string, AttuneEvent[]> {
  const out = new Map<string, { e: AttuneEvent; t: number; i: number }[]>();
  let i = 0;
  for (const e of events) {
    let list = out.get(e.userId);
    if (!list) out.set(e.userId, (list = []));
    list.push({ e, t: Date.parse(e.timestamp), i: i++ });
  }
  const sorted = new Map<string, AttuneEvent[]>();
  for (const [user, list] of out) sorted.set(user, list.sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.e));
  return sorted;
}

/**
 * The user's profile at each cut-off (epoch ms, any order): null where the user had no event
 * yet. One pass over the events, however many cut-offs.
 *
 * ```ts
 * const [before, after] = profilesAt(byUser.get('u1')!, [t0, t1], catalog);
 * ```
 */
export function profilesAt(events: readonly AttuneEvent[], cutoffs: readonly number[], catalog?: Catalog): (Profile | null)[] {
  const order = cutoffs.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t);
  const out: (Profile | null)[] = new Array<Profile | null>(cutoffs.length).fill(null);
  let p: Profile | null = null;
  let next = 0;
  for (const { t, i } of order) {
    while (next < events.length && Date.parse(events[next].timestamp) <= t) p = applyEvent(p, events[next++], catalog);
    out[i] = p;
  }
  return out;
}
