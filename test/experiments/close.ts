/** Agreement to `tol` (1e-6 by default): absolute below 1, relative above, so large statistics are held to the same digits. */
export function expectClose(actual: number, expected: number, tol = 1e-6): void {
  const err = Math.abs(actual - expected) / Math.max(1, Math.abs(expected));
  if (!(err <= tol)) throw new Error(`expected ${actual} to be within ${tol} of ${expected} (error ${err})`);
}

/** Element-wise `expectClose`. */
export function expectAllClose(actual: readonly number[], expected: readonly number[], tol = 1e-6): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expectClose(a, expected[i], tol));
}
