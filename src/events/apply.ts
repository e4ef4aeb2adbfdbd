import { randomUUID } from 'node:crypto';
import type { Catalog } from '../core/catalog';
import type { Clock } from '../core/clock';
import { AttuneEvents, INTEREST_WEIGHTS, productsOf } from '../core/ecommerce';
import type { AttuneEvent } from '../core/event';
import { addOwn, own } from '../core/own';
import { emptyProfile, type Profile } from '../core/profile';
import { isAuditAttributesEvent, mayRecordAuditAttributes } from '../privacy/audit-attributes';
import { allows, consentFromEvent, mergeConsent, type ConsentPolicy, type Purpose } from '../privacy/consent';
import type { ComputedTraits } from '../profiles/computed/traits';
import { applyEvent } from '../profiles/update';
import { daypartFor } from '../recommend/context';
import { popularityCounter } from '../recommend/service';
import { memberCountChange } from '../segments/census';
import type { Membership, Segments } from '../segments/segments';
import type { WriteBatch } from '../store/store';

/**
 * The one rule for what events do to a user, shared by ingestion (REST, SDKs), turns (events
 * the bot tracks during a turn, and the turn's own segment changes) and stream workers:
 * consent first (an event may carry a decision), then the profile (only with consent to
 * personalize), then the segments; analytics consent decides what is logged, and popularity,
 * an anonymous aggregate, counts whatever the consent.
 */

/** What the rule needs to know: the catalog, the segments, the consent policy and the time. */
export interface UserRules {
  readonly catalog: Catalog;
  readonly segments: Segments;
  readonly consentPolicy: ConsentPolicy;
  readonly clock: Clock;
  /** What an event does to the user's experiments (a bandit's conversions), when experiments run. */
  readonly conversions?: ConversionRule;
  /** The computed traits kept up to date as events apply, when any are configured. */
  readonly computed?: ComputedTraits;
}

/** Counts a conversion of an exposed user: the profile with the conversion marked, and the counters to add. */
export type ConversionRule = (profile: Profile, event: AttuneEvent) => { profile: Profile; counters: CounterIncrements } | undefined;

/** Counter increments, as a store batch takes them. */
export type CounterIncrements = NonNullable<WriteBatch['counters']>;

/** A user as the rule sees them. */
export interface UserState {
  userId: string;
  profile: Profile | null;
  segments: readonly string[];
}

/** What applying events changed. */
export interface UserChange {
  /**
   * The profile to keep: whole with consent to personalize; only the consent decision without
   * it; null when there is nothing to keep (no consent and no decision ever recorded).
   */
  profile: Profile | null;
  /** Whether personalization is allowed once the events are applied. */
  personal: boolean;
  /** The new memberships, when they changed. */
  membership?: Membership;
  /** What to append to the log: events analytics consent allows, then segment entries and exits. */
  log: AttuneEvent[];
  /** Anonymous popularity increments. */
  counters: CounterIncrements;
}

/** Whether a profile's consent (or, absent a decision, the policy) allows a purpose. */
export function consentAllows(profile: Pick<Profile, 'consent'> | null | undefined, purpose: Purpose, policy: ConsentPolicy): boolean {
  return allows(profile?.consent, purpose, policy);
}

/**
 * Applies events to a user. With `segment: false` the memberships are left to the caller
 * (a running turn evaluates them once, when it is written).
 *
 * ```ts
 * const change = applyEventsToUser({ userId, profile, segments }, events, rules);
 * await store.write(userBatch(userId, change));
 * ```
 */
