/** A seeded synthetic event log of an experiment, with planted effects, for the metric and results tests. */
import { mulberry32 } from '../../src/core/random';
import type { AttuneEvent } from '../../src/core/event';
import { ExperimentSchema, type Experiment } from '../../src/experiments/definition';

/** What is planted in one arm. */
export interface Arm {
  /** Chance of an order within the attribution window. */
  convert: number;
  /** Chance that each recommended item shown is clicked. */
  click: number;
}

/** Options of {@link syntheticLog}. */
export interface LogOptions {
  seed: number;
  users: number;
  arms: Record<string, Arm>;
  /** Chance that a user of any arm orders again 100 hours after exposure, outside the 72-hour window. */
  lateOrder?: number;
  /** Share of each arm's exposures that are lost (for the sample-ratio check). */
  lose?: Record<string, number>;
}

export const T0 = Date.parse('2026-03-01T00:00:00Z');
const H = 3_600_000;

/** The experiment the log is about: two arms, conversion and CTR primary, revenue a guardrail. */
export function shopExperiment(extra: Record<string, unknown> = {}): Experiment {
  return ExperimentSchema.parse({
    id: 'recs-policy',
    start: new Date(T0).toISOString(),
    variants: [
      { id: 'popular', overrides: { policy: 'popular' } },
      { id: 'personalized', overrides: { policy: 'personalized' } },
    ],
    metrics: { primary: [{ kind: 'conversion' }, { kind: 'ctr' }], guardrails: [{ kind: 'revenue' }] },
    ...extra,
  });
}

let counter = 0;
function track(userId: string, event: string, at: number, properties: Record<string, unknown>): AttuneEvent {
  const timestamp = new Date(at).toISOString();
  return { type: 'track', messageId: `m${++counter}`, userId, event, properties, traits: {}, context: {}, timestamp, receivedAt: timestamp };
}

/**
 * Users split evenly between the arms by a seeded draw; each is exposed once (in the first two
 * days), sees one to three lists of four recommendations, clicks each with the arm's chance,
 * orders (revenue 20 to 80) with the arm's chance within the window, and may order once before
 * the exposure and once long after it. Events are in time order, as a log appends them.
 */
export function syntheticLog(options: LogOptions): AttuneEvent[] {
  const rng = mulberry32(options.seed);
  const arms = Object.keys(options.arms);
  const events: AttuneEvent[] = [];
  for (let u = 0; u < options.users; u++) {
    const userId = `user-${u}`;
    const arm = arms[Math.floor(rng() * arms.length)];
    const { convert, click } = options.arms[arm];
    const exposedAt = T0 + rng() * 48 * H;
    if (rng() < 0.2) events.push(track(userId, 'Order Completed', exposedAt - 10 * H, { revenue: 30 }));
    if (!(rng() < (options.lose?.[arm] ?? 0))) events.push(track(userId, 'Experiment Viewed', exposedAt, { experiment_id: 'recs-policy', variation_id: arm }));
    const lists = 1 + Math.floor(rng() * 3);
    for (let l = 0; l < lists; l++) {
      const at = exposedAt + (l + 0.5) * H;
      const items = [0, 1, 2, 3].map((i) => `item-${u % 7}-${i}`);
      events.push(track(userId, 'Recommendation Shown', at, { items }));
      for (const item of items) if (rng() < click) events.push(track(userId, 'Product Clicked', at + 60_000, { product_id: item }));
    }
    if (rng() < convert) events.push(track(userId, 'Order Completed', exposedAt + 24 * H, { revenue: 20 + Math.floor(rng() * 61) }));
    if (rng() < (options.lateOrder ?? 0)) events.push(track(userId, 'Order Completed', exposedAt + 100 * H, { revenue: 500 }));
  }
  return events.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
}
