import { z } from 'zod';
import { parse } from '../core/validate';
import type { Clock } from '../core/clock';
import type { Logger } from 'pino';
import type { AuditLog, KeyRotation, Retention, RetentionPolicy } from '../store/store';
import { audit, type Actor } from './rights';

/** What retention and key rotation need: the store's roles, a clock and a logger. */
export interface RetentionTarget {
  store: Retention & KeyRotation & AuditLog;
  clock: Clock;
  logger: Pick<Logger, 'error'>;
}

const DAY = 86_400;

const Env = z.object({
  ATTUNE_RETENTION_EVENTS_DAYS: z.coerce.number().positive().default(365),
  ATTUNE_RETENTION_INACTIVE_DAYS: z.coerce.number().positive().default(730),
});

/**
 * Retention limits from the environment: events are kept `ATTUNE_RETENTION_EVENTS_DAYS`
 * (default 365), users inactive for `ATTUNE_RETENTION_INACTIVE_DAYS` (default 730) are
 * deleted whole. Sessions expire on their own after inactivity (the store's session TTL).
 */
export function retentionPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RetentionPolicy {
  const e = parse(Env, { ATTUNE_RETENTION_EVENTS_DAYS: env.ATTUNE_RETENTION_EVENTS_DAYS || undefined, ATTUNE_RETENTION_INACTIVE_DAYS: env.ATTUNE_RETENTION_INACTIVE_DAYS || undefined }, 'retention settings');
  return { eventsMaxAgeSeconds: Math.round(e.ATTUNE_RETENTION_EVENTS_DAYS * DAY), inactiveProfileMaxAgeSeconds: Math.round(e.ATTUNE_RETENTION_INACTIVE_DAYS * DAY) };
}

/** Runs the retention sweeper once and audits it. */
export async function runRetention(attune: RetentionTarget, policy: RetentionPolicy, by: Actor = { actor: 'scheduler' }): Promise<{ events: number; profiles: number }> {
  const result = await attune.store.sweep(policy);
  await audit(attune, by, 'retention.run', undefined, 'success', result);
  return result;
}

/**
 * Runs the sweeper every `everyMs` (default hourly) in the background; failures are logged.
 * Returns a function that stops it.
 */
export function scheduleRetention(attune: RetentionTarget, policy: RetentionPolicy, everyMs = 3_600_000): () => void {
  const timer = setInterval(() => {
    runRetention(attune, policy).catch((err: unknown) => attune.logger.error({ err }, 'attune: retention sweep failed'));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Re-encrypts everything under the current encryption key (after adding a key) and audits it. */
export async function rotateKeys(attune: RetentionTarget, by: Actor = { actor: 'operator' }): Promise<number> {
  const n = await attune.store.reencryptAll();
  await audit(attune, by, 'keys.rotate', undefined, 'success', { reencrypted: n });
  return n;
}
