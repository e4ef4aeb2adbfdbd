/**
 * The pruned maximum-inner-product index returns exactly what scoring every item returns (same
 * items, order, ties and scores), on factor matrices shaped like trained ones (skewed norms, a few
 * dominant directions), on flat ones, and on ones full of ties; and the Jacobi eigen-decomposition
 * it relies on gives orthonormal axes that diagonalize the matrix.
 */
import fc from 'fast-check';
import { topKDot } from '../../src/recommend/models/dot-topk';
import { symmetricEigen } from '../../src/recommend/models/eigen';
import { MipsIndex } from '../../src/recommend/models/mips';
import { Rng } from '../../src/recommend/models/rng';
import { Als } from '../../src/recommend/models/als';
import { ArtifactReader } from '../../src/recommend/artifact';
import { synthetic } from './synthetic';

/** n × f factors: 'skewed' (Zipf norms, low-rank energy), 'flat' (i.i.d.), 'ties' (values from a tiny set, duplicate rows). */
function factors(kind: 'skewed' | 'flat' | 'ties', n: number, f: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(n * f);
  for (let i = 0; i < n; i++) {
    const scale = kind === 'skewed' ? 1 / Math.pow(1 + i, 0.7) : 1;
    for (let t = 0; t < f; t++) {
      if (kind === 'ties') out[i * f + t] = rng.int(3) - 1;
      else out[i * f + t] = rng.normal() * scale * (kind === 'skewed' ? 1 / (1 + t) : 1);
    }
  }
  if (kind === 'ties') out.copyWithin(0, (n >> 1) * f, ((n >> 1) + 3) * f);
  return out;
}

describe('MipsIndex', () => {
  test('property: same top-k, order and scores as the unpruned kernel, with skips and filters', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'skewed' | 'flat' | 'ties'>('skewed', 'flat', 'ties'),
        fc.constantFrom(1, 3, 8, 16, 33),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.boolean(),
        (kind, f, n, k, seed, filtered) => {
          const v = factors(kind, n, f, seed);
          const index = new MipsIndex(v, f);
          const rng = new Rng(seed + 1);
          const x = Float32Array.from({ length: f }, () => (kind === 'ties' ? rng.int(3) - 1 : rng.normal()));
          const skip = Int32Array.from(new Set(Array.from({ length: rng.int(20) }, () => rng.int(n)))).sort();
          const accept = filtered ? (i: number) => i % 4 !== 1 : undefined;
          const want = topKDot(x, v, f, k, skip, accept);
          const got = index.topK(x, k, skip, accept);
          expect(Array.from(got.items)).toEqual(Array.from(want.items));
          expect(Array.from(got.scores)).toEqual(Array.from(want.scores));
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  test('on trained-like factors it prunes: the answer needs far fewer dot products than the catalog', () => {
    const f = 32;
    const n = 5000;
    const v = factors('skewed', n, f, 3);
    const index = new MipsIndex(v, f);
    let calls = 0;
    const rng = new Rng(9);
    for (let q = 0; q < 20; q++) {
      const x = Float32Array.from({ length: f }, () => rng.normal());
      // accept is consulted only for items whose exact score was computed and would enter: a lower bound on the full scores taken.
      index.topK(x, 10, new Int32Array(0), () => {
        calls++;
        return true;
      });
      expect(Array.from(index.topK(x, 10, new Int32Array(0)).items)).toEqual(Array.from(topKDot(x, v, f, 10, new Int32Array(0)).items));
    }
    expect(calls / 20).toBeLessThan(n / 10);
  });

  test('k = 0 and an empty catalog give nothing', () => {
    expect(new MipsIndex(new Float32Array(0), 4).topK(Float32Array.of(1, 2, 3, 4), 5, new Int32Array(0)).items).toHaveLength(0);
    expect(new MipsIndex(Float32Array.of(1, 2), 1).topK(Float32Array.of(1), 0, new Int32Array(0)).items).toHaveLength(0);
  });

  test('ALS recommendations equal the unpruned kernel on its own factors, after fit and after load', () => {
    const data = synthetic({ seed: 11 });
    const als = new Als({ factors: 16, iterations: 6 });
    als.fit(data.train, { seed: 2 });
    const art = als.toArtifact();
    const r = new ArtifactReader(art, 'als', 1);
    const items = r.strings('items');
    const users = r.strings('users');
    const itemF = r.f32('itemFactors', items.length * 16);
    const userF = r.f32('userFactors', users.length * 16);
    const loaded = Als.fromArtifact(art);
    const pos = new Map(items.map((id, i) => [id, i]));
    for (let u = 0; u < users.length; u += 7) {
      const skip = Int32Array.from(als.seenBy(users[u]), (s) => pos.get(s.item) ?? -1).sort();
      const want = topKDot(userF.subarray(u * 16, (u + 1) * 16), itemF, 16, 10, skip);
      const expected = Array.from(want.items, (i) => items[i]);
      expect(als.recommend(users[u], 10).map((s) => s.item)).toEqual(expected);
      expect(loaded.recommend(users[u], 10).map((s) => s.item)).toEqual(expected);
    }
  });
});

describe('symmetricEigen', () => {
  test('orthonormal axes, descending values, A·q = λ·q', () => {
    const n = 12;
    const rng = new Rng(4);
    const b = Float64Array.from({ length: n * n }, () => rng.normal());
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let t = 0; t < n; t++) a[i * n + j] += b[i * n + t] * b[j * n + t];
    const { values, vectors } = symmetricEigen(a, n);
    for (let c = 1; c < n; c++) expect(values[c]).toBeLessThanOrEqual(values[c - 1]);
    for (let c = 0; c < n; c++) {
      for (let d = 0; d < n; d++) {
        let dot = 0;
        for (let r = 0; r < n; r++) dot += vectors[r * n + c] * vectors[r * n + d];
        expect(dot).toBeCloseTo(c === d ? 1 : 0, 10);
      }
      for (let r = 0; r < n; r++) {
        let av = 0;
        for (let t = 0; t < n; t++) av += a[r * n + t] * vectors[t * n + c];
        expect(av).toBeCloseTo(values[c] * vectors[r * n + c], 8);
      }
    }
  });
});
