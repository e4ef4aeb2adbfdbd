/**
 * `attune experiments analyze` (the statistics on a CSV of user-level outcomes) and
 * `attune experiments results <id>` (an experiment's results from the store's event log).
 * They join the `experiments` command group whoever creates it first, so that other
 * `experiments` sub-commands can live in files of their own.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import pino from 'pino';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../../src/core/errors';
import { storeFromEnv } from '../../src/engine/from-env';
import { analyze, type Analysis } from '../../src/experiments/analyze';
import { ExperimentSchema, type Experiment } from '../../src/experiments/definition';
import { loadOutcomesCsv } from '../../src/experiments/outcomes-csv';
import { ExperimentRegistry } from '../../src/experiments/registry';
import { readExperimentResults, type ExperimentResults } from '../../src/experiments/results';
import { parseOptions, usageExits } from './evaluate';

const existing = (flag: string) =>
  z
    .string({ error: `${flag} is required` })
    .min(1, `${flag} is required`)
    .refine((path) => existsSync(path), { error: (i) => `${flag}: no such file: ${String(i.input)}` });

const Alpha = z.coerce.number({ error: '--alpha must be a number in (0, 1)' }).gt(0, '--alpha must be in (0, 1)').lt(1, '--alpha must be in (0, 1)');

const AnalyzeOptions = z.object({
  data: existing('--data'),
  metric: z.enum(['binomial', 'mean', 'ratio'], { error: '--metric must be one of binomial, mean, ratio' }),
  baseline: z.string().min(1).optional(),
  alpha: Alpha.default(0.05),
  json: z.boolean().default(false),
});

const ResultsOptions = z.object({
  definitions: existing('--definitions (or ATTUNE_EXPERIMENTS_FILE)').optional(),
  keyPrefix: z.string().min(1, '--key-prefix must not be empty').max(200).default('attune:'),
  alpha: Alpha.default(0.05),
  json: z.boolean().default(false),
});

/** The JSON document `experiments analyze --json` prints. */
export interface AnalyzeReport {
  variants: { id: string; n: number; mean: number; variance: number }[];
  comparisons: { variant: string; baseline: string; absDiff: number; absCi: [number, number]; relLift: number; relCi: [number, number]; pValue: number; chanceToWin: number }[];
  srm: { pValue: number; ok: boolean };
}

/**
 * The published shape of `analyze --json`, and nothing else: scripts read it, so what the
 * engine adds to its own result later must not leak into it.
 */
export function analyzeReport(a: Analysis): AnalyzeReport {
  return {
    variants: a.variants.map(({ id, n, mean, variance }) => ({ id, n, mean, variance })),
    comparisons: a.comparisons.map((c) => ({
      variant: c.variant,
      baseline: c.baseline,
      absDiff: c.absDiff,
      absCi: [c.absCi[0], c.absCi[1]],
      relLift: c.relLift,
      relCi: [c.relCi[0], c.relCi[1]],
      pValue: c.pValue,
      chanceToWin: c.chanceToWin,
    })),
    srm: { pValue: a.srm.pValue, ok: a.srm.ok },
  };
}

/**
 * The experiments of a definitions file: one experiment, an array of them, or
 * `{ experiments: [...] }`, each checked with the schema the REST API uses.
 *
 * ```ts
 * const experiments = loadExperimentDefinitions('experiments.json');
 * ```
 */
export function loadExperimentDefinitions(path: string): Experiment[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ValidationError(`${path} is not valid JSON`, [{ path: [], message: err instanceof Error ? err.message : String(err) }]);
  }
  const list = Array.isArray(json) ? json : typeof json === 'object' && json !== null && Array.isArray((json as { experiments?: unknown }).experiments) ? (json as { experiments: unknown[] }).experiments : [json];
  return list.map((e, i) => {
    const parsed = ExperimentSchema.safeParse(e);
    if (!parsed.success) throw new ValidationError(`invalid experiment definition in ${path}`, parsed.error.issues.map((x) => ({ path: [i, ...x.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: x.message })));
    return parsed.data;
  });
}

