/**
 * Per-turn cost of Attune on a Bot Framework bot (not part of `npm test`).
 *
 * One process runs the same scripted shop conversation through botbuilder's `TestAdapter` and a
 * plain echo `ActivityHandler` in these configurations: no middleware (baseline), botbuilder's
 * `TranscriptLoggerMiddleware` + `MemoryTranscriptStore`, botbuilder's `UserState` +
 * `ConversationState` on `MemoryStorage` and on a plain ioredis `Storage` (the state every bot
 * keeps), `AttuneMiddleware` on the memory store, and `AttuneMiddleware` on Redis
 * (`ATTUNE_REDIS_URL`, else redis://127.0.0.1:6379/14; the Redis rows are skipped with a note
 * when Redis does not answer). Attune encrypts at rest, as `npm start` runs it. Each configuration is warmed up, then the
 * rounds run interleaved in chunks; the report gives the median over rounds and writes
 * bench/results/turn.md. It is a benchmark: it exits 0 whether the targets are met or not.
 *
 * ```sh
 * npm run bench:turn
 * npm run bench:turn -- --turns 2000 --rounds 5
 * npx tsx --cpu-prof bench/turn.ts --only attune-memory   # profile one configuration
 * ```
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  ActivityHandler,
  ActivityTypes,
  type Activity,
  MemoryTranscriptStore,
  type ResourceResponse,
  MemoryStorage,
  TestAdapter,
  TranscriptLoggerMiddleware,
  type TurnContext,
} from 'botbuilder';
import Redis from 'ioredis';
import { createAttune } from '../index';
import { createCipher, DEVELOPMENT_ENCRYPTION_KEY, parseEncryptionKeys } from '../src/privacy/cipher';
import { AttuneMiddleware } from '../adapters/botbuilder';
import { Attune } from '../src/engine/attune';
import { openStore } from '../src/store/open';
import catalog from '../examples/ecommerce/catalog.json';
import { RedisJsonStorage, stateMiddleware } from './lib/bot-state';
import { scriptedChat, type ScriptedMessage } from './lib/chat';
import { deleteKeys } from './lib/redis-keys';
import { median, summarize, type Summary } from './lib/stats';

const CONFIGS = ['baseline', 'transcript', 'state-memory', 'state-redis', 'attune-engine', 'attune-memory', 'attune-redis'] as const;
type ConfigKey = (typeof CONFIGS)[number];

const LABELS: Record<ConfigKey, string> = {
  baseline: 'no middleware (baseline)',
  transcript: 'TranscriptLoggerMiddleware + MemoryTranscriptStore',
  'state-memory': 'UserState + ConversationState on MemoryStorage',
  'state-redis': 'UserState + ConversationState on an ioredis Storage',
  'attune-engine': 'AttuneMiddleware, memory store, no stages (the engine alone)',
  'attune-memory': 'AttuneMiddleware, memory store',
  'attune-redis': 'AttuneMiddleware, Redis store',
};

const RATIO_TARGET = 1.5;
/** Attune's overhead on memory, at most this times that of botbuilder state on MemoryStorage. */
const MEMORY_STATE_TARGET = 1.0;
/** Attune's overhead on Redis, at most this times that of botbuilder state on the ioredis Storage. */
const REDIS_STATE_TARGET = 1.5;
/** Attune's p99 overhead may exceed the state baseline's by this much, in ms. */
const P99_SLACK_MS = 1;
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/14';
/** Turns a configuration runs before the next takes over: load on the machine drifts, so they alternate. */
const CHUNK = 1000;

interface Args {
  turns: number;
  rounds: number;
  warmup: number;
  only?: ConfigKey;
}

/** Records when the reply reaches the adapter, i.e. the user would see it. */
class TimedAdapter extends TestAdapter {
  replyAt = 0n;
  replies = 0;

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses = await super.sendActivities(context, activities);
    this.replyAt = process.hrtime.bigint();
    this.replies += activities.length;
    return responses;
  }
}

/** The simplest real bot: echoes every message. */
class EchoBot extends ActivityHandler {
  constructor() {
    super();
    this.onMessage(async (context, next) => {
      await context.sendActivity(`You said: ${context.activity.text ?? ''}`);
      await next();
    });
  }
}

interface Setup {
  key: ConfigKey;
  adapter: TimedAdapter;
  attune?: Attune;
  close: () => Promise<void>;
}

interface RunResult {
  turn: Summary;
  reply: Summary;
}

function newAdapter(): TimedAdapter {
  const bot = new EchoBot();
  return new TimedAdapter((context) => bot.run(context));
}

