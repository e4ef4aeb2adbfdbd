import { headerOf } from './auth-schemes';
import type { HttpMiddleware } from './types';

/**
 * The origins a browser client may call `/v1` from, from `ATTUNE_CORS_ORIGINS`
 * (comma-separated, e.g. `https://shop.example,https://www.shop.example`). Unset: none.
 * A `*` is refused on purpose: an ingest key in a page is public, and which sites may use
 * it is the one thing that keeps others from writing into your profiles from theirs.
 */
export function corsOriginsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.ATTUNE_CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter((o) => o && o !== '*');
}

/**
 * CORS for browser clients (analytics.js, RudderStack's JS SDK) from the given origins: an
 * allowed origin's preflight gets 204 with the methods and headers the SDKs send, and its
 * requests the `Access-Control-Allow-Origin` it needs. Any other origin gets no CORS headers
 * (its browser then refuses the response), and its preflight a 403. No wildcard.
 *
 * ```ts
 * app.use('/v1', cors(['https://shop.example']), apiRouter(attune, { keys }));
 * ```
 */
export function cors(origins: readonly string[]): HttpMiddleware {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = headerOf(req.headers, 'origin');
    res.setHeader('Vary', 'Origin');
    const ok = origin !== undefined && allowed.has(origin);
    if (ok) res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method !== 'OPTIONS') return next();
    if (ok) {
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Content-Encoding, X-API-Key');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.statusCode = ok ? 204 : 403;
    res.end();
  };
}
