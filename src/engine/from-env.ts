import type { Logger } from 'pino';
import { z } from 'zod';
import { ConfigError } from '../core/errors';
import { parse } from '../core/validate';
import type { ReviewOptions } from '../fairness/review/options';
import { sensitivityPolicy } from '../fairness/review/policy';
import { RedisReviewQueue } from '../fairness/review/redis-queue';
import type { PropensityModel } from '../predict/model';
import { loadPropensityFile } from '../predict/model-file';
import { createCipher, encryptionKeysFromEnv } from '../privacy/cipher';
import { openStore, type OpenStoreOptions } from '../store/open';
import type { Store } from '../store/store';
import { retentionPolicyFromEnv } from '../privacy/retention';

/**
 * The store an app should use, from the environment: Redis when `ATTUNE_REDIS_URL` is set,
 * else memory; encryption at rest with `ATTUNE_ENCRYPTION_KEYS` (a development key with a
 * warning when unset); profiles of inactive users expiring after the retention limit; Redis
 * behind a circuit breaker that logs with `logger`.
 *
 * ```ts
 * const attune = createAttune({ store: storeFromEnv(logger), catalog });
 * ```
 *
 * One-shot jobs (training, retention, key rotation from the CLI) pass `{ userCache: false }`:
 * a cache that serves turns is only a second Redis connection to them.
 */
export function storeFromEnv(logger: Pick<Logger, 'warn'> & Partial<Pick<Logger, 'info'>>, env: NodeJS.ProcessEnv = process.env, options: Pick<OpenStoreOptions, 'userCache' | 'keyPrefix'> = {}): Store {
  const cipher = createCipher(encryptionKeysFromEnv({ env, onWarning: (m) => logger.warn(m) }));
  const retention = retentionPolicyFromEnv(env);
  // The circuit breaker logs where the app logs: a Redis outage and its end, once each.
  return openStore(env.ATTUNE_REDIS_URL, { ...options, cipher, profileTtlSeconds: retention.inactiveProfileMaxAgeSeconds, breaker: { logger } });
}

/**
 * The propensity model an app should serve, from the environment: the file named by
 * `ATTUNE_PROPENSITY_MODEL` (written by `attune predict train --out`), and the ranking boost
 * by category propensity from `ATTUNE_PROPENSITY_BOOST` (default 0, off). Undefined when no
 * model is named.
 *
 * ```ts
 * const attune = createAttune({ store, catalog, predict: propensityFromEnv() });
 * ```
 * @throws ConfigError when the file cannot be loaded or the boost is not a number ≥ 0
 */
export function propensityFromEnv(env: NodeJS.ProcessEnv = process.env): { model: PropensityModel; boost?: number } | undefined {
  const path = env.ATTUNE_PROPENSITY_MODEL?.trim();
  if (!path) return undefined;
  const raw = env.ATTUNE_PROPENSITY_BOOST?.trim();
  const boost = raw ? Number(raw) : undefined;
  if (boost !== undefined && !(Number.isFinite(boost) && boost >= 0)) throw new ConfigError(`ATTUNE_PROPENSITY_BOOST must be a number ≥ 0, got ${JSON.stringify(raw)}`);
  return { model: loadPropensityFile(path), boost };
}

const ReviewEnv = z.object({
  ATTUNE_REVIEW_ITEMS: z.string().optional(),
  ATTUNE_REVIEW_CATEGORIES: z.string().optional(),
  ATTUNE_REVIEW_TAGS: z.string().optional(),
  ATTUNE_REVIEW_REFRESH_MS: z.coerce.number().int().min(100).max(3_600_000).optional(),
});

const names = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/**
 * Human review of sensitive content, from the environment: `ATTUNE_REVIEW_ITEMS`,
 * `ATTUNE_REVIEW_CATEGORIES` and `ATTUNE_REVIEW_TAGS` (comma-separated) name what is sensitive;
 * with none of them set, review is off (undefined). The queue is on Redis when
 * `ATTUNE_REDIS_URL` is set, beside the store's keys (`keyPrefix`, default `attune:`), so that
 * every replica and `attune review` share it; else in memory. `ATTUNE_REVIEW_REFRESH_MS` is how
 * stale a replica's approved set may get (default 5000). A malformed value is a ConfigError
 * naming the variable.
 *
 * ```ts
 * const attune = createAttune({ store: storeFromEnv(logger), catalog, review: reviewFromEnv() });
 * ```
 */
export function reviewFromEnv(env: NodeJS.ProcessEnv = process.env, options: { keyPrefix?: string } = {}): ReviewOptions | undefined {
  let e: z.output<typeof ReviewEnv>;
  try {
    e = parse(ReviewEnv, { ...env, ATTUNE_REVIEW_REFRESH_MS: env.ATTUNE_REVIEW_REFRESH_MS?.trim() || undefined }, 'review settings');
  } catch (err) {
    throw err instanceof Error ? new ConfigError(err.message) : err;
  }
  const policy = { items: names(e.ATTUNE_REVIEW_ITEMS), categories: names(e.ATTUNE_REVIEW_CATEGORIES), tags: names(e.ATTUNE_REVIEW_TAGS) };
  if (!policy.items.length && !policy.categories.length && !policy.tags.length) return undefined;
  const url = env.ATTUNE_REDIS_URL?.trim();
  return {
    // Validated here, so a bad list stops the start-up rather than the first turn.
    policy: sensitivityPolicy(policy),
    ...(url ? { queue: new RedisReviewQueue({ url, keyPrefix: options.keyPrefix }) } : {}),
    ...(e.ATTUNE_REVIEW_REFRESH_MS !== undefined ? { refreshMs: e.ATTUNE_REVIEW_REFRESH_MS } : {}),
  };
}
