import type { Logger } from 'pino';
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
