/**
 * `attune policy evaluate`: offline evaluation of a rank policy from the logged decisions
 * (`Rank Decided`, joined with `Reward Received`): IPS, SNIPS and doubly robust estimates of a
 * target policy's mean reward, with confidence intervals.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ValidationError } from '../../src/core/errors';
import type { AttuneEvent } from '../../src/core/event';
import { withJobStore } from './job-store';
import type { Estimate } from '../../src/learning/rank/estimators';
import { evaluateLog, joinDecisions, type PolicyEvaluation, rankEventsOf } from '../../src/learning/rank/logs';
import { parseOptions, usageExits } from './evaluate';

const Dims = (flag: string) => z.coerce.number({ error: `${flag} must be an integer from 1 to 64` }).int(`${flag} must be an integer from 1 to 64`).min(1, `${flag} must be an integer from 1 to 64`).max(64, `${flag} must be an integer from 1 to 64`);

const EvaluateOptions = z.object({
  log: z
    .string()
    .min(1, '--log must name a file')
    .refine((p) => existsSync(p), { error: (i) => `--log: no such file: ${String(i.input)}` })
    .optional(),
  policy: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, '--policy must match [A-Za-z0-9._-]{1,64}').default('default'),
  target: z.enum(['uniform', 'baseline', 'learned'], { error: '--target must be one of uniform, baseline, learned' }).default('learned'),
  defaultReward: z.coerce.number({ error: '--default-reward must be a number' }).finite('--default-reward must be a number').default(0),
  confidence: z.coerce.number({ error: '--confidence must be in (0, 1)' }).gt(0, '--confidence must be in (0, 1)').lt(1, '--confidence must be in (0, 1)').default(0.95),
  contextDims: Dims('--context-dims').default(8),
  actionDims: Dims('--action-dims').default(8),
  keyPrefix: z.string().min(1, '--key-prefix must not be empty').max(200).default('attune:'),
  json: z.boolean().default(false),
});

/** Events from a file: JSON Lines, or one JSON array (as the log's export writes them). */
function eventsOfFile(path: string): AttuneEvent[] {
  const text = readFileSync(path, 'utf8').trim();
  try {
    if (text.startsWith('[')) return JSON.parse(text) as AttuneEvent[];
    return text ? text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as AttuneEvent) : [];
  } catch (err) {
    throw new ValidationError(`${path} is not JSON Lines of events`, [{ path: [], message: err instanceof Error ? err.message : String(err) }]);
  }
}

const f = (x: number) => x.toFixed(4);
const line = (name: string, e: Estimate | undefined, level: string) => (e ? `${name.padEnd(6)} ${f(e.value)}  (${level} CI ${f(e.ci[0])} to ${f(e.ci[1])})` : `${name.padEnd(6)} –`);

function evaluationText(r: PolicyEvaluation, policy: string, confidence: number): string {
  const level = `${Math.round(confidence * 100)}%`;
  const e = r.estimates;
  return `${[
    `policy ${policy}, target ${r.target}: ${r.decisions} decisions (${r.defaulted} with the default reward), effective sample size ${e.effectiveSampleSize.toFixed(1)}`,
    `logged policy's mean reward ${f(r.loggedMean)}`,
    line('IPS', e.ips, level),
    line('SNIPS', e.snips, level),
    line('DR', e.dr, level),
  ].join('\n')}\n`;
}

/** Registers `policy evaluate`. */
export function register(program: Command): void {
  const group = program.commands.find((c) => c.name() === 'policy') ?? program.command('policy').description('rank/reward policies: offline evaluation');
  usageExits(group.command('evaluate'))
    .description("estimate a target policy's mean reward from the logged rank decisions (IPS, SNIPS, doubly robust), from --log or the store named by ATTUNE_REDIS_URL")
    .option('--log <file>', 'events as JSON Lines (default: the event log of the store)')
    .option('--policy <name>', 'the rank policy whose decisions to read', 'default')
    .option('--target <kind>', 'uniform, baseline (the first action offered) or learned (greedy, fitted on the first half of the log, evaluated on the second)', 'learned')
    .option('--default-reward <value>', 'the reward of decisions whose window closed without one', '0')
    .option('--confidence <level>', 'confidence level of the intervals', '0.95')
    .option('--context-dims <n>', 'hash buckets of context features, as the policy was configured', '8')
    .option('--action-dims <n>', 'hash buckets of action features, as the policy was configured', '8')
    .option('--key-prefix <prefix>', "the store's Redis key prefix", 'attune:')
    .option('--json', 'print the evaluation as one JSON document')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(cmd, EvaluateOptions, cmd.opts());
      let events: AttuneEvent[];
      if (o.log) events = eventsOfFile(o.log);
      else {
        // Refused without ATTUNE_REDIS_URL, as every job on the servers' store is: an empty
        // in-memory log would only say "no decisions".
        events = await withJobStore('attune policy evaluate', o.keyPrefix, rankEventsOf);
      }
      const joined = joinDecisions(events, { policy: o.policy, now: Date.now(), defaultReward: o.defaultReward, dims: { context: o.contextDims, action: o.actionDims } });
      if (joined.length < 2) throw new ValidationError(`policy ${o.policy}: ${joined.length} rewarded decision(s) in the log; at least 2 are needed`);
      const report = evaluateLog(joined, o.target, { confidence: o.confidence });
      process.stdout.write(o.json ? `${JSON.stringify(report, null, 2)}\n` : evaluationText(report, o.policy, o.confidence));
    });
}
