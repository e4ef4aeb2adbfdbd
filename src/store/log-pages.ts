import type { AttuneEvent } from '../core/event';
import type { EventLog } from './store';

/**
 * The whole event log, a page at a time, in append order: the one paging loop that every
 * job reading the log (training, audits, backfills, offline evaluation) folds its pages with.
 * Off the turn path. Stops at the first short page or a page without a cursor.
 *
 * ```ts
 * for await (const events of logPages(store)) for (const e of events) count(e);
 * ```
 */
export async function* logPages(log: Pick<EventLog, 'readEvents'>, pageSize = 5000): AsyncGenerator<readonly AttuneEvent[]> {
  let after: string | undefined;
  for (;;) {
    const page = await log.readEvents({ after, limit: pageSize });
    yield page.events;
    if (page.events.length < pageSize || !page.cursor) return;
    after = page.cursor;
  }
}
