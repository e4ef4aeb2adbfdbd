import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { HttpMiddleware } from './types';

/** What helmet does to a response: headers set, headers removed. */
interface Recorded {
  set: [string, string | number | readonly string[]][];
  removed: string[];
}

/**
 * Runs helmet once on a recording response, so that what it sets is known up front. Helmet's
 * headers depend on its options alone (the defaults take nothing from the request), and its
 * thirteen middlewares per request, each a function call and a header set, cost more than the
 * headers themselves.
 */
function record(options: Readonly<HelmetOptions>): Recorded {
  const recorded: Recorded = { set: [], removed: [] };
  const res = {
    setHeader(name: string, value: string | number | readonly string[]) {
      recorded.set.push([name, value]);
      return res;
    },
    removeHeader(name: string) {
      recorded.removed.push(name);
    },
  };
  let passed = false;
  let failed: unknown;
  helmet(options)({ headers: {} } as IncomingMessage, res as unknown as ServerResponse, (err?: unknown) => {
    passed = true;
    failed = err;
  });
  if (!passed || failed !== undefined) throw new Error('helmet did not pass a request on synchronously: its headers cannot be computed once');
  return recorded;
}

/**
 * Middleware: helmet's security headers (Content-Security-Policy, Strict-Transport-Security,
 * X-Content-Type-Options, X-Frame-Options…, and no X-Powered-By), the same as `helmet(options)`
 * sets, computed once when the server is built.
 *
 * ```ts
 * app.use(securityHeaders());
 * ```
 */
export function securityHeaders(options: Readonly<HelmetOptions> = {}): HttpMiddleware {
  const { set, removed } = record(options);
  return (_req, res, next) => {
    for (let i = 0; i < set.length; i++) res.setHeader(set[i][0], set[i][1]);
    for (let i = 0; i < removed.length; i++) (res as unknown as ServerResponse).removeHeader(removed[i]);
    next();
  };
}
