import { z } from 'zod';
import type { ZodOpenApiResponseObject, ZodOpenApiResponsesObject } from 'zod-openapi';

/**
 * What the edge answers, as zod schemas: the OpenAPI document shows them, and the tests parse
 * real answers with them, so the document cannot drift from what the server sends. What the
 * edge takes in is validated by the engine's own schemas (events, turns, consent), which the
 * document shows as they are.
 */

/** Every error body of the edge (see `answerFor`). */
export const ErrorBodySchema = z
  .object({
    error: z.string().meta({ description: 'stable code: invalid_argument, unauthenticated, forbidden, not_found, rate_limited, payload_too_large, store…' }),
    message: z.string(),
    issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
  })
  .meta({ id: 'Error' });

/** The answer to an ingestion call. */
export const IngestAnswerSchema = z.object({ success: z.literal(true), accepted: z.number().int(), duplicates: z.number().int() }).meta({ id: 'IngestAnswer' });

const CatalogItemOut = z.looseObject({ id: z.string(), title: z.string().optional(), category: z.string().optional() });

/** One recommendation. */
export const RecommendationSchema = z
  .object({
    itemId: z.string(),
    score: z.number(),
    reason: z.string().meta({ description: 'affinity:running, model:itemknn, popular, popular:de-DE…' }),
    item: CatalogItemOut.optional(),
  })
  .meta({ id: 'Recommendation' });

const Tone = z.enum(['neutral', 'formal', 'friendly', 'concise', 'empathetic']);

/** The answer of `POST /v1/turns` (`TurnResult`). */
export const TurnResultSchema = z
  .object({
    recommendations: z.array(RecommendationSchema),
    tone: Tone,
    reply: z.looseObject({ text: z.string().optional(), recommendations: z.array(RecommendationSchema).optional(), style: z.enum(['suggestions', 'carousel']).optional(), tone: Tone.optional() }).optional(),
    segments: z.array(z.string()),
    entered: z.array(z.string()),
    exited: z.array(z.string()),
    variant: z.string().optional(),
    onboarding: z
      .object({
        flow: z.string(),
        id: z.string(),
        question: z.string(),
        choices: z.array(z.object({ value: z.string(), label: z.string() })),
        skip: z.object({ value: z.string(), label: z.string() }),
        step: z.number().int(),
        steps: z.number().int(),
      })
      .optional()
      .meta({ description: 'an onboarding question to ask after the reply, with quick-reply choices (sending a label back as text answers it)' }),
    predictions: z
      .object({ purchase: z.number(), byCategory: z.record(z.string(), z.number()), modelVersion: z.string(), horizonDays: z.number() })
      .optional()
      .meta({ description: 'purchase propensity within horizonDays, overall and per category, when a propensity model is served' }),
    firstVisit: z.boolean(),
    degraded: z.boolean().meta({ description: 'true when Attune could not personalize (store down, user erased): answer as without it' }),
  })
  .meta({ id: 'TurnResult' });

/** A stored profile, as the REST API shows it. */
export const ProfileAnswerSchema = z.object({ profile: z.looseObject({ userId: z.string() }), segments: z.array(z.string()) });

/** A user's segments. */
export const SegmentsAnswerSchema = z.object({ userId: z.string(), segments: z.array(z.string()) });

/** A user's recommendations. */
export const RecommendationsAnswerSchema = z.object({ userId: z.string(), recommendations: z.array(RecommendationSchema) });

/** A user's consent after an update. */
export const ConsentAnswerSchema = z.object({ userId: z.string(), consent: z.record(z.string(), z.boolean()) });

/** Everything held about a user (GDPR Art. 15, 20). */
export const ExportAnswerSchema = z.looseObject({
  userIds: z.array(z.string()),
  exportedAt: z.string(),
  profile: z.looseObject({}).nullable(),
  consent: z.record(z.string(), z.boolean()).nullable(),
  segments: z.array(z.string()),
  sessions: z.array(z.looseObject({})),
  events: z.array(z.looseObject({ type: z.string(), messageId: z.string() })),
  cache: z.unknown(),
  experiments: z.record(z.string(), z.string()),
  inModel: z.boolean(),
});

/** The answer of an erasure. */
export const EraseAnswerSchema = z.looseObject({ erased: z.literal(true), removed: z.number().int(), retrained: z.boolean() });

/** `/healthz`. */
export const HealthAnswerSchema = z.object({ status: z.enum(['ok', 'degraded']), store: z.string(), circuit: z.enum(['closed', 'open', 'half-open']).optional() });

/** `/livez`. */
export const LiveAnswerSchema = z.object({ status: z.literal('ok') });

/** `/readyz`. */
export const ReadyAnswerSchema = z.object({ status: z.enum(['ready', 'not_ready']), store: z.string(), reason: z.string().optional() });

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

/** A JSON response of `schema`. */
export function jsonResponse(description: string, schema: z.ZodType): ZodOpenApiResponseObject {
  return { description, content: json(schema) };
}

/** The error answers a route may give, by status. */
export function errorResponses(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 429 | 503)[]): ZodOpenApiResponsesObject {
  const said: Record<number, string> = {
    400: 'invalid input: `issues` says what and where',
    401: 'no valid credentials',
    403: 'the key lacks the role',
    404: 'not found',
    409: 'conflicts with what exists (an id defined in config)',
    413: 'body too large',
    429: 'over the rate limit (Retry-After)',
    503: 'the store is unavailable',
  };
  return Object.fromEntries(statuses.map((s) => [String(s), { description: said[s], content: json(ErrorBodySchema) }]));
}
