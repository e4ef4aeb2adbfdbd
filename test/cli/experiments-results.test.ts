import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, type RatioRow, type ValueRow } from '../../src/experiments/analyze';
import { createCipher, encryptionKeysFromEnv } from '../../src/privacy/cipher';
import { ExperimentRegistry } from '../../src/experiments/registry';
import { RedisStore } from '../../src/store/redis';
import { describeRedis, RUN_PREFIX, deleteKeys } from '../store/redis-harness';
import { shopExperiment, syntheticLog } from '../experiments/event-log';
import { spawnCli } from './helpers';
import Redis from 'ioredis';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const fixture = (name: string) => join('test', 'cli', 'fixtures', name);
const lines = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8').trim().split('\n');

// Read here with a plain split, not the CLI's parser, so that the two can disagree.
const valueRows = (name: string): ValueRow[] =>
  lines(name)
    .slice(1)
    .map((l) => l.split(','))
    .map(([variant, value, pre]) => (pre === undefined ? { variant, value: Number(value) } : { variant, value: Number(value), pre: Number(pre) }));
const ratioRows = (name: string): RatioRow[] =>
  lines(name)
    .map((l) => l.split(','))
    .map(([variant, numerator, denominator]) => ({ variant, numerator: Number(numerator), denominator: Number(denominator) }));

function analyzeJson(args: string[]) {
  const r = spawnCli(['experiments', 'analyze', ...args, '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('attune experiments analyze --json (a child process on committed CSVs)', () => {
  it('prints exactly { variants, comparisons, srm } with the numbers of analyze, for a binomial metric', () => {
    const doc = analyzeJson(['--data', fixture('outcomes-binomial.csv'), '--metric', 'binomial']);
    expect(Object.keys(doc)).toEqual(['variants', 'comparisons', 'srm']);
    const a = analyze(valueRows('outcomes-binomial.csv'), { metric: 'binomial' });
    expect(doc.variants).toEqual(a.variants);
    const comparisons = doc.comparisons as Record<string, unknown>[];
    expect(comparisons).toHaveLength(1);
    expect(Object.keys(comparisons[0])).toEqual(['variant', 'baseline', 'absDiff', 'absCi', 'relLift', 'relCi', 'pValue', 'chanceToWin']);
    const { adjustedPValue: _adjusted, ...expected } = a.comparisons[0];
    expect(comparisons[0]).toEqual(expected);
    expect(doc.srm).toEqual(a.srm);
    // The planted lift (0.20 → 0.30) is found.
    expect(a.comparisons[0].absCi[0]).toBeGreaterThan(0);
  });

  it('adjusts a mean metric by its pre column (CUPED) and honours --baseline and --alpha', () => {
    const doc = analyzeJson(['--data', fixture('outcomes-mean.csv'), '--metric', 'mean', '--baseline', 'treatment', '--alpha', '0.01']);
    const a = analyze(valueRows('outcomes-mean.csv'), { metric: 'mean', baseline: 'treatment', alpha: 0.01 });
    expect(a.cuped).toBeDefined();
    const [c] = doc.comparisons as { variant: string; baseline: string; absCi: number[]; pValue: number }[];
    expect(c).toMatchObject({ variant: 'control', baseline: 'treatment', absCi: a.comparisons[0].absCi, pValue: a.comparisons[0].pValue });
  });

  it('reads variant,numerator,denominator without a header for a ratio metric', () => {
    const doc = analyzeJson(['--data', fixture('outcomes-ratio.csv'), '--metric', 'ratio']);
    const a = analyze(ratioRows('outcomes-ratio.csv'), { metric: 'ratio' });
    expect(doc.variants).toEqual(a.variants);
    expect((doc.comparisons as { relCi: number[] }[])[0].relCi).toEqual(a.comparisons[0].relCi);
  });

  it('prints a readable table without --json', () => {
    const r = spawnCli(['experiments', 'analyze', '--data', fixture('outcomes-binomial.csv'), '--metric', 'binomial']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/treatment vs control: diff 0\.\d+ \(95% CI/);
    expect(r.stdout).toMatch(/sample ratio: ok/);
  });

  describe('bad input', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'attune-exp-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };

    it('a missing or unknown --metric is a usage error (exit 2)', () => {
      const r = spawnCli(['experiments', 'analyze', '--data', fixture('outcomes-binomial.csv'), '--metric', 'median']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--metric must be one of binomial, mean, ratio/);
    });

    it('a value that is not 0 or 1 in a binomial file names the line', () => {
      const r = spawnCli(['experiments', 'analyze', '--data', file('bad.csv', 'variant,value\na,0\nb,2\n'), '--metric', 'binomial']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/bad\.csv, line 3: a binomial metric takes 0 or 1, got 2/);
    });

    it('a header without the ratio columns says which are missing', () => {
      const r = spawnCli(['experiments', 'analyze', '--data', file('ratio.csv', 'variant,value\na,1\n'), '--metric', 'ratio']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/needs the columns numerator, denominator/);
    });

    it('one variant only cannot be analyzed, and says why', () => {
      const r = spawnCli(['experiments', 'analyze', '--data', file('one.csv', 'a,1\na,0\na,1\n'), '--metric', 'binomial']);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/at least two variants are needed/);
    });
  });
});

