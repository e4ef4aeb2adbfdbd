import { z } from 'zod';

/**
 * Dialogflow CX (v3) webhook messages as zod schemas, written from the public protos
 * (`google.cloud.dialogflow.cx.v3.WebhookRequest`, `WebhookResponse`, `SessionInfo`,
 * `FulfillmentInfo`, `PageInfo`, `ResponseMessage`) in their JSON mapping.
 */

const Struct = z.record(z.string(), z.unknown());

/** `projects/<p>/locations/<l>/agents/<a>/[environments/<e>/]sessions/<s>`. */
export const CX_SESSION = /^projects\/[^/]+\/locations\/[^/]+\/agents\/[^/]+\/(environments\/[^/]+\/)?sessions\/[^/]+$/;

/** `google.cloud.dialogflow.cx.v3.ResponseMessage`: text, payload, conversationSuccess, … */
export const CxResponseMessageSchema = z.looseObject({
  text: z.looseObject({ text: z.array(z.string()).default([]), allowPlaybackInterruption: z.boolean().optional() }).optional(),
  payload: Struct.optional(),
  channel: z.string().optional(),
});
export type CxResponseMessage = z.infer<typeof CxResponseMessageSchema>;

/** `PageInfo.FormInfo.ParameterInfo`: one form parameter and where it stands. */
export const CxParameterInfoSchema = z.looseObject({
  displayName: z.string(),
  required: z.boolean().optional(),
  state: z.enum(['PARAMETER_STATE_UNSPECIFIED', 'EMPTY', 'INVALID', 'FILLED']).optional(),
  value: z.unknown().optional(),
  justCollected: z.boolean().optional(),
});

/** `google.cloud.dialogflow.cx.v3.WebhookRequest`. */
export const CxWebhookRequestSchema = z.looseObject({
  detectIntentResponseId: z.string().optional(),
  text: z.string().optional(),
  triggerIntent: z.string().optional(),
  transcript: z.string().optional(),
  triggerEvent: z.string().optional(),
  dtmfDigits: z.string().optional(),
  languageCode: z.string().optional(),
  fulfillmentInfo: z.looseObject({ tag: z.string().optional() }).optional(),
  intentInfo: z
    .looseObject({
      lastMatchedIntent: z.string().optional(),
      displayName: z.string().optional(),
      parameters: z.record(z.string(), z.looseObject({ originalValue: z.string().optional(), resolvedValue: z.unknown().optional() })).optional(),
      confidence: z.number().optional(),
    })
    .optional(),
  pageInfo: z
    .looseObject({
      currentPage: z.string().optional(),
      displayName: z.string().optional(),
      formInfo: z.looseObject({ parameterInfo: z.array(CxParameterInfoSchema).default([]) }).optional(),
    })
    .optional(),
  sessionInfo: z.looseObject({
    session: z.string().regex(CX_SESSION, 'must be a session path: projects/<project>/locations/<location>/agents/<agent>/sessions/<session>'),
    parameters: Struct.default({}),
  }),
  messages: z.array(CxResponseMessageSchema).default([]),
  payload: Struct.default({}),
  sentimentAnalysisResult: z.looseObject({ score: z.number().optional(), magnitude: z.number().optional() }).optional(),
  languageInfo: z.looseObject({ inputLanguageCode: z.string().optional(), resolvedLanguageCode: z.string().optional() }).optional(),
});
export type CxWebhookRequest = z.infer<typeof CxWebhookRequestSchema>;

/** How webhook messages combine with the ones the agent already queued. */
export type CxMergeBehavior = 'APPEND' | 'REPLACE';

/** `google.cloud.dialogflow.cx.v3.WebhookResponse` (the fields Attune fills). */
export interface CxWebhookResponse {
  fulfillmentResponse: { messages: Record<string, unknown>[]; mergeBehavior: CxMergeBehavior };
  sessionInfo: { parameters: Record<string, unknown> };
  payload?: Record<string, unknown>;
}
