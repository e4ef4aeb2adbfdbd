import { z } from 'zod';
import { parse } from '../../src/core/validate';
import { REVIEW_PAGE, REVIEW_STATUSES, ReviewEntrySchema, type ReviewService } from '../../src/fairness/review';
import type { Actor } from '../../src/privacy/rights';
import { callerOf } from './api-keys';
import { objectBody } from './body';
import type { DocumentedRoutes } from './route-docs';
import { errorResponses, jsonResponse } from './schemas';
import type { HttpMiddleware, HttpRequest } from './types';

/**
 * The review queue's REST routes under `/v1/review`, for the people who decide whether a
 * sensitive item may be shown: the list (`GET`), one entry (`GET /:id`) and a decision
 * (`POST /:id`), all for `admin` keys only, since a decision changes what every user sees.
 * The schemas are exported for the OpenAPI document.
 */

/** Path parameters of `/v1/review/:id`: an entry id as the queue makes them (`rv_` and 16 characters). */
export const ReviewParamsSchema = z.object({ id: z.string().regex(/^rv_[A-Za-z0-9_-]{16}$/, 'must look like rv_ and 16 letters, digits, _ or -') });

/** Query of `GET /v1/review`: which status (default `pending`, or `all`) and how many, oldest request first. */
export const ReviewListQuerySchema = z.object({
  status: z.enum([...REVIEW_STATUSES, 'all']).default('pending'),
  limit: z.coerce.number().int().min(1).max(REVIEW_PAGE.max).default(REVIEW_PAGE.default),
});

/** Body of `POST /v1/review/:id`: the decision, and an optional note kept with the entry (not in the audit log). */
export const ReviewDecisionBodySchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  note: z.string().trim().min(1).max(2000).optional(),
});

/** How many entries stand in each status. */
export const ReviewCountsSchema = z.object({ pending: z.number().int(), approved: z.number().int(), rejected: z.number().int() });

/** Answer of `GET /v1/review`. */
export const ReviewListAnswerSchema = z.object({ entries: z.array(ReviewEntrySchema), counts: ReviewCountsSchema });

/** Answer of `GET` and `POST /v1/review/:id`. */
export const ReviewEntryAnswerSchema = z.object({ entry: ReviewEntrySchema });

const security: Record<string, string[]>[] = [{ bearer: [] }, { apiKey: [] }];

/** Who decided: the API key's id (`key_…`, a digest prefix, never the key), as the audit log names callers. */
const reviewer = (req: HttpRequest): Actor => ({ actor: callerOf(req)?.keyId ?? 'unauthenticated' });

/**
 * Adds the review routes to the API router. A malformed id, query or body answers 400 naming
 * each problem's path; an unknown id 404; a decision on an entry decided already 409 (the
 * statuses come from the errors' codes, in errors.ts).
 *
 * ```ts
 * if (attune.review) reviewRoutes(route, attune.review, role('admin'));
 * ```
 */
export function reviewRoutes(route: DocumentedRoutes, review: ReviewService, admin: HttpMiddleware): void {
  route.get(
    '/review',
    {
      summary: 'Sensitive items waiting for review (or decided)',
      description: `Entries of the review queue, oldest first request first: \`?status=pending\` (default), \`approved\`, \`rejected\` or \`all\`; \`?limit=\` up to ${REVIEW_PAGE.max} (default ${REVIEW_PAGE.default}). An item held back is queued once however many lists wanted it; \`requestCount\` says how many. Role \`admin\`.`,
      tags: ['review'],
      security,
      requestParams: { query: ReviewListQuerySchema },
      responses: { 200: jsonResponse('the entries and the size of each status', ReviewListAnswerSchema), ...errorResponses(400, 401, 403, 429, 503) },
    },
    admin,
    async (req, res) => {
      const q = parse(ReviewListQuerySchema, req.query, 'query');
      const [entries, counts] = await Promise.all([review.list({ ...(q.status === 'all' ? {} : { status: q.status }), limit: q.limit }), review.counts()]);
      res.json({ entries, counts });
    },
  );

  route.get(
    '/review/:id',
    {
      summary: 'One entry of the review queue',
      tags: ['review'],
      security,
      requestParams: { path: ReviewParamsSchema },
      responses: { 200: jsonResponse('the entry', ReviewEntryAnswerSchema), ...errorResponses(400, 401, 403, 404, 429, 503) },
    },
    admin,
    async (req, res) => {
      const { id } = parse(ReviewParamsSchema, req.params, 'path');
      res.json({ entry: await review.get(id) });
    },
  );

  route.post(
    '/review/:id',
    {
      summary: 'Approve or reject a sensitive item',
      description: 'Approved, the item may be shown in recommendations (on this replica at once, on the others within their refresh interval); rejected, it never is. A pending entry only: one decided already answers 409 (`attune review … --revise` replaces a decision). Audited as `review.decide` with the key\'s id. Role `admin`.',
      tags: ['review'],
      security,
      requestParams: { path: ReviewParamsSchema },
      requestBody: { content: { 'application/json': { schema: ReviewDecisionBodySchema } } },
      responses: { 200: jsonResponse('the entry as decided', ReviewEntryAnswerSchema), ...errorResponses(400, 401, 403, 404, 409, 413, 429, 503) },
    },
    admin,
    async (req, res) => {
      const { id } = parse(ReviewParamsSchema, req.params, 'path');
      const body = parse(ReviewDecisionBodySchema, objectBody(req.body), 'body');
      res.json({ entry: await review.decide(id, body.decision, reviewer(req), body.note) });
    },
  );
}
