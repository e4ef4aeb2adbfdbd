/**
 * Rank/reward policies and offline policy evaluation on a seeded contextual bandit with a
 * known reward function (bench/lib/bandit-env.ts).
 *
 * 1. Regret: uniform random (the baseline), ε-greedy, LinUCB and Thompson sampling, each over
 *    the same contexts for 50,000 rounds, with 20 and with 50 actions.
 * 2. Coverage: in 100 seeded runs, 5,000 decisions logged by an ε-greedy policy; the IPS,
 *    SNIPS and doubly robust 95 % intervals of a different (greedy) target policy are checked
 *    against its true value.
 *
 *   npm run bench:bandit            (BANDIT_ROUNDS, BANDIT_RUNS shrink it for a quick look)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../src/core/random';
import { epsilonGreedy } from '../src/learning/rank/epsilon-greedy';
import { evaluatePolicy, type LoggedDecision } from '../src/learning/rank/evaluate';
import { linUcb } from '../src/learning/rank/linucb';
import { argmax, type ExplorationPolicy } from '../src/learning/rank/policy';
import { RidgeRegression } from '../src/learning/rank/ridge';
import { thompsonSampling } from '../src/learning/rank/thompson';
import { banditEnv, type BanditEnv, simulate } from './lib/bandit-env';

const ROUNDS = Number(process.env.BANDIT_ROUNDS ?? 50_000);
const RUNS = Number(process.env.BANDIT_RUNS ?? 100);
const LOGGED = 5_000;
const TRUTH_CONTEXTS = 20_000;

const POLICIES: { name: string; policy: ExplorationPolicy | 'uniform'; settings: string }[] = [
  { name: 'uniform random (baseline)', policy: 'uniform', settings: '–' },
  { name: 'ε-greedy', policy: epsilonGreedy(0.1), settings: 'ε = 0.1' },
  { name: 'LinUCB', policy: linUcb(1), settings: 'α = 1' },
  { name: 'Thompson sampling', policy: thompsonSampling({ scale: 0.5, draws: 16 }), settings: 'v = 0.5, 16 draws for the propensities' },
];

interface RegretRow {
  actions: number;
  name: string;
  settings: string;
  regret: number;
  seconds: number;
  propensityError: number;
}

function regretTable(actions: number): RegretRow[] {
  return POLICIES.map(({ name, policy, settings }) => {
    const t0 = performance.now();
    // The same environment seed and the same decision seed for every policy: same contexts, same noise stream.
    const r = simulate(banditEnv(7, { actions }), policy, ROUNDS, 11);
    const row = { actions, name, settings, regret: r.regret, seconds: (performance.now() - t0) / 1000, propensityError: r.propensityError };
    console.log(`${actions} actions, ${name}: regret ${r.regret.toFixed(1)} in ${row.seconds.toFixed(1)} s`);
    return row;
  });
}

/** A model fitted on `n` uniformly logged rounds: a policy of middling quality. */
function fitted(env: BanditEnv, n: number, seed: number): RidgeRegression {
  const rng = mulberry32(seed);
  const model = new RidgeRegression(env.dims);
  for (let i = 0; i < n; i++) {
    const arms = env.arms(env.context());
    const a = arms[Math.floor(rng() * arms.length)];
    model.observe(a, env.reward(a));
  }
  return model;
}

interface CoverageRun {
  truth: number;
  ips: [number, number];
  snips: [number, number];
  dr: [number, number];
  ess: number;
}

function coverageRun(seed: number): CoverageRun {
  const env = banditEnv(1000 + seed, { actions: 20 });
  const logging = fitted(env, 400, seed);
  const targetModel = fitted(env, 2000, seed + 1);
  const target = (arms: readonly Float64Array[]) => {
    const p = new Array<number>(arms.length).fill(0);
    p[argmax(arms.map((x) => targetModel.predict(x)))] = 1;
    return p;
  };
  const explore = epsilonGreedy(0.5);
  const rng = mulberry32(seed + 2);
  const logs: LoggedDecision[] = [];
  for (let i = 0; i < LOGGED; i++) {
    const arms = env.arms(env.context());
    const d = explore.decide(arms.map((x) => ({ model: logging, x })), rng);
    logs.push({ arms, chosen: d.chosen, propensity: d.probabilities[d.chosen], reward: env.reward(arms[d.chosen]) });
  }
  let truth = 0;
  for (let i = 0; i < TRUTH_CONTEXTS; i++) {
    const arms = env.arms(env.context());
    truth += env.mean(arms[target(arms).indexOf(1)]);
  }
  const e = evaluatePolicy(logs, target);
  return { truth: truth / TRUTH_CONTEXTS, ips: e.ips.ci, snips: e.snips.ci, dr: (e.dr ?? e.ips).ci, ess: e.effectiveSampleSize };
}

