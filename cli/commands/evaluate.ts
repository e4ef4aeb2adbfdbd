/**
 * `attune evaluate`: trains each model on a split of a data set and prints ranking metrics, as a
 * table or as one JSON document. Also home of the option handling `attune train` shares.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { z } from 'zod';
import { DATASET_FORMATS, loadDataset, type Dataset } from '../../src/datasets';
import { DEFAULT_SEED, PROTOCOLS, PROTOCOL_DESCRIPTIONS, compareModels, protocolSplits, type ComparisonRow, type RankingMetrics } from '../../src/evaluate';
import { MODEL_KINDS, createRecommender, type ModelKind } from '../../src/recommend/models';
import type { Progress } from '../../src/recommend/recommender';

/** Exit code for a command line that cannot be run as written (bad or missing options). */
export const USAGE_EXIT = 2;

/** `--format` values. */
const FORMAT = z.enum(['auto', ...DATASET_FORMATS], { error: `--format must be one of auto, ${DATASET_FORMATS.join(', ')}` });
const SEED = z.coerce.number({ error: '--seed must be an integer' }).int('--seed must be an integer');
const MODEL = z.enum(MODEL_KINDS, { error: `--models must list kinds among ${MODEL_KINDS.join(', ')}` });

/** The data options both `evaluate` and `train` take. */
export const DataOptions = z.object({
  data: z
    .string({ error: '--data is required' })
    .min(1, '--data is required')
    .refine((path) => existsSync(path), { error: (i) => `--data: no such file or folder: ${String(i.input)}` }),
  format: FORMAT.default('auto'),
  seed: SEED.default(DEFAULT_SEED),
});

const EvaluateOptions = DataOptions.extend({
  models: z
    .string()
    .default(MODEL_KINDS.join(','))
    .transform((s) => s.split(',').map((m) => m.trim()).filter(Boolean))
    .pipe(z.array(MODEL).min(1, '--models needs at least one model')),
  k: z.coerce.number({ error: '--k must be a positive integer' }).int('--k must be a positive integer').positive('--k must be a positive integer'),
  split: z.enum(PROTOCOLS, { error: `--split must be one of ${PROTOCOLS.join(', ')}` }),
  json: z.boolean().default(false),
});

/**
 * Validates a command's raw options with `schema`; on failure prints the problems and exits
 * with {@link USAGE_EXIT} (through commander, so `exitOverride` still applies).
 *
 * ```ts
 * const opts = parseOptions(cmd, DataOptions, cmd.opts());
 * ```
 */
export function parseOptions<T extends z.ZodType>(cmd: Command, schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = [...new Set(parsed.error.issues.map((i) => i.message))].join('; ');
  return cmd.error(`error: ${problems}`, { exitCode: USAGE_EXIT, code: 'attune.usage' });
}

/**
 * Makes commander's own parse errors (unknown option, missing value) exit with
 * {@link USAGE_EXIT} instead of 1; help still exits 0.
 *
 * ```ts
 * usageExits(program.command('train'));
 * ```
 */
export function usageExits(cmd: Command): Command {
  return cmd.exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT));
}

/** The JSON document `evaluate --json` prints. */
export interface EvaluateReport {
  dataset: { users: number; items: number; interactions: number };
  split: string;
  k: number;
  /** One entry per model: every figure the table shows, or why the model was skipped. */
  results: (RankingMetrics & Omit<ComparisonRow, 'metrics'>)[];
}

/**
 * Counts distinct users and items of a data set.
 *
 * ```ts
 * datasetSize(loadDataset(dir)); // { users: 943, items: 1682, interactions: 100000 }
 * ```
 */
export function datasetSize(data: Dataset): EvaluateReport['dataset'] {
  const users = new Set<string>();
  const items = new Set<string>();
  for (const x of data.interactions) {
    users.add(x.user);
    items.add(x.item);
  }
  return { users: users.size, items: items.size, interactions: data.interactions.length };
}

/**
 * Registers `attune evaluate`.
 *
 * ```sh
 * npm run --silent attune -- evaluate --data data/ml-100k --models pop,ease --split msr --json
 * ```
 */
