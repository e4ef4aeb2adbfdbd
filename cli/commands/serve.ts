import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import pino from 'pino';
import { z } from 'zod';
import { createAttune, createMetrics } from '../../index';
import { createServer, describeGeneratedKeys, listen, ratePerMinuteFromEnv, resolveApiKeys, resolveListen } from '../../adapters/http';
import { Catalog } from '../../src/core/catalog';
import { parse } from '../../src/core/validate';
import { propensityFromEnv, reviewFromEnv, storeFromEnv } from '../../src/engine/from-env';
import { retentionPolicyFromEnv, scheduleRetention } from '../../src/privacy/retention';
import { AuditScheduler, auditResults, auditScheduleFromEnv, runLiveAudit } from '../../src/fairness';
import { fairnessMetrics } from '../../src/observe/fairness-metrics';

const ServeOptions = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().optional(),
  catalog: z.string().optional(),
  redis: z.string().optional(),
});

/**
 * `attune serve`: Attune's server (`createServer`) with the REST API (ingestion, turns of any
 * HTTP bot on `POST /v1/turns`, profiles, recommendations, rights, and `/v1/review` when
 * ATTUNE_REVIEW_* name sensitive content), the probes (/healthz,
 * /livez, /readyz), /metrics (admin key, or ATTUNE_METRICS_PUBLIC=1), /openapi.json and /docs,
 * for bots that talk to Attune over HTTP.
 */
export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the Attune REST API (/v1, with POST /v1/turns for any HTTP bot), the probes, /metrics and /openapi.json')
    .option('--port <port>', 'port to listen on', process.env.PORT ?? '3978')
    .option('--host <host>', 'address to bind (default: HOST, else 127.0.0.1; beyond loopback only with ATTUNE_API_KEYS set)')
    .option('--catalog <file>', 'catalog JSON file ([{ id, title, category, price, description }])')
    .option('--redis <url>', 'Redis URL (default: ATTUNE_REDIS_URL, else the in-memory store)')
    .action(async (raw: unknown) => {
      const o = parse(ServeOptions, raw, 'options');
      // Before any I/O: keys and bind address decide whether this may start at all.
      const { keys, generated } = resolveApiKeys();
      const ratePerMinute = ratePerMinuteFromEnv();
      const { host } = resolveListen({ host: o.host ?? process.env.HOST, authConfigured: { '/v1 (ATTUNE_API_KEYS)': !generated } });
      const catalog = o.catalog ? Catalog.from(JSON.parse(readFileSync(o.catalog, 'utf8'))) : undefined;
      // Before any I/O too: a propensity model named but unreadable stops the start.
      const predict = propensityFromEnv();
      const logger = pino({ name: 'attune', level: process.env.ATTUNE_LOG_LEVEL ?? 'info' });
      const env = { ...process.env, ATTUNE_REDIS_URL: o.redis ?? process.env.ATTUNE_REDIS_URL };
      const store = storeFromEnv(logger, env);
      // Metrics observe the engine through its hooks; the store's calls are observed from the start.
      const metrics = createMetrics();
      // Human review of sensitive content (ATTUNE_REVIEW_*; off by default), its queue beside the store.
      const attune = createAttune({ store, catalog, logger, hooks: metrics.hooks, review: reviewFromEnv(env), predict });
      await store.ping();
      scheduleRetention(attune, retentionPolicyFromEnv());
      // Scheduled fairness audits (ATTUNE_AUDIT_EVERY; off by default). An audit trains a model
      // in this process: on a large log, run `attune audit --from-store --schedule` beside it instead.
      const audits = auditScheduleFromEnv();
      if (audits.everyMs !== undefined) {
        const run = () => runLiveAudit(attune.store, { catalog: attune.catalog, attributes: audits.attributes, model: audits.model ?? 'itemknn' });
        new AuditScheduler({ run, results: auditResults(attune.store, { dir: audits.dir }), logger: attune.logger, clock: attune.clock, thresholds: audits.thresholds, observers: [fairnessMetrics(metrics.registry)] }).start(audits.everyMs);
      }
      await attune.loadRecommender().catch((err: unknown) => attune.logger.warn({ err }, 'attune: no model loaded'));
      if (generated) process.stdout.write(`${describeGeneratedKeys(generated)}\n`);
      const server = await listen(createServer(attune, { apiKeys: keys, ratePerMinute, metrics }), { port: o.port, host });
      // The port actually bound: --port 0 asks the system for a free one.
      const { port } = server.address() as AddressInfo;
      process.stdout.write(`attune serve: http://${host.includes(':') ? `[${host}]` : host}:${port} (store: ${store.kind})\n`);
      const stop = () =>
        server.close(() => {
          attune.close().then(
            () => process.exit(0),
            (err: unknown) => {
              attune.logger.error({ err }, 'attune serve: could not close the store');
              process.exit(1);
            },
          );
        });
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
