import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRecommender } from '../../src/recommend/models';
import { generatedCsv, run, spawnCli } from './helpers';

let dir: string;
let csv: string;
let cleanup: () => void;
beforeAll(() => ({ dir, csv, cleanup } = generatedCsv()));
afterAll(() => cleanup());

describe('attune train', () => {
  it('writes an artifact the models can load back', async () => {
    const out = join(dir, 'pop.json');
    const said = await run(['train', '--data', csv, '--model', 'pop', '--out', out]);
    expect(said).toContain('trained pop on 320 interactions');
    const model = loadRecommender(JSON.parse(readFileSync(out, 'utf8')));
    expect(model.kind).toBe('pop');
    expect(model.recommend('u0', 3)).toHaveLength(3);
  });

  it('exits 2 when --out is missing', () => {
    const bad = spawnCli(['train', '--data', csv, '--model', 'pop']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--out is required');
  });
});
