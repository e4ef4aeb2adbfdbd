/**
 * A user's value of one experiment metric, from the user's events: pure, no I/O. The results
 * (`results.ts`) read the event log, find each user's first exposure and call
 * {@link userMetricValue} per metric; the rows go to `analyze`.
 *
 * The events each metric reads are the ones Attune logs itself or Segment's e-commerce spec
 * names: `Order Completed` (conversion, revenue), `Recommendation Shown` and `Product Clicked`
 * (CTR), `Message Received` / `Message Sent` with their `sessionId` (turns per session,
 * session duration), `Feedback Given` (satisfaction).
 */

import { AttuneEvents, EcommerceEvents } from '../core/ecommerce';
import type { MetricKind } from './analyze';
import type { Metric } from './definition';

/** The event an exposure is logged as (Segment's and GrowthBook's name). */
export const EXPOSURE_EVENT = 'Experiment Viewed';

/** What a metric reads of an event: its name, properties and time (epoch milliseconds). */
export interface MetricEvent {
  event: string;
  properties: Readonly<Record<string, unknown>>;
  at: number;
}

/** A user's value of a binomial or mean metric, with the same metric before exposure (for CUPED). */
export interface ValueOutcome {
  value: number;
  pre: number;
}

/** A user's numerator and denominator of a ratio metric. */
export interface RatioOutcome {
  numerator: number;
  denominator: number;
}

/** A user's value of a metric: a value for binomial and mean metrics, a ratio's parts otherwise. */
export type MetricOutcome = ValueOutcome | RatioOutcome;

const HOUR = 3_600_000;

/**
 * Which test a metric takes: conversions are binomial; revenue, counts and sums are means of a
 * per-user value; CTR, turns per session, session duration, satisfaction and a custom mean are
 * ratios of per-user sums (a user with many sessions weighs more, as the delta method expects).
 *
 * ```ts
 * metricTest({ kind: 'ctr' }); // 'ratio'
 * ```
 */
export function metricTest(metric: Metric): MetricKind {
  switch (metric.kind) {
    case 'conversion':
      return 'binomial';
    case 'revenue':
      return 'mean';
    case 'custom':
      return metric.aggregation === 'any' ? 'binomial' : metric.aggregation === 'mean' ? 'ratio' : 'mean';
    default:
      return 'ratio';
  }
}

/** The metric's attribution window in hours: its own, else the experiment's default. */
export function windowHoursOf(metric: Metric, defaultHours: number): number {
  return 'windowHours' in metric && metric.windowHours !== undefined ? metric.windowHours : defaultHours;
}

/**
 * A user's value of `metric`, from the user's events (any order), counting those in
 * `[exposedAt, exposedAt + window)`; for binomial and mean metrics also `pre`, the same value in
 * the window of the same length that ends at exposure (the CUPED covariate).
 *
 * ```ts
 * userMetricValue({ kind: 'conversion', event: 'Order Completed' }, events, exposedAt, 72);
 * // { value: 1, pre: 0 }: ordered within 72 hours of the first exposure, not in the 72 before
 * ```
 */
export function userMetricValue(metric: Metric, events: readonly MetricEvent[], exposedAt: number, windowHours: number): MetricOutcome {
  const span = windowHours * HOUR;
  const after = events.filter((e) => e.at >= exposedAt && e.at < exposedAt + span);
  if (metricTest(metric) === 'ratio') return ratioOf(metric, after);
  const before = events.filter((e) => e.at >= exposedAt - span && e.at < exposedAt);
  return { value: valueOf(metric, after), pre: valueOf(metric, before) };
}

