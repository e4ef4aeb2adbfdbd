/**
 * Multiple-comparison corrections, for an experiment read on several metrics or variants at once:
 * with ten independent looks at α = 0.05, the chance of at least one false positive is 40 %.
 * Both return adjusted p-values in input order, to compare with α as usual.
 */

/** Indices of `p` in ascending order of p (ties keep input order, so results are stable). */
function ascending(p: readonly number[]): number[] {
  return p.map((_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
}

/**
 * Holm–Bonferroni step-down adjustment: controls the family-wise error rate (the chance of any
 * false positive) under any dependence between the tests, and is uniformly more powerful than
 * Bonferroni.
 *
 * ```ts
 * holm([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 * ```
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = ascending(pValues);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((idx, rank) => {
    // Monotone: an adjusted p never falls below the one of a smaller raw p.
    running = Math.max(running, Math.min(1, (m - rank) * pValues[idx]));
    adjusted[idx] = running;
  });
  return adjusted;
}

/**
 * Benjamini–Hochberg step-up adjustment: controls the false discovery rate (the expected share of
 * false positives among the results called significant) for independent or positively dependent
 * tests; the right choice when many metrics are screened and a few false leads are acceptable.
 * Same values as scipy's `false_discovery_control(p, method='bh')`.
 *
 * ```ts
 * benjaminiHochberg([0.01, 0.04, 0.03]); // [0.03, 0.04, 0.04]
 * ```
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = ascending(pValues);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const idx = order[rank];
    running = Math.min(running, (m * pValues[idx]) / (rank + 1));
    // m·p/m can round one ulp below p; an adjusted p-value is never below the raw one.
    adjusted[idx] = Math.max(running, pValues[idx]);
  }
  return adjusted;
}
