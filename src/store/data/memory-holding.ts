import { deepFreeze } from '../../core/frozen';
import type { AttuneEvent } from '../../core/event';
import type { Profile } from '../../core/profile';
import type { Session } from '../../core/session';

/** An event as a memory store holds it: sealed JSON, or the frozen event itself. */
export type HeldEvent = string | Readonly<AttuneEvent>;
/** A profile as held: one sealed JSON string per property (a Redis HASH), or the frozen profile. */
export type HeldProfile = Readonly<Record<string, string>> | Readonly<Profile>;
/** A session as held: sealed JSON, or the frozen session. */
export type HeldSession = string | Readonly<Session>;

/**
 * How a {@link MemoryStore} holds personal values. With encryption at rest it holds exactly
 * what Redis holds (the `StoredForm` of sealed.ts fits this interface as it is), so what is
 * proven about data at rest holds here too. Without it the stored form is plain JSON, which
 * proves nothing the values themselves do not, so it holds the values, frozen: no serializing
 * on the turn path.
 */
export interface Holding {
  /** Whether values are sealed (encrypted) at rest. */
  readonly sealed: boolean;
  event(e: AttuneEvent): HeldEvent;
  readEvent(held: HeldEvent): AttuneEvent;
  profile(p: Profile): HeldProfile;
  readProfile(held: HeldProfile): Profile | null;
  session(s: Session): HeldSession;
  readSession(held: HeldSession): Session | null;
  /** Whether a held value must be rewritten under the current key (see StoredForm.stale). */
  stale(held: HeldEvent | HeldProfile | HeldSession): boolean;
}

/** Holds values as they are, frozen in depth: reads and writes share them at no cost. */
export class LiveHolding implements Holding {
  readonly sealed = false;
  event(e: AttuneEvent): HeldEvent {
    return deepFreeze(e);
  }
  readEvent(held: HeldEvent): AttuneEvent {
    return held as AttuneEvent;
  }
  profile(p: Profile): HeldProfile {
    return deepFreeze(p);
  }
  readProfile(held: HeldProfile): Profile | null {
    return held as Profile;
  }
  session(s: Session): HeldSession {
    return deepFreeze(s);
  }
  readSession(held: HeldSession): Session | null {
    return held as Session;
  }
  stale(): boolean {
    return false;
  }
}
