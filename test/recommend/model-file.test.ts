/**
 * loadModelFile: a model written by `attune train --out` serves as it was trained, and a file
 * that is not one fails with a ConfigError naming the file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, createAttune, loadModelFile } from '../../index';
import { loadDataset } from '../../src/datasets';
import { createRecommender } from '../../src/recommend/models';
import { generatedCsv, run } from '../cli/helpers';

let dir: string;
let csv: string;
let cleanup: () => void;
beforeAll(() => ({ dir, csv, cleanup } = generatedCsv()));
afterAll(() => cleanup());

describe('loadModelFile', () => {
  it('loads what attune train --out wrote: the same recommendations as the model trained in process', async () => {
    const out = join(dir, 'itemknn.json');
    await run(['train', '--data', csv, '--model', 'itemknn', '--seed', '7', '--out', out]);
    const fresh = createRecommender('itemknn');
    const data = loadDataset(csv);
    fresh.fit({ interactions: data.interactions, items: data.items }, { seed: 7 });

    const loaded = loadModelFile(out);
    expect(loaded.kind).toBe('itemknn');
    for (const user of ['u0', 'u1', 'u17']) {
      expect(loaded.recommend(user, 5).length).toBeGreaterThan(0);
      expect(loaded.recommend(user, 5)).toEqual(fresh.recommend(user, 5));
    }
  });

  it('is the recommender an engine serves', async () => {
    const out = join(dir, 'pop.json');
    await run(['train', '--data', csv, '--model', 'pop', '--out', out]);
    const attune = createAttune({ recommender: loadModelFile(out) });
    try {
      expect(attune.recommendations.model?.kind).toBe('pop');
    } finally {
      await attune.close();
    }
  });

  it('a missing file is a ConfigError naming it', () => {
    const missing = join(dir, 'nowhere.json');
    expect(() => loadModelFile(missing)).toThrow(ConfigError);
    expect(() => loadModelFile(missing)).toThrow(`cannot read model file ${missing} (ENOENT)`);
  });

  it('a file that is not JSON is a ConfigError saying how to write one', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, 'itemknn,1\n');
    expect(() => loadModelFile(bad)).toThrow(ConfigError);
    expect(() => loadModelFile(bad)).toThrow(`model file ${bad} is not JSON; write one with attune train --out`);
  });

  it.each([
    ['a list', '[1, 2]', 'artifact is not an object'],
    ['an unknown kind', '{"kind":"nope","format":1,"params":{},"state":{}}', 'unknown model kind in artifact: nope'],
    ['a damaged state', '{"kind":"pop","format":1,"params":{},"state":{}}', 'artifact field'],
  ])('JSON that is not a model artifact (%s) is a ConfigError naming the file', (_what, text, why) => {
    const bad = join(dir, 'foreign.json');
    writeFileSync(bad, text);
    expect(() => loadModelFile(bad)).toThrow(ConfigError);
    expect(() => loadModelFile(bad)).toThrow(`model file ${bad}: `);
    expect(() => loadModelFile(bad)).toThrow(why);
  });
});
