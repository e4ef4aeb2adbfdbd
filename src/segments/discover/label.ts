/**
 * Names for discovered clusters, from what sets each apart: the features whose cluster mean
 * lies furthest from the population's, in population standard deviations, as "high revenue,
 * frequent orders". Pure.
 */

/** How a feature reads in a label; by default "high <name>" and "low <name>". */
export interface FeatureWords {
  high?: string;
  low?: string;
}

/** Words for the usual fields, so labels read as an operator would put it. */
const KNOWN: Record<string, FeatureWords> = {
  orders: { high: 'frequent orders', low: 'few orders' },
  revenue: { high: 'high revenue', low: 'low revenue' },
  'counts.turns': { high: 'chatty', low: 'quiet' },
  daysSinceLastSeen: { high: 'lapsed', low: 'recently active' },
  daysSinceFirstSeen: { high: 'long-standing', low: 'new' },
};

/** A cluster's label and how far each feature sets it apart. */
export interface ClusterLabel {
  label: string;
  /** A segment id to suggest (lower-case, from the label). */
  suggestedId: string;
  /** Per feature: (cluster mean - population mean) / population deviation. */
  contrast: number[];
}

/**
 * Labels each cluster by its one to `terms` most distinctive features (at least `minContrast`
 * deviations from the population mean); a cluster with none is "typical". Labels are made
 * unique by a number.
 *
 * ```ts
 * labelClusters(['revenue', 'orders'], rows, labels); // [{ label: 'high revenue, frequent orders', … }, …]
 * ```
 */
export function labelClusters(features: readonly string[], rows: readonly (readonly number[])[], labels: readonly number[], options: { terms?: number; minContrast?: number; words?: Record<string, FeatureWords> } = {}): ClusterLabel[] {
  const terms = options.terms ?? 2;
  const minContrast = options.minContrast ?? 0.5;
  const k = Math.max(-1, ...labels) + 1;
  const n = rows.length;
  const width = features.length;
  const mean = new Array<number>(width).fill(0);
  for (const r of rows) for (let j = 0; j < width; j++) mean[j] += r[j] / n;
  const sd = mean.map((m, j) => Math.sqrt(rows.reduce((s, r) => s + (r[j] - m) ** 2, 0) / n) || 1);
  const used = new Map<string, number>();
  return Array.from({ length: k }, (_, c) => {
    const members = rows.filter((_, i) => labels[i] === c);
    const contrast = mean.map((m, j) => (members.reduce((s, r) => s + r[j], 0) / Math.max(1, members.length) - m) / sd[j]);
    const top = contrast
      .map((d, j) => ({ d, j }))
      .filter((x) => Math.abs(x.d) >= minContrast)
      .sort((a, b) => Math.abs(b.d) - Math.abs(a.d) || a.j - b.j)
      .slice(0, terms);
    let label = top.length ? top.map(({ d, j }) => phrase(features[j], d > 0, options.words)).join(', ') : 'typical';
    const seen = used.get(label) ?? 0;
    used.set(label, seen + 1);
    if (seen) label = `${label} (${seen + 1})`;
    return { label, suggestedId: slug(label), contrast };
  });
}

function phrase(feature: string, high: boolean, words: Record<string, FeatureWords> | undefined): string {
  const w = words?.[feature] ?? (Object.hasOwn(KNOWN, feature) ? KNOWN[feature] : undefined);
  if (!w && feature.startsWith('shares.')) {
    const name = feature.slice('shares.'.length);
    return high ? `mostly ${name}` : `little ${name}`;
  }
  const given = high ? w?.high : w?.low;
  return given ?? `${high ? 'high' : 'low'} ${humanize(feature)}`;
}

/** `affinities.running` → "running interest", `computed.orders_30d` → "orders 30d", `counts.Product Viewed` → "Product Viewed". */
function humanize(feature: string): string {
  const [family, ...rest] = feature.split('.');
  const name = rest.join('.').replace(/[_-]+/g, ' ');
  if (family === 'affinities') return `${name} interest`;
  if (family === 'counts' || family === 'computed' || family === 'traits') return name;
  return feature.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function slug(label: string): string {
  const s = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return /^[a-z0-9]/.test(s) ? s : `segment-${s}`.slice(0, 64);
}
