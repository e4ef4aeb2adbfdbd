/**
 * Per-turn latency when Redis is down (not part of `npm test`).
 *
 * The e-commerce shop bot (examples/ecommerce, whose own `track` calls run inside the turn)
 * answers one scripted conversation through botbuilder's `TestAdapter` and `AttuneMiddleware`,
 * on the Redis store `openStore` opens (turn-path deadline and circuit breaker at their
 * defaults), in three configurations:
 *
 * - `redis`: a healthy Redis (`ATTUNE_REDIS_URL`, else redis://127.0.0.1:6379/14), the baseline;
 * - `blackhole`: a local TCP server that accepts the connection and never answers (a silent
 *   partition: the worst case, every call waits for its deadline until the breaker opens);
 * - `closed-port`: a port nothing listens on (connection refused).
 *
 * Each degraded configuration starts from a fresh store, so its figures include the turns that
 * waited for their deadline before the breaker opened. Prints p50 / p99 / max per turn and the
 * ratio to the healthy baseline, and writes bench/results/degraded.md. Target: p99 < 200 ms
 * with Redis down. A benchmark: it exits 0 whether the target is met or not.
 *
 * ```sh
 * npm run bench:degraded
 * npm run bench:degraded -- --turns 5000
 * ```
 */
import { writeFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Activity, ActivityTypes, type ResourceResponse, TestAdapter, type TurnContext } from 'botbuilder';
import Redis from 'ioredis';
import pino from 'pino';
import { createAttune } from '../index';
import { AttuneMiddleware } from '../adapters/botbuilder';
import { ShopBot } from '../examples/ecommerce/bot';
import catalog from '../examples/ecommerce/catalog.json';
import { BREAKER_DEFAULTS, circuitOf } from '../src/store/breaker';
import { openStore } from '../src/store/open';
import { REDIS_DEFAULTS } from '../src/store/redis';
import type { Store } from '../src/store/store';
import { prng, scriptedChat, type ScriptedMessage } from './lib/chat';
import { deleteKeys as deleteKeysUnder } from './lib/redis-keys';
import { summarize, type Summary } from './lib/stats';

const P99_TARGET_MS = 200;
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/14';
const CONFIGS = ['redis', 'blackhole', 'closed-port'] as const;
type ConfigKey = (typeof CONFIGS)[number];
const LABELS: Record<ConfigKey, string> = {
  redis: 'healthy Redis (baseline)',
  blackhole: 'Redis black-holed (connects, never answers)',
  'closed-port': 'Redis port closed (connection refused)',
};

interface Args {
  turns: number;
  warmup: number;
}

/** Counts replies, and those that carry recommendations (suggested actions or cards). */
class CountingAdapter extends TestAdapter {
  replies = 0;
  personalized = 0;

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses = await super.sendActivities(context, activities);
    for (const a of activities) {
      if (a.type !== ActivityTypes.Message) continue;
      this.replies += 1;
      if (a.suggestedActions?.actions?.length || a.attachments?.length) this.personalized += 1;
    }
    return responses;
  }
}

interface Measured {
  key: ConfigKey;
  turn: Summary;
  /** Turns run while the circuit was closed: each waited for Redis (or its deadline). */
  beforeOpen: number;
  /** Calls the breaker failed at once, without reaching Redis. */
  skipped: number;
  opened: number;
  replies: number;
  /** Share of replies that carried recommendations. */
  personalizedShare: number;
}

/**
 * The shop conversation, with one message in five naming a product ("tell me about …", and
 * some "buy …"), so that the bot's own `track` calls run inside the turns.
 */
function shopScript(turns: number, seed: number): ScriptedMessage[] {
  const rand = prng(seed + 1);
  return scriptedChat(catalog, { turns, seed }).map((m) => {
    const r = rand();
    if (r >= 0.2) return m;
    const item = catalog[Math.floor(rand() * catalog.length)];
    return { ...m, text: r < 0.05 ? `buy ${item.title}` : `tell me about ${item.title}`, mentionsCategory: true };
  });
}

function activityOf(m: ScriptedMessage): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    channelId: 'test',
    serviceUrl: 'https://test.com',
    locale: 'en-US',
    from: { id: m.userId, name: m.userName },
    recipient: { id: 'bot', name: 'Bot' },
    conversation: { id: m.conversationId, name: m.conversationId, isGroup: false, conversationType: 'personal' },
    text: m.text,
  };
}

