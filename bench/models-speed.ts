/**
 * Speed of the recommendation models at catalog scale (not run by `npm test`):
 * ALS training time and memory on a synthetic 10,000-item, 100,000-interaction catalog, and the
 * median latency of one `recommend()` call on it.
 *
 *   npx tsx bench/models-speed.ts [--items 10000] [--interactions 100000]
 */
import { createRecommender, type ModelKind } from '../src/recommend/models';
import type { Interaction } from '../src/recommend/recommender';
import { Rng } from '../src/recommend/models/rng';

function arg(name: string, fallback: number): number {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 ? Number(process.argv[k + 1]) : fallback;
}

/** Users in 50 taste clusters over a Zipf-popular catalog: 80% of picks from the cluster's slice. */
function catalog(items: number, interactions: number, seed: number): Interaction[] {
  const rng = new Rng(seed);
  const users = Math.round(interactions / 10);
  const clusters = 50;
  const slice = Math.floor(items / clusters);
  const zipf = (n: number): number => Math.min(n - 1, Math.floor(Math.pow(rng.next(), 2.5) * n));
  const out: Interaction[] = [];
  for (let n = 0; n < interactions; n++) {
    const u = n % users;
    const c = u % clusters;
    const item = rng.next() < 0.8 ? c * slice + zipf(slice) : zipf(items);
    out.push({ user: `u${u}`, item: `i${item}`, weight: 1, time: n });
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const items = arg('items', 10_000);
const n = arg('interactions', 100_000);
const data = catalog(items, n, 1);
const distinctItems = new Set(data.map((x) => x.item)).size;
console.log(`catalog: ${distinctItems} items with interactions, ${n} interactions, ${new Set(data.map((x) => x.user)).size} users`);

for (const kind of ['als', 'itemknn', 'pop', 'mf'] as ModelKind[]) {
  global.gc?.();
  const before = process.memoryUsage();
  const model = createRecommender(kind);
  const t0 = performance.now();
  model.fit({ interactions: data }, { seed: 1 });
  const trainS = (performance.now() - t0) / 1000;
  const after = process.memoryUsage();
  const times: number[] = [];
  for (let q = 0; q < 1000; q++) {
    const user = `u${(q * 7919) % Math.round(n / 10)}`;
    const s = performance.now();
    model.recommend(user, 10);
    times.push(performance.now() - s);
  }
  console.log(
    `${kind.padEnd(8)} train ${trainS.toFixed(2)} s, heap +${((after.heapUsed - before.heapUsed) / 2 ** 20).toFixed(0)} MB, rss ${(after.rss / 2 ** 20).toFixed(0)} MB, recommend median ${median(times).toFixed(3)} ms (p95 ${[...times].sort((a, b) => a - b)[949].toFixed(3)} ms)`,
  );
}
