/**
 * Replay benchmark (not part of `npm test`): MovieLens 100K in time order. A model trained on
 * the first 80 % of the ratings by time serves the rest through `RecommendationService`, and
 * each user's next rating is looked for in the top 10 served just before it, with:
 *
 * - `static`: the trained model alone (popularity for users it never saw);
 * - `online`: the same model plus online updates (each rating folded in as it happens, through
 *   `OnlineUpdates` on an in-memory cache);
 * - `online + demotion`: the same, with every served list recorded as an impression, so that
 *   an item shown 3 times without being rated is demoted (and its neighbours, lightly).
 *
 * Every list served is also checked for stale items: items shown to that user ≥ 3 times before
 * without a rating. The baseline of each ratio is the `static` arm of the same run.
 *
 * Writes bench/results/replay.md. The ML-100K folder is the first argument, else
 * `ATTUNE_ML100K`, else data/ml-100k of the checkout (it is never committed).
 *
 * ```sh
 * npm run bench:replay
 * npm run bench:replay -- path/to/ml-100k
 * npm run bench:replay -- --models als
 * ```
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { Catalog } from '../src/core/catalog';
import { emptyProfile } from '../src/core/profile';
import { loadDataset } from '../src/datasets';
import { feedbackConfig } from '../src/learning/feedback-types';
import { OnlineUpdates } from '../src/learning/online';
import { createRecommender, loadRecommender, type ModelKind } from '../src/recommend/models';
import type { Interaction, ModelArtifact } from '../src/recommend/recommender';
import { POPULARITY, RecommendationService } from '../src/recommend/service';
import type { Cache, CounterStore } from '../src/store/store';

const K = 10;
const IGNORED_AFTER = 3;
const SEED = 42;
const YEAR = 365 * 86_400;

type Arm = 'static' | 'online' | 'online + demotion';
const ARMS: readonly Arm[] = ['static', 'online', 'online + demotion'];

interface ArmResult {
  arm: Arm;
  hits: number;
  warmHits: number;
  coldHits: number;
  slots: number;
  staleSlots: number;
  msPerEvent: number;
}

/** A Cache in memory: the replay runs one process, the contract is the store's. */
function memoryCache(): Cache {
  const m = new Map<string, string>();
  return {
    cacheGet: async (key, userId) => m.get(`${userId ?? ''}/${key}`) ?? null,
    cacheSet: async (key, value, _ttl, userId) => void m.set(`${userId ?? ''}/${key}`, value),
  };
}

