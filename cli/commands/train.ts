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

const FromStoreOptions = z.object({
  model: z.enum(MODEL_KINDS, { error: `--model must be one of ${MODEL_KINDS.join(', ')}` }).default('itemknn'),
  out: z.string().min(1).optional(),
  seed: z.coerce.number().int().default(DEFAULT_SEED),
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
    const started = performance.now();
    const result = await attune.train({ kind: opts.model, seed: opts.seed });
    const seconds = (performance.now() - started) / 1000;
    if (opts.out) writeFileSync(opts.out, `${JSON.stringify(attune.recommendations.model?.toArtifact())}\n`);
    process.stdout.write(
      `trained ${result.kind} on ${result.interactions} interactions (${result.users} users, ${result.items} items) from the ${attune.store.kind} store in ${seconds.toFixed(2)} s; saved as version ${result.version}${opts.out ? ` and wrote ${opts.out}` : ''}\n`,
    );
  } finally {
    await attune.close();
  }
}
