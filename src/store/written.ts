import type { Profile } from '../core/profile';
import type { Session } from '../core/session';

/** How many sessions a {@link WrittenRecords} remembers, by default (one per user and session id). */
export const DEFAULT_SESSIONS_REMEMBERED = 4096;

/**
 * The records a `StoredForm` wrote, by what it handed the store, so that reading that same
 * stored value back skips decoding it: no parsing, no decryption, no mending of fields that
 * were never damaged. The value a read then gives is still checked as every read is (see
 * read-back.ts), from the record as written instead of from its decoded copy; the stored
 * value's parts already stand in for their JSON that way (see `JsonMemo`, `SealCache`).
 *
 * - A profile is a record of strings (a Redis HASH's fields), frozen when written: a memory
 *   store holds that very object and a Redis store's snapshot cache decodes that very object,
 *   so it is known by identity, weakly (it goes when the store drops it).
 * - A session is one string. Strings cannot be held weakly, so they are known by content, one
 *   per place (user and session id): writing a place's session forgets what it held before.
 *   The store hands back the same string, whose hash V8 keeps, so the lookup hashes nothing.
 *
 * ```ts
 * const written = new WrittenRecords();
 * written.profileWritten(fields, p);
 * written.profile(fields) === p; // true
 * ```
 */
export class WrittenRecords {
  private readonly profiles = new WeakMap<object, Profile>();
  private readonly sessions = new Map<string, Session>();
  /** The stored string of each place's session, to forget it when the place is written again. */
  private readonly places = new Map<string, string>();

  constructor(private readonly maxSessions = DEFAULT_SESSIONS_REMEMBERED) {}

  /** `fields` are the stored form of `p` (frozen, as `StoredForm.profile` made them). */
  profileWritten(fields: Readonly<Record<string, string>>, p: Profile): void {
    this.profiles.set(fields, p);
  }

  /** The profile written as `fields`, if these very fields were. */
  profile(fields: Readonly<Record<string, string>>): Profile | undefined {
    return this.profiles.get(fields);
  }

  /** `raw` is the stored form of `s`, the session of `place` (its associated data) from now on. */
  sessionWritten(raw: string, place: string, s: Session): void {
    const { sessions, places } = this;
    const before = places.get(place);
    if (before !== undefined) sessions.delete(before);
    places.delete(place);
    places.set(place, raw);
    sessions.set(raw, s);
    if (places.size > this.maxSessions) {
      const oldest = places.keys().next().value as string;
      sessions.delete(places.get(oldest) as string);
      places.delete(oldest);
    }
  }

  /** The session written as `raw`, if a session with this stored form was the last written to its place. */
  session(raw: string): Session | undefined {
    return this.sessions.get(raw);
  }
}
