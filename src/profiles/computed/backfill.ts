import type { AttuneEvent } from '../../core/event';
import { logPages } from '../../store/log-pages';
import type { EventLog, Store, UserStore } from '../../store/store';
import type { ComputedTraits } from './traits';

/** What a backfill did. */
export interface BackfillResult {
  /** Users whose traits were recomputed. */
  users: number;
  /** Events read from the log. */
  events: number;
}

/** The store roles a backfill uses. */
export type BackfillStore = EventLog & UserStore & Pick<Store, 'write'>;

/**
 * Recomputes every user's computed traits from the event log, for traits defined after their
 * events arrived (or redefined). Each user's state is rebuilt from their logged events alone
 * and replaces what was kept, so a second run gives the same state; users without a stored
 * profile (no consent to personalize, or erased) are left alone. The log is read whole and
 * grouped by user in memory: run it as a job, off the serving processes, and before live
 * segments depend on the new traits (an event that lands between a user's read and write is
 * counted again from the next event on only if the log is re-read, so re-run it once traffic
 * has moved past the change).
 *
 * ```ts
 * const { users } = await backfillComputedTraits(store, new ComputedTraits(definitions));
 * ```
 */
export async function backfillComputedTraits(store: BackfillStore, traits: ComputedTraits, options: { pageSize?: number } = {}): Promise<BackfillResult> {
  const byUser = await eventsByUser(store, options.pageSize ?? 1000);
  let events = 0;
  let users = 0;
  for (const [userId, list] of byUser) {
    events += list.length;
    const { profile } = await store.readUser(userId);
    if (!profile) continue;
    await store.write({ profiles: [traits.rebuild(profile, list)] });
    users++;
  }
  return { users, events };
}

/** Every logged event, grouped by user in log order. */
export async function eventsByUser(log: EventLog, pageSize: number): Promise<Map<string, AttuneEvent[]>> {
  const byUser = new Map<string, AttuneEvent[]>();
  for await (const events of logPages(log, pageSize)) {
    for (const e of events) {
      const list = byUser.get(e.userId);
      if (list) list.push(e);
      else byUser.set(e.userId, [e]);
    }
  }
  return byUser;
}
