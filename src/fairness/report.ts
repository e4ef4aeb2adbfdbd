/**
 * An audit's report as files: a Markdown page (the headline metrics, every gap, the four-fifths
 * verdicts, exposure by item group, each attribute's per-group table) and SVG plots of nDCG and
 * long-tail exposure per group and of exposure per item group. Pure: returns file names and
 * contents; the caller writes them.
 */
import type { AuditReport } from './audit';
import type { ExposureReport } from './exposure';
import { barChart } from './svg';

/** A file of the report: a name relative to the report's folder, and its text. */
export interface ReportFile {
  name: string;
  text: string;
}

const f4 = (v: number) => v.toFixed(4);

/** A file-name-safe form of an attribute or metric name. */
function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-');
}

/**
 * The SVG plots of a report.
 *
 * ```ts
 * for (const f of auditPlots(report)) writeFileSync(join(dir, f.name), f.text);
 * ```
 */
export function auditPlots(report: AuditReport): ReportFile[] {
  const files: ReportFile[] = [];
  for (const [attribute, frame] of Object.entries(report.frames)) {
    for (const [metric, title] of [
      ['ndcg', `nDCG@${report.k}`],
      ['tailExposure', 'long-tail share of exposure'],
    ] as const) {
      const bars = Object.entries(frame.byGroup).map(([label, g]) => ({ label: `${label} (${g.size})`, value: g.values[metric], interval: g.ci?.[metric] }));
      files.push({ name: `${slug(metric)}-by-${slug(attribute)}.svg`, text: barChart(`${title} by ${attribute}`, bars) });
    }
  }
  const exposure = (name: string, title: string, e: ExposureReport) =>
    files.push({ name, text: barChart(title, Object.entries(e.groups).map(([label, g]) => ({ label, value: g.share }))) });
  exposure('exposure-by-popularity.svg', 'share of exposure: head and long tail', report.exposure.popularity);
  if (report.exposure.category) exposure('exposure-by-category.svg', 'share of exposure by category', report.exposure.category);
  return files;
}

/**
 * The Markdown page of a report; `plots` are linked when given (names from {@link auditPlots}).
 *
 * ```ts
 * writeFileSync('audit.md', auditMarkdown(report, auditPlots(report)));
 * ```
 */
export function auditMarkdown(report: AuditReport, plots: readonly ReportFile[] = []): string {
  const m = report.metrics;
  const b = report.beyond;
  const lines = [
    `# Bias audit: ${report.model}, mitigation ${report.mitigation}${report.strength ? ` (strength ${report.strength})` : ''}`,
    '',
    `${report.users} users scored, top ${report.k}, split ${report.split}.`,
    '',
    `| nDCG@${report.k} | recall | hit rate | coverage | Gini | novelty | diversity | serendipity | long-tail share | avg popularity |`,
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${[m.ndcg, m.recall, m.hitRate, b.catalogCoverage, b.gini, b.novelty, b.diversity, b.serendipity, b.longTailShare].map(f4).join(' | ')} | ${b.averagePopularity.toFixed(1)} |`,
    '',
    '## Gaps between user groups (largest relative gap first)',
    '',
    '| attribute | metric | best − worst | 95 % CI | worst / best | worst | best |',
    '|---|---|---|---|---|---|---|',
    ...report.gaps.map((g) => `| ${g.attribute} | ${g.metric} | ${f4(g.difference)} | ${g.ci ? `${f4(g.ci[0])} – ${f4(g.ci[1])}` : '–'} | ${g.ratio.toFixed(3)} | ${g.worst} | ${g.best} |`),
    '',
    '## Four-fifths rule',
    '',
    ...report.alerts.map((a) => `- ${a.alert ? '**ALERT**' : 'ok'}: ${a.metric} ${a.worst} / ${a.best} = ${a.ratio.toFixed(3)} (threshold ${a.threshold})`),
    '',
    '## Exposure by item group',
    '',
    '| group | items | share of exposure | exposure per item |',
    '|---|---|---|---|',
    ...Object.entries(report.exposure.popularity.groups).map(([g, e]) => `| ${g} | ${e.items} | ${f4(e.share)} | ${f4(e.perItem)} |`),
    '',
  ];
  for (const [attribute, frame] of Object.entries(report.frames)) {
    const metrics = Object.keys(frame.overall);
    lines.push(`## By ${attribute}`, '', `| group | users | ${metrics.join(' | ')} |`, `|---|---|${metrics.map(() => '---|').join('')}`);
    lines.push(`| overall | ${report.users} | ${metrics.map((x) => f4(frame.overall[x])).join(' | ')} |`);
    for (const [group, g] of Object.entries(frame.byGroup)) lines.push(`| ${group} | ${g.size} | ${metrics.map((x) => f4(g.values[x])).join(' | ')} |`);
    lines.push('');
  }
  if (plots.length) lines.push('## Plots', '', ...plots.map((p) => `![${p.name}](${p.name})`), '');
  return lines.join('\n');
}
