/**
 * Bias audits and their mitigations: metric breakdowns by user group (a MetricFrame), exposure
 * fairness of ranked lists, group gaps and the four-fifths rule; reweighing of training
 * interactions, an exposure-aware and a calibrated re-ranker, exposure parity across user groups;
 * the offline audit and its report.
 *
 * ```ts
 * import { runAudit, auditMarkdown } from './fairness';
 * const report = runAudit(loadMovieLens100k(dir), { attributes: ['gender', 'age_group'] });
 * ```
 */

// Breakdowns
export {
  gapsOf,
  meanOf,
  metricFrame,
  quantile,
  type BootstrapOptions,
  type GapMethod,
  type GroupFigures,
  type Interval,
  type MetricFrame,
  type MetricFrameOptions,
  type MetricGaps,
  type SampleMetric,
} from './frame';

// Exposure
export { exposureByItemGroup, exposureShare, itemExposure, positionWeight, type ExposureReport, type GroupExposure } from './exposure';

// Gaps
export { FOUR_FIFTHS, equalOpportunity, fourFifths, ndcgGap, userFrame, type FourFifths, type ScoredUser, type UserFeatures } from './gaps';

// Mitigations
export { reweigh, reweighTable, type ReweighOptions, type ReweighTable } from './reweigh';
export { exposureRerank, type ExposureRerankOptions } from './rerank-exposure';
export { calibrate, calibrationKl, categoryMix, normalizedScores, type CalibrateOptions } from './calibrate';
export { DEFAULT_CANDIDATES, withReranker, type Reranker } from './mitigated';
export {
  exposureParityModel,
  planExposureParity,
  type ExposureParityModel,
  type ExposureParityModelOptions,
  type ExposureParityOptions,
  type ExposureParityPlan,
  type GroupParity,
  type ParityReference,
} from './rerank-parity';
export { GROUP_PRIOR, groupBlend, type GroupBlend, type GroupBlendLift, type GroupBlendOptions, type GroupWeights } from './group-blend';

// The audit
export { AUDITED_METRICS, BLEND_PARTS, MITIGATIONS, auditTrainingPart, runAudit, type AuditGap, type AuditOptions, type AuditReport, type Mitigation } from './audit';

// The report
export { auditMarkdown, auditPlots, type ReportFile } from './report';
export { barChart, type Bar } from './svg';

// Serving
export { mitigatedModel, type ServingMitigation } from './serving';

// The live audit, its thresholds, results and schedule
export { liveAuditData, runLiveAudit, type LiveAuditData, type LiveAuditDataOptions, type LiveAuditReport, type LiveAuditStore } from './live';
export { GapThresholdsSchema, gapVerdicts, parseGapThresholds, type GapThresholds, type GapVerdict } from './thresholds';
export { AUDIT_RESULTS_ARTIFACT, AUDIT_RESULTS_KEPT, auditResult, auditResults, latestAuditResult, type AuditResult, type AuditResults, type AuditResultsOptions } from './results';
export { AuditScheduler, auditScheduleFromEnv, type AlertChange, type AuditObserver, type AuditScheduleConfig, type AuditSchedulerDeps } from './schedule';
