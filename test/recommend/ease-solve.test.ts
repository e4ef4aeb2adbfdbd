/**
 * The EASE solver against numpy: both of its paths (the user side by Woodbury when users are
 * fewer than items, the item side otherwise) give the textbook B = I − P/diag(P),
 * P = (XᵀX + λI)⁻¹, of bench/reference/ease_fixtures.py.
 */
import { easeWeights } from '../../src/recommend/models/ease-solve';
import type { Csr } from '../../src/recommend/models/matrix';
import reference from './fixtures/ease-reference.json';

interface Case {
  name: string;
  users: number;
  items: number;
  lambda: number;
  rows: number[][];
  b: number[][];
}

function csrOf(rows: number[][], cols: number): Csr {
  const indptr = new Int32Array(rows.length + 1);
  rows.forEach((r, u) => (indptr[u + 1] = indptr[u] + r.length));
  const indices = Int32Array.from(rows.flat());
  return { rows: rows.length, cols, indptr, indices, values: new Float32Array(indices.length).fill(1) };
}

describe.each((reference as { cases: Case[] }).cases)('easeWeights, $name', (c) => {
  test('matches numpy to single precision', () => {
    const b = easeWeights(csrOf(c.rows, c.items), c.lambda);
    let worst = 0;
    for (let i = 0; i < c.items; i++) for (let j = 0; j < c.items; j++) worst = Math.max(worst, Math.abs(b[i * c.items + j] - c.b[i][j]));
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('easeWeights with EDLAE dropout', () => {
  // Seeded random 0/1 rows; both shapes, so both solver paths are checked.
  function randomRows(users: number, items: number, seed: number): number[][] {
    let state = seed;
    const next = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    return Array.from({ length: users }, () => Array.from({ length: items }, (_, j) => j).filter(() => next() < 0.3));
  }

  /** The textbook full-rank EDLAE: P = (G + Λ)⁻¹, Λ_jj = λ + p/(1−p)·G_jj, B = I − P/diag(P), by Gauss-Jordan. */
  function direct(rows: number[][], n: number, lambda: number, p: number): number[][] {
    const g = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (const r of rows) for (const i of r) for (const j of r) g[i][j] += 1;
    const a = g.map((row, i) => [...row.map((v, j) => v + (i === j ? lambda + (p / (1 - p)) * g[i][i] : 0)), ...row.map((_, j) => (i === j ? 1 : 0))]);
    for (let c = 0; c < n; c++) {
      const pivot = a[c][c];
      for (let j = 0; j < 2 * n; j++) a[c][j] /= pivot;
      for (let r = 0; r < n; r++) {
        if (r === c) continue;
        const f = a[r][c];
        for (let j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
      }
    }
    const inv = a.map((row) => row.slice(n));
    return inv.map((row, i) => row.map((v, j) => (i === j ? 0 : -v / inv[j][j])));
  }

  test.each([
    ['more items than users (user side)', 12, 20],
    ['more users than items (item side)', 30, 14],
  ])('is EASE with the item-dependent ridge λ + p/(1−p)·G_jj, %s', (_, users, items) => {
    const rows = randomRows(users, items, 7);
    const b = easeWeights(csrOf(rows, items), 3, 0.4);
    const want = direct(rows, items, 3, 0.4);
    let worst = 0;
    for (let i = 0; i < items; i++) for (let j = 0; j < items; j++) worst = Math.max(worst, Math.abs(b[i * items + j] - want[i][j]));
    expect(worst).toBeLessThan(1e-5);
    // And it is not plain EASE: the per-item ridge changes the weights.
    const plain = easeWeights(csrOf(rows, items), 3);
    let moved = 0;
    for (let k = 0; k < b.length; k++) moved = Math.max(moved, Math.abs(b[k] - plain[k]));
    expect(moved).toBeGreaterThan(1e-3);
  });

  test('dropout 0 is plain EASE', () => {
    const rows = randomRows(12, 20, 3);
    expect(easeWeights(csrOf(rows, 20), 5, 0)).toEqual(easeWeights(csrOf(rows, 20), 5));
    expect(direct(rows, 20, 5, 0)[1][2]).toBeCloseTo(easeWeights(csrOf(rows, 20), 5)[1 * 20 + 2], 5);
  });
});