export function register(program: Command): void {
  usageExits(program.command('evaluate'))
    .description('train models on a split of a data set and report ranking metrics')
    .option('--data <dir>', 'data folder (or generic .csv file)')
    .option('--format <format>', `auto|${DATASET_FORMATS.join('|')}`, 'auto')
    .option('--models <list>', 'comma-separated model kinds', MODEL_KINDS.join(','))
    .option('--k <n>', 'length of the ranked lists', '10')
    .option('--split <protocol>', PROTOCOLS.map((p) => `${p}: ${PROTOCOL_DESCRIPTIONS[p]}`).join('; '), 'msr')
    .option('--seed <n>', 'seed of the split and the models', String(DEFAULT_SEED))
    .option('--json', 'print one JSON document and nothing else')
    .action((_opts: unknown, cmd: Command) => {
      const opts = parseOptions(cmd, EvaluateOptions, cmd.opts());
      const data = loadDataset(opts.data, opts.format);
      const splits = protocolSplits(opts.split, data.interactions, opts.seed);
      const bars = !opts.json && process.stdout.isTTY ? progressBars() : undefined;
      const rows = compareModels(opts.models, (kind: ModelKind) => createRecommender(kind), splits, {
        k: opts.k,
        seed: opts.seed,
        items: data.items,
        onProgress: bars?.update,
        onResult: bars?.done,
        beyond: true,
      });
      bars?.stop();
      const report: EvaluateReport = {
        dataset: datasetSize(data),
        split: opts.split,
        k: opts.k,
        results: rows.map((r) => ({
          model: r.model,
          ...r.metrics,
          coverage: r.coverage,
          users: r.users,
          trainSeconds: r.trainSeconds,
          ...(r.skipped === undefined ? {} : { skipped: r.skipped }),
          ...(r.beyond === undefined ? {} : { beyond: r.beyond }),
        })),
      };
      process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : table(report, rows));
    });
}

/**
 * The text report: the data set, the protocol, and one row per model.
 *
 * ```ts
 * process.stdout.write(table(report, rows));
 * ```
 */
export function table(report: EvaluateReport, rows: readonly ComparisonRow[]): string {
  const { users, items, interactions } = report.dataset;
  const k = report.k;
  const head = ['model', `P@${k}`, `R@${k}`, 'MAP', `MAP@${k}`, `nDCG@${k}`, `hit@${k}`, 'coverage', 'train s'];
  const measured = rows.filter((r) => r.skipped === undefined);
  const body = measured.map((r) => [
    r.model,
    ...[r.metrics.precision, r.metrics.recall, r.metrics.map, r.metrics.mapAtK, r.metrics.ndcg, r.metrics.hitRate, r.coverage].map((v) =>
      v.toFixed(4),
    ),
    r.trainSeconds.toFixed(2),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  return [
    `${interactions} interactions, ${users} users, ${items} items; split ${report.split}; top ${k}, seen items removed`,
    '',
    line(head),
    ...body.map(line),
    ...rows.filter((r) => r.skipped !== undefined).map((r) => `${r.model}: skipped (${r.skipped})`),
    '',
  ].join('\n');
}

/** One progress bar per model on stderr, driven by the models' progress callbacks. */
function progressBars() {
  const multi = new MultiBar(
    { format: '{model} [{bar}] {stage} {value}/{total}', hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();
  const barOf = (model: string) => {
    let bar = bars.get(model);
    if (!bar) bars.set(model, (bar = multi.create(1, 0, { model: model.padEnd(8), stage: 'training' })));
    return bar;
  };
  return {
    update(model: string, fold: number, folds: number, p: Progress): void {
      const bar = barOf(model);
      bar.setTotal(Math.max(1, p.total));
      bar.update(p.done, { stage: folds > 1 ? `fold ${fold + 1}/${folds} ${p.stage}` : p.stage });
    },
    done(row: ComparisonRow): void {
      const bar = barOf(row.model);
      bar.update(bar.getTotal(), { stage: 'done' });
    },
    stop: () => multi.stop(),
  };
}
