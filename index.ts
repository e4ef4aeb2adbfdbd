/**
 * `attune`: the personalization layer for chatbots. Every export is named here, grouped;
 * framework bindings live in their own entry points (`attune/botbuilder`, `attune/dialogflow`,
 * `attune/rasa`), so that this one loads no bot framework.
 *
 * ```ts
 * import { createAttune, loadModelFile, openStore } from 'attune';
 * import { AttuneMiddleware } from 'attune/botbuilder';
 * const attune = createAttune({
 *   store: openStore(process.env.ATTUNE_REDIS_URL),      // memory when unset
 *   catalog: require('./catalog.json'),
 *   recommender: loadModelFile('model.json'),             // from `attune train --out model.json`
 * });
 * adapter.use(new AttuneMiddleware(attune));
 * ```
 */
import { Attune, type AttuneOptions } from './src/engine/attune';
import { defaultStages, type DefaultStagesOptions } from './middleware';

/** Options of {@link createAttune}: the engine's and the default stages'. */
export interface CreateAttuneOptions extends AttuneOptions {
  stages?: DefaultStagesOptions;
}

/**
 * An Attune engine with the standard pipeline installed (log → context → profile → segment
 * → experiment → recommend → tone → feedback). Use `new Attune()` and `use()` for a pipeline of your own.
 *
 * ```ts
 * const attune = createAttune({ catalog, stages: { recommend: { k: 3 } } });
 * const { recommendations, reply } = await attune.turn({ userId: 'u1', text: 'any running shoes?', draft: 'Here you go.' });
 * ```
 */
export function createAttune(options: CreateAttuneOptions = {}): Attune {
  const { stages, ...engine } = options;
  const attune = new Attune(engine);
  // The default onboarding flow offers the catalog's categories as interests.
  const o = stages?.onboarding;
  const withCategories = o && !o.flow && !o.categories ? { ...stages, onboarding: { ...o, categories: attune.catalog.categoryNames() } } : stages;
  return attune.use(...defaultStages(withCategories));
}

// Engine
export { Attune } from './src/engine/attune';
export type { AttuneOptions, BotHandler, FailureCounts, IngestResult, Stage, TrainOptions, TrainResult, TurnRequest, TurnResult } from './src/engine/attune';
export { AttuneContext } from './src/engine/context';
export type { ReplyTransform, TurnServices } from './src/engine/context';

// Effects: what a stage writes
export { defineEffect, TurnEffects } from './src/engine/effects';
export type { EffectKind } from './src/engine/effects';

// Hooks: observers of turns, stage failures, store calls, ingestion and failed writes
export type { Hooks, IngestedEvent, IngestReport, InvalidInputReport, StageErrorReport, StoreCallReport, TurnReport, WriteErrorReport } from './src/engine/hooks';
export type { HandleOptions, IngestOptions } from './src/engine/attune';

// Metrics: Prometheus, from the hooks
export { ADAPTER_LABELS, createMetrics, degradedReason, METRIC_NAMES } from './src/observe/metrics';
export type { DegradedReason, Metrics, MetricsOptions } from './src/observe/metrics';
export { boundedLabel, OTHER_LABEL } from './src/observe/labels';

// Stages
export { defaultStages, EXPERIMENT_VIEWED, experiments, feedback, ONBOARDING_EVENTS, onboarding, onboardingReply, overridesFor, profileUpdate, recommendations, segmentMembership, sessionContext, tone, turnLog } from './middleware';
export type { DefaultStagesOptions, ExperimentsFlavor, ExperimentStageOptions, RecommendPolicy, RecommendStageOptions, SessionContextOptions, TurnLogOptions } from './middleware';
export type { OnboardingFlavor, OnboardingStageOptions } from './middleware';
export type { SegmentsFlavor, SegmentStageOptions } from './middleware/segment';
export { predictions } from './middleware/predict';
export type { PredictionsFlavor } from './middleware/predict';

// Onboarding: the flow and its state (pure)
export { defaultOnboardingFlow, onboardingFilter, onboardingFlow, OnboardingFlowSchema, onboardingOf, onboardingPrompt, onboardingStep } from './src/onboarding';
export type { OnboardingChoice, OnboardingFlow, OnboardingFlowInput, OnboardingPrompt, OnboardingState } from './src/onboarding';
export type { ToneFlavor, ToneStageOptions } from './middleware/tone';
export { isFeedbackValue } from './middleware/feedback';
export type { FeedbackStageOptions, FeedbackValue } from './middleware/feedback';