describeRedis('attune experiments results <id> (a child process on the Redis event log)', (url) => {
  const prefix = `${RUN_PREFIX}cli-results:`;
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'attune-exp-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await deleteKeys(client, prefix);
    client.disconnect();
  });

  it('prints the uplift of each metric with its interval, from the store named by ATTUNE_REDIS_URL', async () => {
    const env = { ...process.env, ATTUNE_REDIS_URL: url, ATTUNE_LOG_LEVEL: 'silent' };
    // Sealed as the command's store reads it: the same (development) key, from the same environment.
    const store = new RedisStore({ redis: client, keyPrefix: prefix, cipher: createCipher(encryptionKeysFromEnv({ env, onWarning: () => undefined })) });
    const events = syntheticLog({ seed: 3, users: 1200, arms: { popular: { convert: 0.1, click: 0.05 }, personalized: { convert: 0.2, click: 0.1 } } });
    for (let i = 0; i < events.length; i += 1000) await store.write({ events: events.slice(i, i + 1000) });
    const definitions = join(dir, 'experiments.json');
    writeFileSync(definitions, JSON.stringify({ experiments: [shopExperiment()] }));

    const text = spawnCli(['experiments', 'results', 'recs-policy', '--definitions', definitions, '--key-prefix', prefix], env);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^experiment recs-policy: popular \d+, personalized \d+ users; sample ratio ok/);
    expect(text.stdout).toMatch(/conversion \(primary\): personalized vs popular: \+\d+\.\d% \(95% CI \+[\d.]+% to \+[\d.]+%\).*: significant/);
    expect(text.stdout).toMatch(/ctr \(primary\): personalized vs popular: .*: significant/);

    const json = spawnCli(['experiments', 'results', 'recs-policy', '--definitions', definitions, '--key-prefix', prefix, '--json'], env);
    const report = JSON.parse(json.stdout) as { variants: { users: number }[]; srm: { ok: boolean } };
    expect(report.variants.reduce((s, v) => s + v.users, 0)).toBe(1200);
    expect(report.srm.ok).toBe(true);

    const unknown = spawnCli(['experiments', 'results', 'nope', '--definitions', definitions, '--key-prefix', prefix], env);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/experiment "nope" not found/);

    // Without a file: the definition saved to the store (`experiments save`, as POST /v1/experiments does).
    const saved = spawnCli(['experiments', 'save', definitions, '--key-prefix', prefix], env);
    expect(saved.status).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({ saved: 'recs-policy' });
    expect((await new ExperimentRegistry({ store, clock: Date.now }).get('recs-policy')).source).toBe('api');
    const noFile: NodeJS.ProcessEnv = { ...env };
    delete noFile.ATTUNE_EXPERIMENTS_FILE;
    const posted = spawnCli(['experiments', 'results', 'recs-policy', '--key-prefix', prefix, '--json'], noFile);
    expect(posted.status).toBe(0);
    expect((JSON.parse(posted.stdout) as { variants: { users: number }[] }).variants.reduce((s, v) => s + v.users, 0)).toBe(1200);
    // Three child processes, each starting TypeScript: slow on a busy machine, and never timed.
  }, 120_000);
});
