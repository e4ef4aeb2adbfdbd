import { Counter, Gauge, type Registry } from 'prom-client';
import type { Hooks } from '../engine/hooks';

/**
 * The review queue's metrics, from the `onReview` hook: how many sensitive items wait for a
 * person, the decisions taken, the items held back from lists, and background failures.
 * Every label takes a fixed list of values.
 */

/** The review metric names, as dashboards and alerts read them. */
export const REVIEW_METRIC_NAMES = {
  reviewPending: 'attune_review_pending',
  reviewDecisions: 'attune_review_decisions_total',
  reviewWithheld: 'attune_review_withheld_total',
  reviewFailures: 'attune_review_failures_total',
} as const;

/**
 * Registers the review metrics and returns the hook that keeps them.
 *
 * ```ts
 * attune.hooks.add(reviewMetrics(registry));
 * ```
 */
export function reviewMetrics(registry: Registry): Pick<Hooks, 'onReview'> {
  const registers = [registry];
  const N = REVIEW_METRIC_NAMES;
  const pending = new Gauge({ name: N.reviewPending, help: 'Sensitive items waiting for review (as last read from the queue).', registers });
  const decisions = new Counter({ name: N.reviewDecisions, help: 'Review decisions taken, by decision (approve, reject).', labelNames: ['decision'] as const, registers });
  const withheld = new Counter({ name: N.reviewWithheld, help: 'Sensitive items held back from recommendation lists because they are not approved.', registers });
  const failures = new Counter({ name: N.reviewFailures, help: 'Background calls of the review queue that failed, by kind (enqueue, refresh); the items stay held back.', labelNames: ['kind'] as const, registers });
  return {
    onReview: (r) => {
      if (r.pending !== undefined) pending.set(r.pending);
      if (r.decision) decisions.inc({ decision: r.decision });
      if (r.withheld) withheld.inc(r.withheld);
      if (r.failed) failures.inc({ kind: r.failed });
    },
  };
}
