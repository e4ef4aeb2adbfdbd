import { z } from 'zod';
import { ValidationError, type Issue } from '../core/errors';
import { parse } from '../core/validate';

/**
 * Consent by purpose. A user's consent is a map from purpose to an explicit yes or no; a
 * purpose the user never decided on falls back to the configured policy: `opt-in` (nothing
 * without a yes, the GDPR default) or `opt-out` (everything until a no). Consent arrives
 * through the REST API, `identify` traits and Segment's consent context; all three parse to
 * the same {@link Consent}.
 */

/**
 * The purposes Attune itself checks. Applications may add their own names. `fairness` covers
 * the audit-only attributes that bias audits group users by (privacy/audit-attributes.ts); it
 * is never assumed, whatever the policy: only an explicit yes allows it.
 */
export const PURPOSES = ['analytics', 'personalization', 'fairness'] as const;

/** A purpose of processing: one of {@link PURPOSES} or an application's own. */
export type Purpose = (typeof PURPOSES)[number] | (string & NonNullable<unknown>);

/** What a user decided, purpose by purpose; a missing purpose is undecided. */
export type Consent = Readonly<Record<string, boolean>>;

/** What an undecided purpose means. */
export type ConsentPolicy = 'opt-in' | 'opt-out';

/**
 * Whether `purpose` is allowed: an explicit decision wins, otherwise the policy decides.
 *
 * ```ts
 * allows({ analytics: true }, 'personalization', 'opt-in') // false: never asked, opt-in
 * allows({ analytics: true }, 'analytics', 'opt-in') // true
 * ```
 */
export function allows(consent: Consent | undefined, purpose: Purpose, policy: ConsentPolicy): boolean {
  const decided = consent !== undefined && Object.hasOwn(consent, purpose) ? consent[purpose] : undefined;
  return decided ?? policy === 'opt-out';
}

/** Applies an update to the current consent; the update's decisions win, others are kept. */
export function mergeConsent(current: Consent | undefined, update: Consent): Consent {
  return { ...current, ...update };
}

const PurposeNameSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, 'purpose names are lower-case letters, digits, _ or -');

/**
 * Body of `PUT /v1/users/:id/consent`: purposes to booleans, at least one.
 *
 * ```json
 * { "personalization": true, "analytics": false }
 * ```
 */
export const ConsentBodySchema = z
  .record(PurposeNameSchema, z.boolean())
  .refine((body) => Object.keys(body).length > 0, { message: 'name at least one purpose' });

/**
 * Parses a consent REST body; with `known`, purposes outside that list are refused too
 * (a typo such as `personalisation` must not silently do nothing). Throws ValidationError.
 */
export function parseConsentBody(body: unknown, known?: readonly string[]): Consent {
  const consent = parse(ConsentBodySchema, body, 'consent');
  const unknown = known ? Object.keys(consent).filter((p) => !known.includes(p)) : [];
  if (unknown.length > 0) {
    throw new ValidationError('invalid consent', unknown.map((p) => ({ path: [p], message: `unknown purpose; known: ${known?.join(', ')}` })));
  }
  return consent;
}

/**
 * How Segment consent categories map to purposes. Category ids are chosen by each consent
 * platform; these defaults cover Segment's examples and OneTrust's standard ids (C0002
 * performance, C0003 functional). Matching ignores case.
 */
export const DEFAULT_SEGMENT_CATEGORIES: Readonly<Record<string, Purpose>> = {
  analytics: 'analytics',
  performance: 'analytics',
  c0002: 'analytics',
  personalization: 'personalization',
  personalisation: 'personalization',
  functional: 'personalization',
  c0003: 'personalization',
};

/**
 * Reads `traits.consent` of an `identify` event (`{ consent: { analytics: true } }`).
 * Undefined when there is none. Values may be booleans or `"true"`/`"false"`/`"granted"`/
 * `"denied"`; anything else is a ValidationError, because guessing would decide for the user.
 */
export function consentFromTraits(traits: unknown): Consent | undefined {
  const raw = field(traits, 'consent');
  return raw === undefined ? undefined : decisions(raw, ['traits', 'consent'], (k) => k);
}

/**
 * Reads Segment's `context.consent.categoryPreferences`, mapping category ids to purposes
 * with `categories` (case-insensitive); unmapped categories are ignored. When two categories
 * map to one purpose, a no from either wins. Undefined when the event carries no preferences.
 *
 * ```ts
 * consentFromSegmentContext({ consent: { categoryPreferences: { Analytics: false, Functional: true } } })
 * // { analytics: false, personalization: true }
 * ```
 */
export function consentFromSegmentContext(
  context: unknown,
  categories: Readonly<Record<string, Purpose>> = DEFAULT_SEGMENT_CATEGORIES,
): Consent | undefined {
  const prefs = field(field(context, 'consent'), 'categoryPreferences');
  if (prefs === undefined) return undefined;
  const byLowerCase = new Map(Object.entries(categories).map(([k, v]) => [k.toLowerCase(), v]));
  return decisions(prefs, ['context', 'consent', 'categoryPreferences'], (k) => byLowerCase.get(k.toLowerCase()));
}

/**
 * Consent carried by any event: Segment's context first, then `identify` traits, which are
 * Attune's own channel and win where both speak. Undefined when the event carries none.
 */
export function consentFromEvent(
  event: { traits?: unknown; context?: unknown },
  categories?: Readonly<Record<string, Purpose>>,
): Consent | undefined {
  const fromContext = consentFromSegmentContext(event.context, categories);
  const fromTraits = consentFromTraits(event.traits);
  return fromContext || fromTraits ? mergeConsent(fromContext, fromTraits ?? {}) : undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

const YES = new Set(['true', 'granted']);
const NO = new Set(['false', 'denied']);

function decisions(raw: unknown, path: string[], purposeOf: (key: string) => Purpose | undefined): Consent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ValidationError('invalid consent', [{ path, message: 'expected an object of purposes to booleans' }]);
  }
  const out: Record<string, boolean> = {};
  const issues: Issue[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const purpose = purposeOf(key);
    if (purpose === undefined) continue;
    const text = typeof value === 'boolean' || typeof value === 'string' ? String(value).toLowerCase() : '';
    const decided = YES.has(text) ? true : NO.has(text) ? false : undefined;
    if (decided === undefined) issues.push({ path: [...path, key], message: 'expected a boolean' });
    // A no from any source mapped to this purpose must not be overturned by a yes.
    else out[purpose] = Object.hasOwn(out, purpose) ? out[purpose] && decided : decided;
  }
  if (issues.length > 0) throw new ValidationError('invalid consent', issues);
  return out;
}
