/**
 * `attune audit`: trains a model on a split of a data set (with a mitigation or without) and
 * writes a bias audit: a Markdown report and SVG plots of per-group metrics and exposure, or the
 * report as one JSON document with `--json`. The data set must carry user attributes
 * (MovieLens 100K's u.user: gender, age_group, occupation). With `--from-store` the data set is
 * the live store's event log joined with the users' audit-only attributes, the result is also
 * saved in the store (the dashboard's fairness panel reads it), and `--schedule` repeats the
 * audit, logging an alert when a gap crosses its threshold.
 */
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Catalog } from '../../src/core/catalog';
import { DurationSchema, durationMs } from '../../src/core/duration';
import { loadDataset } from '../../src/datasets';
import { PROTOCOLS } from '../../src/evaluate';
import { AuditScheduler, MITIGATIONS, auditMarkdown, auditPlots, auditResult, auditResults, gapVerdicts, runAudit, runLiveAudit, type AuditReport, type GapThresholds, type LiveAuditReport } from '../../src/fairness';
import { MODEL_KINDS } from '../../src/recommend/models';
import { DataOptions, parseOptions, usageExits } from './evaluate';
import { jobLogger, readJsonFile, withJobStore } from './job-store';

const CommonOptions = z.object({
  attribute: z
    .string()
    .optional()
    .transform((s) => (s === undefined ? undefined : s.split(',').map((a) => a.trim()).filter(Boolean))),
  model: z.enum(MODEL_KINDS, { error: `--model must be one of ${MODEL_KINDS.join(', ')}` }).default('als'),
  mitigation: z.enum(MITIGATIONS, { error: `--mitigation must be one of ${MITIGATIONS.join(', ')}` }).default('none'),
  strength: z.coerce.number({ error: '--strength must be a number ≥ 0' }).min(0, '--strength must be a number ≥ 0').default(0.5),
  k: z.coerce.number({ error: '--k must be a positive integer' }).int('--k must be a positive integer').positive('--k must be a positive integer').default(10),
  split: z.enum(PROTOCOLS, { error: `--split must be one of ${PROTOCOLS.join(', ')}` }).default('msr'),
  bootstrap: z.coerce.number({ error: '--bootstrap must be an integer ≥ 0' }).int('--bootstrap must be an integer ≥ 0').min(0, '--bootstrap must be an integer ≥ 0').default(200),
  out: z.string().min(1, '--out must name a folder').default('attune-audit'),
  json: z.boolean().default(false),
});

const AuditOptions = DataOptions.extend(CommonOptions.shape);

const FromStoreOptions = CommonOptions.extend({
  seed: z.coerce.number({ error: '--seed must be an integer' }).int('--seed must be an integer').optional(),
  catalog: z.string().min(1).optional(),
  keyPrefix: z.string().min(1, '--key-prefix must not be empty').max(200).default('attune:'),
  schedule: z.boolean().default(false),
  every: DurationSchema.default('24h'),
  minRatio: z.coerce.number({ error: '--min-ratio must be a number in [0, 1]' }).min(0, '--min-ratio must be a number in [0, 1]').max(1, '--min-ratio must be a number in [0, 1]').default(0.8),
  maxDifference: z.coerce.number({ error: '--max-difference must be a number ≥ 0' }).min(0, '--max-difference must be a number ≥ 0').optional(),
});

/**
 * Registers `attune audit`.
 *
 * ```sh
 * npm run --silent attune -- audit --data data/ml-100k --attribute gender,age_group --model als --mitigation rerank --out audit
 * ```
 */
export function register(program: Command): void {
  usageExits(program.command('audit'))
    .description('audit a model for bias by user attribute and item group; write a Markdown report with SVG plots')
    .option('--data <dir>', 'data folder with user attributes (MovieLens 100K)')
    .option('--format <format>', 'auto|ml-100k|ml-csv|lastfm|csv', 'auto')
    .option('--attribute <list>', 'comma-separated user attributes (default: all but zip and age)')
    .option('--model <kind>', MODEL_KINDS.join('|'), 'als')
    .option('--mitigation <name>', MITIGATIONS.join('|'), 'none')
    .option('--strength <x>', 'strength of a re-ranking mitigation (exposure deficit weight, calibration λ)', '0.5')
    .option('--k <n>', 'length of the ranked lists', '10')
    .option('--split <protocol>', PROTOCOLS.join('|'), 'msr')
    .option('--seed <n>', 'seed of the split, the models and the bootstrap')
    .option('--bootstrap <n>', 'bootstrap resamples of the confidence intervals', '200')
    .option('--out <dir>', 'folder the report (audit.md and SVG plots) is written to', 'attune-audit')
    .option('--json', 'print the report as one JSON document (the files are still written)')
    .option('--from-store', 'audit the live store of ATTUNE_REDIS_URL: its event log, joined with the audit-only attributes users consented to (fairness); the result is also saved in the store')
    .option('--catalog <file>', 'with --from-store: catalog JSON, for item categories')
    .option('--key-prefix <prefix>', "with --from-store: the store's Redis key prefix", 'attune:')
    .option('--schedule', 'with --from-store: audit now and then every --every, until stopped; log an alert when a gap crosses its threshold')
    .option('--every <duration>', 'with --schedule: the interval (24h, 30m…)', '24h')
    .option('--min-ratio <x>', 'with --from-store: a gap whose worst/best ratio is below this alerts', '0.8')
    .option('--max-difference <x>', 'with --from-store: a gap whose best − worst difference is above this alerts too')
    .action(async (_opts: unknown, cmd: Command) => {
      if (cmd.opts().fromStore) return auditFromStore(parseOptions(cmd, FromStoreOptions, cmd.opts()));
      const opts = parseOptions(cmd, AuditOptions, cmd.opts());
      const data = loadDataset(opts.data, opts.format);
      const report = runAudit(data, auditOptions(opts));
      process.stdout.write(writeReport(report, opts.out, opts.json));
    });
}

