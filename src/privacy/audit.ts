import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError, type ErrorCode, type Issue } from '../core/errors';
import { parse } from '../core/validate';
import { isPseudonym } from './pseudonym';
import { createRedactor, DEFAULT_FIELD_TYPES } from './redact';
import type { KeyRing } from './keyring';

/**
 * Audit records of admin actions: who (an API key id), what, when, on whom (a pseudonymous
 * id only) and with what outcome. An audit log outlives the data it describes (it must still
 * show that an erasure happened), so it may hold no personal data at all: the builder refuses
 * raw ids, free text with personal data in it, and error messages (only error codes).
 */

/** The admin actions that are audited. */
export const AUDIT_ACTIONS = [
  'user.export',
  'user.erase',
  'user.consent.update',
  'keys.rotate',
  'retention.run',
  'config.update',
  'review.decide',
] as const;

/** One audited admin action. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** How the action ended: done, refused by access control, or failed. */
export type AuditOutcome = 'success' | 'denied' | 'failure';

/** Small facts about an action: counts, flags, enum-like words. */
export type AuditDetails = Readonly<Record<string, string | number | boolean>>;

/** One line of the audit log. */
export interface AuditRecord {
  /** When, as an ISO 8601 UTC timestamp. */
  readonly at: string;
  /** Who: the id of the API key (see {@link apiKeyId}), never the key itself. */
  readonly actor: string;
  /** What was done. */
  readonly action: AuditAction;
  /** On whom: a pseudonymous user id, absent for actions on no user. */
  readonly target?: string;
  /** How it ended. */
  readonly outcome: AuditOutcome;
  /** On failure, the error's stable code (never its message, which may quote input). */
  readonly errorCode?: ErrorCode;
  /** Counts and flags, e.g. `{ events: 120, stores: 2 }`. */
  readonly details?: AuditDetails;
}

/** What {@link auditRecord} is given. */
export interface AuditInput {
  at: Date;
  actor: string;
  action: AuditAction;
  target?: string;
  outcome: AuditOutcome;
  errorCode?: ErrorCode;
  details?: AuditDetails;
}

const ERROR_CODES = ['invalid_argument', 'not_found', 'config', 'store', 'conflict', 'unavailable'] as const satisfies readonly ErrorCode[];

/** The stored form of an audit record, for reading the log back. */
export const AuditRecordSchema = z.strictObject({
  at: z.iso.datetime(),
  actor: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an API key id: letters, digits, _ or -'),
  action: z.enum(AUDIT_ACTIONS),
  target: z.string().optional(),
  outcome: z.enum(['success', 'denied', 'failure']),
  errorCode: z.enum(ERROR_CODES).optional(),
  details: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/), z.union([z.string().max(80), z.number().finite(), z.boolean()]))
    .optional(),
});

// Only the detectors matter here; the operator is never applied.
const detector = createRedactor();
const personalKeys = new Set(Object.keys(DEFAULT_FIELD_TYPES).concat(['name', 'userid', 'anonymousid', 'text', 'message']));

/**
 * Builds an audit record and refuses any personal data in it: the target must be a
 * pseudonym (of `ring`, when given), detail keys must not name personal fields, and detail
 * strings must contain nothing the redactor would find. Pure: the time is passed in.
 *
 * ```ts
 * auditRecord({ at: new Date(), actor: apiKeyId(key), action: 'user.erase', target: pseudonym, outcome: 'success', details: { events: 120 } });
 * ```
 */
export function auditRecord(input: AuditInput, ring?: KeyRing): AuditRecord {
  const record = parse(
    AuditRecordSchema,
    {
      at: Number.isNaN(input.at.getTime()) ? 'invalid date' : input.at.toISOString(),
      actor: input.actor,
      action: input.action,
      target: input.target,
      outcome: input.outcome,
      errorCode: input.errorCode,
      details: input.details,
    },
    'audit record',
  );
  const issues: Issue[] = [];
  if (record.target !== undefined && !isPseudonym(record.target, ring)) {
    issues.push({ path: ['target'], message: 'must be a pseudonymous id, never a raw one' });
  }
  if (record.errorCode !== undefined && record.outcome !== 'failure') {
    issues.push({ path: ['errorCode'], message: 'only a failure has an error code' });
  }
  for (const [key, value] of Object.entries(record.details ?? {})) {
    if (personalKeys.has(key.toLowerCase().replace(/_/g, ''))) issues.push({ path: ['details', key], message: 'names a personal field' });
    else if (typeof value === 'string' && detector.redact(value).findings.length > 0) {
      issues.push({ path: ['details', key], message: 'contains personal data' });
    }
  }
  if (issues.length > 0) throw new ValidationError('invalid audit record', issues);
  // Drop the undefined optionals so the stored line is minimal and compares equal after a read.
  const { target, errorCode, details, ...required } = record;
  return {
    ...required,
    ...(target === undefined ? {} : { target }),
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(details === undefined ? {} : { details }),
  };
}

/**
 * A stable, non-secret id for an API key: `key_` and 12 base64url characters of its SHA-256.
 * Enough to tell keys apart in the audit log; useless for recovering the key.
 */
export function apiKeyId(apiKey: string): string {
  return `key_${createHash('sha256').update(apiKey, 'utf8').digest('base64url').slice(0, 12)}`;
}
