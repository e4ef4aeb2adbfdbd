import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';

/**
 * `GET /metrics`: the registry in Prometheus's text exposition format (what `createMetrics`
 * fills from the engine's hooks). The server puts it behind the admin key unless
 * `ATTUNE_METRICS_PUBLIC=1` (see {@link metricsPublicFromEnv}).
 *
 * ```ts
 * app.get('/metrics', metricsHandler(createMetrics().registry));
 * ```
 */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res) => {
    const text = await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.end(text);
  };
}

/**
 * Whether `/metrics` is served without a key: `ATTUNE_METRICS_PUBLIC=1` (or `true`), for a
 * scraper on a private network that cannot hold a key. The metrics say nothing about any
 * user, but they do tell how busy and how healthy the service is.
 */
export function metricsPublicFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.ATTUNE_METRICS_PUBLIC === '1' || env.ATTUNE_METRICS_PUBLIC?.toLowerCase() === 'true';
}
