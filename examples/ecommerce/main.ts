import { createAttune, createMetrics } from '../../index';
import pino from 'pino';
import { reviewFromEnv, storeFromEnv } from '../../src/engine/from-env';
import { retentionPolicyFromEnv, scheduleRetention } from '../../src/privacy/retention';
import { createShopApp } from './app';
import { shopConfigFromEnv } from './config';
import { shopExperimentInputs } from './experiment';
import catalog from './catalog.json';

/**
 * `npm start`: the shop bot on PORT (default 3978) with the in-memory store, or Redis when
 * ATTUNE_REDIS_URL is set; data at rest encrypted, retention swept hourly; the experiment
 * "personalized vs popular recommendations" running (`npm run demo:traffic` feeds it); with
 * ATTUNE_REVIEW_* set, sensitive items held back until approved on /v1/review or `attune review`. Point the Bot Framework Emulator at http://localhost:3978/api/messages.
 * Listens on loopback unless HOST is set (see {@link shopConfigFromEnv}).
 */
async function main(): Promise<void> {
  // Configuration first: a half-configured credential or an unsafe HOST stops here, before any I/O.
  const config = shopConfigFromEnv(process.env);
  const logger = pino({ name: 'attune', level: process.env.ATTUNE_LOG_LEVEL ?? 'info' });
  const store = storeFromEnv(logger);
  const metrics = createMetrics();
  // "Personalized vs popular recommendations": the variant's `policy` override decides the recommend stage's policy.
  // Sensitive items (ATTUNE_REVIEW_ITEMS/_CATEGORIES/_TAGS) wait for approval on /v1/review.
  const review = reviewFromEnv(process.env);
  const attune = createAttune({ store, catalog, logger, experiments: shopExperimentInputs, stages: { recommend: { k: 5 }, onboarding: {} }, hooks: metrics.hooks, review });
  await store.ping();
  scheduleRetention(attune, retentionPolicyFromEnv());
  // Serve the latest trained model, and retrain off the turn path as events come in.
  await attune.loadRecommender();
  const every = Number(process.env.ATTUNE_TRAIN_INTERVAL_SECONDS ?? 300);
  if (every > 0) {
    setInterval(() => {
      attune.train().catch((err: unknown) => attune.logger.warn({ err }, 'shop: training failed'));
    }, every * 1000).unref();
  }
  const { app } = createShopApp(attune, { ...config.app, metrics });
  const { port, host } = config;
  for (const notice of config.notices) process.stdout.write(`${notice}\n`);
  const server = app.listen(port, host, () => {
    process.stdout.write(`Attune shop bot listening on http://${host.includes(':') ? `[${host}]` : host}:${port} (store: ${store.kind})\n`);
    process.stdout.write(`  Bot Framework Emulator: http://localhost:${port}/api/messages\n`);
    process.stdout.write(`  REST API: http://localhost:${port}/v1   health: http://localhost:${port}/healthz\n`);
  });
  const stop = () =>
    server.close(() => {
      attune.close().then(
        () => process.exit(0),
        (err: unknown) => {
          attune.logger.error({ err }, 'shop: could not close the store');
          process.exit(1);
        },
      );
    });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`attune shop: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
