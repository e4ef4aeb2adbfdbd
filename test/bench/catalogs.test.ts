/**
 * The synthetic large-catalog generators of the benchmark, at a few percent of full size: they
 * write the real layouts (the loaders read them back), keep the long tail of the real sets, and
 * carry planted structure that a collaborative model finds and popularity does not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeCatalog, type CatalogShape } from '../../bench/catalogs';
import { loadDataset } from '../../src/datasets';
import { evaluate, protocolSplits } from '../../src/evaluate';
import { createRecommender } from '../../src/recommend/models';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'attune-catalogs-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['ml-csv', 'lastfm'] as CatalogShape[])('%s catalog', (shape) => {
  test('loads through the real loader, with text for every item and a long tail', () => {
    const out = join(dir, shape);
    const written = writeCatalog(shape, out, { scale: 0.08, seed: 3 });
    const data = loadDataset(out, shape);
    expect(data.interactions).toHaveLength(written.interactions);
    expect(data.items).toHaveLength(written.items);
    expect(data.items?.every((it) => (it.text ?? '').length > 0)).toBe(true);
    if (shape === 'ml-csv') expect(data.items?.every((it) => (it.categories ?? []).length > 0)).toBe(true);
    const counts = new Map<string, number>();
    for (const x of data.interactions) counts.set(x.item, (counts.get(x.item) ?? 0) + 1);
    const sorted = [...counts.values()].sort((a, b) => b - a);
    // The top 10% of items take far more than 10% of the interactions.
    const head = sorted.slice(0, Math.ceil(sorted.length / 10)).reduce((a, b) => a + b, 0);
    expect(head / data.interactions.length).toBeGreaterThan(0.3);
  });

  test('plants structure that EASE finds and popularity does not', () => {
    const data = loadDataset(join(dir, shape), shape);
    const [{ train, test }] = protocolSplits('msr', data.interactions, 42);
    const pop = evaluate(createRecommender('pop'), train, test, { k: 10 });
    const ease = evaluate(createRecommender('ease', { tune: false, lambda: 50 }), train, test, { k: 10 });
    expect(ease.metrics.ndcg).toBeGreaterThan(1.3 * pop.metrics.ndcg);
  });

  test('is the same catalog for the same seed', () => {
    const a = writeCatalog(shape, join(dir, `${shape}-a`), { scale: 0.02, seed: 9 });
    const b = writeCatalog(shape, join(dir, `${shape}-b`), { scale: 0.02, seed: 9 });
    expect(a).toEqual(b);
    expect(loadDataset(join(dir, `${shape}-a`), shape)).toEqual(loadDataset(join(dir, `${shape}-b`), shape));
  });
});