/** The audit's own options, from the command's. */
function auditOptions(opts: z.output<typeof CommonOptions> & { seed?: number }) {
  return { attributes: opts.attribute, model: opts.model, mitigation: opts.mitigation, strength: opts.strength, k: opts.k, split: opts.split, seed: opts.seed, bootstrap: opts.bootstrap };
}

/** Writes the report's files to `out`; returns what to print (the JSON, or a summary). */
function writeReport(report: AuditReport | LiveAuditReport, out: string, json: boolean): string {
  const plots = auditPlots(report);
  mkdirSync(out, { recursive: true });
  for (const p of plots) writeFileSync(join(out, p.name), p.text);
  writeFileSync(join(out, 'audit.md'), auditMarkdown(report, plots));
  if (json) return `${JSON.stringify(report)}\n`;
  const alerts = report.alerts.filter((a) => a.alert);
  const largest = report.gaps[0];
  const from = 'source' in report ? ` from the store (${report.source.interactions} interactions, ${report.source.attributed} users with audit attributes${report.source.withdrawn ? `, ${report.source.withdrawn} withdrawn` : ''})` : '';
  return [
    `audited ${report.model} (mitigation ${report.mitigation}) on ${report.users} users${from}: nDCG@${report.k} ${report.metrics.ndcg.toFixed(4)}`,
    largest ? `largest gap: ${largest.attribute} ${largest.metric} ${largest.difference.toFixed(4)} (${largest.worst} ${largest.ratio.toFixed(2)}× of ${largest.best})` : 'no gap: fewer than two groups',
    ...alerts.map((a) => `four-fifths alert: ${a.metric} ${a.worst}/${a.best} = ${a.ratio.toFixed(3)}`),
    `wrote ${join(out, 'audit.md')} and ${plots.length} plots`,
    '',
  ].join('\n');
}

async function auditFromStore(opts: z.output<typeof FromStoreOptions>): Promise<void> {
  const catalog = opts.catalog ? Catalog.from(readJsonFile(opts.catalog)) : undefined;
  const thresholds: GapThresholds = { minRatio: opts.minRatio, ...(opts.maxDifference !== undefined && { maxDifference: opts.maxDifference }) };
  await withJobStore('attune audit --from-store', opts.keyPrefix, async (store) => {
    const results = auditResults(store);
    const run = () => runLiveAudit(store, { ...auditOptions(opts), catalog });
    if (!opts.schedule) {
      const report = await run();
      await results.save(auditResult(report, gapVerdicts(report, thresholds), new Date()));
      process.stdout.write(writeReport(report, opts.out, opts.json));
      return;
    }
    const logger = jobLogger();
    // The report's files are rewritten by each run; the results keep every one in the store.
    const scheduler = new AuditScheduler({ run: async () => {
      const report = await run();
      writeReport(report, opts.out, false);
      return report;
    }, results, logger, clock: Date.now, thresholds, observers: [{ onAudit: (r) => process.stdout.write(`${r.at}: audited ${r.report.users} users, ${r.alerting} gap(s) over threshold\n`) }] });
    // Stopping is wired before the first audit: a signal while it runs ends the command cleanly
    // too (the audit finishes, the store is closed), instead of killing it before a handler exists.
    let stopped = false;
    let wake = () => undefined as void;
    const signalled = new Promise<void>((resolve) => (wake = resolve));
    const end = () => {
      stopped = true;
      wake();
    };
    process.once('SIGINT', end);
    process.once('SIGTERM', end);
    // The scheduler's timer never keeps a process alive; this command is the process.
    const alive = setInterval(() => undefined, 2 ** 30);
    try {
      await scheduler.runOnce();
      if (!stopped) {
        const stop = scheduler.start(durationMs(opts.every));
        await signalled;
        stop();
      }
    } finally {
      clearInterval(alive);
      process.off('SIGINT', end);
      process.off('SIGTERM', end);
    }
  });
}
