import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ComputedState, TraitState } from '../../core/computed';
import { ValidationError } from '../../core/errors';
import type { AttuneEvent } from '../../core/event';
import { own, setOwn } from '../../core/own';
import type { Profile } from '../../core/profile';
import { parse } from '../../core/validate';
import { ComputedTraitSchema, type ComputedTraitInput, resolveTrait, type ResolvedTrait } from './definition';
import { emptyTraitState, foldEvent } from './fold';
import { isTraitState, traitValue, type TraitValue } from './value';

/** Options of {@link ComputedTraits}. */
export interface ComputedTraitsOptions {
  /**
   * How many of a user's latest counted message ids are remembered, so that a replayed event
   * (a stream redelivery, a retried batch past the ingestion claim) counts once (default 256).
   */
  remember?: number;
}

/**
 * The configured computed traits, maintained incrementally: each event a user's profile takes
 * is folded into every trait it counts for, once per messageId. Pure: profile in, profile out.
 *
 * ```ts
 * const traits = new ComputedTraits([{ id: 'orders_30d', type: 'event-counter', event: 'Order Completed', within: '30d' }]);
 * profile = traits.apply(profile, event);
 * traits.values(profile, Date.now()); // { orders_30d: 1 }
 * ```
 */
export class ComputedTraits {
  /** The validated, resolved definitions, in configuration order. */
  readonly traits: readonly ResolvedTrait[];
  private readonly remember: number;

  constructor(definitions: readonly ComputedTraitInput[], options: ComputedTraitsOptions = {}) {
    const parsed = parse(z.array(ComputedTraitSchema), definitions, 'computed traits');
    const ids = new Set<string>();
    parsed.forEach((d, i) => {
      if (ids.has(d.id)) throw new ValidationError('invalid computed traits', [{ path: [i, 'id'], message: 'duplicate trait id' }]);
      ids.add(d.id);
    });
    this.traits = parsed.map(resolveTrait);
    this.remember = Math.max(1, Math.floor(options.remember ?? 256));
  }

  /**
   * The profile with the event folded into its traits. An event already counted (same
   * messageId among the last `remember` counted ones) or counted by no trait leaves the
   * profile as it is (the same object).
   */
  apply(profile: Profile, event: AttuneEvent): Profile {
    const current = readState(profile.computed);
    const digest = messageDigest(event.messageId);
    if (current.seen.includes(digest)) return profile;
    let changed = false;
    const traits: Record<string, TraitState> = {};
    for (const t of this.traits) {
      const id = t.definition.id;
      const old = own(current.traits, id);
      // A state kept under another definition of the same id starts afresh (backfill refills it).
      const state = old && old.sig === t.sig ? old : emptyTraitState(t);
      const next = foldEvent(t, state, event);
      if (next) changed = true;
      setOwn(traits, id, next ?? state);
    }
    if (!changed) return profile;
    const seen = [...current.seen, digest];
    if (seen.length > this.remember) seen.splice(0, seen.length - this.remember);
    return { ...profile, computed: { traits, seen } };
  }

  /**
   * The profile with its traits recomputed from `events` alone (the backfill): what was kept
   * before is replaced, so running it twice gives the same state.
   */
  rebuild(profile: Profile, events: readonly AttuneEvent[]): Profile {
    let p: Profile = { ...profile, computed: { traits: {}, seen: [] } };
    for (const e of events) p = this.apply(p, e);
    return p;
  }

  /** Every configured trait's value at `nowMs` (undefined where nothing counted yet). */
  values(profile: Pick<Profile, 'computed'>, nowMs: number): Record<string, TraitValue> {
    const state = readState(profile.computed);
    const out: Record<string, TraitValue> = {};
    for (const t of this.traits) {
      const s = own(state.traits, t.definition.id);
      setOwn(out, t.definition.id, s && s.sig === t.sig ? traitValue(s, nowMs) : undefined);
    }
    return out;
  }
}

/** The stored state, with what cannot be read dropped (a hand edit, an older version). */
function readState(raw: unknown): ComputedState {
  if (raw === null || typeof raw !== 'object') return { traits: {}, seen: [] };
  const r = raw as Partial<ComputedState>;
  const seen = Array.isArray(r.seen) ? r.seen.filter((s): s is string => typeof s === 'string') : [];
  const traits: Record<string, TraitState> = {};
  if (r.traits !== null && typeof r.traits === 'object') for (const [k, v] of Object.entries(r.traits)) if (isTraitState(v)) setOwn(traits, k, v);
  return { traits, seen };
}

/** 72 bits of the message id: small in the profile, and a false repeat is out of reach. */
function messageDigest(messageId: string): string {
  return createHash('sha256').update(messageId).digest('base64url').slice(0, 12);
}
