/**
 * The adjusted Rand index of two labellings of the same items (Hubert and Arabie 1985):
 * 1 for identical partitions whatever the label names, about 0 for independent ones. How
 * discovery is checked against planted groups. Pure.
 *
 * ```ts
 * adjustedRandIndex([0, 0, 1, 1], ['b', 'b', 'a', 'a']); // 1
 * ```
 */
export function adjustedRandIndex<A, B>(a: readonly A[], b: readonly B[]): number {
  if (a.length !== b.length) throw new RangeError('both labellings need the same items');
  const n = a.length;
  const table = new Map<string, number>();
  const rows = new Map<A, number>();
  const cols = new Map<B, number>();
  const ai = new Map<A, number>();
  const bi = new Map<B, number>();
  for (let i = 0; i < n; i++) {
    if (!ai.has(a[i])) ai.set(a[i], ai.size);
    if (!bi.has(b[i])) bi.set(b[i], bi.size);
    const key = `${ai.get(a[i])},${bi.get(b[i])}`;
    table.set(key, (table.get(key) ?? 0) + 1);
    rows.set(a[i], (rows.get(a[i]) ?? 0) + 1);
    cols.set(b[i], (cols.get(b[i]) ?? 0) + 1);
  }
  const pairs = (m: number) => (m * (m - 1)) / 2;
  const index = [...table.values()].reduce((s, m) => s + pairs(m), 0);
  const sumA = [...rows.values()].reduce((s, m) => s + pairs(m), 0);
  const sumB = [...cols.values()].reduce((s, m) => s + pairs(m), 0);
  const expected = (sumA * sumB) / pairs(n);
  const max = (sumA + sumB) / 2;
  // Both partitions trivial (all one cluster, or all singletons): they agree entirely.
  return max === expected ? 1 : (index - expected) / (max - expected);
}
