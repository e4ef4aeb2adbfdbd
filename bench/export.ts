/**
 * Cost of exporting and erasing one user as the event log grows (not part of `npm test`).
 *
 * For each store (memory; Redis at `ATTUNE_REDIS_URL`, else redis://127.0.0.1:6379/14, under
 * key prefixes of its own that are deleted afterwards with SCAN + UNLINK; skipped with a note
 * when Redis does not answer), two fresh stores are filled, one with 60,000 events in all and
 * one with 600,000, through the store's own write path in batches of 1,000 events (16 calls in
 * flight), across many users of about 50 events each. Among them are a few target users with
 * a fixed number of events each, spread evenly over the whole log and more than the per-user
 * log keeps (its default cap is 1,000), so some of each target's events are in the global log
 * only. Every timed path is warmed up first (a few dozen calls, erasing some of the other
 * users); then the two sizes are measured in alternation, run after run, so that the machine's
 * load weighs on both alike:
 * - export: the median of `exportUser` calls of one target, fifteen per run;
 * - erase: the median of `eraseUser` over the other targets, one each;
 * - baseline: the median of reading as many events in one `readEvents` page, and on Redis also
 *   of a bare pipeline of as many `XRANGE id id` point reads on the global log.
 * The ratio of the 600k figure to the 60k one is what the target (≤ 1.5) is about: export and
 * erase should cost what the user holds, not what the log holds. Writes bench/results/export.md.
 * It is a benchmark: it exits 0 whether the targets are met or not.
 *
 * ```sh
 * npm run bench:export
 * npm run bench:export -- --runs 9 --user-events 2000 --only memory
 * ```
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Redis from 'ioredis';
import type { AttuneEvent } from '../src/core/event';
import { mulberry32 } from '../src/core/random';
import { MemoryStore } from '../src/store/memory';
import { RedisStore } from '../src/store/redis';
import type { Store } from '../src/store/store';
import { median } from './lib/stats';

const SIZES = [60_000, 600_000] as const;
const RATIO_TARGET = 1.5;
const BATCH = 1000;
/** Write calls in flight while filling Redis (the store applies them in order). */
const IN_FLIGHT = 16;
const EVENTS_PER_USER = 50;
/** Exports timed per run (an export changes nothing, so it can be sampled more often than an erasure). */
const EXPORTS_PER_RUN = 15;
/** Calls of each timed path before timing. */
const WARM_UP = 30;
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/14';
const STORES = ['memory', 'redis'] as const;
type StoreKind = (typeof STORES)[number];

interface Args {
  runs: number;
  userEvents: number;
  only?: StoreKind;
}

/** Medians of one store at one size, in ms. */
interface Figures {
  total: number;
  fillMs: number;
  exportMs: number;
  eraseMs: number;
  pageMs: number;
  /** Redis only: a bare pipeline of point reads. */
  pipelineMs?: number;
}

const gc = (() => {
  try {
    setFlagsFromString('--expose-gc');
    const handle: unknown = runInNewContext('gc');
    return typeof handle === 'function' ? () => void handle() : undefined;
  } catch {
    return undefined;
  }
})();

const AT = '2024-05-01T10:00:00.000Z';

function makeEvent(i: number, userId: string): AttuneEvent {
  return {
    type: 'track',
    messageId: `m${i}`,
    userId,
    event: 'Product Viewed',
    properties: { product_id: `p${i % 997}`, category: 'running' },
    traits: {},
    context: { channel: 'web', locale: 'en-US' },
    timestamp: AT,
    receivedAt: AT,
  };
}

/**
 * The log in batches: `targets` users get `perTarget` events each, spread evenly over the
 * whole log (round-robin, so each target's events span it); every other slot goes to one of
 * the many other users, drawn with a fixed seed.
 */