// Learning: feedback types, online updates between trainings, safe retraining
export { DEFAULT_FEEDBACK_TYPES, classify, feedbackConfig, FeedbackConfigSchema } from './src/learning/feedback-types';
export type { Feedback, FeedbackConfig, FeedbackKind, FeedbackSignal, FeedbackType } from './src/learning/feedback-types';
export { signalsOfEvent, signalsOfTurn } from './src/learning/signals';
export { OnlineUpdates } from './src/learning/online';
export type { OnlineUpdatesOptions } from './src/learning/online';
export type { OnlineState } from './src/learning/online-state';
export { safeRetrain } from './src/learning/retrain';
export type { EvaluatedModel, RetrainReport, SafeRetrainOptions } from './src/learning/retrain';
export type { DriftReport, ScoreSummary } from './src/learning/drift';
export type { ServedRecord, ServedVersion } from './src/recommend/serving';

// Domain
export { Catalog, CatalogItemSchema } from './src/core/catalog';
export type { CatalogItem } from './src/core/catalog';
export { filterFromParameters, RecommendFilterSchema } from './src/core/filter';
export type { RecommendFilter } from './src/core/filter';
export { normalizeEvent, normalizeBatch, EventInputSchema, BatchInputSchema } from './src/core/event';
export type { AttuneEvent, EventInput, EventContext } from './src/core/event';
export { EcommerceEvents, AttuneEvents, productsOf } from './src/core/ecommerce';
export type { Turn, Reply, TurnKind, RecommendationStyle } from './src/core/turn';
export type { Profile, StoredAssignment } from './src/core/profile';
export type { Session } from './src/core/session';
export type { ExperimentVariant, Personalization, Predictions, Recommendation, ToneName, TurnOverrides } from './src/core/personalization';
export { compose } from './src/core/compose';
export type { Middleware, NextFn } from './src/core/compose';

// Errors
export { AttuneError, ValidationError, NotFoundError, ConfigError, ConflictError, StoreError } from './src/core/errors';
export type { ErrorCode, Issue } from './src/core/errors';

// Stores
export { openStore, registerStore } from './src/store/open';
export type { OpenStoreOptions, StoreOpener } from './src/store/open';
export { propensityFromEnv, storeFromEnv } from './src/engine/from-env';
export { MemoryStore, type MemoryStoreOptions } from './src/store/memory';
export { MEMORY_CAPS, type MemoryCaps } from './src/store/data/memory-caps';
export { RedisStore } from './src/store/redis';
export type { RedisStoreOptions } from './src/store/redis';
export type { Store, StoreOptions, WriteBatch, UserSnapshot, EventPage, EventQuery } from './src/store/store';
export type { Erased, ErasedCounts } from './src/store/store';
export type { EventStream, StreamedEvent, ClaimedEvent, GroupStart, GroupRead, StaleClaim, PendingSummary } from './src/store/store';

// REST API (/v1) to mount in an app of your own, and the whole HTTP edge (also `attune/http`)
export { apiRouter } from './adapters/http/api';
export type { ApiOptions } from './adapters/http/api';
export { parseApiKeys } from './adapters/http/api-keys';
export type { ApiKeys, Role } from './adapters/http/api-keys';
export { createServer } from './adapters/http/server';

// Rank/reward: the service, its events, offline policy evaluation
export { RANK_DECIDED, REWARD_RECEIVED } from './src/learning/rank/events';
export { RankService } from './src/learning/rank/service';
export type { RankedAction, RankOptions, RankReport, RankResult, RewardResult } from './src/learning/rank/service';
export { RankRequestSchema } from './src/learning/rank/schema';
export type { RankRequest } from './src/learning/rank/schema';
export { offPolicyEstimates } from './src/learning/rank/estimators';
export type { Estimate, LoggedSample, OffPolicyEstimates } from './src/learning/rank/estimators';

// Experiments: definitions, the registry (config and REST, shared by replicas), bandit allocation
export { ExperimentSchema, MetricSchema, OverridesSchema, VariantSchema } from './src/experiments/definition';
export type { Experiment, ExperimentInput, Metric, Overrides, Variant } from './src/experiments/definition';
export { armCounter, counterArmStats, EXPERIMENTS_ARTIFACT, ExperimentRegistry } from './src/experiments/registry';
export type { ExperimentRecord, ExperimentRegistryOptions } from './src/experiments/registry';
export type { AllocationPoint, ArmStatsSource } from './src/experiments/allocation';