function popularityOf(train: readonly Interaction[]): CounterStore {
  const counts = new Map<string, number>();
  for (const x of train) counts.set(x.item, (counts.get(x.item) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([key, value]) => ({ key, value }));
  return { topCounters: async (name, k) => (name === POPULARITY ? top.slice(0, k) : []) };
}

async function replay(arm: Arm, artifact: ModelArtifact, train: readonly Interaction[], test: readonly Interaction[], trainUsers: ReadonlySet<string>): Promise<ArmResult> {
  const model = loadRecommender(artifact);
  const service = new RecommendationService({ catalog: Catalog.empty(), counters: popularityOf(train), model });
  await service.refreshPopularity();
  let now = 0;
  const config = feedbackConfig({
    types: [
      { name: 'rated', kind: 'positive', weight: 1, ttlSeconds: YEAR, events: ['Movie Rated'] },
      { name: 'shown', kind: 'read', weight: 1, ttlSeconds: YEAR, events: ['Recommendation Shown'] },
    ],
    ignoredAfter: IGNORED_AFTER,
  });
  const online = new OnlineUpdates({ store: memoryCache(), config, clock: () => now });
  if (arm !== 'static') service.setOnline(online);
  const seen = new Map<string, Set<string>>();
  // What each user was shown and has not rated since: the stale-item measure, the same for every arm.
  const ignored = new Map<string, Map<string, number>>();
  const r: ArmResult = { arm, hits: 0, warmHits: 0, coldHits: 0, slots: 0, staleSlots: 0, msPerEvent: 0 };
  const started = performance.now();
  for (const e of test) {
    now = e.time;
    const mine = seen.get(e.user) ?? new Set<string>();
    seen.set(e.user, mine);
    const at = new Date(e.time).toISOString();
    const list = service.recommend({ userId: e.user, profile: emptyProfile(e.user, at), k: K, exclude: mine, diversity: 0, maxPerCategory: K }).map((x) => x.itemId);
    const counts = ignored.get(e.user) ?? new Map<string, number>();
    ignored.set(e.user, counts);
    for (const item of list) {
      if ((counts.get(item) ?? 0) >= IGNORED_AFTER) r.staleSlots++;
      counts.set(item, (counts.get(item) ?? 0) + 1);
    }
    counts.delete(e.item);
    r.slots += list.length;
    if (list.includes(e.item)) {
      r.hits++;
      if (trainUsers.has(e.user)) r.warmHits++;
      else r.coldHits++;
    }
    mine.add(e.item);
    if (arm === 'static') continue;
    const signals = [
      ...(arm === 'online + demotion' ? [{ source: 'event' as const, name: 'Recommendation Shown', items: list, at: e.time }] : []),
      { source: 'event' as const, name: 'Movie Rated', items: [e.item], at: e.time },
    ];
    await online.record(e.user, online.classify(signals));
  }
  r.msPerEvent = (performance.now() - started) / test.length;
  return r;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = args.indexOf('--models');
  const kinds = (flag >= 0 ? args.splice(flag, 2)[1] : 'als,itemknn').split(',') as ModelKind[];
  const path = resolve(args[0] ?? process.env.ATTUNE_ML100K ?? 'data/ml-100k');
  const data = loadDataset(path, 'ml-100k');
  const sorted = [...data.interactions].sort((a, b) => a.time - b.time || (a.user < b.user ? -1 : a.user > b.user ? 1 : a.item < b.item ? -1 : 1));
  const cut = Math.floor(sorted.length * 0.8);
  const train = sorted.slice(0, cut);
  const test = sorted.slice(cut);
  const trainUsers = new Set(train.map((x) => x.user));
  const coldEvents = test.filter((x) => !trainUsers.has(x.user)).length;
  const lines: string[] = [
    '# Replay benchmark',
    '',
    `Generated by \`npm run bench:replay\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.split(' ').slice(0, 2).join(' ') ?? 'CPU'}, Node ${process.version}.`,
    '',
    `Data: MovieLens 100K in time order. Trained on the first 80 % (${train.length} ratings, ${trainUsers.size} users); replayed the last 20 % (${test.length} ratings, of which ${coldEvents} by users unseen in training). Each rating is the user's next interaction; it is a hit when it is in the top ${K} served just before it (items the user rated already excluded, diversity off). Seed ${SEED}.`,
    '',
  ];
  for (const kind of kinds) {
    const model = createRecommender(kind);
    const t0 = performance.now();
    model.fit({ interactions: train }, { seed: SEED });
    const trainS = (performance.now() - t0) / 1000;
    const artifact = model.toArtifact();
    const results: ArmResult[] = [];
    for (const arm of ARMS) results.push(await replay(arm, artifact, train, test, trainUsers));
    const base = results[0];
    lines.push(`## ${kind} (trained in ${trainS.toFixed(2)} s)`, '', '| arm | hit rate @10 | vs static | warm users | cold users | stale share (shown ≥ 3 × unrated) | vs static | ms / event |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const r of results) {
      const hit = r.hits / test.length;
      const stale = r.staleSlots / Math.max(1, r.slots);
      lines.push(
        `| ${r.arm} | ${hit.toFixed(4)} | ${(r.hits / Math.max(1, base.hits)).toFixed(2)} | ${(r.warmHits / Math.max(1, test.length - coldEvents)).toFixed(4)} | ${(r.coldHits / Math.max(1, coldEvents)).toFixed(4)} | ${stale.toFixed(3)} | ${(stale / Math.max(1e-9, base.staleSlots / Math.max(1, base.slots))).toFixed(2)} | ${r.msPerEvent.toFixed(3)} |`,
      );
      console.log(`${kind} ${r.arm}: hit@10 ${hit.toFixed(4)} (×${(r.hits / Math.max(1, base.hits)).toFixed(2)} of static), stale share ${stale.toFixed(3)}, ${r.msPerEvent.toFixed(3)} ms/event`);
    }
    const lift = results[1].hits / Math.max(1, base.hits) - 1;
    const staleDrop = results[2].staleSlots / Math.max(1, results[2].slots) < results[1].staleSlots / Math.max(1, results[1].slots);
    lines.push(
      '',
      `Online updates: hit rate ${lift >= 0 ? '+' : ''}${(lift * 100).toFixed(1)} % relative to static (target ≥ +10 %: ${lift >= 0.1 ? 'met' : 'not met'}). Demotion of ignored items ${staleDrop ? 'lowers' : 'does not lower'} the stale share against online updates alone.`,
      '',
    );
  }
  lines.push('`ms / event` is the wall time of one replayed rating: serving the list, classifying the feedback, updating the stored delta, and the fold-in that the next list of that user triggers.', '');
  writeFileSync(resolve(__dirname, 'results/replay.md'), lines.join('\n'));
  console.log('wrote bench/results/replay.md');
}

void main();
