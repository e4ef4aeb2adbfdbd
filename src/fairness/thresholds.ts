/**
 * When a gap between user groups is an alert: its worst/best ratio under a floor (the
 * four-fifths rule's 0.8 by default), or its difference over a ceiling. Pure: the report's
 * gaps in, each gap's verdict out; the scheduler turns verdicts into log lines and metrics.
 */
import { z } from 'zod';
import { parse } from '../core/validate';
import type { AuditGap, AuditReport } from './audit';
import { FOUR_FIFTHS } from './gaps';

/** The thresholds of {@link gapVerdicts}. */
export interface GapThresholds {
  /** A gap whose worst/best ratio is below this alerts (default 0.8, the four-fifths rule). */
  minRatio?: number;
  /** A gap whose best − worst difference is above this alerts too (default: no ceiling). */
  maxDifference?: number;
  /** Only these metrics are judged (default: every audited metric). */
  metrics?: readonly string[];
}

/** The zod schema of {@link GapThresholds}, for config and CLI options. */
export const GapThresholdsSchema = z.object({
  minRatio: z.number().min(0, 'minRatio must be in [0, 1]').max(1, 'minRatio must be in [0, 1]').optional(),
  maxDifference: z.number().min(0, 'maxDifference must be ≥ 0').optional(),
  metrics: z.array(z.string().min(1)).optional(),
});

/** Validates thresholds (ValidationError saying what is wrong). */
export function parseGapThresholds(input: unknown): GapThresholds {
  return parse(GapThresholdsSchema, input, 'fairness thresholds');
}

/** One gap judged against the thresholds. */
export interface GapVerdict extends AuditGap {
  alert: boolean;
  /** Which threshold it crossed, when it alerts. */
  crossed?: 'ratio' | 'difference';
  minRatio: number;
  maxDifference?: number;
}

/**
 * Every gap of a report with its verdict, in the report's order (largest relative gap first).
 *
 * ```ts
 * gapVerdicts(report, { minRatio: 0.8 }).filter((v) => v.alert);
 * ```
 */
export function gapVerdicts(report: Pick<AuditReport, 'gaps'>, thresholds: GapThresholds = {}): GapVerdict[] {
  const minRatio = thresholds.minRatio ?? FOUR_FIFTHS;
  const { maxDifference, metrics } = thresholds;
  return report.gaps
    .filter((g) => !metrics || metrics.includes(g.metric))
    .map((g) => {
      // A ratio is undefined-like (NaN) when the best group scores 0: nothing to compare, no alert.
      const crossed = g.ratio < minRatio ? 'ratio' : maxDifference !== undefined && g.difference > maxDifference ? 'difference' : undefined;
      return { ...g, alert: crossed !== undefined, ...(crossed && { crossed }), minRatio, ...(maxDifference !== undefined && { maxDifference }) };
    });
}
