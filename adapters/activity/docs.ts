import { z } from 'zod';
import type { PathDocs } from '../http/route-docs';
import { errorResponses } from '../http/schemas';
import { ActivitySchema } from './read';

/** `POST /api/messages` of an Activity-protocol endpoint (botbuilder's or the Agents SDK's), for the OpenAPI document. */
export function activityRouteDocs(summary: string, description: string): PathDocs {
  return {
    '/': {
      post: {
        summary,
        description,
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
}
