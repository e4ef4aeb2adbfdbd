/**
 * `attune train`: trains one model on a whole data set and writes its artifact (JSON), for a
 * server to load.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { loadDataset } from '../../src/datasets';
import { DEFAULT_SEED } from '../../src/evaluate';
import pino from 'pino';
import { createAttune } from '../../index';
import { Ease, Hybrid, MODEL_KINDS, createRecommender } from '../../src/recommend/models';
import type { Recommender } from '../../src/recommend/recommender';
import { DataOptions, datasetSize, parseOptions, usageExits } from './evaluate';
import { jobStoreFromEnv } from './job-store';
import { safeRetrain, type RetrainReport } from '../../src/learning/retrain';
import type { ServedRecord } from '../../src/recommend/serving';
import { interactionsFromLog } from '../../src/recommend/training';

const FromStoreOptions = z.object({
  model: z.enum(MODEL_KINDS, { error: `--model must be one of ${MODEL_KINDS.join(', ')}` }).optional(),
  out: z.string().min(1).optional(),
  seed: z.coerce.number().int().default(DEFAULT_SEED),
  safe: z.boolean().default(false),
  rollback: z.boolean().default(false),
  json: z.boolean().default(false),
  tolerance: z.coerce.number({ error: '--tolerance must be a number' }).min(0, '--tolerance must be in [0, 1)').lt(1, '--tolerance must be in [0, 1)').default(0.02),
  holdout: z.coerce.number({ error: '--holdout must be a number' }).gt(0, '--holdout must be in (0, 1)').lt(1, '--holdout must be in (0, 1)').default(0.1),
});

const TrainOptions = DataOptions.extend({
  model: z.enum(MODEL_KINDS, { error: `--model must be one of ${MODEL_KINDS.join(', ')}` }),
  out: z.string({ error: '--out is required' }).min(1, '--out is required'),
});

/**
 * Registers `attune train`.
 *
 * ```sh
 * npm run --silent attune -- train --data data/ml-100k --model ease --out ease.json
 * ```
 */
export function register(program: Command): void {
  usageExits(program.command('train'))
    .description('train one model on a data set and write its artifact')
    .option('--data <dir>', 'data folder (or generic .csv file)')
    .option('--format <format>', 'auto|ml-100k|ml-csv|lastfm|csv', 'auto')
    .option('--model <kind>', MODEL_KINDS.join('|'))
    .option('--out <file>', 'where to write the artifact (JSON)')
    .option('--seed <n>', 'seed of the model', String(DEFAULT_SEED))
    .option('--from-store', "train on the event log of the store named by ATTUNE_REDIS_URL and save the model there as a new version, for servers to load")
    .option('--safe', 'with --from-store: evaluate the candidate against the served model on a recent holdout and promote it only if it is not worse by more than --tolerance')
    .option('--tolerance <share>', 'with --safe: how much worse (share of the served nDCG@10) a candidate may be and still be promoted', '0.02')
    .option('--holdout <share>', 'with --safe: the newest share of interactions held out for the comparison', '0.1')
    .option('--rollback', 'with --from-store: serve the version served before the current one again')
    .option('--json', 'with --safe or --rollback: print the report as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      if (cmd.opts().fromStore) return trainFromStore(parseOptions(cmd, FromStoreOptions, cmd.opts()));
      const opts = parseOptions(cmd, TrainOptions, cmd.opts());
      const data = loadDataset(opts.data, opts.format);
      const model = createRecommender(opts.model);
      const started = performance.now();
      model.fit({ interactions: data.interactions, items: data.items }, { seed: opts.seed });
      const seconds = (performance.now() - started) / 1000;
      writeFileSync(opts.out, `${JSON.stringify(model.toArtifact())}\n`);
      const { users, items, interactions } = datasetSize(data);
      process.stdout.write(
        `trained ${opts.model} on ${interactions} interactions (${users} users, ${items} items) in ${seconds.toFixed(2)} s; wrote ${opts.out}\n`,
      );
      for (const note of fitNotes(model)) process.stdout.write(`note: ${note}\n`);
    });
}

