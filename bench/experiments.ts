/**
 * Experiment statistics by simulation, with the same seeds as the tests, printing the figures
 * that the tests only bound: A/A false positives, peeking, power, CUPED, the bandit; then the
 * time `analyze` takes on 100,000 rows against a bare pass computing the two variants' moments.
 *
 *   npm run bench:experiments
 */

import { mulberry32 } from '../src/core/random';
import {
  analyze,
  cupedAdjust,
  moments,
  normalSampler,
  pairedMoments,
  power,
  sequentialTest,
  thompsonWeights,
  welchEstimate,
  welchTest,
  type ValueRow,
} from '../src/experiments';

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

function normals(normal: () => number, n: number, mean = 0, sd = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + sd * normal();
  return out;
}

function aaBinomial(): number {
  const rng = mulberry32(101);
  let rejected = 0;
  for (let e = 0; e < 2000; e++) {
    const rows: ValueRow[] = [];
    for (let u = 0; u < 1000; u++) rows.push({ variant: u % 2 ? 'b' : 'a', value: rng() < 0.1 ? 1 : 0 });
    if (analyze(rows, { metric: 'binomial' }).comparisons[0].pValue < 0.05) rejected++;
  }
  return rejected / 2000;
}

function aaMean(): number {
  const normal = normalSampler(mulberry32(102));
  let rejected = 0;
  for (let e = 0; e < 2000; e++) {
    const rows: ValueRow[] = [];
    for (let u = 0; u < 600; u++) rows.push({ variant: u % 2 ? 'b' : 'a', value: Math.exp(1 + 0.8 * normal()) });
    if (analyze(rows, { metric: 'mean' }).comparisons[0].pValue < 0.05) rejected++;
  }
  return rejected / 2000;
}

function peeking(): { fixedEnd: number; fixedDaily: number; sequentialDaily: number } {
  const normal = normalSampler(mulberry32(7));
  let fixedEnd = 0;
  let fixedDaily = 0;
  let sequentialDaily = 0;
  for (let e = 0; e < 2000; e++) {
    const a: number[] = [];
    const b: number[] = [];
    let f = false;
    let s = false;
    for (let day = 0; day < 14; day++) {
      a.push(...normals(normal, 100, 10, 3));
      b.push(...normals(normal, 100, 10, 3));
      const [ma, mb] = [moments(a), moments(b)];
      const p = welchTest(ma, mb).pValue;
      if (p < 0.05) f = true;
      if (sequentialTest(welchEstimate(ma, mb), ma.n + mb.n).pValue < 0.05) s = true;
      if (day === 13 && p < 0.05) fixedEnd++;
    }
    if (f) fixedDaily++;
    if (s) sequentialDaily++;
  }
  return { fixedEnd: fixedEnd / 2000, fixedDaily: fixedDaily / 2000, sequentialDaily: sequentialDaily / 2000 };
}

function powerOnUplift(): { observed: number; theory: number } {
  const normal = normalSampler(mulberry32(11));
  let rejected = 0;
  for (let e = 0; e < 2000; e++) {
    if (welchTest(moments(normals(normal, 1000)), moments(normals(normal, 1000, 0.125))).pValue < 0.05) rejected++;
  }
  return { observed: rejected / 2000, theory: power({ effect: 0.125, variance: 1, nPerArm: 1000 }) };
}