/** Logs at `info`, as an app would, to a sink: what logging costs counts, the terminal stays clean. */
function discardingLogger(): pino.Logger {
  const sink = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  return pino({ name: 'attune', level: 'info' }, sink);
}

async function measure(key: ConfigKey, url: string, keyPrefix: string, script: readonly ScriptedMessage[], warm: readonly ScriptedMessage[]): Promise<Measured> {
  const logger = discardingLogger();
  const store: Store = openStore(url, { keyPrefix, breaker: { logger } });
  const attune = createAttune({ catalog, store, logger });
  const bot = new ShopBot(attune);
  const adapter = new CountingAdapter((context) => bot.run(context));
  adapter.use(new AttuneMiddleware(attune));
  const run = async (messages: readonly ScriptedMessage[], out?: bigint[]) => {
    let beforeOpen = 0;
    for (const m of messages) {
      if (circuitOf(store)?.state === 'closed') beforeOpen += 1;
      const before = adapter.replies;
      const start = process.hrtime.bigint();
      await adapter.processActivity(activityOf(m));
      out?.push(process.hrtime.bigint() - start);
      if (adapter.replies === before) throw new Error(`${key}: a turn got no reply ("${m.text}")`);
      adapter.activeQueue.length = 0;
    }
    return beforeOpen;
  };
  try {
    // The healthy store is warmed up (users known, cache filled); a down one starts cold, so
    // that the turns paying their deadline before the breaker opens are counted.
    if (key === 'redis') {
      await store.ping();
      await run(warm);
      await attune.flush();
      adapter.replies = 0;
      adapter.personalized = 0;
    }
    const nanos: bigint[] = [];
    const beforeOpen = await run(script, nanos);
    await attune.flush();
    const circuit = circuitOf(store);
    return {
      key,
      turn: summarize(nanos),
      beforeOpen: key === 'redis' ? 0 : beforeOpen,
      skipped: circuit?.skipped ?? 0,
      opened: circuit?.opened ?? 0,
      replies: adapter.replies,
      personalizedShare: adapter.replies ? adapter.personalized / adapter.replies : 0,
    };
  } finally {
    await attune.close().catch((err: unknown) => log(`closing ${key}: ${String(err)}`));
  }
}

/** A TCP server that accepts connections and never answers. */
async function blackhole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A local port nothing listens on: bound once to get a free one, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function deleteKeys(url: string, prefix: string): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 0, connectTimeout: 2000 });
  client.on('error', () => undefined);
  try {
    return await deleteKeysUnder(client, prefix);
  } finally {
    client.disconnect();
  }
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { turns: 2000, warmup: 500 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const n = Number(argv[i + 1]);
    if ((a === '--turns' || a === '--warmup') && Number.isInteger(n) && n > 0) {
      args[a === '--turns' ? 'turns' : 'warmup'] = n;
      i++;
    } else throw new Error(`unknown or malformed argument ${a} (known: --turns N, --warmup N)`);
  }
  return args;
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

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const load = loadavg()[0];
  const script = shopScript(args.turns, 42);
  const warm = shopScript(args.warmup, 7);
  const redisUrl = process.env.ATTUNE_REDIS_URL || DEFAULT_REDIS_URL;
  const keyPrefix = `attune-bench-degraded:${process.pid}-${Date.now().toString(36)}:`;
  const hole = await blackhole();
  const refused = await closedPort();
  const urls: Record<ConfigKey, string> = {
    redis: redisUrl,
    blackhole: `redis://127.0.0.1:${hole.port}`,
    'closed-port': `redis://127.0.0.1:${refused}`,
  };
  const measured: Measured[] = [];
  let deleted: number | undefined;
  try {
    for (const key of CONFIGS) {
      const m = await measure(key, urls[key], keyPrefix, script, warm);
      measured.push(m);
      log(`${key.padEnd(12)} p50 ${ms(m.turn.p50)}  p99 ${ms(m.turn.p99)}  max ${ms(m.turn.max)} ms; ${m.beforeOpen} turns before the breaker opened`);
    }
  } finally {
    await hole.close();
    deleted = await deleteKeys(redisUrl, keyPrefix).catch(() => undefined);
  }
  const text = render(args, measured, { url: publicUrl(redisUrl), deleted, seconds: (performance.now() - started) / 1000, load: [load, loadavg()[0]] });
  process.stdout.write(text);
  writeFileSync(join(__dirname, 'results', 'degraded.md'), text);
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : '–');

