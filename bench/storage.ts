/**
 * Storage per user (not part of `npm test`).
 *
 * Seeded users each send 10 `track` events (viewing and buying catalog products) through
 * `attune.batch()`, as a shop's backend would, 64 calls in flight, the store encrypting at rest
 * as `npm start` runs it. Then:
 * - Redis: `used_memory` from `INFO memory` before and after, divided by the users. Run it on
 *   a Redis of its own (`redis-server --port 6393 --save "" --appendonly no`), since anything
 *   else the server holds or does moves the figure; `ATTUNE_REDIS_URL` names it;
 * - memory: the heap the memory store holds after a full garbage collection, before and after,
 *   divided by the users.
 * As a baseline in the same run, the same events' JSON, one Redis list per user (RPUSH), and
 * the same events kept in a plain `Map` of arrays: what keeping them at all costs.
 * Writes bench/results/storage.md. With `--memory-only`, it measures the memory half alone (no
 * Redis needed) and writes bench/results/storage-memory.md instead. A benchmark: it exits 0
 * whether the targets are met or not.
 *
 * ```sh
 * ATTUNE_REDIS_URL=redis://127.0.0.1:6393/0 npm run bench:storage
 * ATTUNE_REDIS_URL=redis://127.0.0.1:6393/0 npm run bench:storage -- --users 100000
 * npm run bench:storage -- --users 12000 --memory-only
 * # on a loaded machine: a longer turn deadline, so that no write of 640 events times out
 * # (the figure is bytes, not time)
 * ATTUNE_REDIS_TIMEOUT_MS=2000 ATTUNE_REDIS_URL=redis://127.0.0.1:6393/0 npm run bench:storage -- --users 12000
 * ```
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Redis from 'ioredis';
import pino from 'pino';
import { createAttune } from '../index';
import catalog from '../examples/ecommerce/catalog.json';
import type { TrackInput } from '../src/events/ingestor';
import { createCipher, DEVELOPMENT_ENCRYPTION_KEY, parseEncryptionKeys } from '../src/privacy/cipher';
import { MEMORY_CAPS, memoryCaps } from '../src/store/data/memory-caps';
import { MemoryStore } from '../src/store/memory';
import { openStore } from '../src/store/open';
import type { Store } from '../src/store/store';
import { prng } from './lib/chat';
import { deleteKeys } from './lib/redis-keys';

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6393/0';
const EVENTS_PER_USER = 10;
const IN_FLIGHT = 64;
const REDIS_TARGET_BYTES = 4 * 1024;
const MEMORY_TARGET_BYTES = 8 * 1024;

/** One user's 10 events, seeded. */
function eventsOf(user: number): TrackInput[] {
  const rand = prng(user + 1);
  return Array.from({ length: EVENTS_PER_USER }, (_, i) => {
    const p = catalog[Math.floor(rand() * catalog.length)];
    const buy = rand() < 0.1;
    return {
      userId: `user-${user}`,
      messageId: `u${user}-e${i}`,
      event: buy ? 'Order Completed' : 'Product Viewed',
      properties: buy ? { products: [{ product_id: p.id, price: p.price }], revenue: p.price } : { product_id: p.id, category: p.category },
      timestamp: new Date(Date.UTC(2026, 0, 1) + user * 60_000 + i * 1000).toISOString(),
    };
  });
}

async function saturate(users: number, work: (user: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < users) await work(next++);
    }),
  );
}