/**
 * What a fit chose that the user should know about: a catalog pruned to fit, a hybrid part
 * that could not be trained.
 *
 * ```ts
 * fitNotes(model); // ['ease kept the 3000 most-interacted of 9742 items; the rest rank by popularity below them']
 * ```
 */
export function fitNotes(model: Recommender): string[] {
  const notes: string[] = [];
  if (model instanceof Ease) {
    const s = model.solved;
    if (s.kept < s.items) notes.push(`ease kept the ${s.kept} most-interacted of ${s.items} items; the rest rank by popularity below them`);
  }
  if (model instanceof Hybrid) for (const p of model.skipped) notes.push(`hybrid part ${p.kind} skipped: ${p.reason}`);
  return notes;
}

async function trainFromStore(opts: z.output<typeof FromStoreOptions>): Promise<void> {
  const logger = pino({ name: 'attune', level: process.env.ATTUNE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const attune = createAttune({ store: jobStoreFromEnv('attune train --from-store', logger), logger });
  try {
    if (opts.rollback) return printRollback(await attune.serving.rollback(), opts.json);
    if (opts.safe) {
      await attune.serving.load();
      const report = await safeRetrain(attune.serving, await interactionsFromLog(attune.store), { kind: opts.model, seed: opts.seed, tolerance: opts.tolerance, holdoutFraction: opts.holdout });
      if (report.promoted && opts.out) writeFileSync(opts.out, `${JSON.stringify(attune.recommendations.model?.toArtifact())}\n`);
      process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : retrainSummary(report));
      return;
    }
    const started = performance.now();
    const result = await attune.train({ kind: opts.model ?? 'itemknn', seed: opts.seed });
    const seconds = (performance.now() - started) / 1000;
    if (opts.out) writeFileSync(opts.out, `${JSON.stringify(attune.recommendations.model?.toArtifact())}\n`);
    process.stdout.write(
      `trained ${result.kind} on ${result.interactions} interactions (${result.users} users, ${result.items} items) from the ${attune.store.kind} store in ${seconds.toFixed(2)} s; saved as version ${result.version}${opts.out ? ` and wrote ${opts.out}` : ''}\n`,
    );
  } finally {
    await attune.close();
  }
}

function printRollback(record: ServedRecord, json: boolean): void {
  process.stdout.write(json ? `${JSON.stringify(record)}\n` : `rolled back: serving version ${record.current.version} (${record.current.kind}) again\n`);
}

/**
 * A safe retraining's report in a few lines: the decision and why, both sides' metrics on
 * the holdout, and the drift from one version to the next.
 *
 * ```ts
 * process.stdout.write(retrainSummary(report));
 * ```
 */
export function retrainSummary(r: RetrainReport): string {
  const m = (x: { metrics: { ndcg: number; precision: number; recall: number; hitRate: number } }): string =>
    `nDCG@10 ${x.metrics.ndcg.toFixed(4)}, P@10 ${x.metrics.precision.toFixed(4)}, R@10 ${x.metrics.recall.toFixed(4)}, hit rate ${x.metrics.hitRate.toFixed(4)}`;
  const lines = [
    `${r.promoted ? `promoted version ${r.candidate.version}` : 'not promoted'}: ${r.reason}`,
    `holdout: the newest ${r.holdout.interactions} interactions (${r.holdout.users} users) since ${new Date(r.holdout.from).toISOString()}`,
    `candidate ${r.candidate.kind}: ${m(r.candidate)}`,
  ];
  if (r.served) lines.push(`served ${r.served.kind}${r.served.version !== undefined ? ` v${r.served.version}` : ''} (${r.served.baseline}): ${m(r.served)}`);
  if (r.drift) {
    const d = r.drift;
    lines.push(`drift: top-10 scores mean ${d.before.mean.toFixed(4)} → ${d.after.mean.toFixed(4)} (sd ${d.before.sd.toFixed(4)} → ${d.after.sd.toFixed(4)}), KS ${d.ks.toFixed(3)}, list overlap ${d.overlap.toFixed(3)}, ΔnDCG ${(d.metrics.ndcg ?? 0).toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}