export function applyEventsToUser(user: UserState, events: readonly AttuneEvent[], rules: UserRules, options: { segment?: boolean } = {}): UserChange {
  const { userId } = user;
  let p: Profile = user.profile ?? emptyProfile(userId, events[0]?.timestamp ?? new Date(rules.clock()).toISOString());
  const log: AttuneEvent[] = [];
  const counters: CounterIncrements = [];
  let consentChanged = false;
  const may = (purpose: Purpose) => consentAllows(p, purpose, rules.consentPolicy);
  for (const e of events) {
    const consent = consentFromEvent(e);
    if (consent) {
      p = { ...p, consent: mergeConsent(p.consent, consent) };
      consentChanged = true;
    }
    // Audit-only attributes are their own record: never part of the profile, kept only with an
    // explicit fairness consent (see privacy/audit-attributes.ts).
    if (isAuditAttributesEvent(e)) {
      if (mayRecordAuditAttributes(p.consent)) log.push(e);
      continue;
    }
    counters.push(...popularityIncrements(e, p.context));
    if (may('personalization')) {
      p = applyEvent(p, e, rules.catalog);
      if (rules.computed) p = rules.computed.apply(p, e);
      const converted = rules.conversions?.(p, e);
      if (converted) {
        p = converted.profile;
        counters.push(...converted.counters);
      }
    } else p = withConsentOnly(p);
    if (may('analytics')) log.push(e);
  }
  if (!may('personalization')) {
    // Only the consent decision itself is kept about this user; memberships are personal data.
    const keep = consentChanged || user.profile !== null;
    const membership = user.segments.length ? { segments: [], entered: [], exited: [...user.segments] } : undefined;
    return { profile: keep ? withConsentOnly(p) : null, personal: false, membership, log, counters };
  }
  const change: UserChange = { profile: p, personal: true, log, counters };
  if (options.segment !== false) {
    const m = evaluateSegments(p, user.segments, rules, log);
    if (m.entered.length || m.exited.length) change.membership = m;
  }
  return change;
}

/**
 * Evaluates the segment rules for a profile and appends a `Segment Entered` / `Segment
 * Exited` event for each change to `out`.
 */
export function evaluateSegments(profile: Profile, previous: readonly string[], rules: Pick<UserRules, 'segments' | 'clock'>, out: AttuneEvent[]): Membership {
  const now = rules.clock();
  const m = rules.segments.evaluate(profile, previous, now);
  const at = new Date(now).toISOString();
  const mk = (event: string, segment: string): AttuneEvent => ({
    type: 'track',
    messageId: randomUUID(),
    userId: profile.userId,
    event,
    properties: { segment },
    traits: {},
    context: {},
    timestamp: at,
    receivedAt: at,
  });
  for (const s of m.entered) out.push(mk(AttuneEvents.SegmentEntered, s));
  for (const s of m.exited) out.push(mk(AttuneEvents.SegmentExited, s));
  return m;
}

/** The store batch for a change (events first, then profile, memberships and counters). */
export function userBatch(userId: string, change: UserChange): WriteBatch {
  const batch: WriteBatch = { events: change.log, counters: change.counters };
  if (change.profile) batch.profiles = [change.profile];
  if (change.membership) {
    batch.memberships = [{ userId, segments: change.membership.segments }];
    const members = memberCountChange(change.membership.entered, change.membership.exited);
    if (members) batch.counters = [...change.counters, members];
  }
  return batch;
}

/** Popularity counter increments for an event (positive interest only). */
export function popularityIncrements(event: AttuneEvent, profileContext: Readonly<Record<string, string>> = {}): CounterIncrements {
  const weight = event.event ? own(INTEREST_WEIGHTS, event.event) : undefined;
  if (!weight || weight <= 0) return [];
  const inc: Record<string, number> = {};
  for (const p of productsOf(event)) if (p.productId) addOwn(inc, p.productId, weight);
  if (!Object.keys(inc).length) return [];
  const names = [popularityCounter()];
  const locale = event.context.locale ?? own(profileContext, 'locale');
  const channel = event.context.channel ?? own(profileContext, 'channel');
  if (locale) names.push(popularityCounter('locale', locale));
  if (channel) names.push(popularityCounter('channel', channel));
  // The part of the day in the user's time zone (or their locale's region): "popular this evening".
  const daypart = daypartFor(event.timestamp, { timezone: event.context.timezone ?? own(profileContext, 'timezone'), locale });
  if (daypart) names.push(popularityCounter('daypart', daypart));
  return names.map((name) => ({ name, increments: inc }));
}

function withConsentOnly(p: Profile): Profile {
  const out = emptyProfile(p.userId, p.firstSeen);
  if (p.consent) out.consent = p.consent;
  return out;
}
