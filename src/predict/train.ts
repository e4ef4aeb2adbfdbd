import type { Catalog } from '../core/catalog';
import { ValidationError } from '../core/errors';
import type { AttuneEvent } from '../core/event';
import { auc, calibrationReport, type CalibrationReport } from '../evaluate/calibration';
import { PROPENSITY_ARTIFACT, PROPENSITY_FORMAT, propensityVersion, type HoldoutSummary, type LogisticHead, type PropensityArtifact } from './artifact';
import { buildExamples, itemCategories, type PropensityExamples } from './dataset';
import { featureSchema, type FeatureSchema } from './features';
import { eventsByUser } from './history';
import { fitLogistic } from './logistic';
import { PropensityModel } from './model';
import { timeSplit, type TimeSplit } from './split';

/**
 * Training a propensity model off the turn path: events → a time-based split → feature rows
 * and labels → standardization → one L2 logistic regression overall and one per category
 * → a versioned artifact, evaluated on the later cut-off it never saw.
 */

const DAY_MS = 86_400_000;

/** Options of {@link trainPropensity}. */
export interface PropensityTrainOptions {
  /** Predict an order within this many days (default 7). */
  horizonDays?: number;
  /** L2 penalty of every head (default 1). */
  l2?: number;
  /** How many training cut-offs, a week apart by default (default 4). */
  trainCutoffs?: number;
  /** Days between training cut-offs (default 7). */
  stepDays?: number;
  /** Item categories (the events' own `category` fills what it lacks). */
  catalog?: Catalog;
  /** A category needs this many positive training rows for a head of its own (default 10). */
  minPositives?: number;
  /** The end of the data (default: the last event's time). */
  end?: number;
  /** When the model was trained (default: now). */
  clock?: () => number;
}

/** How the model did on the test cut-off, with the heuristic baselines beside it. */
export interface PropensityEvaluation {
  overall: CalibrationReport;
  /** Per category with a head: its AUC on the test rows and how many positives it had. */
  byCategory: Record<string, { auc: number; positives: number }>;
  /** AUC of one-feature heuristics on the same rows: the days since the user was last seen (fewer is likelier), and events in the last 30 days. */
  baselines: { recency: number; frequency: number };
}

/** What training produced. */
export interface PropensityTrainResult {
  artifact: PropensityArtifact;
  model: PropensityModel;
  split: TimeSplit;
  schema: FeatureSchema;
  train: PropensityExamples;
  test: PropensityExamples;
  evaluation: PropensityEvaluation;
  /** Milliseconds spent fitting (features excluded). */
  fitMs: number;
}

/**
 * Trains on a whole event log and evaluates on its time-based holdout.
 *
 * ```ts
 * const { artifact, evaluation } = trainPropensity(events, { catalog, horizonDays: 7 });
 * writeFileSync('propensity.json', JSON.stringify(artifact));
 * evaluation.overall.auc; // 0.87
 * ```
 * @throws ValidationError when the events do not span the split (too few days, or no positives)
 */
export function trainPropensity(events: readonly AttuneEvent[], options: PropensityTrainOptions = {}): PropensityTrainResult {
  if (!events.length) throw new ValidationError('no events to train a propensity model on');
  const horizonDays = options.horizonDays ?? 7;
  const horizonMs = horizonDays * DAY_MS;
  const end = options.end ?? events.reduce((m, e) => Math.max(m, Date.parse(e.timestamp)), -Infinity);
  const split = timeSplit({ end, horizonMs, trainCutoffs: options.trainCutoffs, stepMs: (options.stepDays ?? 7) * DAY_MS });
  const first = events.reduce((m, e) => Math.min(m, Date.parse(e.timestamp)), Infinity);
  if (split.train[0] <= first) throw new ValidationError(`the events span too little time for the split: the first training cut-off (${new Date(split.train[0]).toISOString()}) is before the first event`);
  const { categoryOf, categories } = itemCategories(events, options.catalog);
  const schema = featureSchema(categories);
  const byUser = eventsByUser(events);
  const exampleOptions = { schema, horizonMs, categoryOf, catalog: options.catalog };
  const train = buildExamples(byUser, split.train, exampleOptions);
  const test = buildExamples(byUser, [split.test], exampleOptions);
  const started = performance.now();
  const artifact = fitPropensity(train, schema, { horizonDays, l2: options.l2, minPositives: options.minPositives, trainedAt: options.clock?.() ?? Date.now() });
  const fitMs = performance.now() - started;
  const model = new PropensityModel(artifact);
  const evaluation = evaluatePropensity(model, test);
  artifact.holdout = holdoutSummary(evaluation, split.test);
  return { artifact, model, split, schema, train, test, evaluation, fitMs };
}

