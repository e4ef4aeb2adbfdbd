/**
 * `attune audit`: trains a model on a split of a data set (with a mitigation or without) and
 * writes a bias audit: a Markdown report and SVG plots of per-group metrics and exposure, or the
 * report as one JSON document with `--json`. The data set must carry user attributes
 * (MovieLens 100K's u.user: gender, age_group, occupation).
 */
import type { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { loadDataset } from '../../src/datasets';
import { PROTOCOLS } from '../../src/evaluate';
import { MITIGATIONS, auditMarkdown, auditPlots, runAudit } from '../../src/fairness';
import { MODEL_KINDS } from '../../src/recommend/models';
import { DataOptions, parseOptions, usageExits } from './evaluate';

const AuditOptions = DataOptions.extend({
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
    .action((_opts: unknown, cmd: Command) => {
      const opts = parseOptions(cmd, AuditOptions, cmd.opts());
      const data = loadDataset(opts.data, opts.format);
      const report = runAudit(data, {
        attributes: opts.attribute,
        model: opts.model,
        mitigation: opts.mitigation,
        strength: opts.strength,
        k: opts.k,
        split: opts.split,
        seed: opts.seed,
        bootstrap: opts.bootstrap,
      });
      const plots = auditPlots(report);
      mkdirSync(opts.out, { recursive: true });
      for (const p of plots) writeFileSync(join(opts.out, p.name), p.text);
      writeFileSync(join(opts.out, 'audit.md'), auditMarkdown(report, plots));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      const alerts = report.alerts.filter((a) => a.alert);
      const largest = report.gaps[0];
      process.stdout.write(
        [
          `audited ${report.model} (mitigation ${report.mitigation}) on ${report.users} users: nDCG@${report.k} ${report.metrics.ndcg.toFixed(4)}`,
          largest ? `largest gap: ${largest.attribute} ${largest.metric} ${largest.difference.toFixed(4)} (${largest.worst} ${largest.ratio.toFixed(2)}× of ${largest.best})` : 'no gap: fewer than two groups',
          ...alerts.map((a) => `four-fifths alert: ${a.metric} ${a.worst}/${a.best} = ${a.ratio.toFixed(3)}`),
          `wrote ${join(opts.out, 'audit.md')} and ${plots.length} plots`,
          '',
        ].join('\n'),
      );
    });
}
