import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import catalogItems from '../../examples/ecommerce/catalog.json';
import { simulateShoppers } from '../../examples/ecommerce/intent-shoppers';
import { createAttune } from '../../index';
import { parsePropensityArtifact } from '../../src/predict/artifact';
import { readEventLog } from '../../src/predict/events-file';
import { MemoryStore } from '../../src/store/memory';
import { run, spawnCli } from '../cli/helpers';

// `attune predict train` and `attune predict evaluate` on a file of simulated shoppers' events.

let dir: string;
let data: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'attune-predict-cli-'));
  data = join(dir, 'events.ndjson');
  const { events } = simulateShoppers({ seed: 3, users: 250, items: catalogItems });
  // As Segment would send them: no receivedAt; ingestion adds it.
  writeFileSync(data, `${events.map(({ receivedAt: _r, ...e }) => JSON.stringify(e)).join('\n')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('attune predict', () => {
  it('train writes a model that loads, and prints AUC and the calibration table', async () => {
    const out = join(dir, 'model.json');
    const text = await run(['predict', 'train', '--data', data, '--out', out, '--horizon', '7d']);
    expect(text).toMatch(/trained p-[0-9a-f]{12} on \d+ rows/);
    expect(text).toMatch(/AUC 0\.\d{4} \(recency only/);
    expect(text).toMatch(/calibration \(deciles\)/);
    const artifact = parsePropensityArtifact(JSON.parse(readFileSync(out, 'utf8')));
    expect(artifact.horizonDays).toBe(7);
    expect(artifact.holdout?.auc).toBeGreaterThan(0.75);
  });

  it('evaluate --json reports the model on the log\'s last cut-off', async () => {
    const out = join(dir, 'model2.json');
    await run(['predict', 'train', '--data', data, '--out', out, '--json']);
    const report = JSON.parse(await run(['predict', 'evaluate', '--model', out, '--data', data, '--json']));
    expect(report.modelVersion).toBe(parsePropensityArtifact(JSON.parse(readFileSync(out, 'utf8'))).version);
    expect(report.testRows).toBeGreaterThan(200);
    expect(report.evaluation.overall.auc).toBeGreaterThan(0.75);
    expect(report.evaluation.overall.table).toHaveLength(10);
  });

  it('refuses unclear usage with exit code 2, and a bad file with its line named', () => {
    const both = spawnCli(['predict', 'train', '--data', data, '--from-store', '--out', join(dir, 'x.json')]);
    expect(both.status).toBe(2);
    expect(both.stderr).toMatch(/either --data FILE or --from-store/);
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"type":"track","userId":"u","event":"Product Viewed"}\n{"type":"track"}\n');
    const refused = spawnCli(['predict', 'train', '--data', bad, '--out', join(dir, 'y.json')]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/line 2/);
  });
});

describe('--from-store reads the whole event log', () => {
  it('page by page, in append order', async () => {
    const store = new MemoryStore();
    const attune = createAttune({ store, idKeys: false });
    for (let i = 0; i < 7; i++) await attune.track({ userId: `u${i % 2}`, event: 'Product Viewed', properties: { product_id: `p${i}` } });
    const events = await readEventLog(store, 3);
    // Segment entries are in the log too; the views are all there, in order.
    expect(events.filter((e) => e.event === 'Product Viewed').map((e) => e.properties.product_id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });
});
