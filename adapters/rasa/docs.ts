import { z } from 'zod';
import type { PathDocs } from '../http/route-docs';
import { errorResponses } from '../http/schemas';
import { RasaActionCallSchema } from './schema';

const RasaError = z.object({ error: z.string(), action_name: z.string().nullable() });

/** The action server under `/rasa`, as the server's OpenAPI document shows it. */
export const RASA_DOCS: PathDocs = {
  '/health': { get: { summary: 'Rasa action server health', tags: ['adapters'], responses: { 200: { description: 'up', content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } } }, ...errorResponses(429) } } },
  '/actions': {
    get: { summary: 'The custom actions this server runs', tags: ['adapters'], responses: { 200: { description: 'their names', content: { 'application/json': { schema: z.array(z.object({ name: z.string() })) } } }, ...errorResponses(429) } },
  },
  '/webhook': {
    post: {
      summary: 'Run a Rasa custom action',
      description: "Rasa's action call (rasa-sdk's protocol: `next_action`, `tracker`, `domain`), answered with `events` and `responses`; the tracker's new messages are logged as turns. Rasa's action_endpoint is `…/rasa/webhook`.",
      tags: ['adapters'],
      security: [{ rasaToken: [] }],
      requestBody: { content: { 'application/json': { schema: RasaActionCallSchema } } },
      responses: {
        200: { description: 'the action’s events and responses', content: { 'application/json': { schema: z.object({ events: z.array(z.looseObject({ event: z.string() })), responses: z.array(z.looseObject({})) }) } } },
        400: { description: 'invalid call, or the action refused to run', content: { 'application/json': { schema: RasaError } } },
        404: { description: 'no such action', content: { 'application/json': { schema: RasaError } } },
        ...errorResponses(401, 413, 429),
      },
    },
  },
};
