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
