import { z } from 'zod';
import { AttuneEvents } from '../core/ecommerce';
import type { AttuneEvent } from '../core/event';
import { parse } from '../core/validate';
import type { Consent } from './consent';

/**
 * Audit-only attributes: what a bias audit groups users by (gender, age band…), which is
 * sensitive data (GDPR Art. 9) that nothing else may use. They are kept as their own record,
 * an `Audit Attributes Set` event in the user's log, and never in the profile:
 * - the store seals an event's properties (AES-256-GCM, bound to the user), so they are
 *   encrypted at rest wherever events are;
 * - the one rule of what events do (events/apply.ts) never applies the record to the profile,
 *   so no turn, segment rule, prompt or profile read can see it;
 * - it is in the user's export (with the events, and read out as `auditAttributes`) and goes
 *   with an erasure (the user's events do);
 * - it is logged only with an explicit `fairness` consent, whatever the consent policy, and an
 *   audit uses it only while that consent still holds.
 *
 * ```ts
 * await attune.setConsent('u1', { fairness: true });
 * await attune.setAuditAttributes('u1', { gender: 'f', age_band: '25-34' });
 * ```
 */

/** The purpose that covers audit-only attributes. */
export const FAIRNESS_PURPOSE = 'fairness';

/** The event name of the record. */
export const AUDIT_ATTRIBUTES_EVENT = AttuneEvents.AuditAttributesSet;

/** Most attributes one user may have recorded. */
export const MAX_AUDIT_ATTRIBUTES = 16;

/** Attribute names to values, as a bias audit reads them. */
export type AuditAttributes = Readonly<Record<string, string>>;

/** The attributes given to `setAuditAttributes`: short names, short non-empty text values, at most 16. */
export const AuditAttributesSchema = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'attribute names are a letter then letters, digits, _ or -, at most 64'), z.string().trim().min(1, 'expected a non-empty value').max(128, 'at most 128 characters'))
  .refine((a) => Object.keys(a).length <= MAX_AUDIT_ATTRIBUTES, { message: `at most ${MAX_AUDIT_ATTRIBUTES} attributes` });

/**
 * Validates attributes for the record (ValidationError saying what is wrong). An empty object
 * is allowed: it clears what was recorded before.
 */
export function parseAuditAttributes(input: unknown): AuditAttributes {
  return parse(AuditAttributesSchema, input, 'audit attributes');
}

/**
 * Whether a user's consent allows recording audit-only attributes: an explicit yes only. An
 * opt-out policy assumes consent to personalize, never to have sensitive data kept.
 */
export function mayRecordAuditAttributes(consent: Consent | undefined): boolean {
  return consent !== undefined && Object.hasOwn(consent, FAIRNESS_PURPOSE) && consent[FAIRNESS_PURPOSE] === true;
}

/** Whether an event is an audit-attributes record. */
export function isAuditAttributesEvent(e: Pick<AttuneEvent, 'type' | 'event'>): boolean {
  return e.type === 'track' && e.event === AUDIT_ATTRIBUTES_EVENT;
}

/**
 * The attributes a record holds: its properties that are short strings (anything else, which
 * a client could have sent through raw ingestion, is ignored). Undefined for other events.
 */
export function auditAttributesOf(e: AttuneEvent): AuditAttributes | undefined {
  if (!isAuditAttributesEvent(e)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.properties)) if (typeof v === 'string' && v.trim() && v.length <= 128 && Object.keys(out).length < MAX_AUDIT_ATTRIBUTES) out[k] = v.trim();
  return out;
}

/**
 * Folds records into each user's current attributes: a later record replaces an earlier one
 * whole (an empty record clears them), in log order. Users whose latest record is empty are left out.
 *
 * ```ts
 * const byUser = new Map<string, AuditAttributes>();
 * for (const e of page.events) foldAuditAttributes(byUser, e);
 * ```
 */
export function foldAuditAttributes(byUser: Map<string, AuditAttributes>, e: AttuneEvent): void {
  const attributes = auditAttributesOf(e);
  if (attributes === undefined) return;
  if (Object.keys(attributes).length) byUser.set(e.userId, attributes);
  else byUser.delete(e.userId);
}

/** A user's current attributes from their events (an export's), or null when none are recorded. */
export function currentAuditAttributes(events: readonly AttuneEvent[]): AuditAttributes | null {
  const byUser = new Map<string, AuditAttributes>();
  for (const e of events) foldAuditAttributes(byUser, { ...e, userId: '' });
  return byUser.get('') ?? null;
}