function setupPlain(key: 'baseline' | 'transcript'): Setup {
  const adapter = newAdapter();
  if (key === 'transcript') adapter.use(new TranscriptLoggerMiddleware(new MemoryTranscriptStore()));
  return { key, adapter, close: async () => undefined };
}

function setupState(key: 'state-memory' | 'state-redis', redis?: Redis, keyPrefix = ''): Setup {
  const adapter = newAdapter();
  adapter.use(stateMiddleware(redis ? new RedisJsonStorage(redis, keyPrefix) : new MemoryStorage()));
  return { key, adapter, close: async () => undefined };
}

/** As `npm start` encrypts (the development key when ATTUNE_ENCRYPTION_KEYS is unset), without its warning. */
const cipher = createCipher(parseEncryptionKeys(process.env.ATTUNE_ENCRYPTION_KEYS || DEVELOPMENT_ENCRYPTION_KEY));

function setupAttune(key: 'attune-engine' | 'attune-memory' | 'attune-redis', redisUrl?: string, keyPrefix?: string): Setup {
  const store = openStore(redisUrl, { keyPrefix, cipher });
  // The engine alone: reading and writing the user, the pipeline and the reply hook, no stage.
  const attune = key === 'attune-engine' ? new Attune({ catalog, store }) : createAttune({ catalog, store });
  const adapter = newAdapter();
  adapter.use(new AttuneMiddleware(attune));
  return { key, adapter, attune, close: () => attune.close() };
}

/** A fresh activity per turn: the adapter and middleware mutate what they are given. */
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

/** Per-turn latencies in nanoseconds: to the end of the turn, and to the reply. */
interface Latencies {
  turn: bigint[];
  reply: bigint[];
  /** Time spent after the last turn of each chunk until every write still in flight landed. */
  drain: bigint;
}

/** Runs the script turn by turn, timing each from send to the end of the turn, into `out`. */
async function run(setup: Setup, script: readonly ScriptedMessage[], out: Latencies = { turn: [], reply: [], drain: 0n }): Promise<Latencies> {
  const { adapter } = setup;
  for (let i = 0; i < script.length; i++) {
    const activity = activityOf(script[i]);
    const before = adapter.replies;
    const start = process.hrtime.bigint();
    await adapter.processActivity(activity);
    const end = process.hrtime.bigint();
    if (adapter.replies === before) throw new Error(`${setup.key}: turn ${i} got no reply`);
    out.turn.push(end - start);
    out.reply.push(adapter.replyAt - start);
    adapter.activeQueue.length = 0;
  }
  // Writes Attune did not make the turns wait for, and their acknowledgements, may still be
  // in flight: they are part of what the turns cost, so the mean counts the time to drain them.
  if (setup.attune) {
    const start = process.hrtime.bigint();
    await setup.attune.flush();
    out.drain += process.hrtime.bigint() - start;
  }
  return out;
}

/** A GC handle without a command-line flag, so that `npm run bench:turn` can collect between runs. */
function gcHandle(): (() => void) | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    return typeof gc === 'function' ? () => void gc() : undefined;
  } catch {
    return undefined;
  }
}

const gc = gcHandle();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Lets work a previous run left behind finish before the next starts, so that no configuration
 * pays for another's: un-awaited promises (the transcript logger's `logActivity`, Attune's
 * background popularity refresh), Redis replies in flight, and the garbage of the last run.
 */
async function settle(): Promise<void> {
  await tick();
  await sleep(5);
  gc?.();
  await tick();
}

/** Opens a fast-failing client; a reason string when Redis does not answer. */
async function probeRedis(url: string): Promise<Redis | string> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
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
  const args: Args = { turns: 10_000, rounds: 3, warmup: 1_000 };
  const int = (name: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a positive integer, got ${v ?? 'nothing'}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--turns') args.turns = int(a, argv[++i]);
    else if (a === '--rounds') args.rounds = int(a, argv[++i]);
    else if (a === '--warmup') args.warmup = int(a, argv[++i]);
    else if (a === '--only') {
      const v = argv[++i];
      if (!CONFIGS.includes(v as ConfigKey)) throw new Error(`--only takes one of ${CONFIGS.join(', ')}`);
      args.only = v as ConfigKey;
    } else throw new Error(`unknown argument ${a} (known: --turns N, --rounds N, --warmup N, --only <config>)`);
  }
  return args;
}

interface Measured {
  key: ConfigKey;
  rounds: RunResult[];
  mean: number;
  p50: number;
  p99: number;
  replyMean: number;
}