function cuped(): { seRatio: number; empiricalRatio: number } {
  const normal = normalSampler(mulberry32(21));
  const rho = 0.6;
  const raw: number[] = [];
  const adjusted: number[] = [];
  const ratios: number[] = [];
  for (let e = 0; e < 1000; e++) {
    const arms = [0, 1].map(() => {
      const pre = normals(normal, 300, 100, 15);
      const noise = normals(normal, 300, 0, 15);
      return pairedMoments(pre, pre.map((x, i) => 100 + rho * (x - 100) + Math.sqrt(1 - rho * rho) * noise[i]));
    });
    const before = welchEstimate({ n: 300, mean: arms[0].meanY, variance: arms[0].varianceY }, { n: 300, mean: arms[1].meanY, variance: arms[1].varianceY });
    const { adjusted: adj } = cupedAdjust(arms);
    const after = welchEstimate(adj[0], adj[1]);
    raw.push(before.estimate);
    adjusted.push(after.estimate);
    ratios.push((after.se / before.se) ** 2);
  }
  return { seRatio: moments(ratios).mean, empiricalRatio: moments(adjusted).variance / moments(raw).variance };
}

function bandit(): number[][] {
  const rates = [0.04, 0.05, 0.07];
  const rng = mulberry32(81);
  const arms = rates.map(() => ({ successes: 0, trials: 0 }));
  let weights = [1 / 3, 1 / 3, 1 / 3];
  const history: number[][] = [];
  for (let round = 0; round < 12; round++) {
    for (let u = 0; u < 2000; u++) {
      const x = rng();
      let arm = 0;
      for (let acc = weights[0]; x >= acc && arm < weights.length - 1; acc += weights[++arm]);
      arms[arm].trials++;
      if (rng() < rates[arm]) arms[arm].successes++;
    }
    weights = thompsonWeights(arms, { seed: round + 1, floor: 0.05 }).weights;
    history.push(weights);
  }
  return history;
}

function timing(): { analyzeMs: number; baselineMs: number } {
  const normal = normalSampler(mulberry32(5));
  const rows: ValueRow[] = Array.from({ length: 100_000 }, (_, i) => ({ variant: i % 2 ? 'b' : 'a', value: normal(), pre: normal() }));
  const best = (f: () => void) => {
    let min = Infinity;
    for (let r = 0; r < 7; r++) {
      const t = process.hrtime.bigint();
      f();
      min = Math.min(min, Number(process.hrtime.bigint() - t) / 1e6);
    }
    return min;
  };
  const baselineMs = best(() => {
    const a: number[] = [];
    const b: number[] = [];
    for (const r of rows) (r.variant === 'a' ? a : b).push(r.value);
    welchTest(moments(a), moments(b));
  });
  const analyzeMs = best(() => analyze(rows, { metric: 'mean' }));
  return { analyzeMs, baselineMs };
}

const aaB = aaBinomial();
const aaM = aaMean();
console.log(`A/A, 2,000 experiments, α = 0.05: binomial ${pct(aaB)}, log-normal mean ${pct(aaM)} (bounds 3.5–6.5 %)`);
const pk = peeking();
console.log(`peeking, 2,000 A/A × 14 daily looks: fixed read once ${pct(pk.fixedEnd)}, fixed read daily ${pct(pk.fixedDaily)}, sequential read daily ${pct(pk.sequentialDaily)}`);
const pw = powerOnUplift();
console.log(`power, 0.125 σ uplift, 1,000 per arm: observed ${pct(pw.observed)}, theory ${pct(pw.theory)}`);
const cp = cuped();
console.log(`CUPED, ρ = 0.6 (1 − ρ² = 0.64): reported variance ratio ${cp.seRatio.toFixed(3)}, across experiments ${cp.empiricalRatio.toFixed(3)}`);
const bd = bandit();
const last = bd[bd.length - 1];
console.log(`bandit, rates 4/5/7 %, floor 5 %, 12 rounds of 2,000: final weights ${last.map((w) => w.toFixed(3)).join(' / ')}, lowest ever ${Math.min(...bd.flat()).toFixed(4)}`);
const tm = timing();
console.log(`analyze (mean, CUPED) on 100,000 rows: ${tm.analyzeMs.toFixed(1)} ms; bare grouping + Welch ${tm.baselineMs.toFixed(1)} ms; ratio ${(tm.analyzeMs / tm.baselineMs).toFixed(2)}`);
