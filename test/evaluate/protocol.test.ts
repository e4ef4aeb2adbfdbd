import type { Interaction } from '../../src/recommend/recommender';
import { ConfigError } from '../../src/core/errors';
import type { Recommender } from '../../src/recommend/recommender';
import { KFOLD_FOLDS, PROTOCOLS, compareModels, mulberry32, protocolSplits, stratifiedSplit } from '../../src/evaluate';
import { createRecommender } from '../../src/recommend/models';

const rng = mulberry32(3);
const data: Interaction[] = [];
for (let u = 0; u < 30; u++) {
  const items = new Set<number>();
  while (items.size < 6) items.add(Math.floor(rng() ** 2 * 25));
  for (const i of items) data.push({ user: `u${u}`, item: `i${i}`, weight: 1, time: Math.floor(rng() * 1e6) });
}

describe('protocolSplits', () => {
  it('msr is the 75/25 split stratified by item, under the seed', () => {
    expect(protocolSplits('msr', data, 42)).toEqual([stratifiedSplit(data, { ratio: 0.75, by: 'item', seed: 42 })]);
  });

  it('every protocol partitions the log; kfold gives one split per fold', () => {
    for (const protocol of PROTOCOLS) {
      const splits = protocolSplits(protocol, data, 1);
      expect(splits).toHaveLength(protocol === 'kfold' ? KFOLD_FOLDS : 1);
      for (const { train, test } of splits) expect(train.length + test.length).toBe(data.length);
    }
  });
});

describe('compareModels', () => {
  it('averages each model over the folds, in the order asked', () => {
    const seenRows: string[] = [];
    const rows = compareModels(['pop', 'itemknn'] as const, (kind) => createRecommender(kind), protocolSplits('kfold', data, 1), {
      k: 5,
      onResult: (row) => seenRows.push(row.model),
    });
    expect(rows.map((r) => r.model)).toEqual(['pop', 'itemknn']);
    expect(seenRows).toEqual(['pop', 'itemknn']);
    for (const r of rows) {
      expect(r.metrics.precision).toBeGreaterThanOrEqual(0);
      expect(r.metrics.precision).toBeLessThanOrEqual(1);
      expect(r.users).toBeGreaterThan(0);
    }
  });

  it('reports a model that cannot be trained as skipped, with the reason, and goes on', () => {
    const create = (kind: 'pop' | 'ease'): Recommender => {
      if (kind === 'ease') throw new ConfigError('ease: planted failure');
      return createRecommender(kind);
    };
    const rows = compareModels(['ease', 'pop'] as const, create, protocolSplits('msr', data, 1), { k: 5 });
    expect(rows.map((r) => [r.model, r.skipped])).toEqual([
      ['ease', 'ease: planted failure'],
      ['pop', undefined],
    ]);
    expect(rows[0].metrics.ndcg).toBe(0);
    expect(rows[1].metrics.ndcg).toBeGreaterThan(0);
  });
});
