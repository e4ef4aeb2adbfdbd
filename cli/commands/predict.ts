/**
 * `attune predict`: trains a purchase-propensity model off the turn path and evaluates one, on
 * a file of Segment events or the store's event log, by AUC and calibration on a time-based
 * holdout.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { Catalog } from '../../src/core/catalog';
import { DurationSchema, durationMs } from '../../src/core/duration';
import type { AttuneEvent } from '../../src/core/event';
import { buildExamples, itemCategories } from '../../src/predict/dataset';
import { readEventLog, readEventsFile } from '../../src/predict/events-file';
import { eventsByUser } from '../../src/predict/history';
import { loadPropensityFile } from '../../src/predict/model-file';
import { evaluatePropensity, trainPropensity, type PropensityEvaluation } from '../../src/predict/train';
import { parseOptions, usageExits } from './evaluate';
import { readJsonFile, withJobStore } from './job-store';

const DAY_MS = 86_400_000;

const Source = z.object({
  data: z.string().min(1).optional(),
  fromStore: z.boolean().default(false),
  catalog: z.string().min(1).optional(),
  json: z.boolean().default(false),
});
const oneSource = (o: { data?: string; fromStore: boolean }) => Boolean(o.data) !== o.fromStore;
const sourceMessage = { message: 'give either --data FILE or --from-store' };

const TrainOptions = Source.extend({
  out: z.string({ error: '--out is required' }).min(1, '--out is required'),
  horizon: DurationSchema.default('7d'),
  l2: z.coerce.number({ error: '--l2 must be a number' }).min(0, '--l2 must be ≥ 0').default(1),
  cutoffs: z.coerce.number({ error: '--cutoffs must be a whole number' }).int('--cutoffs must be a whole number').min(1, '--cutoffs must be at least 1').default(4),
}).refine(oneSource, sourceMessage);

const EvaluateOptions = Source.extend({
  model: z.string({ error: '--model is required' }).min(1, '--model is required'),
}).refine(oneSource, sourceMessage);

/** The JSON document `predict train --json` and `predict evaluate --json` print. */
export interface PredictReport {
  modelVersion: string;
  horizonDays: number;
  testCutoff: string;
  trainRows?: number;
  testRows: number;
  evaluation: PropensityEvaluation;
  fitSeconds?: number;
  out?: string;
}

/**
 * Registers `attune predict train` and `attune predict evaluate`.
 *
 * ```sh
 * npm run --silent attune -- predict train --data events.ndjson --catalog catalog.json --out propensity.json
 * npm run --silent attune -- predict evaluate --model propensity.json --from-store --json
 * ```
 */
export function register(program: Command): void {
  const predict = program.command('predict').description('purchase propensity: train a model on events, evaluate one (AUC, calibration)');
  usageExits(predict.command('train'))
    .description('train a purchase-propensity model (L2 logistic, overall and per category) and write its artifact')
    .option('--data <file>', 'Segment events: a JSON array, or one JSON event per line')
    .option('--from-store', 'read the event log of the store named by ATTUNE_REDIS_URL')
    .option('--catalog <file>', 'catalog JSON, for the categories of items the events do not name')
    .option('--out <file>', 'where to write the model (JSON); serve it with ATTUNE_PROPENSITY_MODEL')
    .option('--horizon <duration>', 'predict an order within this time', '7d')
    .option('--l2 <strength>', 'L2 penalty', '1')
    .option('--cutoffs <n>', 'weekly training cut-offs before the test cut-off', '4')
    .option('--json', 'print the report as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const o = parseOptions(cmd, TrainOptions, cmd.opts());
      const events = await eventsOf(o);
      const horizonDays = durationMs(o.horizon) / DAY_MS;
      const r = trainPropensity(events, { horizonDays, l2: o.l2, trainCutoffs: o.cutoffs, catalog: catalogOf(o.catalog) });
      writeFileSync(o.out, `${JSON.stringify(r.artifact)}\n`);
      const report: PredictReport = { modelVersion: r.artifact.version, horizonDays, testCutoff: new Date(r.split.test).toISOString(), trainRows: r.train.rows.length, testRows: r.test.rows.length, evaluation: r.evaluation, fitSeconds: r.fitMs / 1000, out: o.out };
      process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : summary(report));
    });
  usageExits(predict.command('evaluate'))
    .description('evaluate a propensity model on the last cut-off of a log (AUC, Brier, calibration by deciles, per category)')
    .option('--model <file>', 'the model (from predict train --out)')
    .option('--data <file>', 'Segment events: a JSON array, or one JSON event per line')
    .option('--from-store', 'read the event log of the store named by ATTUNE_REDIS_URL')
    .option('--catalog <file>', 'catalog JSON, for the categories of items the events do not name')
    .option('--json', 'print the report as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const o = parseOptions(cmd, EvaluateOptions, cmd.opts());
      const model = loadPropensityFile(o.model);
      const events = await eventsOf(o);
      const horizonMs = model.artifact.horizonDays * DAY_MS;
      // The test cut-off is the latest whose label window the log covers.
      const test = events.reduce((m, e) => Math.max(m, Date.parse(e.timestamp)), -Infinity) - horizonMs;
      const catalog = catalogOf(o.catalog);
      const { categoryOf } = itemCategories(events, catalog);
      const rows = buildExamples(eventsByUser(events), [test], { schema: model.schema, horizonMs, categoryOf, catalog });
      const report: PredictReport = { modelVersion: model.version, horizonDays: model.artifact.horizonDays, testCutoff: new Date(test).toISOString(), testRows: rows.rows.length, evaluation: evaluatePropensity(model, rows) };
      process.stdout.write(o.json ? `${JSON.stringify(report)}\n` : summary(report));
    });
}

async function eventsOf(o: { data?: string; fromStore: boolean }): Promise<AttuneEvent[]> {
  if (o.data) return readEventsFile(o.data);
  return withJobStore('attune predict --from-store', undefined, (store) => readEventLog(store));
}

function catalogOf(path: string | undefined): Catalog | undefined {
  return path ? Catalog.from(readJsonFile(path)) : undefined;
}

/**
 * A report in a few lines: the holdout's AUC, Brier score and ECE beside the heuristics, the
 * calibration table and the per-category AUC.
 *
 * ```ts
 * process.stdout.write(summary(report));
 * ```
 */
export function summary(r: PredictReport): string {
  const f = (v: number, d = 4) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  const e = r.evaluation;
  const lines = [
    `${r.out ? `trained ${r.modelVersion} on ${r.trainRows} rows in ${f(r.fitSeconds ?? NaN, 2)} s; wrote ${r.out}` : `model ${r.modelVersion}`}`,
    `holdout: ${r.testRows} users at ${r.testCutoff}, purchase within ${r.horizonDays} days (base rate ${f(e.overall.baseRate, 3)})`,
    `AUC ${f(e.overall.auc)} (recency only ${f(e.baselines.recency)}, frequency only ${f(e.baselines.frequency)}), Brier ${f(e.overall.brier)}, ECE ${f(e.overall.ece)}`,
    'calibration (deciles): predicted → observed (count)',
    ...e.overall.table.map((b, i) => `  ${String(i + 1).padStart(2)}  ${f(b.predicted, 3)} → ${f(b.observed, 3)} (${b.count})`),
    `per category AUC: ${Object.entries(e.byCategory).map(([c, v]) => `${c} ${f(v.auc, 3)}`).join(', ') || 'none'}`,
  ];
  return `${lines.join('\n')}\n`;
}