interface Report {
  args: Args;
  measured: Measured[];
  redis: { url: string; version?: string; skipped?: string; deleted?: number };
  script: { users: number; conversations: number; mentionShare: number; meanChars: number };
  seconds: number;
  /** One-minute load average before and after: other work on the machine widens the tails. */
  load: [number, number];
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const loadBefore = loadavg()[0];
  const wanted = (k: ConfigKey) => !args.only || args.only === k;
  const script = scriptedChat(catalog, { turns: args.turns });
  const warm = scriptedChat(catalog, { turns: args.warmup, seed: 7 });

  const setups: Setup[] = [];
  for (const key of ['baseline', 'transcript'] as const) if (wanted(key)) setups.push(setupPlain(key));
  if (wanted('state-memory')) setups.push(setupState('state-memory'));
  if (wanted('attune-engine')) setups.push(setupAttune('attune-engine'));
  if (wanted('attune-memory')) setups.push(setupAttune('attune-memory'));

  const redisUrl = process.env.ATTUNE_REDIS_URL ?? DEFAULT_REDIS_URL;
  const redis: Report['redis'] = { url: publicUrl(redisUrl) };
  const keyPrefix = `attune-bench:${process.pid}-${Date.now().toString(36)}:`;
  let admin: Redis | undefined;
  if (wanted('attune-redis') || wanted('state-redis')) {
    const probe = await probeRedis(redisUrl);
    if (typeof probe === 'string') {
      redis.skipped = `Redis did not answer at ${redis.url} (${probe})`;
      log(`attune-redis skipped: ${redis.skipped}`);
    } else {
      admin = probe;
      redis.version = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1];
      if (wanted('state-redis')) setups.push(setupState('state-redis', admin, keyPrefix));
      if (wanted('attune-redis')) setups.push(setupAttune('attune-redis', redisUrl, keyPrefix));
    }
  }

  const results = new Map<ConfigKey, RunResult[]>(setups.map((s) => [s.key, []]));
  try {
    for (const s of setups) {
      await settle();
      await run(s, warm);
      log(`warmed up ${s.key} (${warm.length} turns)`);
    }
    for (let r = 0; r < args.rounds; r++) {
      const round = new Map<ConfigKey, Latencies>(setups.map((s) => [s.key, { turn: [], reply: [], drain: 0n }]));
      for (let c = 0; c * CHUNK < script.length; c++) {
        const chunk = script.slice(c * CHUNK, (c + 1) * CHUNK);
        // Rotate the order every chunk so that no configuration always runs first or last.
        const order = setups.map((_, i) => setups[(i + r + c) % setups.length]);
        for (const s of order) {
          await settle();
          await run(s, chunk, round.get(s.key));
        }
      }
      for (const s of setups) {
        const lat = round.get(s.key) ?? { turn: [], reply: [], drain: 0n };
        const result = { turn: summarize(lat.turn, lat.drain), reply: summarize(lat.reply) };
        results.get(s.key)?.push(result);
        log(`round ${r + 1}/${args.rounds} ${s.key.padEnd(13)} mean ${ms(result.turn.mean)}  p50 ${ms(result.turn.p50)}  p99 ${ms(result.turn.p99)}`);
      }
    }
    await settle();
  } finally {
    for (const s of setups) await s.close().catch((err: unknown) => log(`closing ${s.key}: ${String(err)}`));
    if (admin) {
      redis.deleted = await deleteKeys(admin, keyPrefix).catch((err: unknown) => {
        log(`could not delete the bench keys (prefix ${keyPrefix}): ${String(err)}`);
        return undefined;
      });
      admin.disconnect();
    }
  }

  const measured: Measured[] = [...results].map(([key, rounds]) => ({
    key,
    rounds,
    mean: median(rounds.map((x) => x.turn.mean)),
    p50: median(rounds.map((x) => x.turn.p50)),
    p99: median(rounds.map((x) => x.turn.p99)),
    replyMean: median(rounds.map((x) => x.reply.mean)),
  }));
  const report: Report = {
    args,
    measured,
    redis,
    script: {
      users: new Set(script.map((m) => m.userId)).size,
      conversations: new Set(script.map((m) => m.conversationId)).size,
      mentionShare: script.filter((m) => m.mentionsCategory).length / script.length,
      meanChars: script.reduce((a, m) => a + m.text.length, 0) / script.length,
    },
    seconds: (performance.now() - started) / 1000,
    load: [loadBefore, loadavg()[0]],
  };
  const text = render(report);
  process.stdout.write(text);
  // A partial run (--only) is for profiling; it must not overwrite the full report.
  if (!args.only) writeFileSync(join(__dirname, 'results', 'turn.md'), text);
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');

