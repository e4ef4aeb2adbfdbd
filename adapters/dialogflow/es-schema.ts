import { z } from 'zod';
import { MAX_ID_LENGTH, withinBounds } from '../../src/core/validate';
import { DIALOGFLOW_BOUNDS, Parameters, userFits } from './bounds';
import { userFromPayload } from './identity';

/**
 * Dialogflow ES (v2) webhook messages as zod schemas, written from the public protos
 * (`google.cloud.dialogflow.v2.WebhookRequest`, `QueryResult`, `Context`, `Intent.Message`)
 * in their JSON mapping (lowerCamelCase). What Attune reads is checked; the rest passes
 * through, so fields added to the protos later still validate. Everything is bounded
 * (`bounds.ts`): ids fit a store's keys, and no value is deep or large enough to fail the
 * turn's write or the redaction that precedes it.
 */

const Struct = z.record(z.string().max(256), z.unknown());
const text = (max: number) => z.string().max(max);

/** `projects/<p>/[locations/<l>/]agent/[environments/<e>/users/<u>/]sessions/<s>`. */
export const ES_SESSION = /^projects\/[^/]+\/(locations\/[^/]+\/)?agent\/(environments\/[^/]+\/users\/[^/]+\/)?sessions\/[^/]+$/;

/** `google.cloud.dialogflow.v2.Context`. */
export const EsContextSchema = z.looseObject({
  name: z.string().min(1).max(1024),
  lifespanCount: z.number().int().nonnegative().max(1000).optional(),
  parameters: Parameters.optional(),
});
export type EsContext = z.infer<typeof EsContextSchema>;

/** `google.cloud.dialogflow.v2.Intent.Message`: one of text, image, quickReplies, card, payload, … */
export const EsMessageSchema = z.looseObject({
  platform: text(64).optional(),
  text: z.looseObject({ text: z.array(text(DIALOGFLOW_BOUNDS.text)).max(100).default([]) }).optional(),
  payload: Struct.optional(),
});
export type EsMessage = z.infer<typeof EsMessageSchema>;

/** `google.cloud.dialogflow.v2.QueryResult`. */
export const EsQueryResultSchema = z.looseObject({
  queryText: text(DIALOGFLOW_BOUNDS.text).optional(),
  languageCode: text(35).optional(),
  speechRecognitionConfidence: z.number().optional(),
  action: text(256).optional(),
  parameters: Parameters.default({}),
  allRequiredParamsPresent: z.boolean().optional(),
  cancelsSlotFilling: z.boolean().optional(),
  fulfillmentText: text(DIALOGFLOW_BOUNDS.text).optional(),
  fulfillmentMessages: z.array(EsMessageSchema).max(100).default([]),
  webhookSource: text(256).optional(),
  webhookPayload: Struct.optional(),
  outputContexts: z.array(EsContextSchema).max(100).default([]),
  intent: z.looseObject({ name: text(1024).optional(), displayName: text(256).optional(), isFallback: z.boolean().optional() }).optional(),
  intentDetectionConfidence: z.number().optional(),
  diagnosticInfo: Struct.optional(),
  sentimentAnalysisResult: z.looseObject({ queryTextSentiment: z.looseObject({ score: z.number().optional(), magnitude: z.number().optional() }).optional() }).optional(),
});

const EsWebhookRequestFields = z.looseObject({
  session: z.string().max(MAX_ID_LENGTH).regex(ES_SESSION, 'must be a session path: projects/<project>/agent/sessions/<session>'),
  responseId: text(MAX_ID_LENGTH).optional(),
  queryResult: EsQueryResultSchema,
  originalDetectIntentRequest: z.looseObject({ source: text(256).optional(), version: text(64).optional(), payload: Struct.default({}) }).optional(),
});
export type EsWebhookRequest = z.infer<typeof EsWebhookRequestFields>;

/** `google.cloud.dialogflow.v2.WebhookRequest`. */
export const EsWebhookRequestSchema = EsWebhookRequestFields.superRefine(withinBounds(DIALOGFLOW_BOUNDS)).superRefine((body, ctx) =>
  // The user is the integration's, else the session (bounded above).
  userFits(userFromPayload(body.originalDetectIntentRequest?.payload), ctx, ['originalDetectIntentRequest', 'payload']),
);

/** `google.cloud.dialogflow.v2.WebhookResponse` (the fields Attune fills). */
export interface EsWebhookResponse {
  fulfillmentText?: string;
  fulfillmentMessages?: Record<string, unknown>[];
  source?: string;
  payload?: Record<string, unknown>;
  outputContexts?: EsContext[];
}
