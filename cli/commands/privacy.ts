import type { Command } from 'commander';
import pino from 'pino';
import { createAttune } from '../../index';
import { retentionPolicyFromEnv, rotateKeys, runRetention } from '../../src/privacy/retention';
import { jobStoreFromEnv } from './job-store';

async function withAttune<T>(job: string, fn: (attune: ReturnType<typeof createAttune>) => Promise<T>): Promise<T> {
  const logger = pino({ name: 'attune', level: process.env.ATTUNE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const attune = createAttune({ store: jobStoreFromEnv(job, logger), logger });
  try {
    return await fn(attune);
  } finally {
    await attune.close();
  }
}

/**
 * `attune retention run` (delete what is past the retention limits, once) and
 * `attune keys rotate` (re-encrypt everything under the first key of ATTUNE_ENCRYPTION_KEYS).
 * Both act on the store named by ATTUNE_REDIS_URL (and refuse to run without it) and are audited.
 */
export function register(program: Command): void {
  program
    .command('retention')
    .description('retention limits (ATTUNE_RETENTION_EVENTS_DAYS, ATTUNE_RETENTION_INACTIVE_DAYS)')
    .command('run')
    .description('delete events and inactive users past the retention limits, once')
    .action(async () => {
      const result = await withAttune('attune retention run', (attune) => runRetention(attune, retentionPolicyFromEnv(), { actor: 'cli' }));
      process.stdout.write(`${JSON.stringify(result)}\n`);
    });
  program
    .command('keys')
    .description('encryption keys (ATTUNE_ENCRYPTION_KEYS)')
    .command('rotate')
    .description('re-encrypt everything stored under the current (first) key')
    .action(async () => {
      const n = await withAttune('attune keys rotate', (attune) => rotateKeys(attune, { actor: 'cli' }));
      process.stdout.write(`${JSON.stringify({ reencrypted: n })}\n`);
    });
}