// Data quality: normalizers, tracking plans, the monitor
export { FieldRuleSchema, MonitorSchema, QualityConfigSchema, RATE_KINDS, TrackingPlanSchema } from './src/quality/config';
export type { FieldKind, FieldRule, QualityConfig, RateKind, TrackingPlan } from './src/quality/config';
export { createQualityGate, QUALITY_USER, QualityGate, VIOLATION_EVENT } from './src/quality/gate';
export { normalizeField } from './src/quality/normalize';
export { numberFromWords } from './src/quality/number-words';
export { checkEvent, VIOLATION_TYPES } from './src/quality/tracking-plan';
export type { Violation, ViolationType } from './src/quality/tracking-plan';
export type { SourceQuality } from './src/quality/monitor';
export type { QualityAlert, QualityReport } from './src/quality/report';
export { QUALITY_METRIC_NAMES } from './src/observe/quality-metrics';

// Fairness on the live store: audit-only attributes, live and scheduled audits, their alerts
export { AUDIT_ATTRIBUTES_EVENT, FAIRNESS_PURPOSE, parseAuditAttributes } from './src/privacy/audit-attributes';
export type { AuditAttributes } from './src/privacy/audit-attributes';
export { AuditScheduler, auditResult, auditResults, auditScheduleFromEnv, gapVerdicts, latestAuditResult, runLiveAudit } from './src/fairness';
export type { AuditReport, AuditResult, AuditResults, AuditScheduleConfig, GapThresholds, GapVerdict, LiveAuditReport } from './src/fairness';
export { FAIRNESS_METRIC_NAMES, fairnessMetrics } from './src/observe/fairness-metrics';

// Human review of sensitive content: the policy, the queue (memory, Redis), the serving gate and its decisions
export { MemoryReviewQueue, RedisReviewQueue, ReviewService, sensitivityPolicy, reviewEntryId } from './src/fairness/review';
export type { RedisReviewQueueOptions, ReviewDecision, ReviewEntry, ReviewOptions, ReviewQueue, ReviewStatus, SensitivityPolicy, SensitivityPolicyInput } from './src/fairness/review';
export { reviewFromEnv } from './src/engine/from-env';
export { REVIEW_METRIC_NAMES } from './src/observe/review-metrics';

// Segments and tone
export { Segments, DEFAULT_SEGMENTS } from './src/segments/segments';
export type { SegmentDefinition } from './src/segments/segments';
export type { PredictionRule, Rule } from './src/segments/rule';
export { DEFAULT_TEMPLATES } from './src/tone/templates';
export { LOCALE_TEMPLATES } from './src/tone/locales';
export type { ToneOverrides, ToneTemplatesByLanguage } from './src/tone/locales';
export { detectLanguage, TONE_LANGUAGES } from './src/tone/language';
export type { ToneLanguage } from './src/tone/language';
export type { ToneTemplate } from './src/tone/templates';

// Recommendations
export { loadModelFile } from './src/recommend/model-file';
export { createRecommender, loadRecommender, MODEL_KINDS } from './src/recommend/models';
export type { ModelKind } from './src/recommend/models';
export type { Recommender, Interaction, Scored, ModelArtifact } from './src/recommend/recommender';

// Purchase propensity: training off the turn path, the artifact, serving
export { loadPropensityFile } from './src/predict/model-file';
export { PropensityModel } from './src/predict/model';
export { parsePropensityArtifact, PROPENSITY_ARTIFACT, PropensityArtifactSchema } from './src/predict/artifact';
export type { PropensityArtifact } from './src/predict/artifact';
export { evaluatePropensity, fitPropensity, trainPropensity } from './src/predict/train';
export type { PropensityEvaluation, PropensityTrainOptions, PropensityTrainResult } from './src/predict/train';
export { PropensityService } from './src/predict/serving';
export { auc, brierScore, calibrationReport, calibrationTable, expectedCalibrationError } from './src/evaluate/calibration';
export type { CalibrationBin, CalibrationReport } from './src/evaluate/calibration';

// Privacy: the default field list of redaction, to extend in `redaction.fields`
export { DEFAULT_FIELD_TYPES } from './src/privacy/redact';
export type { RedactorOptions } from './src/privacy/redact';
export type { PiiType } from './src/privacy/recognizers';
