/**
 * `attune review`: the review queue of sensitive items, for the people who decide whether one
 * may be shown: `list` what waits (or was decided), `approve <id>` and `reject <id>` with an
 * optional note. It acts on the servers' queue, the Redis one beside the store of
 * ATTUNE_REDIS_URL (and refuses to run without it, as every job on that store does); each
 * decision is audited in the store's audit log as `review.decide` by `cli`.
 */
import type { Command } from 'commander';
import { z } from 'zod';
import { REVIEW_PAGE, REVIEW_STATUSES, RedisReviewQueue, ReviewService, type ReviewDecision, type ReviewEntry } from '../../src/fairness/review';
import { parseOptions, usageExits } from './evaluate';
import { jobLogger, withJobStore } from './job-store';

const Common = z.object({
  keyPrefix: z.string().min(1, '--key-prefix must not be empty').max(200).default('attune:'),
  json: z.boolean().default(false),
});

const ListOptions = Common.extend({
  status: z.enum([...REVIEW_STATUSES, 'all'], { error: `--status must be one of ${[...REVIEW_STATUSES, 'all'].join(', ')}` }).default('pending'),
  limit: z.coerce
    .number({ error: `--limit must be an integer in [1, ${REVIEW_PAGE.max}]` })
    .int(`--limit must be an integer in [1, ${REVIEW_PAGE.max}]`)
    .min(1, `--limit must be an integer in [1, ${REVIEW_PAGE.max}]`)
    .max(REVIEW_PAGE.max, `--limit must be an integer in [1, ${REVIEW_PAGE.max}]`)
    .default(REVIEW_PAGE.default),
});

const DecideOptions = Common.extend({
  note: z.string().trim().min(1, '--note must not be empty').max(2000, '--note must be at most 2000 characters').optional(),
  revise: z.boolean().default(false),
});

/** Runs `fn` on the review service of the servers' queue (no policy: it only lists and decides), closing both after. */
async function withReview<T>(job: string, keyPrefix: string, fn: (review: ReviewService) => Promise<T>): Promise<T> {
  return withJobStore(job, keyPrefix, async (store) => {
    const review = new ReviewService({ queue: new RedisReviewQueue({ url: process.env.ATTUNE_REDIS_URL, keyPrefix }), catalog: { all: () => [] }, audit: store, clock: Date.now, logger: jobLogger() });
    try {
      return await fn(review);
    } finally {
      await review.close();
    }
  });
}

/** One entry on one line: id, status, item, why it is sensitive, how often it was wanted, who decided. */
function line(e: ReviewEntry): string {
  const decided = e.decidedBy ? `  ${e.status} by ${e.decidedBy} at ${e.decidedAt}${e.note ? `: ${e.note}` : ''}` : '';
  return `${e.id}  ${e.status.padEnd(8)}  ${e.itemId}  (${e.reason}, wanted ${e.requestCount}×, first ${e.firstRequestedAt})${decided}`;
}

/**
 * Registers `attune review list|approve|reject`.
 *
 * ```sh
 * ATTUNE_REDIS_URL=redis://127.0.0.1:6379 npm run --silent attune -- review list
 * ATTUNE_REDIS_URL=redis://127.0.0.1:6379 npm run --silent attune -- review approve rv_AbC… --note "fine for all ages"
 * ```
 */
export function register(program: Command): void {
  const review = program.command('review').description('the review queue of sensitive items (ATTUNE_REVIEW_*): list, approve, reject');
  usageExits(review.command('list'))
    .description('list the entries of the review queue, oldest request first')
    .option('--status <status>', `${REVIEW_STATUSES.join('|')}|all`, 'pending')
    .option('--limit <n>', `at most this many (up to ${REVIEW_PAGE.max})`, String(REVIEW_PAGE.default))
    .option('--key-prefix <prefix>', "the store's Redis key prefix", 'attune:')
    .option('--json', 'print { entries, counts } as one JSON document')
    .action(async (_opts: unknown, cmd: Command) => {
      const o = parseOptions(cmd, ListOptions, cmd.opts());
      const { entries, counts } = await withReview('attune review list', o.keyPrefix, async (r) => {
        const [entries, counts] = await Promise.all([r.list({ ...(o.status === 'all' ? {} : { status: o.status }), limit: o.limit }), r.counts()]);
        return { entries, counts };
      });
      if (o.json) return void process.stdout.write(`${JSON.stringify({ entries, counts })}\n`);
      const summary = `${counts.pending} pending, ${counts.approved} approved, ${counts.rejected} rejected`;
      process.stdout.write(`${[...entries.map(line), entries.length ? '' : `no ${o.status === 'all' ? '' : `${o.status} `}entries`, summary].filter(Boolean).join('\n')}\n`);
    });
  for (const decision of ['approve', 'reject'] as const satisfies readonly ReviewDecision[]) {
    usageExits(review.command(decision).argument('<id>', 'the entry id (rv_…), as `attune review list` shows it'))
      .description(decision === 'approve' ? 'approve an item: recommendations may show it' : 'reject an item: recommendations never show it')
      .option('--note <text>', 'why, kept with the entry (not in the audit log)')
      .option('--revise', 'replace an earlier decision (e.g. revoke an approval) instead of refusing it')
      .option('--key-prefix <prefix>', "the store's Redis key prefix", 'attune:')
      .option('--json', 'print the entry as JSON')
      .action(async (id: string, _opts: unknown, cmd: Command) => {
        const o = parseOptions(cmd, DecideOptions, cmd.opts());
        const entry = await withReview(`attune review ${decision}`, o.keyPrefix, (r) => r.decide(id, decision, { actor: 'cli' }, o.note, { revise: o.revise }));
        process.stdout.write(o.json ? `${JSON.stringify(entry)}\n` : `${line(entry)}\n`);
      });
  }
}
