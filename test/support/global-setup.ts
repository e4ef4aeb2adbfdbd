import { resolveTestRedis } from '../store/redis-harness';

/**
 * Says once, before the run, when the Redis tests will not run: jest does not show what a
 * test file that skipped everything printed, so their own warnings would go unseen in a full
 * run. Under CI=true those tests fail anyway, each with the reason.
 */
export default function globalSetup(): void {
  const target = resolveTestRedis(process.env);
  if (target.run) return;
  const what = target.required ? 'the Redis tests will fail (CI=true requires them)' : 'the Redis tests are skipped';
  process.stderr.write(`\n${target.reason}: ${what}. Set ATTUNE_TEST_REDIS_URL to a Redis database they may use, e.g. redis://127.0.0.1:6379/<db>.\n\n`);
}
