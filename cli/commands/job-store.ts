import { readFileSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { ConfigError } from '../../src/core/errors';
import { storeFromEnv } from '../../src/engine/from-env';
import type { Store } from '../../src/store/store';

/**
 * The store a one-shot job acts on (`train --from-store`, `retention run`, `keys rotate`): the
 * one named by `ATTUNE_REDIS_URL`. Without it the job refuses to run (a ConfigError, which the
 * CLI prints before exiting with 1): it would open a new, empty in-memory store, find nothing
 * to train on, delete or re-encrypt, and report success about data it never saw.
 *
 * ```ts
 * const attune = createAttune({ store: jobStoreFromEnv('attune retention run', logger), logger });
 * ```
 */
export function jobStoreFromEnv(job: string, logger: Pick<Logger, 'warn'>, env: NodeJS.ProcessEnv = process.env, options: { keyPrefix?: string } = {}): Store {
  if (!env.ATTUNE_REDIS_URL?.trim()) {
    throw new ConfigError(`${job} acts on the store that the servers use: set ATTUNE_REDIS_URL to it. Without it, it would run on a new, empty in-memory store and report success about nothing`);
  }
  return storeFromEnv(logger, env, { userCache: false, keyPrefix: options.keyPrefix });
}

/** The logger of a one-shot command: warnings and errors on stderr, stdout left to the result. */
export function jobLogger(): Logger {
  return pino({ name: 'attune', level: process.env.ATTUNE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
}

/** Runs `fn` on the job's store ({@link jobStoreFromEnv}), closing it afterwards whatever happens. */
export async function withJobStore<T>(job: string, keyPrefix: string | undefined, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = jobStoreFromEnv(job, jobLogger(), process.env, { keyPrefix });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A JSON file a command was given; unreadable or malformed, a ConfigError naming the file. */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
