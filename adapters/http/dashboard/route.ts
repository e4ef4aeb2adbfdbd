import path from 'node:path';
import express, { type RequestHandler, type Router } from 'express';
import type { Clock } from '../../../src/core/clock';
import { apiKeyAuth, type ApiKeys } from '../api-keys';
import type { AuthThrottle } from '../auth-throttle';
import { limitByClient, type RateLimiter } from '../rate-limit';
import type { Dashboard } from './dashboard';
import { DASHBOARD_HTML } from './page-html';
import { DASHBOARD_JS } from './page-script';
import { DASHBOARD_CSS } from './page-style';

/**
 * Only this server's own files, no inline script or style, no frames, no plug-ins, no form
 * posted elsewhere: the page shows what the server computed and has no use for anything else.
 */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** What {@link dashboardRouter} needs of the server. */
export interface DashboardRouteOptions {
  /** API keys: the data needs the `admin` role; `false` serves it without authentication (tests, your own auth in front). */
  keys: ApiKeys | false;
  /** The server's one throttle of failed authentications. */
  authThrottle: AuthThrottle;
  /** A fresh budget per client for this route, and one per key for its data. */
  limiter: () => RateLimiter;
  clock: Clock;
}

/** Chart.js's browser build, from the installed package (no CDN). */
const CHART_JS = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');

/**
 * `/dashboard`: the page, its script and style, Chart.js, and `GET /dashboard/data`, the
 * panels' data, for an `admin` key only. The page itself holds no data, so it is served to
 * anyone; it asks for the key (see `page-html.ts`). Everything is rate-limited per client,
 * and failed keys count towards the server's one throttle.
 *
 * ```ts
 * app.use('/dashboard', dashboardRouter(dashboard, { keys, authThrottle, limiter: () => rateLimiter(), clock: Date.now }));
 * ```
 */
export function dashboardRouter(dashboard: Dashboard, options: DashboardRouteOptions): Router {
  const r = express.Router();
  r.use(limitByClient(options.limiter()));
  r.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', DASHBOARD_CSP);
    next();
  });
  const admin: RequestHandler = options.keys
    ? (apiKeyAuth({ keys: options.keys, limiter: options.limiter(), authThrottle: options.authThrottle, clock: options.clock }).requireRole('admin'))
    : (_req, _res, next) => next();

  r.get('/', (req, res) => {
    // The page's relative links need the trailing slash (`/dashboard` would resolve `app.js` to `/app.js`).
    const pathname = req.originalUrl.split('?')[0];
    if (!pathname.endsWith('/')) return res.redirect(301, `${path.posix.basename(pathname)}/`);
    asset(res, 'text/html; charset=utf-8', DASHBOARD_HTML);
  });
  r.get('/app.js', (_req, res) => asset(res, 'text/javascript; charset=utf-8', DASHBOARD_JS));
  r.get('/app.css', (_req, res) => asset(res, 'text/css; charset=utf-8', DASHBOARD_CSS));
  r.get('/chart.js', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.sendFile(CHART_JS, { headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });
  r.get('/data', admin, async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(await dashboard.data());
  });
  return r;
}

function asset(res: express.Response, type: string, body: string): void {
  res.setHeader('Content-Type', type);
  // The page changes with the server's version only; a short cache spares reloads.
  res.setHeader('Cache-Control', 'no-cache');
  res.send(body);
}
