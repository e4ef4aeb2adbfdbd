import { generatedCsv, run, spawnCli, wideCsv } from './helpers';

let dir: string;
let csv: string;
let cleanup: () => void;
beforeAll(() => ({ dir, csv, cleanup } = generatedCsv()));
afterAll(() => cleanup());

describe('attune evaluate', () => {
  it('--json prints exactly one JSON document of the documented shape', async () => {
    const out = await run(['evaluate', '--data', csv, '--models', 'pop,itemknn', '--k', '5', '--json']);
    const report = JSON.parse(out);
    expect(report.dataset).toEqual({ users: 40, items: expect.any(Number), interactions: 320 });
    expect(report.split).toBe('msr');
    expect(report.k).toBe(5);
    expect(report.results.map((r: { model: string }) => r.model)).toEqual(['pop', 'itemknn']);
    for (const r of report.results) {
      // Every figure the table shows.
      expect(Object.keys(r).sort()).toEqual(['beyond', 'coverage', 'hitRate', 'map', 'mapAtK', 'model', 'ndcg', 'precision', 'recall', 'trainSeconds', 'users']);
      // Beyond accuracy: every figure, and coverage agrees with the table's.
      expect(Object.keys(r.beyond).sort()).toEqual(['averagePopularity', 'catalogCoverage', 'distributionalCoverage', 'diversity', 'gini', 'longTailShare', 'novelty', 'serendipity']);
      expect(r.beyond.catalogCoverage).toBeCloseTo(r.coverage, 10);
      for (const v of [r.precision, r.recall, r.map, r.mapAtK, r.ndcg, r.hitRate, r.coverage]) expect(v).toBeGreaterThanOrEqual(0);
      expect(r.hitRate).toBeGreaterThanOrEqual(r.precision);
      expect(r.coverage).toBeGreaterThan(0);
    }
  });

  it('runs the default models on a catalog of over 6,000 items without refusing it', async () => {
    const wide = wideCsv(dir);
    const report = JSON.parse(await run(['evaluate', '--data', wide, '--json']));
    expect(report.dataset.items).toBeGreaterThan(6000);
    expect(report.results.map((r: { model: string }) => r.model)).toEqual(['pop', 'itemknn', 'ease', 'als', 'mf', 'content', 'rp3beta', 'hybrid']);
    for (const r of report.results) {
      expect(r.skipped).toBeUndefined();
      expect(r.users).toBeGreaterThan(0);
    }
  }, 120_000);

  it('runs every protocol', async () => {
    for (const split of ['user', 'temporal', 'loo', 'kfold']) {
      const report = JSON.parse(await run(['evaluate', '--data', dir, '--models', 'pop', '--split', split, '--json']));
      expect(report.split).toBe(split);
      expect(report.results).toHaveLength(1);
    }
  });

  it('prints a table without --json', async () => {
    const out = await run(['evaluate', '--data', csv, '--models', 'pop']);
    expect(out).toMatch(/model\s+P@10\s+R@10\s+MAP/);
    expect(out).toMatch(/^pop\s/m);
  });

  it('through the real binary: stdout is one parseable JSON document', () => {
    const child = spawnCli(['evaluate', '--data', csv, '--models', 'pop', '--json']);
    expect(child.status).toBe(0);
    expect(child.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(child.stdout).results[0].model).toBe('pop');
  });

  it('exits 2 with a clear message, not a stack trace, on bad options', () => {
    const bad = spawnCli(['evaluate', '--data', csv, '--models', 'pop,nope', '--k', 'ten']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--models must list kinds among');
    expect(bad.stderr).toContain('--k must be a positive integer');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const unknown = spawnCli(['evaluate', '--data', csv, '--frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--frobnicate'");
    const missing = spawnCli(['evaluate', '--data', `${dir}/nowhere`]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--data: no such file or folder');
  });
});