function gcHandle(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

const gc = gcHandle();
const cipher = createCipher(parseEncryptionKeys(process.env.ATTUNE_ENCRYPTION_KEYS || DEVELOPMENT_ENCRYPTION_KEY));

async function ingestAll(store: Store, users: number): Promise<void> {
  const attune = createAttune({ catalog, store, logger: pino({ level: 'error' }) });
  await saturate(users, (u) => attune.batch({ batch: eventsOf(u).map((e) => ({ ...e, type: 'track' })) }));
  await attune.flush();
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const at = argv.indexOf('--users');
  const users = at >= 0 ? Number(argv[at + 1]) : 10_000;
  const memoryOnly = argv.includes('--memory-only');
  if (!Number.isInteger(users) || users < 1) throw new Error('usage: bench:storage [--users N] [--memory-only]');
  const caps = memoryCaps();
  const url = process.env.ATTUNE_REDIS_URL ?? DEFAULT_REDIS_URL;
  const started = performance.now();
  const rows: { what: string; bytes: number }[] = [];

  // Memory: the heap the store keeps. The store is created before the first reading.
  let store: MemoryStore | undefined = new MemoryStore({ cipher });
  gc();
  let before = process.memoryUsage().heapUsed;
  await ingestAll(store, users);
  gc();
  // Past its caps the store keeps the users active last: the figure is per user it kept.
  const kept = Math.min(users, caps.maxUsers);
  rows.push({ what: `Attune memory store (heap per user kept: ${kept} of ${users} at the default caps)`, bytes: (process.memoryUsage().heapUsed - before) / kept });
  await store.close();
  store = undefined;

  const plain = new Map<string, string[]>();
  gc();
  before = process.memoryUsage().heapUsed;
  for (let u = 0; u < users; u++) plain.set(`user-${u}`, eventsOf(u).map((e) => JSON.stringify(e)));
  gc();
  rows.push({ what: 'baseline: the events’ JSON in a Map of arrays (heap per user)', bytes: (process.memoryUsage().heapUsed - before) / users });
  plain.clear();
  if (memoryOnly) {
    writeMemoryOnly(users, rows, started);
    return;
  }

  // Redis: what the server holds, under a key prefix of this run.
  const admin = new Redis(url, { maxRetriesPerRequest: 0 });
  const version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? 'unknown';
  const prefix = `attune-bench-storage:${process.pid}-${Date.now().toString(36)}:`;
  let deleted = 0;
  try {
    const redisStore = openStore(url, { keyPrefix: prefix, cipher });
    await redisStore.ping();
    let used = await usedMemory(admin);
    await ingestAll(redisStore, users);
    await redisStore.close();
    rows.push({ what: 'Attune Redis store (INFO memory used_memory)', bytes: ((await usedMemory(admin)) - used) / users });
    deleted += await deleteKeys(admin, prefix);

    used = await usedMemory(admin);
    for (let u = 0; u < users; u += 1000) {
      const pipeline = admin.pipeline();
      for (let v = u; v < Math.min(users, u + 1000); v++) pipeline.rpush(`${prefix}plain:${v}`, ...eventsOf(v).map((e) => JSON.stringify(e)));
      await pipeline.exec();
    }
    rows.push({ what: 'baseline: the events’ JSON, one Redis list per user (used_memory)', bytes: ((await usedMemory(admin)) - used) / users });
  } finally {
    deleted += await deleteKeys(admin, prefix);
    admin.disconnect();
  }

  const kb = (b: number) => (b / 1024).toFixed(2);
  const row = (what: string) => rows.find((r) => r.what.startsWith(what))?.bytes ?? Number.NaN;
  const redisBytes = row('Attune Redis');
  const memoryBytes = row('Attune memory');
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const text = [
    '# Storage per user',
    '',
    `Generated by \`npm run bench:storage -- --users ${users}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, Redis ${version}. Whole run ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    '',
    `${users} users, ${EVENTS_PER_USER} track events each, through \`attune.batch()\` (${IN_FLIGHT} calls in flight), encrypted at rest.`,
    '',
    '| what | KB per user | ratio to its baseline |',
    '| --- | ---: | ---: |',
    `| ${rows[0].what} | ${kb(rows[0].bytes)} | ${(rows[0].bytes / rows[1].bytes).toFixed(2)} |`,
    `| ${rows[1].what} | ${kb(rows[1].bytes)} | – |`,
    `| ${rows[2].what} | ${kb(rows[2].bytes)} | ${(rows[2].bytes / rows[3].bytes).toFixed(2)} |`,
    `| ${rows[3].what} | ${kb(rows[3].bytes)} | – |`,
    '',
    '## Targets',
    '',
    '| target | measured | result |',
    '| --- | ---: | --- |',
    `| Redis ≤ ${REDIS_TARGET_BYTES / 1024} KB per user | ${kb(redisBytes)} KB | ${verdict(redisBytes <= REDIS_TARGET_BYTES)} |`,
    `| memory store ≤ ${MEMORY_TARGET_BYTES / 1024} KB per user at the default caps | ${kb(memoryBytes)} KB | ${verdict(memoryBytes <= MEMORY_TARGET_BYTES)} |`,
    '',
    '## How it was measured',
    '',
    '- Each user’s events are seeded (90 % product views, 10 % orders), each with its own messageId; what Attune keeps',
    '  for them is everything ingestion writes: the event log, the profile, segment memberships, counters and the',
    '  de-duplication claims (which expire after the de-duplication window).',
    '- Memory: `heapUsed` after two forced garbage collections, before and after, so the figure is what the store retains,',
    `  divided by the users it keeps (at most \`MEMORY_CAPS.maxUsers\` = ${MEMORY_CAPS.maxUsers}; also \`maxEvents\` ${MEMORY_CAPS.maxEvents}, \`maxClaims\` ${MEMORY_CAPS.maxClaims}).`,
    `- Redis: \`used_memory\` before and after on a server with nothing else to do; the keys are deleted afterwards (${deleted} keys this run).`,
    '',
  ].join('\n');
  process.stdout.write(text);
  writeFileSync(join(__dirname, 'results', 'storage.md'), text);
}

/** The memory half's table, in a file of its own (bench/results/storage-memory.md). */
function writeMemoryOnly(users: number, rows: readonly { what: string; bytes: number }[], started: number): void {
  const caps = memoryCaps();
  const kb = (b: number) => (b / 1024).toFixed(2);
  const [store, plain] = rows;
  const text = [
    '# Storage per user: the memory store',
    '',
    `Generated by \`npm run bench:storage -- --users ${users} --memory-only\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}. Whole run ${((performance.now() - started) / 1000).toFixed(0)} s.`,
    '',
    `${users} users, ${EVENTS_PER_USER} track events each, through \`attune.batch()\` (${IN_FLIGHT} calls in flight), encrypted at rest.`,
    '',
    '| what | KB per user | ratio to its baseline |',
    '| --- | ---: | ---: |',
    `| ${store.what} | ${kb(store.bytes)} | ${(store.bytes / plain.bytes).toFixed(2)} |`,
    `| ${plain.what} | ${kb(plain.bytes)} | – |`,
    '',
    '| target | measured | result |',
    '| --- | ---: | --- |',
    `| memory store ≤ ${MEMORY_TARGET_BYTES / 1024} KB per user at the default caps | ${kb(store.bytes)} KB | ${store.bytes <= MEMORY_TARGET_BYTES ? 'PASS' : 'MISS'} |`,
    '',
    '- What Attune keeps is everything ingestion writes: the event log, the profile, segment memberships, counters and',
    '  the de-duplication claims, plus what the engine keeps beside the store once (its seal and JSON caches), shared',
    '  out over the users.',
    '- `heapUsed` after two forced garbage collections, before and after, divided by the users the store keeps (at most',
    `  \`maxUsers\` = ${caps.maxUsers}; also \`maxEvents\` ${caps.maxEvents}, \`maxClaims\` ${caps.maxClaims}). Nothing is held off the heap (no Buffers).`,
    '',
  ].join('\n');
  process.stdout.write(text);
  writeFileSync(join(__dirname, 'results', 'storage-memory.md'), text);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
