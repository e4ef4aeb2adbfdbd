import { deepFreeze } from '../../core/frozen';
import type { AttuneEvent } from '../../core/event';
import type { Profile } from '../../core/profile';
import type { Session } from '../../core/session';
import type { StoredForm } from '../sealed';
import { compactJson, compactPieces, expandJson } from './memory-compact';

/** An event as a memory store holds it: its stored JSON in compact form, or the frozen event itself. */
export type HeldEvent = string | Readonly<AttuneEvent>;
/**
 * A profile as held: its stored fields (a Redis HASH) in one compact string, the fields as they
 * are when a name would not fit in one, or the frozen profile.
 */
export type HeldProfile = string | Readonly<Record<string, string>> | Readonly<Profile>;
/** A session as held: its stored JSON in compact form, or the frozen session. */
export type HeldSession = string | Readonly<Session>;

/**
 * How a {@link MemoryStore} holds personal values. Reads are given the user the value belongs
 * to: the compact form leaves the user's id out of what it holds (see memory-compact.ts).
 */
export interface Holding {
  /** Whether values are sealed (encrypted) at rest. */
  readonly sealed: boolean;
  event(e: AttuneEvent): HeldEvent;
  readEvent(held: HeldEvent, userId: string): AttuneEvent;
  profile(p: Profile): HeldProfile;
  readProfile(held: HeldProfile, userId: string): Profile | null;
  session(s: Session): HeldSession;
  readSession(held: HeldSession, userId: string): Session | null;
  /** A held event in the form Redis would hold it (what the store's raw dump shows). */
  storedEvent(held: HeldEvent, userId: string): Stored;
  storedProfile(held: HeldProfile, userId: string): Stored;
  storedSession(held: HeldSession, userId: string): Stored;
  /** Whether a value in stored form must be rewritten under the current key (see StoredForm.stale). */
  stale(stored: Stored): boolean;
  /** Drops whatever it remembers of the user (the user is erased or dropped). */
  forget(userId: string): void;
}

/** A value in the form Redis would hold it: JSON, a profile's fields, or (unsealed) the value itself. */
export type Stored = string | Readonly<Record<string, string>> | object;

/**
 * Holds exactly what Redis holds (the {@link StoredForm}: with a cipher, sealed JSON), so what
 * is proven about data at rest holds here too, in compact form: each event, profile and
 * session is one string, the user's id, ciphertext prefixes and timestamps shortened (see
 * `compactJson`). A profile's fields are joined into one string with NUL between names and
 * values, which JSON text never holds raw: one string instead of a dozen and an object.
 *
 * Profiles are written and read on every turn, and most of their fields are the same string
 * from one turn to the next (StoredForm remembers them), so the last profile written of each
 * of the {@link RECENT_PROFILES} users written last is remembered in both forms: a field that
 * did not change is not shortened again, and reading a profile just written expands nothing.
 */
export class CompactHolding implements Holding {
  private readonly recent = new Map<string, RecentProfile>();

  constructor(private readonly form: StoredForm) {}

  get sealed(): boolean {
    return this.form.sealed;
  }
  event(e: AttuneEvent): HeldEvent {
    return compactJson(this.form.event(e), e.userId);
  }
  readEvent(held: HeldEvent, userId: string): AttuneEvent {
    return this.form.readEvent(this.storedEvent(held, userId));
  }
  profile(p: Profile): HeldProfile {
    const fields = this.form.profile(p);
    const last = this.recent.get(p.userId);
    const compact: Record<string, string> = {};
    const pieces = new Map<string, ReadonlyMap<string, string>>();
    const parts: string[] = [];
    for (const [name, value] of Object.entries(fields)) {
      // A name holding NUL could not be told from the separator: such a profile is held as its fields.
      if (name.includes(NUL)) return Object.freeze(fields);
      let held: string;
      if (last && last.fields[name] === value) {
        held = last.compact[name];
        const known = last.pieces.get(name);
        if (known) pieces.set(name, known);
      } else if (value.length >= PIECEWISE_LENGTH) {
        const cut = compactPieces(value, p.userId, last?.pieces.get(name));
        held = cut.held;
        pieces.set(name, cut.pieces);
      } else held = compactJson(value, p.userId);
      compact[name] = held;
      parts.push(name, held);
    }
    const held = parts.join(NUL);
    this.recent.delete(p.userId);
    this.recent.set(p.userId, { fields, compact, pieces, held });
    if (this.recent.size > RECENT_PROFILES) this.recent.delete(this.recent.keys().next().value as string);
    return held;
  }
  readProfile(held: HeldProfile, userId: string): Profile | null {
    return this.form.readProfile(this.storedProfile(held, userId));
  }
  session(s: Session): HeldSession {
    return compactJson(this.form.session(s), s.userId);
  }
  readSession(held: HeldSession, userId: string): Session | null {
    return this.form.readSession(this.storedSession(held, userId));
  }
  storedEvent(held: HeldEvent, userId: string): string {
    return expandJson(held as string, userId);
  }
  storedSession(held: HeldSession, userId: string): string {
    return expandJson(held as string, userId);
  }
  stale(stored: Stored): boolean {
    return this.form.stale(stored as string | Readonly<Record<string, string>>);
  }
  forget(userId: string): void {
    this.recent.delete(userId);
  }

  /** The stored fields of a held profile, as StoredForm wrote them. */
  storedProfile(held: HeldProfile, userId: string): Readonly<Record<string, string>> {
    if (typeof held !== 'string') return held as Readonly<Record<string, string>>;
    const last = this.recent.get(userId);
    if (last?.held === held) return last.fields;
    const fields: Record<string, string> = {};
    if (held === '') return fields;
    const parts = held.split(NUL);
    for (let i = 0; i + 1 < parts.length; i += 2) fields[parts[i]] = expandJson(parts[i + 1], userId);
    return fields;
  }
}

const NUL = '\u0000';

/** How many users' last profiles a {@link CompactHolding} remembers (about 3 KB each). */
export const RECENT_PROFILES = 256;

/** A profile as last written: its stored fields, each shortened, and the string held. */
interface RecentProfile {
  fields: Readonly<Record<string, string>>;
  compact: Record<string, string>;
  /** Of each long field, its pieces shortened (see `compactPieces`), for the next write of the field to reuse. */
  pieces: ReadonlyMap<string, ReadonlyMap<string, string>>;
  held: string;
}

/**
 * Fields at least this long are shortened piece by piece (a profile's recent items, 3 KB);
 * shorter ones whole, as looking pieces up would cost more than it saves.
 */
const PIECEWISE_LENGTH = 512;

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
  storedEvent(held: HeldEvent): Stored {
    return held;
  }
  storedProfile(held: HeldProfile): Stored {
    return held;
  }
  storedSession(held: HeldSession): Stored {
    return held;
  }
  stale(): boolean {
    return false;
  }
  forget(): void {}
}
