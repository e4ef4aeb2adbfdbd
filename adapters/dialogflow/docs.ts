import { z } from 'zod';
import type { PathDocs } from '../http/route-docs';
import { errorResponses } from '../http/schemas';
import { CxWebhookRequestSchema } from './cx-schema';
import { EsWebhookRequestSchema } from './es-schema';

/** `POST /dialogflow`, as the server's OpenAPI document shows it. */
export const DIALOGFLOW_DOCS: PathDocs = {
  '/': {
    post: {
      summary: 'Dialogflow fulfillment webhook (ES v2 and CX v3)',
      description: 'A WebhookRequest of either edition, told apart by its fields (`queryResult` for ES; `sessionInfo` or `fulfillmentInfo` for CX), answered with a WebhookResponse of the same edition: messages in the user’s tone, recommendations, output contexts or session parameters.',
      tags: ['adapters'],
      security: [{ webhookBasic: [] }, { webhookHeader: [] }],
      requestBody: { content: { 'application/json': { schema: z.union([EsWebhookRequestSchema, CxWebhookRequestSchema]) } } },
      responses: {
        200: { description: 'the WebhookResponse', content: { 'application/json': { schema: z.looseObject({}) } } },
        ...errorResponses(400, 401, 413, 429),
      },
    },
  },
};
