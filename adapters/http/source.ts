import type { HttpRequest } from './types';

/**
 * Where a request came from, in the few words the hooks (and so the metrics) use: a small,
 * fixed set, whatever the path, so that a label made of it stays low in cardinality.
 */

/**
 * Where ingested events come from: Segment's and RudderStack's clients send their writeKey as
 * Basic auth or in the body (`segment`); anything else is a REST call (`rest`).
 *
 * ```ts
 * await attune.batch(body, { source: ingestSource(req, body.writeKey) });
 * ```
 */
export function ingestSource(req: Pick<HttpRequest, 'headers'>, writeKey?: unknown): 'segment' | 'rest' {
  const auth = req.headers.authorization;
  return typeof writeKey === 'string' || (typeof auth === 'string' && /^basic\s/i.test(auth)) ? 'segment' : 'rest';
}

/**
 * The edge a request reached, by its path: `turns` (`/v1/turns`), `rest` or `segment` (the
 * rest of `/v1`), `botbuilder`, `dialogflow`, `rasa`, else `other`.
 *
 * ```ts
 * requestSource({ url: '/v1/turns', headers: {} }); // 'turns'
 * ```
 */
export function requestSource(req: Pick<HttpRequest, 'headers' | 'url'> & { body?: unknown }): string {
  // Express's own errors reach the app's handler with the path as it came in.
  const path = ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '').split('?')[0];
  if (path === '/v1/turns' || path.startsWith('/v1/turns/')) return 'turns';
  if (path.startsWith('/v1/')) {
    const body = req.body as { writeKey?: unknown } | undefined;
    return ingestSource(req, body !== null && typeof body === 'object' ? body.writeKey : undefined);
  }
  if (path.startsWith('/api/messages')) return 'botbuilder';
  if (path.startsWith('/dialogflow')) return 'dialogflow';
  if (path.startsWith('/rasa/')) return 'rasa';
  return 'other';
}
