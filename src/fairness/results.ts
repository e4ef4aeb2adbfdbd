/**
 * Where audit results go: each is kept as a version of one artifact of the store (so that
 * every replica's dashboard reads the latest, whoever ran it), and optionally as files in a
 * folder (JSON and Markdown, one pair per audit and `latest.*`). A result holds group
 * aggregates only: no user id, no user's attribute.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ArtifactStore } from '../store/store';
import type { AuditReport } from './audit';
import { auditMarkdown } from './report';
import type { GapVerdict } from './thresholds';

/** The artifact audit results are versions of. */
export const AUDIT_RESULTS_ARTIFACT = 'fairness-audit';

/** Versions kept by default: older results are pruned as new ones are saved. */
export const AUDIT_RESULTS_KEPT = 30;

/** One audit's result, as saved. */
export interface AuditResult {
  /** ISO time the audit finished. */
  at: string;
  /** Every judged gap, largest relative gap first. */
  verdicts: GapVerdict[];
  /** How many verdicts alert. */
  alerting: number;
  report: AuditReport;
  /** The report as Markdown (the offline audit's page, without plots). */
  markdown: string;
}

/** Builds a result from a report and its verdicts. */
export function auditResult(report: AuditReport, verdicts: GapVerdict[], at: Date): AuditResult {
  return { at: at.toISOString(), verdicts, alerting: verdicts.filter((v) => v.alert).length, report, markdown: auditMarkdown(report) };
}

/** What a saved result must have to be shown: read back from the store, it is checked, not trusted. */
const SavedResult = z.looseObject({
  at: z.string(),
  alerting: z.number(),
  verdicts: z.array(z.looseObject({ attribute: z.string(), metric: z.string(), difference: z.number(), ratio: z.number().or(z.null()), worst: z.string(), best: z.string(), alert: z.boolean(), minRatio: z.number() })),
  report: z.looseObject({ model: z.string(), users: z.number(), k: z.number() }),
  markdown: z.string(),
});

/** Saved audit results: the store's artifact versions, and a folder when given. */
export interface AuditResults {
  /** Saves a result; returns its version in the store. */
  save(result: AuditResult): Promise<number>;
  /** The latest result, or null when none was saved (or it cannot be read). */
  latest(): Promise<AuditResult | null>;
}

/** Options of {@link auditResults}. */
export interface AuditResultsOptions {
  /** Also write `audit-<time>.json`/`.md` and `latest.json`/`.md` here. */
  dir?: string;
  /** Versions kept in the store (default 30). */
  keep?: number;
}

/**
 * Audit results in a store's artifacts (and a folder).
 *
 * ```ts
 * const results = auditResults(attune.store, { dir: 'audits' });
 * await results.save(auditResult(report, gapVerdicts(report), new Date()));
 * ```
 */
export function auditResults(store: ArtifactStore, options: AuditResultsOptions = {}): AuditResults {
  const keep = options.keep ?? AUDIT_RESULTS_KEPT;
  return {
    async save(result) {
      if (options.dir) writeResultFiles(options.dir, result);
      const version = await store.putArtifact(AUDIT_RESULTS_ARTIFACT, JSON.stringify(result));
      if (version > keep) await store.pruneArtifacts(AUDIT_RESULTS_ARTIFACT, version - keep + 1);
      return version;
    },
    latest: () => latestAuditResult(store),
  };
}

/**
 * The latest result saved in a store, checked as it is read back: null when none was saved or
 * it cannot be read (what a dashboard shows then is "no audit yet", never an error).
 */
export async function latestAuditResult(store: Pick<ArtifactStore, 'getArtifact'>): Promise<AuditResult | null> {
  const saved = await store.getArtifact(AUDIT_RESULTS_ARTIFACT);
  if (!saved) return null;
  try {
    const checked = SavedResult.safeParse(JSON.parse(saved.data));
    if (!checked.success) return null;
    const result = checked.data as unknown as AuditResult;
    // JSON turns a NaN ratio into null; it reads back as NaN.
    return { ...result, verdicts: result.verdicts.map((v) => ({ ...v, ratio: v.ratio ?? Number.NaN })) };
  } catch {
    return null;
  }
}

/** Writes a result's JSON and Markdown, under its time and as `latest`. */
function writeResultFiles(dir: string, result: AuditResult): void {
  mkdirSync(dir, { recursive: true });
  const stamp = result.at.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(result, null, 2)}\n`;
  for (const name of [`audit-${stamp}`, 'latest']) {
    writeFileSync(join(dir, `${name}.json`), json);
    writeFileSync(join(dir, `${name}.md`), result.markdown);
  }
}
