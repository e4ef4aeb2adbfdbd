import { z } from 'zod';
import { MAX_ID_LENGTH, withinBounds } from '../../src/core/validate';
import { DIALOGFLOW_BOUNDS, Parameters, userFits } from './bounds';
import { cxUserId } from './identity';

/**
 * Dialogflow CX (v3) webhook messages as zod schemas, written from the public protos
 * (`google.cloud.dialogflow.cx.v3.WebhookRequest`, `WebhookResponse`, `SessionInfo`,
 * `FulfillmentInfo`, `PageInfo`, `ResponseMessage`) in their JSON mapping. Everything is
 * bounded (`bounds.ts`): ids fit a store's keys, and no value is deep or large enough to fail
 * the turn's write or the redaction that precedes it.
 */

const Struct = z.record(z.string().max(256), z.unknown());
const text = (max: number) => z.string().max(max);

/** `projects/<p>/locations/<l>/agents/<a>/[environments/<e>/]sessions/<s>`. */
export const CX_SESSION = /^projects\/[^/]+\/locations\/[^/]+\/agents\/[^/]+\/(environments\/[^/]+\/)?sessions\/[^/]+$/;

/** `google.cloud.dialogflow.cx.v3.ResponseMessage`: text, payload, conversationSuccess, … */
export const CxResponseMessageSchema = z.looseObject({
  text: z.looseObject({ text: z.array(text(DIALOGFLOW_BOUNDS.text)).max(100).default([]), allowPlaybackInterruption: z.boolean().optional() }).optional(),
  payload: Struct.optional(),
  channel: text(64).optional(),
});
export type CxResponseMessage = z.infer<typeof CxResponseMessageSchema>;

/** `PageInfo.FormInfo.ParameterInfo`: one form parameter and where it stands. */
export const CxParameterInfoSchema = z.looseObject({
  displayName: text(256),
  required: z.boolean().optional(),
  state: z.enum(['PARAMETER_STATE_UNSPECIFIED', 'EMPTY', 'INVALID', 'FILLED']).optional(),
  value: z.unknown().optional(),
  justCollected: z.boolean().optional(),
});

const CxWebhookRequestFields = z.looseObject({
  detectIntentResponseId: text(MAX_ID_LENGTH).optional(),
  text: text(DIALOGFLOW_BOUNDS.text).optional(),
  triggerIntent: text(1024).optional(),
  transcript: text(DIALOGFLOW_BOUNDS.text).optional(),
  triggerEvent: text(256).optional(),
  dtmfDigits: text(256).optional(),
  languageCode: text(35).optional(),
  fulfillmentInfo: z.looseObject({ tag: text(256).optional() }).optional(),
  intentInfo: z
    .looseObject({
      lastMatchedIntent: text(1024).optional(),
      displayName: text(256).optional(),
      parameters: z
        .record(z.string().max(256), z.looseObject({ originalValue: text(DIALOGFLOW_BOUNDS.text).optional(), resolvedValue: z.unknown().optional() }))
        .refine((p) => Object.keys(p).length <= DIALOGFLOW_BOUNDS.parameters, { message: `at most ${DIALOGFLOW_BOUNDS.parameters} parameters` })
        .optional(),
      confidence: z.number().optional(),
    })
    .optional(),
  pageInfo: z
    .looseObject({
      currentPage: text(1024).optional(),
      displayName: text(256).optional(),
      formInfo: z.looseObject({ parameterInfo: z.array(CxParameterInfoSchema).max(DIALOGFLOW_BOUNDS.parameters).default([]) }).optional(),
    })
    .optional(),
  sessionInfo: z.looseObject({
    session: z.string().max(MAX_ID_LENGTH).regex(CX_SESSION, 'must be a session path: projects/<project>/locations/<location>/agents/<agent>/sessions/<session>'),
    parameters: Parameters.default({}),
  }),
  messages: z.array(CxResponseMessageSchema).max(100).default([]),
  payload: Struct.default({}),
  sentimentAnalysisResult: z.looseObject({ score: z.number().optional(), magnitude: z.number().optional() }).optional(),
  languageInfo: z.looseObject({ inputLanguageCode: text(35).optional(), resolvedLanguageCode: text(35).optional() }).optional(),
});
export type CxWebhookRequest = z.infer<typeof CxWebhookRequestFields>;

/** `google.cloud.dialogflow.cx.v3.WebhookRequest`. */
export const CxWebhookRequestSchema = CxWebhookRequestFields.superRefine(withinBounds(DIALOGFLOW_BOUNDS)).superRefine((body, ctx) => userFits(cxUserId(body), ctx, []));

/** How webhook messages combine with the ones the agent already queued. */
export type CxMergeBehavior = 'APPEND' | 'REPLACE';

/** `google.cloud.dialogflow.cx.v3.WebhookResponse` (the fields Attune fills). */
export interface CxWebhookResponse {
  fulfillmentResponse: { messages: Record<string, unknown>[]; mergeBehavior: CxMergeBehavior };
  sessionInfo: { parameters: Record<string, unknown> };
  payload?: Record<string, unknown>;
}
