import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ConflictError, ValidationError } from '../../core/errors';
import { parse } from '../../core/validate';

/**
 * The review queue: one entry per sensitive item that a recommendation would have shown, and
 * the decision a person took about it. Implemented in memory ({@link MemoryReviewQueue}) and
 * on Redis ({@link RedisReviewQueue}); both pass one contract suite
 * (test/fairness/review/contract.ts) with the store's error rules:
 * - a malformed argument (empty id, bad status, bad time) → ValidationError;
 * - a missing entry → `null` (never an error);
 * - a decision on an entry that no longer stands where the verdict expects it → ConflictError;
 * - a back-end failure → StoreError with the cause kept.
 */

/** Where an entry stands: waiting, or decided. */
export const REVIEW_STATUSES = ['pending', 'approved', 'rejected'] as const;

/** One of {@link REVIEW_STATUSES}. */
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** A decision a reviewer takes. */
export type ReviewDecision = 'approve' | 'reject';

/** The status a decision leads to. */
export const STATUS_OF: Readonly<Record<ReviewDecision, Exclude<ReviewStatus, 'pending'>>> = { approve: 'approved', reject: 'rejected' };

/** One item waiting for review, or reviewed. */
export const ReviewEntrySchema = z.strictObject({
  /** Stable: derived from the item id ({@link reviewEntryId}), so one item has one entry. */
  id: z.string(),
  itemId: z.string(),
  /** Which rule of the sensitivity policy matched when the item was first held back. */
  reason: z.string(),
  /** When a recommendation first wanted to show it (ISO 8601). */
  firstRequestedAt: z.iso.datetime(),
  /** How many times recommendations wanted to show it (while pending, and after). */
  requestCount: z.number().int().positive(),
  status: z.enum(REVIEW_STATUSES),
  /** Who took the latest decision: an API key id (`key_…`) or `cli`. */
  decidedBy: z.string().optional(),
  decidedAt: z.iso.datetime().optional(),
  /** The reviewer's note with the latest decision. */
  note: z.string().optional(),
});

/** One entry of the review queue. */
export type ReviewEntry = z.infer<typeof ReviewEntrySchema>;

/** A request to show a held-back item, as the serving path reports it. */
export interface ReviewRequest {
  itemId: string;
  /** The policy rule that matched (see `SensitiveReason`). */
  reason: string;
  /** How many requests this stands for (several turns batched into one call); default 1. */
  count?: number;
}

/** A decision as a queue records it. */
export interface ReviewVerdict {
  status: Exclude<ReviewStatus, 'pending'>;
  by: string;
  /** ISO 8601 time of the decision. */
  at: string;
  note?: string;
  /**
   * Record the decision only if the entry stands in this status now (`pending`: a first
   * decision, never one replacing another), checked atomically with the write; otherwise a
   * ConflictError. Unset, a later decision replaces an earlier one.
   */
  expect?: ReviewStatus;
}

/** Which entries to list: by status (default all), oldest request first, at most `limit` (default 100, max 1000). */
export interface ReviewQuery {
  status?: ReviewStatus;
  limit?: number;
}

/** The queue's roles. */
export interface ReviewQueue {
  /** `memory` or `redis`. */
  readonly kind: string;
  /**
   * Records requests to show items: an item seen for the first time gets a pending entry;
   * an item already there (pending or decided) only has its count raised, so one item is
   * pending once however many turns asked. Returns the entries, in the order asked.
   */
  request(requests: readonly ReviewRequest[], at: string): Promise<ReviewEntry[]>;
  /** One entry, or null. */
  get(id: string): Promise<ReviewEntry | null>;
  /** Entries by status, oldest first request first. */
  list(query?: ReviewQuery): Promise<ReviewEntry[]>;
  /** Records a decision (a later one replaces an earlier one, unless `verdict.expect` says otherwise); null for an unknown id. */
  decide(id: string, verdict: ReviewVerdict): Promise<ReviewEntry | null>;
  /** Every approved item id: what serving may show. */
  approvedItems(): Promise<string[]>;
  /** How many entries stand in each status. */
  counts(): Promise<Record<ReviewStatus, number>>;
  /** Releases connections. */
  close(): Promise<void>;
}

/**
 * The id of an item's entry: `rv_` and 16 base64url characters of a SHA-256 of the item id.
 * Stable across replicas and restarts, so the same item is queued once wherever it is held back.
 */
export function reviewEntryId(itemId: string): string {
  return `rv_${createHash('sha256').update(`review:${itemId}`, 'utf8').digest('base64url').slice(0, 16)}`;
}

/** Default and largest page of {@link ReviewQueue.list}. */
export const REVIEW_PAGE = { default: 100, max: 1000 } as const;

const Id = z.string().min(1).max(512);
const RequestsSchema = z.array(z.strictObject({ itemId: Id, reason: z.string().min(1).max(600), count: z.number().int().positive().max(1_000_000).optional() })).max(10_000);
const VerdictSchema = z.strictObject({
  status: z.enum(['approved', 'rejected']),
  by: z.string().min(1).max(64),
  at: z.iso.datetime(),
  note: z.string().max(2000).optional(),
  expect: z.enum(REVIEW_STATUSES).optional(),
});
const QuerySchema = z
  .strictObject({ status: z.enum(REVIEW_STATUSES).optional(), limit: z.number().int().min(1).max(REVIEW_PAGE.max).optional() })
  .optional();

/** Validates the arguments of {@link ReviewQueue.request} (ValidationError). Shared by the implementations. */
export function checkRequests(requests: readonly ReviewRequest[], at: string): ReviewRequest[] {
  parse(z.iso.datetime(), at, 'request time');
  return parse(RequestsSchema, requests, 'review requests');
}

/** Validates an entry id (ValidationError). */
export function checkEntryId(id: string): string {
  if (typeof id !== 'string' || !/^rv_[A-Za-z0-9_-]{16}$/.test(id)) throw new ValidationError('invalid review entry id', [{ path: ['id'], message: 'must look like rv_ and 16 letters, digits, _ or -' }]);
  return id;
}

/** Validates a verdict (ValidationError). */
export function checkVerdict(verdict: ReviewVerdict): ReviewVerdict {
  return parse(VerdictSchema, verdict, 'review decision');
}

/** Validates a list query (ValidationError) and fills the default limit. */
export function checkQuery(query: ReviewQuery | undefined): { status?: ReviewStatus; limit: number } {
  const q = parse(QuerySchema, query, 'review query');
  return { status: q?.status, limit: q?.limit ?? REVIEW_PAGE.default };
}

/** The error of a decision whose `expect` no longer holds: the entry was decided meanwhile. */
export function decidedAlready(entry: Pick<ReviewEntry, 'id' | 'status'>): ConflictError {
  return new ConflictError(`review entry ${entry.id} is ${entry.status} already`);
}
