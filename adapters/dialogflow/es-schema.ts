import { z } from 'zod';

/**
 * Dialogflow ES (v2) webhook messages as zod schemas, written from the public protos
 * (`google.cloud.dialogflow.v2.WebhookRequest`, `QueryResult`, `Context`, `Intent.Message`)
 * in their JSON mapping (lowerCamelCase). What Attune reads is checked; the rest passes
 * through, so fields added to the protos later still validate.
 */

const Struct = z.record(z.string(), z.unknown());

/** `projects/<p>/[locations/<l>/]agent/[environments/<e>/users/<u>/]sessions/<s>`. */
export const ES_SESSION = /^projects\/[^/]+\/(locations\/[^/]+\/)?agent\/(environments\/[^/]+\/users\/[^/]+\/)?sessions\/[^/]+$/;

/** `google.cloud.dialogflow.v2.Context`. */
export const EsContextSchema = z.looseObject({
  name: z.string().min(1),
  lifespanCount: z.number().int().nonnegative().optional(),
  parameters: Struct.optional(),
});
export type EsContext = z.infer<typeof EsContextSchema>;

/** `google.cloud.dialogflow.v2.Intent.Message`: one of text, image, quickReplies, card, payload, … */
export const EsMessageSchema = z.looseObject({
  platform: z.string().optional(),
  text: z.looseObject({ text: z.array(z.string()).default([]) }).optional(),
  payload: Struct.optional(),
});
export type EsMessage = z.infer<typeof EsMessageSchema>;

/** `google.cloud.dialogflow.v2.QueryResult`. */
export const EsQueryResultSchema = z.looseObject({
  queryText: z.string().optional(),
  languageCode: z.string().optional(),
  speechRecognitionConfidence: z.number().optional(),
  action: z.string().optional(),
  parameters: Struct.default({}),
  allRequiredParamsPresent: z.boolean().optional(),
  cancelsSlotFilling: z.boolean().optional(),
  fulfillmentText: z.string().optional(),
  fulfillmentMessages: z.array(EsMessageSchema).default([]),
  webhookSource: z.string().optional(),
  webhookPayload: Struct.optional(),
  outputContexts: z.array(EsContextSchema).default([]),
  intent: z.looseObject({ name: z.string().optional(), displayName: z.string().optional(), isFallback: z.boolean().optional() }).optional(),
  intentDetectionConfidence: z.number().optional(),
  diagnosticInfo: Struct.optional(),
  sentimentAnalysisResult: z.looseObject({ queryTextSentiment: z.looseObject({ score: z.number().optional(), magnitude: z.number().optional() }).optional() }).optional(),
});

/** `google.cloud.dialogflow.v2.WebhookRequest`. */
export const EsWebhookRequestSchema = z.looseObject({
  session: z.string().regex(ES_SESSION, 'must be a session path: projects/<project>/agent/sessions/<session>'),
  responseId: z.string().optional(),
  queryResult: EsQueryResultSchema,
  originalDetectIntentRequest: z.looseObject({ source: z.string().optional(), version: z.string().optional(), payload: Struct.default({}) }).optional(),
});
export type EsWebhookRequest = z.infer<typeof EsWebhookRequestSchema>;

/** `google.cloud.dialogflow.v2.WebhookResponse` (the fields Attune fills). */
export interface EsWebhookResponse {
  fulfillmentText?: string;
  fulfillmentMessages?: Record<string, unknown>[];
  source?: string;
  payload?: Record<string, unknown>;
  outputContexts?: EsContext[];
}
