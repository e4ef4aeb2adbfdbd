import { z } from 'zod';
import type { PathDocs } from '../http/route-docs';
import { errorResponses } from '../http/schemas';
import { ActivitySchema } from './activity';

/** `POST /api/messages`, as the server's OpenAPI document shows it. */
export const BOTBUILDER_DOCS: PathDocs = {
  '/': {
    post: {
      summary: 'Bot Framework activities (Azure Bot Service, Teams, Web Chat, the Emulator)',
      description: 'An activity from a Bot Framework channel, authenticated with the channel’s signed token. The bot’s replies go back to the channel’s serviceUrl; an invoke activity is answered in the body.',
      tags: ['adapters'],
      security: [{ botFramework: [] }],
      requestBody: { content: { 'application/json': { schema: ActivitySchema } } },
      responses: {
        200: { description: 'processed (an invoke’s answer in the body)', content: { 'application/json': { schema: z.unknown() } } },
        ...errorResponses(400, 401, 413, 429),
      },
    },
  },
};
