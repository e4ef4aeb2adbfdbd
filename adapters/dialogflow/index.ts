/**
 * `attune/dialogflow`: Attune for Dialogflow ES and CX fulfillment webhooks.
 *
 * ```ts
 * import { dialogflowWebhook, webhookAuthFromEnv } from 'attune/dialogflow';
 * app.post('/dialogflow', dialogflowWebhook(attune, { auth: webhookAuthFromEnv(process.env), intents: { browse: () => ({ recommend: true }) } }));
 * ```
 */
export { dialogflowRoute, dialogflowWebhook } from './webhook';
export type { DialogflowWebhook, DialogflowWebhookOptions } from './webhook';
export type { DialogflowAnswer, DialogflowHandler, DialogflowHandlerContext, DialogflowRequest } from './fulfill';
export { validateWebhookAuth, webhookAuthFromEnv } from './auth';
export type { DialogflowAuth, WebhookAuth } from './auth';
export { restSessionEntityTypesClient, SessionEntities } from './entities';
export type { SessionEntitiesOptions, SessionEntityTypesApi } from './entities';
export { EsWebhookRequestSchema } from './es-schema';
export type { EsContext, EsWebhookRequest, EsWebhookResponse } from './es-schema';
export { CxWebhookRequestSchema } from './cx-schema';
export type { CxMergeBehavior, CxWebhookRequest, CxWebhookResponse } from './cx-schema';
export { esTurn } from './es';
export { cxTurn } from './cx';
