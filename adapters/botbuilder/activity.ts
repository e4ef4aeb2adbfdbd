import type { Activity } from 'botbuilder';
import { readActivity as readWire, type ReadActivity as ReadWire } from '../activity/read';

export { ActivitySchema, MAX_TEXT_LENGTH } from '../activity/read';

/** An activity that passed {@link readActivity}, with what was dropped from it on the way. */
export type ReadActivity = ReadWire<Activity>;

/**
 * Validates an incoming activity and drops or cuts what would break the turn later; throws a
 * ValidationError (a 400) naming what is missing or wrong (see `adapters/activity/read.ts`).
 *
 * ```ts
 * const { activity, dropped } = readActivity(req.body);
 * ```
 */
export function readActivity(body: unknown): ReadActivity {
  return readWire<Activity>(body);
}