function* batches(total: number, targets: readonly string[], perTarget: number): Generator<AttuneEvent[]> {
  const rng = mulberry32(42);
  const targetSlots = targets.length * perTarget;
  const others = Math.max(1, Math.round((total - targetSlots) / EVENTS_PER_USER));
  let batch: AttuneEvent[] = [];
  let t = 0;
  for (let i = 0; i < total; i++) {
    // Slot i is a target's when the even spacing of targetSlots over total crosses it.
    const isTarget = Math.floor(((i + 1) * targetSlots) / total) > Math.floor((i * targetSlots) / total);
    const userId = isTarget ? targets[t++ % targets.length] : `user-${Math.floor(rng() * others)}`;
    batch.push(makeEvent(i, userId));
    if (batch.length === BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

async function fill(store: Store, total: number, targets: readonly string[], perTarget: number): Promise<number> {
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (const batch of batches(total, targets, perTarget)) {
    inFlight.push(store.write({ events: batch }));
    if (inFlight.length >= IN_FLIGHT) await inFlight.shift();
  }
  await Promise.all(inFlight);
  return performance.now() - started;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** One filled store of one size, and the samples taken of it. */
interface Subject {
  store: Store;
  total: number;
  fillMs: number;
  /** Redis only: as many point reads of its global log as the user has events, in one pipeline. */
  pipeline?: (n: number) => Promise<number>;
  exports: number[];
  erases: number[];
  pages: number[];
  pipelines: number[];
}

const EXPORTED = 'target-export';
const erasedUser = (r: number) => `target-erase-${r}`;

function checker(args: Args): (what: string, got: number) => void {
  return (what, got) => {
    if (got !== args.userEvents) throw new Error(`${what} found ${got} events of ${args.userEvents}`);
  };
}

async function prepare(store: Store, total: number, args: Args, pipeline?: Subject['pipeline']): Promise<Subject> {
  const erased = Array.from({ length: args.runs }, (_, r) => erasedUser(r));
  const fillMs = await fill(store, total, [EXPORTED, ...erased], args.userEvents);
  const check = checker(args);
  // Every timed path runs warm (compiled by the JIT, as in a long-running server): exports of
  // the target, erasures of some of the other users, pages.
  for (let i = 0; i < WARM_UP; i++) {
    check('warm-up export', (await store.exportUser(EXPORTED)).events.length);
    await store.eraseUser(`user-${i}`);
    await store.readEvents({ limit: args.userEvents });
  }
  if (pipeline) await pipeline(args.userEvents);
  return { store, total, fillMs, pipeline, exports: [], erases: [], pages: [], pipelines: [] };
}

/** One run on one subject: exports, one erasure, a page and (Redis) a bare pipeline. */
async function sample(s: Subject, r: number, args: Args): Promise<void> {
  const check = checker(args);
  for (let i = 0; i < EXPORTS_PER_RUN; i++) s.exports.push(await timed(async () => check('export', (await s.store.exportUser(EXPORTED)).events.length)));
  s.erases.push(await timed(async () => check('erase', (await s.store.eraseUser(erasedUser(r))).removed)));
  s.pages.push(await timed(async () => check('readEvents', (await s.store.readEvents({ limit: args.userEvents })).events.length)));
  if (s.pipeline) s.pipelines.push(await s.pipeline(args.userEvents));
}

/**
 * Measures subjects of every size in alternation, run after run, so that what else the
 * machine does at the time weighs on each size alike (a ratio of figures taken a minute apart
 * would measure the machine's load as much as the store). The fill's garbage is collected
 * first, so that no collection of it lands in a timed call.
 */
async function measure(subjects: Subject[], args: Args): Promise<Figures[]> {
  gc?.();
  // The collector's concurrent sweeping finishes meanwhile, instead of inside timed calls.
  await new Promise((resolve) => setTimeout(resolve, 250));
  for (let r = 0; r < args.runs; r++) {
    // Which size goes first alternates too.
    const order = r % 2 ? [...subjects].reverse() : subjects;
    for (const s of order) await sample(s, r, args);
  }
  const check = checker(args);
  return Promise.all(
    subjects.map(async (s) => {
      check('export after erases', (await s.store.exportUser(EXPORTED)).events.length);
      const figures: Figures = { total: s.total, fillMs: s.fillMs, exportMs: median(s.exports), eraseMs: median(s.erases), pageMs: median(s.pages) };
      if (s.pipeline) figures.pipelineMs = median(s.pipelines);
      return figures;
    }),
  );
}

async function runMemory(args: Args): Promise<Figures[]> {
  const stores = SIZES.map(() => new MemoryStore());
  try {
    const subjects: Subject[] = [];
    for (const [i, total] of SIZES.entries()) subjects.push(await prepare(stores[i], total, args));
    const out = await measure(subjects, args);
    for (const f of out) log('memory', f);
    return out;
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

async function runRedis(args: Args, url: string): Promise<Figures[] | string> {
  const admin = await probeRedis(url);
  if (typeof admin === 'string') return admin;
  const prefixes = SIZES.map((total) => `attune-bench-export:${process.pid}:${total}:`);
  const stores = prefixes.map((keyPrefix) => new RedisStore({ url, keyPrefix, userCache: false }));
  try {
    const subjects: Subject[] = [];
    for (const [i, total] of SIZES.entries()) {
      const events = `${prefixes[i]}events`;
      const pipeline = async (n: number) => {
        const ids = ((await admin.xrange(events, '-', '+', 'COUNT', n)) as [string, string[]][]).map(([id]) => id);
        return timed(async () => {
          const tx = admin.pipeline();
          for (const id of ids) tx.xrange(events, id, id);
          await tx.exec();
        });
      };
      subjects.push(await prepare(stores[i], total, args, pipeline));
      process.stderr.write(`redis ${total}: filled in ${(subjects[i].fillMs / 1000).toFixed(1)} s\n`);
    }
    const out = await measure(subjects, args);
    for (const f of out) log('redis', f);
    return out;
  } finally {
    await Promise.all(stores.map((s) => s.close()));
    for (const prefix of prefixes) await deleteKeys(admin, prefix);
    await admin.quit();
  }
}

function log(kind: StoreKind, f: Figures): void {
  const pipe = f.pipelineMs === undefined ? '' : `, pipeline ${ms(f.pipelineMs)} ms`;
  process.stderr.write(`${kind} ${f.total}: filled in ${(f.fillMs / 1000).toFixed(1)} s; export ${ms(f.exportMs)} ms, erase ${ms(f.eraseMs)} ms, readEvents page ${ms(f.pageMs)} ms${pipe}\n`);
}

/** Opens a fast-failing client; a reason string when Redis does not answer. */
async function probeRedis(url: string): Promise<Redis | string> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return client;
  } catch (err) {
    client.disconnect();
    return err instanceof Error ? err.message : String(err);
  }
}

/** Deletes every key under `prefix` (SCAN + UNLINK; never FLUSHDB: the database may be shared). */
async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

/** The URL without credentials, fit for a report. */
function publicUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return 'redis (unparseable URL)';
  }
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { runs: 7, userEvents: 1500 };
  const int = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') args.runs = int(a, argv[++i]);
    else if (a === '--user-events') args.userEvents = Math.min(10_000, int(a, argv[++i]));
    else if (a === '--only') {
      const v = argv[++i];
      if (!STORES.includes(v as StoreKind)) throw new Error(`--only takes one of ${STORES.join(', ')}`);
      args.only = v as StoreKind;
    } else throw new Error(`unknown argument ${a} (known: --runs N, --user-events N, --only memory|redis)`);
  }
  return args;
}

const ms = (v: number | undefined) => (v === undefined ? '' : v.toFixed(v < 1 ? 3 : 2));

function render(args: Args, results: { kind: StoreKind; figures: Figures[] | string }[], redisUrl: string): string {
  const lines = [
    '# Export and erase benchmark',
    '',
    `Generated by \`npm run bench:export\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, load ${loadavg()[0].toFixed(2)}.`,
    '',
    `One user with ${args.userEvents} events spread over the whole log (the per-user log keeps 1000), among`,
    `users of about ${EVENTS_PER_USER} events each. Medians of ${args.runs} runs, in ms. Export: \`exportUser\` of one user (${EXPORTS_PER_RUN} per run);`,
    'erase: `eraseUser` of a different user each run; page: one `readEvents` page of as many events;',
    `pipeline (Redis): as many \`XRANGE id id\` point reads of the global log in one pipeline. Redis: ${publicUrl(redisUrl)}.`,
    '',
    '| store | events in all | filled in s | export | erase | page (baseline) | pipeline (baseline) | export / page |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const ratios: string[] = [];
  for (const { kind, figures } of results) {
    if (typeof figures === 'string') {
      lines.push(`| ${kind} | skipped: ${figures} | | | | | | |`);
      continue;
    }
    for (const f of figures) {
      lines.push(`| ${kind} | ${f.total} | ${(f.fillMs / 1000).toFixed(1)} | ${ms(f.exportMs)} | ${ms(f.eraseMs)} | ${ms(f.pageMs)} | ${ms(f.pipelineMs)} | ${(f.exportMs / f.pageMs).toFixed(1)} |`);
    }
    const [small, large] = figures;
    const verdict = (r: number) => `${r.toFixed(2)} (${r <= RATIO_TARGET ? 'met' : 'missed'})`;
    ratios.push(`- ${kind}: export ${verdict(large.exportMs / small.exportMs)}, erase ${verdict(large.eraseMs / small.eraseMs)}, page ${(large.pageMs / small.pageMs).toFixed(2)}`);
  }
  lines.push('', `Ratio of the ${SIZES[1]} figure to the ${SIZES[0]} one (target ≤ ${RATIO_TARGET}):`, '', ...ratios, '');
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const redisUrl = process.env.ATTUNE_REDIS_URL || DEFAULT_REDIS_URL;
  const results: { kind: StoreKind; figures: Figures[] | string }[] = [];
  if (args.only !== 'redis') results.push({ kind: 'memory', figures: await runMemory(args) });
  if (args.only !== 'memory') results.push({ kind: 'redis', figures: await runRedis(args, redisUrl) });
  const report = render(args, results, redisUrl);
  if (!args.only) writeFileSync(join(__dirname, 'results', 'export.md'), report);
  process.stdout.write(report);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
