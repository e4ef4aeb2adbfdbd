import fc from 'fast-check';
import { spdInverse, solveSpd } from '../../src/recommend/models/linalg';
import { topK } from '../../src/recommend/models/topk';
import { encodeArray, ArtifactReader } from '../../src/recommend/artifact';

describe('topK', () => {
  test('matches a full sort (ties to the lower index), skipping non-finite scores', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { maxLength: 60 }), fc.integer({ min: 0, max: 70 }), (xs, k) => {
        const scores = xs.map((x) => (x === -5 ? -Infinity : x));
        const expected = scores
          .map((s, i) => ({ s, i }))
          .filter((e) => e.s > -Infinity)
          .sort((a, b) => b.s - a.s || a.i - b.i)
          .slice(0, k)
          .map((e) => e.i);
        expect(Array.from(topK(Float32Array.from(scores), k))).toEqual(expected);
      }),
    );
  });

  test('asks the filter only about candidates', () => {
    const asked: number[] = [];
    const out = topK(Float32Array.from([5, 4, 3, 2, 1]), 2, (i) => (asked.push(i), i !== 0));
    expect(Array.from(out)).toEqual([1, 2]);
    expect(asked).toEqual([0, 1, 2]);
  });
});

describe('SPD linear algebra', () => {
  test('inverse times matrix is the identity', () => {
    const n = 30;
    const x = Float64Array.from({ length: n * 40 }, (_, k) => ((k * 7919) % 13) / 13);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let r = 0; r < 40; r++) a[i * n + j] += x[r * n + i] * x[r * n + j];
    for (let i = 0; i < n; i++) a[i * n + i] += 0.5;
    const inv = spdInverse(a.slice(), n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k] * inv[k * n + j];
        expect(s).toBeCloseTo(i === j ? 1 : 0, 9);
      }
    }
    const b = Float64Array.from({ length: n }, (_, i) => i - 3);
    const sol = solveSpd(a.slice(), b, n);
    for (let i = 0; i < n; i++) expect(sol[i]).toBeCloseTo(inv.subarray(i * n, (i + 1) * n).reduce((s, v, k) => s + v * b[k], 0), 9);
  });
});

describe('artifact codec', () => {
  test('typed arrays round-trip bit for bit', () => {
    const f32 = Float32Array.from([Math.PI, -0, 1e-30, 3.4e38]);
    const f64 = Float64Array.from([Math.E, Number.MIN_VALUE]);
    const i32 = Int32Array.from([-1, 2 ** 31 - 1]);
    const r = new ArtifactReader({ kind: 'x', format: 1, params: {}, state: { f32: encodeArray(f32), f64: encodeArray(f64), i32: encodeArray(i32) } }, 'x', 1);
    expect(r.f32('f32')).toEqual(f32);
    expect(r.f64('f64')).toEqual(f64);
    expect(r.i32('i32')).toEqual(i32);
  });
});