const covered = (runs: CoverageRun[], key: 'ips' | 'snips' | 'dr') => runs.filter((r) => r[key][0] <= r.truth && r.truth <= r[key][1]).length / runs.length;
const meanWidth = (runs: CoverageRun[], key: 'ips' | 'snips' | 'dr') => runs.reduce((s, r) => s + r[key][1] - r[key][0], 0) / runs.length;

function main(): void {
  const started = performance.now();
  const regret = [...regretTable(20), ...regretTable(50)];
  const t0 = performance.now();
  const runs = Array.from({ length: RUNS }, (_, i) => coverageRun(i));
  const coverageSeconds = (performance.now() - t0) / 1000;
  const coverage = (['ips', 'snips', 'dr'] as const).map((k) => ({ key: k, share: covered(runs, k), width: meanWidth(runs, k) }));
  for (const c of coverage) console.log(`${c.key}: ${(100 * c.share).toFixed(0)} % of ${RUNS} intervals cover the true value`);

  const md: string[] = [];
  md.push('# Rank/reward benchmark: regret and offline evaluation');
  md.push('');
  md.push(`Generated by \`npm run bench:bandit\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'CPU'}, Node ${process.version}. Whole run ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  md.push('');
  md.push(`## Cumulative regret over ${ROUNDS.toLocaleString('en')} rounds`);
  md.push('');
  md.push('Environment: contexts and action features of 5 dimensions, mean reward linear in [1, x] ⊗ [1, z] (spread about 0.5), noise σ = 0.5; every policy learns one shared ridge model (λ = 1) on the same joint features. Regret = Σ (best mean reward − mean reward of the action played).');
  md.push('');
  md.push('| actions | policy | settings | cumulative regret | ratio to uniform | ratio to ε-greedy | max \\|Σ propensities − 1\\| | seconds |');
  md.push('| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |');
  const targets: string[] = [];
  for (const actions of [20, 50]) {
    const rows = regret.filter((r) => r.actions === actions);
    const uniform = rows[0].regret;
    const eps = rows[1].regret;
    for (const r of rows) md.push(`| ${actions} | ${r.name} | ${r.settings} | ${r.regret.toFixed(1)} | ${(r.regret / uniform).toFixed(3)}× | ${(r.regret / eps).toFixed(3)}× | ${r.name.startsWith('uniform') ? '–' : r.propensityError.toExponential(1)} | ${r.seconds.toFixed(1)} |`);
    for (const r of rows.slice(2)) {
      const ok = r.regret < 0.5 * eps && r.regret < 0.1 * uniform;
      targets.push(`| ${actions} actions, ${r.name}: regret < 0.5× ε-greedy and < 0.1× uniform | ${(r.regret / eps).toFixed(3)}× and ${(r.regret / uniform).toFixed(3)}× | ${ok ? 'PASS' : 'FAIL'} |`);
    }
  }
  md.push('');
  md.push(`## Offline evaluation: interval coverage in ${RUNS} seeded runs`);
  md.push('');
  md.push(`Each run: a new environment (20 actions); ${LOGGED.toLocaleString('en')} decisions logged by ε-greedy (ε = 0.5) over a model fitted on 400 uniform rounds; the target policy is greedy over a model fitted on 2,000 uniform rounds; its true value is the mean reward of its choices on ${TRUTH_CONTEXTS.toLocaleString('en')} fresh contexts, from the known reward function. The doubly robust reward model is ridge regression on the logged decisions. Intervals at 95 %. Mean effective sample size ${(runs.reduce((s, r) => s + r.ess, 0) / runs.length).toFixed(0)} of ${LOGGED}. ${coverageSeconds.toFixed(0)} s.`);
  md.push('');
  md.push('| estimator | runs whose interval covers the true value | mean interval width |');
  md.push('| --- | ---: | ---: |');
  for (const c of coverage) md.push(`| ${c.key.toUpperCase()} | ${(100 * c.share).toFixed(0)} % | ${c.width.toFixed(4)} |`);
  for (const c of coverage) targets.push(`| ${c.key.toUpperCase()} interval covers the true value in ≥ 90 % of runs | ${(100 * c.share).toFixed(0)} % | ${c.share >= 0.9 ? 'PASS' : 'FAIL'} |`);
  md.push('');
  md.push('## Targets');
  md.push('');
  md.push('| target | measured | result |');
  md.push('| --- | ---: | --- |');
  md.push(...targets);
  md.push('');
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bandit.md'), `${md.join('\n')}\n`);
  console.log(md.join('\n'));
}

main();
