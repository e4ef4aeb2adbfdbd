import type { AttuneEvent } from '../core/event';
import type { Personalization } from '../core/personalization';
import type { Profile } from '../core/profile';
import type { Session } from '../core/session';
import type { CounterIncrements } from '../events/apply';
import { memberCountChange } from '../segments/census';
import type { Store, WriteBatch } from '../store/store';

/**
 * Stages never write to the store: they emit effects on the turn, and when the turn ends one
 * function ({@link turnBatch}) turns the built-in ones into the store's batch, written in one
 * round trip, after which each custom kind writes its own values. A new kind of write is a
 * {@link defineEffect} in the stage's own file; nothing else changes.
 */

/**
 * A kind of write of a stage's own, beyond events, profile, session, memberships and
 * counters: `write` gets every value the turn emitted of this kind, in order, once the turn's
 * batch is issued, with the store (use the one role you need).
 */
export interface EffectKind<T> {
  readonly name: string;
  write(userId: string, values: readonly T[], store: Store): Promise<void>;
}

/**
 * Declares a kind of effect.
 *
 * ```ts
 * const lastSeenChannel = defineEffect<string>('last-channel', (userId, channels, store) =>
 *   store.cacheSet('last-channel', channels[channels.length - 1], 86_400, userId));
 * // in a stage: ctx.effects.add(lastSeenChannel, ctx.turn.channel);
 * ```
 */
export function defineEffect<T>(name: string, write: (userId: string, values: readonly T[], store: Store) => Promise<void>): EffectKind<T> {
  return { name, write };
}

/**
 * What a turn will write, collected from its stages. The profile, session and segments also
 * update the turn's `Personalization`, so later stages and the bot see them at once.
 */
export class TurnEffects {
  /** Events to append to the log, in order. */
  readonly events: AttuneEvent[] = [];
  /** Counter increments (anonymous aggregates). */
  readonly counters: CounterIncrements = [];
  private changed = 0;
  private customs?: Map<EffectKind<unknown>, unknown[]>;

  constructor(private readonly p: Personalization) {}

  /** Appends an event to the log. */
  log(event: AttuneEvent): void {
    this.events.push(event);
  }

  /** Adds to a named counter. */
  count(name: string, increments: Record<string, number>): void {
    this.counters.push({ name, increments });
  }

  /** Replaces the user's profile (a changed copy; stored values are frozen). */
  profile(profile: Profile): void {
    this.p.profile = profile;
    this.changed |= PROFILE;
  }

  /** Replaces the session. */
  session(session: Session): void {
    this.p.session = session;
    this.changed |= SESSION;
  }

  /** Sets the user's segments, with what this turn entered and left. */
  segments(segments: string[], entered: string[] = [], exited: string[] = []): void {
    this.p.segments = segments;
    this.p.entered = entered;
    this.p.exited = exited;
    this.changed |= SEGMENTS;
  }

  /** Events joined the turn after its segments were evaluated: evaluate them again when written. */
  resegment(): void {
    this.changed |= RESEGMENT;
  }

  /** Emits a value of a custom kind. */
  add<T>(kind: EffectKind<T>, value: T): void {
    const map = (this.customs ??= new Map());
    const list = map.get(kind as EffectKind<unknown>);
    if (list) list.push(value);
    else map.set(kind as EffectKind<unknown>, [value]);
  }

  /** Whether the profile, session or segments were set this turn. */
  get profileChanged(): boolean {
    return (this.changed & PROFILE) !== 0;
  }

  get sessionChanged(): boolean {
    return (this.changed & SESSION) !== 0;
  }

  get segmentsChanged(): boolean {
    return (this.changed & SEGMENTS) !== 0;
  }

  get needsResegment(): boolean {
    return (this.changed & RESEGMENT) !== 0;
  }

  /** The custom effects emitted, by kind, in the order the kinds were first used. */
  get custom(): ReadonlyMap<EffectKind<unknown>, readonly unknown[]> {
    return this.customs ?? NONE;
  }

  /** True when the turn writes nothing. */
  get empty(): boolean {
    return !this.events.length && !this.counters.length && !(this.changed & (PROFILE | SESSION | SEGMENTS)) && !this.customs?.size;
  }
}

const PROFILE = 1;
const SESSION = 2;
const SEGMENTS = 4;
const RESEGMENT = 8;
const NONE: ReadonlyMap<EffectKind<unknown>, readonly unknown[]> = new Map();

/** The one translation of a turn's built-in effects into the store's batch. */
export function turnBatch(effects: TurnEffects, p: Personalization): WriteBatch {
  const batch: WriteBatch = { events: effects.events, counters: effects.counters };
  if (effects.profileChanged) batch.profiles = [p.profile];
  if (effects.sessionChanged) batch.sessions = [p.session];
  if (effects.segmentsChanged) {
    batch.memberships = [{ userId: p.userId, segments: p.segments }];
    // Beside the memberships, not among the turn's counters: a failed write's retry appends the
    // counters again but not the memberships, and the two must not part.
    const members = memberCountChange(p.entered, p.exited);
    if (members) batch.counters = [...effects.counters, members];
  }
  return batch;
}