function valueOf(metric: Metric, events: readonly MetricEvent[]): number {
  switch (metric.kind) {
    case 'conversion':
      return events.some((e) => e.event === metric.event) ? 1 : 0;
    case 'revenue':
      return sum(events, metric.event, (p) => revenueOf(p, metric.property));
    case 'custom': {
      const { event, property, aggregation } = metric;
      if (aggregation === 'any') return events.some((e) => e.event === event) ? 1 : 0;
      if (aggregation === 'count') return events.filter((e) => e.event === event).length;
      return sum(events, event, (p) => (property === undefined ? 1 : numberOf(p[property])));
    }
    default:
      return 0;
  }
}

function ratioOf(metric: Metric, events: readonly MetricEvent[]): RatioOutcome {
  switch (metric.kind) {
    case 'ctr': {
      // A list of five offers five chances to click: impressions are items shown, not lists.
      const impressions = sum(events, AttuneEvents.RecommendationShown, (p) => (Array.isArray(p.items) ? p.items.length : 1));
      return { numerator: events.filter((e) => e.event === EcommerceEvents.ProductClicked).length, denominator: impressions };
    }
    case 'turns-per-session': {
      const turns = events.filter((e) => e.event === AttuneEvents.MessageReceived);
      return { numerator: turns.length, denominator: new Set(turns.map((e) => sessionOf(e) ?? '')).size };
    }
    case 'session-duration': {
      const spans = sessionSpans(events);
      let seconds = 0;
      for (const [first, last] of spans.values()) seconds += (last - first) / 1000;
      return { numerator: seconds, denominator: spans.size };
    }
    case 'satisfaction': {
      const scores = events.filter((e) => e.event === AttuneEvents.FeedbackGiven && e.properties.added !== false).map((e) => scoreOf(e.properties));
      return { numerator: scores.reduce((s, x) => s + x, 0), denominator: scores.length };
    }
    case 'custom': {
      const { event, property } = metric;
      const values = events.filter((e) => e.event === event).map((e) => (property === undefined ? undefined : numericOrUndefined(e.properties[property])));
      const present = values.filter((v): v is number => v !== undefined);
      return { numerator: present.reduce((s, x) => s + x, 0), denominator: present.length };
    }
    default:
      return { numerator: 0, denominator: 0 };
  }
}

/** First and last time of each session with a logged turn (in or out) in `events`. */
function sessionSpans(events: readonly MetricEvent[]): Map<string, [number, number]> {
  const spans = new Map<string, [number, number]>();
  for (const e of events) {
    if (e.event !== AttuneEvents.MessageReceived && e.event !== AttuneEvents.MessageSent) continue;
    const s = sessionOf(e);
    if (s === undefined) continue;
    const span = spans.get(s);
    if (!span) spans.set(s, [e.at, e.at]);
    else {
      span[0] = Math.min(span[0], e.at);
      span[1] = Math.max(span[1], e.at);
    }
  }
  return spans;
}

function sessionOf(e: MetricEvent): string | undefined {
  const s = e.properties.sessionId;
  return typeof s === 'string' && s ? s : undefined;
}

/**
 * A feedback event's score: a numeric `score` or `rating` when the client sends one, else 1 for
 * a positive reaction and 0 for a negative one (the `positive` flag the feedback stage sets).
 */
function scoreOf(p: Readonly<Record<string, unknown>>): number {
  return numericOrUndefined(p.score) ?? numericOrUndefined(p.rating) ?? (p.positive === true ? 1 : 0);
}

/** Segment's `Order Completed` carries `revenue`; some sources send only `total`. */
function revenueOf(p: Readonly<Record<string, unknown>>, property: string | undefined): number {
  if (property !== undefined) return numberOf(p[property]);
  return numericOrUndefined(p.revenue) ?? numberOf(p.total);
}

function sum(events: readonly MetricEvent[], name: string, of: (p: Readonly<Record<string, unknown>>) => number): number {
  let s = 0;
  for (const e of events) if (e.event === name) s += of(e.properties);
  return s;
}

function numberOf(v: unknown): number {
  return numericOrUndefined(v) ?? 0;
}

/** Numbers, and numeric strings (Segment sources send both), finite only. */
function numericOrUndefined(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