const f = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(2)}%`;

function analysisTable(a: AnalyzeReport, alpha: number, cupedTheta?: number): string {
  const level = `${Math.round((1 - alpha) * 100)}%`;
  const lines = ['variant        n        mean        variance'];
  for (const v of a.variants) lines.push(`${v.id.padEnd(14)} ${String(v.n).padEnd(8)} ${f(v.mean).padEnd(11)} ${f(v.variance)}`);
  if (cupedTheta !== undefined) lines.push(`differences adjusted by the pre column (CUPED, theta = ${f(cupedTheta)})`);
  for (const c of a.comparisons) {
    lines.push(
      `${c.variant} vs ${c.baseline}: diff ${f(c.absDiff)} (${level} CI ${f(c.absCi[0])} to ${f(c.absCi[1])}), lift ${pct(c.relLift)} (${pct(c.relCi[0])} to ${pct(c.relCi[1])}), p = ${c.pValue.toPrecision(3)}, chance to win ${(100 * c.chanceToWin).toFixed(1)}%`,
    );
  }
  lines.push(a.srm.ok ? `sample ratio: ok (p = ${a.srm.pValue.toPrecision(3)})` : `WARNING: sample ratio mismatch (p = ${a.srm.pValue.toPrecision(3)}): do not read these results`);
  return `${lines.join('\n')}\n`;
}

function resultsText(r: ExperimentResults): string {
  const users = r.variants.map((v) => `${v.id} ${v.users}`).join(', ');
  const head = [`experiment ${r.experimentId}: ${users} users; sample ratio ${r.srm.ok ? 'ok' : 'MISMATCH'} (p = ${r.srm.pValue.toPrecision(3)})`];
  if (r.events.truncated) head.push(`only the first ${r.events.read} events of the log were read`);
  return `${[...head, ...r.summary].join('\n')}\n`;
}

/** Registers `experiments analyze` and `experiments results` on the `experiments` group (created if missing). */
export function register(program: Command): void {
  const group = program.commands.find((c) => c.name() === 'experiments') ?? program.command('experiments').description('A/B experiments: definitions, assignment, results');

  usageExits(group.command('analyze'))
    .description('run the statistics on a CSV of user-level outcomes: variant,value[,pre] or, for ratio metrics, variant,numerator,denominator')
    .option('--data <file>', 'the CSV of outcomes, one user a line (a header is optional)')
    .option('--metric <kind>', 'binomial, mean or ratio')
    .option('--baseline <variant>', 'the variant the others are compared with (default: the first in the file)')
    .option('--alpha <level>', 'significance level of the two-sided tests', '0.05')
    .option('--json', 'print one JSON document: { variants, comparisons, srm }')
    .action((_o: unknown, cmd: Command) => {
      const o = parseOptions(cmd, AnalyzeOptions, cmd.opts());
      const data = loadOutcomesCsv(o.data, o.metric);
      const options = { alpha: o.alpha, baseline: o.baseline };
      const a = data.metric === 'ratio' ? analyze(data.rows, { ...options, metric: 'ratio' }) : analyze(data.rows, { ...options, metric: data.metric });
      const report = analyzeReport(a);
      process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : analysisTable(report, o.alpha, a.cuped?.theta));
    });

  usageExits(group.command('results'))
    .description("an experiment's results from the event log of the store named by ATTUNE_REDIS_URL: each metric's uplift with its interval, and the sample-ratio check")
    .argument('<id>', 'the experiment id')
    .option('--definitions <file>', 'JSON file with the experiment definitions (default: ATTUNE_EXPERIMENTS_FILE, else the experiments posted to the store)')
    .option('--key-prefix <prefix>', "the store's Redis key prefix", 'attune:')
    .option('--alpha <level>', 'significance level of the two-sided tests', '0.05')
    .option('--json', 'print the full report as one JSON document')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const raw = cmd.opts<{ definitions?: string }>();
      const o = parseOptions(cmd, ResultsOptions, { ...raw, definitions: raw.definitions ?? process.env.ATTUNE_EXPERIMENTS_FILE });
      const fromFile = o.definitions === undefined ? undefined : loadExperimentDefinitions(o.definitions).find((e) => e.id === id);
      if (o.definitions !== undefined && !fromFile) throw new NotFoundError(`experiment ${JSON.stringify(id)}`);
      const logger = pino({ name: 'attune', level: process.env.ATTUNE_LOG_LEVEL ?? 'warn' }, pino.destination(2));
      const store = storeFromEnv(logger, process.env, { userCache: false, keyPrefix: o.keyPrefix });
      if (store.kind === 'memory') process.stderr.write('attune: ATTUNE_REDIS_URL is not set: reading an empty in-memory store (a running server answers GET /v1/experiments/:id/results)\n');
      try {
        // Without a file: the experiments posted to the store (POST /v1/experiments), as every replica reads them.
        const experiment = fromFile ?? (await new ExperimentRegistry({ store, clock: Date.now }).get(id)).experiment;
        const report = await readExperimentResults(store, experiment, { alpha: o.alpha });
        process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : resultsText(report));
      } finally {
        await store.close();
      }
    });
}