/** Options of {@link fitPropensity}. */
export interface FitPropensityOptions {
  horizonDays: number;
  l2?: number;
  minPositives?: number;
  /** Epoch ms. */
  trainedAt: number;
}

/**
 * Fits the heads on training rows: standardizes with their means and standard deviations,
 * then one logistic regression on `purchase` and one per category with enough positives.
 *
 * ```ts
 * const artifact = fitPropensity(train, schema, { horizonDays: 7, trainedAt: Date.now() });
 * ```
 * @throws ValidationError when there are no rows, or no positive (or no negative) row
 */
export function fitPropensity(train: PropensityExamples, schema: FeatureSchema, options: FitPropensityOptions): PropensityArtifact {
  const n = train.rows.length;
  const positives = train.purchase.reduce((a, b) => a + b, 0);
  if (!n || !positives || positives === n) throw new ValidationError(`cannot fit a propensity model on ${n} rows with ${positives} positives: it needs both outcomes`);
  const l2 = options.l2 ?? 1;
  const minPositives = options.minPositives ?? 10;
  const { mean, scale } = standardization(train.rows, schema.names.length);
  const x = train.rows.map((r) => {
    const s = new Float64Array(r.length);
    for (let j = 0; j < r.length; j++) s[j] = (r[j] - mean[j]) / scale[j];
    return s;
  });
  const head = (y: number[]): LogisticHead => {
    const fit = fitLogistic(x, y, { l2 });
    return { intercept: fit.intercept, weights: fit.weights };
  };
  const byCategory: Record<string, LogisticHead> = {};
  for (const [c, y] of train.byCategory) {
    const pos = y.reduce((a, b) => a + b, 0);
    if (pos >= minPositives && n - pos >= minPositives) byCategory[c] = head(y);
  }
  const parts = { horizonDays: options.horizonDays, features: [...schema.names], standardization: { mean, scale }, overall: head(train.purchase), byCategory };
  const cutoffs = [...new Set(train.cutoffs)].sort((a, b) => a - b).map((t) => new Date(t).toISOString());
  return {
    kind: PROPENSITY_ARTIFACT,
    format: PROPENSITY_FORMAT,
    version: propensityVersion(parts),
    trainedAt: new Date(options.trainedAt).toISOString(),
    l2,
    categories: [...schema.categories],
    ...parts,
    training: { rows: n, positives, cutoffs },
  };
}

/**
 * AUC, Brier score and calibration of a model on test rows, per-category AUC, and the AUC of
 * the recency-only and frequency-only heuristics on the same rows.
 */
export function evaluatePropensity(model: PropensityModel, test: PropensityExamples): PropensityEvaluation {
  const predictions = test.rows.map((r) => model.predictRow(r));
  const overall = calibrationReport(predictions.map((p) => p.purchase), test.purchase);
  const byCategory: PropensityEvaluation['byCategory'] = {};
  for (const c of Object.keys(model.artifact.byCategory).sort()) {
    const y = test.byCategory.get(c) ?? [];
    byCategory[c] = { auc: auc(predictions.map((p) => p.byCategory[c]), y), positives: y.reduce((a, b) => a + b, 0) };
  }
  return { overall, byCategory, baselines: heuristicBaselines(model.schema, test) };
}

/** The AUC of the recency-only and frequency-only heuristic scores on a set of rows. */
export function heuristicBaselines(schema: FeatureSchema, rows: PropensityExamples): { recency: number; frequency: number } {
  const recency = schema.names.indexOf('days_since_last_seen');
  const frequency = schema.names.indexOf('events_30d');
  return {
    recency: auc(rows.rows.map((r) => -r[recency]), rows.purchase),
    frequency: auc(rows.rows.map((r) => r[frequency]), rows.purchase),
  };
}

function holdoutSummary(e: PropensityEvaluation, testCutoff: number): HoldoutSummary {
  const num = (v: number) => (Number.isFinite(v) ? v : null);
  const byCategoryAuc: Record<string, number | null> = {};
  for (const [c, v] of Object.entries(e.byCategory)) byCategoryAuc[c] = num(v.auc);
  return { auc: num(e.overall.auc), brier: num(e.overall.brier), ece: num(e.overall.ece), count: e.overall.count, baseRate: num(e.overall.baseRate), testCutoff: new Date(testCutoff).toISOString(), byCategoryAuc };
}

function standardization(rows: readonly Float64Array[], d: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j];
  for (let j = 0; j < d; j++) mean[j] /= rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) scale[j] += (r[j] - mean[j]) ** 2;
  // A constant feature keeps scale 1: it then only shifts the intercept, which the fit absorbs.
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(scale[j] / rows.length);
    scale[j] = sd > 1e-9 ? sd : 1;
  }
  return { mean, scale };
}