function render({ args, measured, redis, script, seconds, load }: Report): string {
  const by = (k: ConfigKey) => measured.find((m) => m.key === k);
  const base = by('baseline');
  const overhead = (m: Measured | undefined) => (m && base ? m.mean - base.mean : Number.NaN);
  const overheadP50 = (m: Measured | undefined) => (m && base ? m.p50 - base.p50 : Number.NaN);
  const lines = [
    '# Per-turn benchmark',
    '',
    `Generated by \`npm run bench:turn${args.turns === 10_000 ? '' : ` -- --turns ${args.turns}`}\` on ${new Date().toISOString().slice(0, 10)}: ` +
      `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}` +
      `${redis.version ? `, Redis ${redis.version} on ${redis.url}` : ''}. Whole run ${seconds.toFixed(0)} s; ` +
      `one-minute load average ${load[0].toFixed(1)} before, ${load[1].toFixed(1)} after (other work on the machine widens the tails).`,
    '',
    `Code measured: ${revision()}. ${args.turns} turns per run, ${args.rounds} rounds, ${args.warmup} warm-up turns per configuration; figures are the median over rounds.`,
    '',
    '| configuration | mean ms | p50 ms | p99 ms | overhead ms/turn (mean) | overhead at p50 ms | mean to reply ms | round means ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const m of measured) {
    const o = overhead(m);
    lines.push(
      `| ${LABELS[m.key]} | ${ms(m.mean)} | ${ms(m.p50)} | ${ms(m.p99)} | ${m.key === 'baseline' ? '–' : ms(o)} | ${m.key === 'baseline' ? '–' : ms(overheadP50(m))} | ${ms(m.replyMean)} | ${m.rounds.map((x) => ms(x.turn.mean)).join(' / ')} |`,
    );
  }
  if (redis.skipped) for (const k of ['state-redis', 'attune-redis'] as const) lines.push(`| ${LABELS[k]} | skipped: ${redis.skipped.replace(/\|/g, '/')} | | | | | | |`);

  // The ratio of mean overheads is the target. The logger's overhead is a few microseconds, so
  // on a busy machine its mean can drown in noise (≤ 0); the p50 overheads then stand in.
  const meanRatio = { attune: overhead(by('attune-memory')), logger: overhead(by('transcript')), basis: 'means' };
  const p50Ratio = { attune: overheadP50(by('attune-memory')), logger: overheadP50(by('transcript')), basis: 'p50s (the mean overheads were within noise)' };
  const used = meanRatio.logger > 0 ? meanRatio : p50Ratio;
  const ratio = used.attune / used.logger;
  const engine = by('attune-engine');
  const engineRatio = engine ? (used === meanRatio ? overhead(engine) : overheadP50(engine)) / used.logger : Number.NaN;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const overheadP99 = (m: Measured | undefined) => (m && base ? m.p99 - base.p99 : Number.NaN);
  // Attune against the state a bot keeps anyway, on the same kind of storage.
  const against = (attuneKey: ConfigKey, stateKey: ConfigKey, limit: number, where: string): string[] => {
    const a = by(attuneKey);
    const st = by(stateKey);
    if (!a || !st) return [`| Attune vs botbuilder state on ${where} | not run | SKIPPED (${redis.skipped ?? 'not selected'}) |`];
    const row = (what: string, x: number, y: number) =>
      y > 0
        ? `| Attune ${what} overhead / state ${what} overhead on ${where} ≤ ${limit} | ${(x / y).toFixed(2)} (${ms(x)} / ${ms(y)} ms) | ${verdict(x / y <= limit)} |`
        : `| Attune ${what} overhead / state ${what} overhead on ${where} ≤ ${limit} | not measurable (state overhead ${ms(y)} ms) | SKIPPED |`;
    const p99 = overheadP99(a);
    const p99State = overheadP99(st);
    return [
      row('mean', overhead(a), overhead(st)),
      row('p50', overheadP50(a), overheadP50(st)),
      `| Attune p99 overhead ≤ state p99 overhead + ${P99_SLACK_MS} ms on ${where} | ${ms(p99)} ms vs ${ms(p99State + P99_SLACK_MS)} ms | ${verdict(p99 <= p99State + P99_SLACK_MS)} |`,
    ];
  };
  lines.push(
    '',
    '## Targets',
    '',
    '| target | measured | result |',
    '| --- | ---: | --- |',
    ...against('attune-memory', 'state-memory', MEMORY_STATE_TARGET, 'memory'),
    ...against('attune-redis', 'state-redis', REDIS_STATE_TARGET, 'Redis'),
    Number.isFinite(ratio) && used.logger > 0
      ? `| (earlier target) Attune overhead / transcript-logger overhead on memory ≤ ${RATIO_TARGET} | ${ratio.toFixed(2)} (${ms(used.attune)} / ${ms(used.logger)} ms, from ${used.basis}) | ${verdict(ratio <= RATIO_TARGET)} |`
      : `| (earlier target) Attune overhead / transcript-logger overhead on memory ≤ ${RATIO_TARGET} | not measurable (overheads ${ms(used.attune)} / ${ms(used.logger)} ms) | SKIPPED |`,
    ...(Number.isFinite(engineRatio) && used.logger > 0
      ? [`| (for reference, not a target) the engine alone, no stages / transcript logger | ${engineRatio.toFixed(2)} | the floor under every stage |`]
      : []),
    '',
    '## How it was measured',
    '',
    '- One process, one botbuilder `TestAdapter` per configuration, each running the same echo',
    '  `ActivityHandler` (`You said: …`). Attune is `createAttune({ catalog, store })` with the',
    '  `examples/ecommerce` catalog and the default stages (the engine-alone row: `new Attune({ catalog, store })`',
    '  with no stage, what every configuration of Attune pays at least), its store encrypting at rest as',
    '  `npm start` does. The state rows read a `UserState` and a `ConversationState` property before the bot',
    '  (turn count, last message, the last five messages) and await both `saveChanges()` after it, as the',
    '  botbuilder samples do; on Redis through a `Storage` of GET/SET of JSON. The Redis rows get a key prefix of their own',
    `  and its keys are deleted afterwards${redis.deleted !== undefined ? ` (${redis.deleted} keys this run)` : ''}.`,
    `- The conversation is scripted with a fixed seed: ${script.users} users over ${script.conversations} conversations,`,
    `  messages of ${script.meanChars.toFixed(0)} characters on average, ${(script.mentionShare * 100).toFixed(0)} % naming a catalog product`,
    '  ("do you have any running shoes?"), the rest small talk (order tracking, returns, one message with',
    '  an email address). Turns are sent one after another, as a conversation is.',
    '- A turn is timed with `process.hrtime.bigint()` from `adapter.processActivity(activity)` until it',
    '  resolves: the reply has reached the adapter and every middleware has finished. Attune writes a',
    '  turn after the bot has answered without making the turn wait (as the transcript logger does not',
    '  await `logActivity`); the write runs on the same event loop, so its cost lands in the turns that',
    '  follow. What is still in flight when a chunk ends (on Redis, the acknowledgements) is drained',
    '  with `attune.flush()` under the clock, and the mean counts that time spread over the chunk’s',
    '  turns (the percentiles describe single turns and do not). "mean to reply" stops the clock when the reply',
    '  reaches the adapter instead. Overhead is a configuration’s mean minus the baseline’s mean;',
    '  "overhead at p50" is the same difference of medians, which machine noise moves far less.',
    '- Fairness: `TranscriptLoggerMiddleware` does not await `logActivity`; `MemoryTranscriptStore`',
    '  stores synchronously and returns a resolved promise, so its work still lands inside the timed',
    '  turn and only the promise bookkeeping is left over. Attune refreshes popularity in the background.',
    `  Configurations take turns in chunks of ${CHUNK} turns, so that load from other work on the machine`,
    '  falls on all of them alike. Before every chunk the bench yields to the event loop, waits 5 ms and',
    '  forces a garbage collection, so no configuration pays for work or garbage another left behind',
    '  (each still pays for the scavenges its own allocation triggers).',
    `- Each configuration first runs ${args.warmup} warm-up turns (other messages, same users, so profiles exist`,
    `  as for returning users); then every round runs the whole ${args.turns}-turn script on each configuration,`,
    '  chunk by chunk in an order rotated every chunk, and the table gives the median over rounds of each',
    '  statistic. p99 includes GC pauses. All configurations share one heap, so what one retains (the',
    '  memory store keeps every event it was given, the transcript store every activity) makes every',
    '  configuration’s garbage collection costlier; `--only <configuration>` measures one alone.',
    '',
  );
  return lines.join('\n');
}

/** The commit measured, and whether the working tree differed from it. */
function revision(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: join(__dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'index.ts', 'src', 'middleware', 'adapters') !== '';
    return `commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' with uncommitted changes to the library' : ''}`;
  } catch {
    return 'an unknown commit';
  }
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

main().catch((err: unknown) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