function render(args: Args, measured: readonly Measured[], run: { url: string; deleted?: number; seconds: number; load: [number, number] }): string {
  const base = measured.find((m) => m.key === 'redis');
  const lines = [
    '# Degraded-turn benchmark (Redis down)',
    '',
    `Generated by \`npm run bench:degraded${args.turns === 2000 ? '' : ` -- --turns ${args.turns}`}\` on ${new Date().toISOString().slice(0, 10)}: ` +
      `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}, healthy Redis on ${run.url}. ` +
      `Whole run ${run.seconds.toFixed(0)} s; one-minute load average ${run.load[0].toFixed(1)} before, ${run.load[1].toFixed(1)} after.`,
    '',
    `${args.turns} turns per configuration (the healthy one after ${args.warmup} warm-up turns); turn-path deadline ` +
      `${REDIS_DEFAULTS.commandTimeoutMs} ms, breaker opening after ${BREAKER_DEFAULTS.failureThreshold} consecutive failures (the defaults).`,
    '',
    '| configuration | p50 ms | p99 ms | max ms | mean ms | p50 / baseline | p99 / baseline | turns before the breaker opened | times it opened | calls skipped | replies with recommendations |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const m of measured) {
    const vsBase = (v: number, b: number | undefined) => (m.key === 'redis' || b === undefined ? '–' : ratio(v, b));
    lines.push(
      `| ${LABELS[m.key]} | ${ms(m.turn.p50)} | ${ms(m.turn.p99)} | ${ms(m.turn.max)} | ${ms(m.turn.mean)} | ${vsBase(m.turn.p50, base?.turn.p50)} | ${vsBase(m.turn.p99, base?.turn.p99)} | ` +
        `${m.key === 'redis' ? '–' : m.beforeOpen} | ${m.opened} | ${m.skipped} | ${(m.personalizedShare * 100).toFixed(0)} % |`,
    );
  }
  lines.push('', '## Target', '', '| target | measured | result |', '| --- | ---: | --- |');
  for (const m of measured.filter((x) => x.key !== 'redis')) {
    lines.push(`| ${LABELS[m.key]}: every turn answered, p99 < ${P99_TARGET_MS} ms | ${m.replies} replies to ${m.turn.n} turns, p99 ${ms(m.turn.p99)} ms | ${m.turn.p99 < P99_TARGET_MS && m.replies >= m.turn.n ? 'PASS' : 'MISS'} |`);
  }
  lines.push(
    '',
    '## How it was measured',
    '',
    '- One process; for each configuration a fresh `openStore(url)` (Redis store with the circuit breaker,',
    '  defaults), `createAttune({ catalog, store })` with the default stages, botbuilder\'s `TestAdapter` with',
    '  `AttuneMiddleware` and the e-commerce `ShopBot`. Logging is on at `info` into a discarding stream, so',
    '  what an outage costs in log lines is counted.',
    `- The conversation is bench/lib/chat.ts's scripted shop chat (fixed seed), with one message in five`,
    '  naming a catalog product ("tell me about …", one in four of those "buy …"), so the bot\'s own',
    '  `attune.track` calls run inside the turns. Turns are sent one after another.',
    '- A turn is timed with `process.hrtime.bigint()` around `adapter.processActivity(activity)`: the bot',
    '  has replied and every middleware has finished. Writes Attune defers are drained after the run, untimed.',
    '- The healthy configuration first runs the warm-up turns (users known, snapshot cache filled). The',
    '  degraded ones start cold: their first turns wait for the deadline until the breaker opens, and',
    '  those turns are in the figures (they make the max). A turn counts as "before the breaker opened"',
    '  when the circuit was closed as it began.',
    '- "replies with recommendations" counts replies carrying suggested actions or cards: with Redis down',
    '  the bot answers unpersonalized, without them. On the healthy baseline, a breaker that opened means',
    `  Redis was slow enough to miss the ${REDIS_DEFAULTS.commandTimeoutMs} ms deadline ${BREAKER_DEFAULTS.failureThreshold} times in a row (a loaded machine); it closes at the next probe.`,
    `- The healthy store's keys are deleted afterwards${run.deleted !== undefined ? ` (${run.deleted} keys this run)` : ''}.`,
    '',
  );
  return lines.join('\n');
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
