/**
 * Ingestion throughput on Redis (not part of `npm test`).
 *
 * The same seeded `track` events (users viewing and buying catalog products) go to one Redis
 * (`ATTUNE_REDIS_URL`, else redis://127.0.0.1:6379/14) two ways, in interleaved rounds:
 * - baseline: a bare XADD of each event's JSON into one stream, pipelined 64 at a time: the
 *   least any event log on this Redis can cost;
 * - Attune: `attune.track()` with 64 calls in flight, on the Redis store encrypting at rest as
 *   `npm start` runs it. Each acknowledged event is durable (validated, pseudonymized,
 *   de-duplicated, checked against suppression, redacted, applied to the user, stored).
 * It also times single events one at a time (`track` awaited before the next), p50 and p99.
 * Prints events/s for both and their ratio, and writes bench/results/ingest.md. A benchmark:
 * it exits 0 whether the target is met or not.
 *
 * ```sh
 * npm run bench:ingest
 * npm run bench:ingest -- --events 20000 --rounds 3
 * ```
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import pino from 'pino';
import { createAttune } from '../index';
import catalog from '../examples/ecommerce/catalog.json';
import type { Attune } from '../src/engine/attune';
import type { TrackInput } from '../src/events/ingestor';
import { createCipher, DEVELOPMENT_ENCRYPTION_KEY, parseEncryptionKeys } from '../src/privacy/cipher';
import { openStore } from '../src/store/open';
import { prng } from './lib/chat';
import { deleteKeys } from './lib/redis-keys';
import { median, summarize } from './lib/stats';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/14';
const IN_FLIGHT = 64;
const RATIO_TARGET = 0.5;

interface Args {
  events: number;
  users: number;
  rounds: number;
  single: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { events: 20_000, users: 2_000, rounds: 3, single: 2_000 };
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    const n = Number(argv[++i]);
    if (!(name in args) || !Number.isInteger(n) || n < 1) throw new Error(`unknown or bad argument --${name} (known: --events N, --users N, --rounds N, --single N)`);
    args[name as keyof Args] = n;
  }
  return args;
}

/** Seeded events: each user views a few products and sometimes buys one. */
function events(n: number, users: number, seed: number, tag: string): TrackInput[] {
  const rand = prng(seed);
  const products = catalog;
  const out: TrackInput[] = [];
  for (let i = 0; i < n; i++) {
    const p = products[Math.floor(rand() * products.length)];
    const buy = rand() < 0.1;
    out.push({
      userId: `user-${Math.floor(rand() * users)}`,
      messageId: `${tag}-${i}`,
      event: buy ? 'Order Completed' : 'Product Viewed',
      properties: buy ? { products: [{ product_id: p.id, price: p.price }], revenue: p.price } : { product_id: p.id, category: p.category },
      timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    });
  }
  return out;
}

/** Runs `work` over `items` with `inFlight` calls at a time; seconds taken. */
async function saturate<T>(items: readonly T[], inFlight: number, work: (item: T) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
  return (performance.now() - start) / 1000;
}

async function xaddBaseline(redis: Redis, key: string, list: readonly TrackInput[]): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < list.length; i += IN_FLIGHT) {
    const pipeline = redis.pipeline();
    for (const e of list.slice(i, i + IN_FLIGHT)) pipeline.xadd(key, '*', 'e', JSON.stringify(e));
    await pipeline.exec();
  }
  return (performance.now() - start) / 1000;
}

