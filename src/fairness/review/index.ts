/**
 * Human-in-the-loop review of sensitive content: a sensitivity policy (items, categories,
 * tags), the review queue (memory and Redis) and the service that holds sensitive items back
 * from recommendations until a person approves them, with every decision audited.
 *
 * ```ts
 * import { MemoryReviewQueue, ReviewService, sensitivityPolicy } from './fairness/review';
 * ```
 */
export { isSensitivityPolicy, type ReviewOptions } from './options';
export { SensitivityPolicySchema, sensitivityPolicy, type SensitiveReason, type SensitivityPolicy, type SensitivityPolicyInput } from './policy';
export {
  REVIEW_PAGE,
  REVIEW_STATUSES,
  ReviewEntrySchema,
  STATUS_OF,
  reviewEntryId,
  type ReviewDecision,
  type ReviewEntry,
  type ReviewQuery,
  type ReviewQueue,
  type ReviewRequest,
  type ReviewStatus,
  type ReviewVerdict,
} from './queue';
export { MemoryReviewQueue } from './memory-queue';
export { RedisReviewQueue, type RedisReviewQueueOptions } from './redis-queue';
export { ReviewService, type ReviewFailures, type ReviewReport, type ReviewServiceOptions } from './service';
