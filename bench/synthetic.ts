/**
 * The synthetic-catalog half of the recommendation benchmark, run in its own process so its
 * peak RSS is not inflated by the MovieLens runs: ALS training time and memory on 10,000 items
 * and 100,000 interactions, then median recommend() latency per model on that catalog.
 */
import { mulberry32 } from '../src/evaluate';
import { createRecommender, type ModelKind } from '../src/recommend/models';
import type { Interaction, Recommender } from '../src/recommend/recommender';

/** What the child process reports. */
export interface ScaleReport {
  users: number;
  items: number;
  interactions: number;
  alsTrainSeconds: number;
  peakRssMb: number;
  latency: { model: string; calls: number; medianMs: number; p95Ms: number }[];
}

const ITEMS = 10_000;
const INTERACTIONS = 100_000;
const USERS = 5_000;
const CALLS = 2_000;
const LATENCY_MODELS: readonly ModelKind[] = ['als', 'pop', 'itemknn'];

/**
 * Interactions with Zipf-like item popularity (weight ∝ 1/rank^0.8) and distinct pairs per user.
 *
 * ```ts
 * const log = syntheticLog(42); // 100,000 interactions over 10,000 items
 * ```
 */
export function syntheticLog(seed: number): Interaction[] {
  const rng = mulberry32(seed);
  const cumulative = new Float64Array(ITEMS);
  let total = 0;
  for (let i = 0; i < ITEMS; i++) cumulative[i] = total += 1 / Math.pow(i + 1, 0.8);
  const pick = () => {
    const target = rng() * total;
    let lo = 0;
    let hi = ITEMS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const out: Interaction[] = [];
  const perUser = INTERACTIONS / USERS;
  for (let u = 0; u < USERS; u++) {
    const items = new Set<number>();
    while (items.size < perUser) items.add(pick());
    let t = 1_700_000_000_000 + Math.floor(rng() * 1e9);
    for (const i of items) out.push({ user: `u${u}`, item: `i${i}`, weight: 1, time: (t += 60_000) });
  }
  return out;
}

/**
 * Runs the measurements (`what` is `als`, the only one so far) and returns the figures.
 *
 * ```ts
 * syntheticCatalog('als').alsTrainSeconds;
 * ```
 */
export function syntheticCatalog(what: string): ScaleReport {
  if (what !== 'als') throw new Error(`unknown measurement ${what}`);
  const log = syntheticLog(42);
  const models = new Map<string, Recommender>();
  const als = createRecommender('als');
  const started = performance.now();
  als.fit({ interactions: log }, { seed: 42 });
  const alsTrainSeconds = (performance.now() - started) / 1000;
  // maxRSS is in kilobytes; read it before other models add their own memory.
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  models.set('als', als);
  for (const kind of LATENCY_MODELS) {
    if (models.has(kind)) continue;
    try {
      const model = createRecommender(kind);
      model.fit({ interactions: log }, { seed: 42 });
      models.set(kind, model);
    } catch {
      // A model not yet available is simply left out of the latency table.
    }
  }
  const rng = mulberry32(7);
  const latency = [...models].map(([model, m]) => ({ model, calls: CALLS, ...timeRecommend(m, () => `u${Math.floor(rng() * USERS)}`) }));
  return { users: USERS, items: ITEMS, interactions: log.length, alsTrainSeconds, peakRssMb, latency };
}

function timeRecommend(model: Recommender, user: () => string): { medianMs: number; p95Ms: number } {
  for (let i = 0; i < 200; i++) model.recommend(user(), 10); // warm-up: let the JIT settle
  const times = new Float64Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    const u = user();
    const t = performance.now();
    model.recommend(u, 10);
    times[i] = performance.now() - t;
  }
  times.sort();
  return { medianMs: times[Math.floor(CALLS / 2)], p95Ms: times[Math.floor(CALLS * 0.95)] };
}