function open(url: string, keyPrefix: string): Attune {
  const cipher = createCipher(parseEncryptionKeys(process.env.ATTUNE_ENCRYPTION_KEYS || DEVELOPMENT_ENCRYPTION_KEY));
  return createAttune({ catalog, store: openStore(url, { keyPrefix, cipher }), logger: pino({ level: 'error' }) });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const url = process.env.ATTUNE_REDIS_URL ?? DEFAULT_REDIS_URL;
  const started = performance.now();
  const load = loadavg()[0];
  const prefix = `attune-bench-ingest:${process.pid}-${Date.now().toString(36)}:`;
  const admin = new Redis(url, { maxRetriesPerRequest: 0 });
  const version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? 'unknown';
  const attune = open(url, prefix);
  const rates = { baseline: [] as number[], attune: [] as number[] };
  let single: ReturnType<typeof summarize> | undefined;
  let deleted = 0;
  try {
    // Warm-up: connections, scripts, the JIT, every user once.
    await saturate(events(args.users, args.users, 99, 'warm'), IN_FLIGHT, (e) => attune.track(e));
    await xaddBaseline(admin, `${prefix}bare`, events(args.users, args.users, 99, 'warm'));
    for (let r = 0; r < args.rounds; r++) {
      const list = events(args.events, args.users, r + 1, `r${r}`);
      rates.baseline.push(args.events / (await xaddBaseline(admin, `${prefix}bare`, list)));
      rates.attune.push(args.events / (await saturate(list, IN_FLIGHT, (e) => attune.track(e))));
      log(`round ${r + 1}/${args.rounds}: XADD ${rates.baseline[r].toFixed(0)}/s, attune.track ${rates.attune[r].toFixed(0)}/s`);
    }
    const nanos: bigint[] = [];
    for (const e of events(args.single, args.users, 50, 'single')) {
      const t = process.hrtime.bigint();
      await attune.track(e);
      nanos.push(process.hrtime.bigint() - t);
    }
    single = summarize(nanos);
  } finally {
    await attune.close();
    deleted = await deleteKeys(admin, prefix);
    admin.disconnect();
  }
  const base = median(rates.baseline);
  const ours = median(rates.attune);
  const ratio = ours / base;
  const text = [
    '# Ingestion benchmark',
    '',
    `Generated by \`npm run bench:ingest\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, Redis ${version}. ` +
      `Whole run ${((performance.now() - started) / 1000).toFixed(0)} s; one-minute load average ${load.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after.`,
    '',
    `${args.events} events per round over ${args.users} users, ${args.rounds} rounds (median shown), ${IN_FLIGHT} in flight; ${args.single} single events timed one at a time.`,
    '',
    '| configuration | events/s | rounds |',
    '| --- | ---: | --- |',
    `| bare pipelined XADD of each event's JSON (baseline) | ${base.toFixed(0)} | ${rates.baseline.map((v) => v.toFixed(0)).join(' / ')} |`,
    `| \`attune.track()\`, Redis store, encrypted | ${ours.toFixed(0)} | ${rates.attune.map((v) => v.toFixed(0)).join(' / ')} |`,
    '',
    '| single event, one at a time | p50 ms | p99 ms | mean ms |',
    '| --- | ---: | ---: | ---: |',
    `| \`attune.track()\` | ${single?.p50.toFixed(3)} | ${single?.p99.toFixed(3)} | ${single?.mean.toFixed(3)} |`,
    '',
    '## Target',
    '',
    '| target | measured | result |',
    '| --- | ---: | --- |',
    `| attune.track events/s ≥ ${RATIO_TARGET} × bare XADD events/s | ${ratio.toFixed(3)} (${ours.toFixed(0)} / ${base.toFixed(0)}) | ${ratio >= RATIO_TARGET ? 'PASS' : 'MISS'} |`,
    '',
    '## How it was measured',
    '',
    '- Events are seeded: users view a catalog product (90 %) or complete an order (10 %), each with its own messageId.',
    `- The baseline sends \`XADD <stream> * e <json>\` for each event, ${IN_FLIGHT} per pipeline, awaiting each pipeline; Attune gets ${IN_FLIGHT}`,
    '  concurrent callers, each awaiting `track()` before its next event. A `track()` resolves once the event is stored.',
    '- Both run in one process against the same Redis, round after round, so load on the machine falls on both alike.',
    `- Every key is written under a prefix of its own and deleted afterwards (${deleted} keys this run).`,
    '',
  ].join('\n');
  process.stdout.write(text);
  writeFileSync(join(__dirname, 'results', 'ingest.md'), text);
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
