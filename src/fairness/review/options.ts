import type { ReviewQueue } from './queue';
import type { SensitivityPolicy, SensitivityPolicyInput } from './policy';

/**
 * The engine's `review` option: what is sensitive, and where the queue lives. Review is on
 * exactly when this is given.
 *
 * ```ts
 * const attune = createAttune({ catalog, review: { policy: { categories: ['pharmacy'], tags: ['adult'] } } });
 * ```
 */
export interface ReviewOptions {
  /** The sensitivity policy (validated: ConfigError naming what is wrong), or one built already. */
  policy: SensitivityPolicyInput | SensitivityPolicy;
  /**
   * Where entries live (default: in memory, which suits one process on the memory store). With
   * a Redis store, pass a `RedisReviewQueue` (`reviewFromEnv` does), so that every replica and
   * `attune review` share it.
   */
  queue?: ReviewQueue;
  /** How stale each replica's cached set of approved items may get (default 5 s). */
  refreshMs?: number;
}

/** Whether a policy was built already (by `sensitivityPolicy`) rather than given as config. */
export function isSensitivityPolicy(policy: ReviewOptions['policy']): policy is SensitivityPolicy {
  return typeof (policy as Partial<SensitivityPolicy>).match === 'function';
}
