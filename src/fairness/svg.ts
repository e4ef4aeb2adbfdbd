/**
 * A small horizontal bar chart as SVG text, written by hand so a report needs no plotting
 * library: one bar per group, its value printed beside it, optional interval whiskers.
 */

/** One bar. */
export interface Bar {
  label: string;
  value: number;
  /** An interval to draw over the bar (a bootstrap CI). */
  interval?: readonly [number, number];
}

/** Escapes text for SVG/XML. */
function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const ROW = 22;
const LABEL = 140;
const WIDTH = 520;
const VALUE = 60;

/**
 * A bar chart of `bars` titled `title`, scaled to the largest value (or interval end).
 *
 * ```ts
 * writeFileSync('ndcg-gender.svg', barChart('nDCG@10 by gender', [{ label: 'F', value: 0.45 }, { label: 'M', value: 0.5 }]));
 * ```
 */
export function barChart(title: string, bars: readonly Bar[]): string {
  const max = Math.max(1e-12, ...bars.map((b) => Math.max(b.value, b.interval?.[1] ?? 0)));
  const plot = WIDTH - LABEL - VALUE;
  const x = (v: number) => LABEL + (Math.max(0, v) / max) * plot;
  const height = 30 + bars.length * ROW + 10;
  const rows = bars.map((b, i) => {
    const y = 30 + i * ROW;
    const whisker = b.interval
      ? `<line x1="${x(b.interval[0]).toFixed(1)}" x2="${x(b.interval[1]).toFixed(1)}" y1="${y + 8}" y2="${y + 8}" stroke="#333" stroke-width="1.5"/>`
      : '';
    return [
      `<text x="${LABEL - 6}" y="${y + 12}" text-anchor="end">${escape(b.label)}</text>`,
      `<rect x="${LABEL}" y="${y + 2}" width="${(x(b.value) - LABEL).toFixed(1)}" height="${ROW - 6}" fill="#4a7ab5"/>`,
      whisker,
      `<text x="${(x(Math.max(b.value, b.interval?.[1] ?? 0)) + 4).toFixed(1)}" y="${y + 12}">${b.value.toFixed(3)}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<text x="8" y="18" font-weight="bold">${escape(title)}</text>`,
    ...rows,
    '</svg>',
    '',
  ].join('\n');
}
