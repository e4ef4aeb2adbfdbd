/**
 * How many users each segment holds, kept as a store counter beside the memberships. The
 * memberships themselves are one set per user (keyed by the user, so a turn reads them in its
 * one round trip); counting a segment from them would mean walking every user. Instead each
 * write that changes memberships adds +1 for a segment entered and −1 for one left, in the
 * same batch as the memberships, so both land together or not at all.
 *
 * What it does not see: memberships written before the count existed (the count starts at
 * zero; the dashboard shows no negative count), and users the store removes on its own (the
 * retention sweep of inactive profiles, a profile TTL). Those need a recount from the
 * memberships, which no store role offers yet.
 */

/** The counter that holds the member count of each segment (key: the segment id). */
export const SEGMENT_MEMBERS_COUNTER = 'segments.members';

/** A counter increment, as a store batch takes it. */
export interface MemberCountChange {
  name: typeof SEGMENT_MEMBERS_COUNTER;
  increments: Record<string, number>;
}

/**
 * The member-count change of one user's membership change, or undefined when the counts stay.
 * A segment both entered and left within one write (a turn that evaluated twice) is netted out,
 * so only the difference between what was stored and what is written counts.
 *
 * ```ts
 * memberCountChange(['vip'], ['new-visitors']); // { name: 'segments.members', increments: { vip: 1, 'new-visitors': -1 } }
 * ```
 */
export function memberCountChange(entered: readonly string[], exited: readonly string[]): MemberCountChange | undefined {
  const into = new Set(entered);
  const out = new Set(exited);
  const increments: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const s of into) if (!out.has(s)) increments[s] = 1;
  for (const s of out) if (!into.has(s)) increments[s] = -1;
  return Object.keys(increments).length ? { name: SEGMENT_MEMBERS_COUNTER, increments } : undefined;
}
