import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import Redis, { type RedisOptions } from 'ioredis';

/**
 * Whether the Redis tests of a file run, and on which database. They take it from
 * `ATTUNE_TEST_REDIS_URL` only: there is no default, so no test ever writes to a database
 * nobody gave it. When they cannot run (the variable unset, or Redis not answering), they are
 * skipped with the reason, except under `CI=true`, which `required` marks: there they fail.
 */
export type TestRedis = { run: true; url: string; shown: string } | { run: false; required: boolean; reason: string };

/**
 * Decides {@link TestRedis} from an environment; `answers` is asked only when a URL is set.
 *
 * ```ts
 * resolveTestRedis({ CI: 'true' }); // { run: false, required: true, reason: 'ATTUNE_TEST_REDIS_URL is not set' }
 * ```
 */
export function resolveTestRedis(env: NodeJS.ProcessEnv, answers: (url: string) => boolean = redisAnswers): TestRedis {
  const required = env.CI === 'true';
  const url = env.ATTUNE_TEST_REDIS_URL?.trim();
  if (!url) return { run: false, required, reason: 'ATTUNE_TEST_REDIS_URL is not set' };
  const shown = hidePassword(url);
  if (!answers(url)) return { run: false, required, reason: `Redis does not answer at ${shown} (ATTUNE_TEST_REDIS_URL)` };
  return { run: true, url, shown };
}

let decided: TestRedis | undefined;

/** {@link resolveTestRedis} of this process's environment, probed once per test file. */
export function testRedis(): TestRedis {
  return (decided ??= resolveTestRedis(process.env));
}

/**
 * Defines the tests that need Redis, where it is called, handing `body` the database's URL.
 * When Redis cannot be used, `body` is not called (so nothing in it connects anywhere), and
 * a block named after `what` stands in: skipped, with a warning saying why; or, under
 * `CI=true`, holding one test that fails with that reason, since CI must never pass without
 * having run them.
 *
 * ```ts
 * onTestRedis('RedisStore', (url) => {
 *   const admin = new Redis(url);
 *   afterAll(() => admin.quit());
 *   test('…', async () => { … });
 * });
 * ```
 */
export function onTestRedis(what: string, body: (url: string) => void): void {
  const target = testRedis();
  if (target.run) {
    body(target.url);
  } else if (target.required) {
    describe(what, () => {
      test('has Redis to run on (CI=true requires it)', () => {
        throw new Error(`${target.reason}: under CI=true the Redis tests must run; set ATTUNE_TEST_REDIS_URL to a Redis database they may use`);
      });
    });
  } else {
    console.warn(`${what}: Redis tests skipped, ${target.reason} (set it to a Redis database the tests may use, e.g. redis://127.0.0.1:6379/<db>; CI=true requires them)`);
    describe.skip(`${what} (skipped: ${target.reason})`, () => {
      test('needs Redis', () => undefined);
    });
  }
}

/** {@link onTestRedis} of one `describe(name)` block: `describeRedis(name, (url) => { … })`. */
export function describeRedis(name: string, body: (url: string) => void): void {
  onTestRedis(name, (url) => describe(name, () => body(url)));
}

/**
 * For a file that runs the same tests on several stores: the URL to run its Redis cases on,
 * or undefined when they cannot run, in which case a block named `what` stands in for them,
 * as {@link onTestRedis} puts it (skipped with the reason, or failing under CI=true).
 *
 * ```ts
 * const redisUrl = redisUrlFor('ingestion bounds on Redis');
 * if (redisUrl) cases.push(['redis', () => new RedisStore({ url: redisUrl })]);
 * ```
 */
export function redisUrlFor(what: string): string | undefined {
  let url: string | undefined;
  onTestRedis(what, (u) => {
    url = u;
  });
  return url;
}

/** A URL as it may be shown: without its password. */
export const hidePassword = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');

/*
 * The Redis these tests use may be shared and busy (other runs, benchmarks), so the deadline
 * of turn-path calls defaults to a generous one here: tests that are not about deadlines must
 * not fail because a healthy but loaded Redis took more than a turn's 150 ms. Tests of
 * deadlines set `commandTimeoutMs` themselves.
 */
process.env.ATTUNE_REDIS_TIMEOUT_MS ||= '5000';

/** A prefix no other run shares, so runs can overlap and clean up only their own keys. */
export const RUN_PREFIX = `attune-test:${process.pid}-${randomBytes(4).toString('hex')}:`;

/**
 * Whether Redis answers at `url`, decided synchronously: jest must know while it collects the
 * tests whether to define or skip them. A child process runs the async ping and reports
 * through its exit code. A refused connection answers at once; the timeouts are long so that
 * a loaded machine, where starting node alone may take seconds, is not taken for a missing
 * Redis (which under CI=true fails the run).
 */
export function redisAnswers(url: string): boolean {
  const script = `
    const Redis = require('ioredis');
    const r = new Redis(process.env.PROBE_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 10000 });
    r.on('error', () => {});
    r.connect().then(() => r.ping()).then(() => process.exit(0), () => process.exit(1));`;
  try {
    execFileSync(process.execPath, ['-e', script], { env: { ...process.env, PROBE_URL: url }, timeout: 20000, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Deletes every key under `prefix` (SCAN + UNLINK, never FLUSHDB: the database may be shared). */
export async function deleteKeys(client: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  for (const keys of await scanBatches(client, prefix)) deleted += await client.unlink(...keys);
  return deleted;
}

/**
 * Every key under `prefix` with its whole value, read by type (not DUMP, whose RDB encoding
 * may compress a value and hide what it holds), as one string.
 */
export async function dumpKeys(client: Redis, prefix: string): Promise<string> {
  const out: string[] = [];
  for (const key of (await listKeys(client, prefix)).sort()) {
    const type = await client.type(key);
    const value =
      type === 'string' ? await client.get(key)
      : type === 'hash' ? await client.hgetall(key)
      : type === 'set' ? await client.smembers(key)
      : type === 'zset' ? await client.zrange(key, '0', '-1', 'WITHSCORES')
      : type === 'list' ? await client.lrange(key, 0, -1)
      : type === 'stream' ? await client.xrange(key, '-', '+')
      : `<${type}>`;
    out.push(JSON.stringify([key, value]));
  }
  return out.join('\n');
}

/** Every key under `prefix`. */
export async function listKeys(client: Redis, prefix: string): Promise<string[]> {
  return (await scanBatches(client, prefix)).flat();
}

async function scanBatches(client: Redis, prefix: string): Promise<string[][]> {
  const batches: string[][] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${globEscape(prefix)}*`, 'COUNT', 500);
    if (keys.length) batches.push(keys);
    cursor = next;
  } while (cursor !== '0');
  return batches;
}

const globEscape = (s: string) => s.replace(/[*?[\]\\]/g, '\\$&');

/** What {@link countRoundTrips} saw. */
export interface RoundTrips {
  /** Round trips since the last reset. */
  rounds(): number;
  /** Command names sent since the last reset, lower case. */
  commands(): string[];
  /** Starts counting afresh. */
  reset(): void;
  /** Puts the client's own sendCommand back. */
  restore(): void;
}

/**
 * Counts round trips on a client by wrapping its sendCommand: a command sent while no reply
 * has come back since the previous command belongs to the same round trip (a pipeline or
 * MULTI writes all its commands before any reply can arrive); a command sent after a reply
 * starts a new one. This is what one round trip means on the wire, whatever the batching.
 */
export function countRoundTrips(client: Redis): RoundTrips {
  const original = client.sendCommand;
  let rounds = 0;
  let names: string[] = [];
  let answered = true;
  client.sendCommand = function (this: Redis, ...args: Parameters<Redis['sendCommand']>) {
    const [command] = args;
    if (answered) rounds += 1;
    answered = false;
    names.push(command.name.toLowerCase());
    const mark = () => {
      answered = true;
    };
    command.promise.then(mark, mark);
    return original.apply(this, args);
  };
  return {
    rounds: () => rounds,
    commands: () => [...names],
    reset: () => {
      rounds = 0;
      names = [];
      answered = true;
    },
    restore: () => {
      client.sendCommand = original;
    },
  };
}

/** What {@link watchServer} saw. */
export interface ServerWatch {
  /** Runs `fn`, then returns the commands Redis received from the client meanwhile, lower case. */
  during(fn: () => Promise<unknown>): Promise<string[]>;
  /** Ends the MONITOR connection. */
  stop(): void;
}

/**
 * Watches, with MONITOR on a connection of its own, what Redis itself receives from `client`'s
 * connection: unlike {@link countRoundTrips}, this sees the wire (a script's inner commands
 * show as coming from `lua`, not from the client). Other clients of the server are filtered
 * out by address, so concurrent runs do not disturb it. Each `during` ends with an ECHO of a
 * unique marker from `client` and waits for it, so every command of `fn` has been seen.
 * Commands for which `ignore(args)` is true are left out (e.g. a store's heartbeat). The
 * MONITOR connection goes to the server `admin` is connected to, with its credentials.
 */
export async function watchServer(admin: Redis, client: Redis, ignore: (args: string[]) => boolean = () => false): Promise<ServerWatch> {
  const info = String(await client.call('CLIENT', 'INFO'));
  const address = /(?:^|\s)addr=(\S+)/.exec(info)?.[1];
  if (!address) throw new Error(`no addr in CLIENT INFO: ${info}`);
  let seen: string[] = [];
  let waiting: { marker: string; done: () => void } | undefined;
  const monitor = await monitorFeed(admin.options, (source, args) => {
    if (source !== address || !args.length) return;
    const [name, marker] = args;
    if (name.toLowerCase() === 'echo' && marker === waiting?.marker) waiting.done();
    else if (!ignore(args)) seen.push(name.toLowerCase());
  });
  let markers = 0;
  const settle = async () => {
    const marker = `watch-${++markers}`;
    const arrived = new Promise<void>((resolve) => {
      waiting = { marker, done: resolve };
    });
    await client.echo(marker);
    await arrived;
  };
  try {
    await settle(); // MONITOR is flowing before anything is counted
  } catch (e) {
    monitor.close();
    throw e;
  }
  return {
    during: async (fn) => {
      seen = [];
      await fn();
      await settle();
      return seen;
    },
    stop: () => monitor.close(),
  };
}

/**
 * A MONITOR connection on a plain socket, calling `onCommand(source address, args)` for every
 * command the server reports. Not ioredis's `monitor()`: it switches to reading the feed only
 * once MONITOR's OK has been handled, so on a busy server the feed lines that come in the same
 * read as the OK are taken for replies to nothing, and the connection fails.
 */
async function monitorFeed(options: RedisOptions, onCommand: (source: string, args: string[]) => void): Promise<{ close(): void }> {
  const { host = '127.0.0.1', port = 6379, username, password, tls: tlsOptions } = options;
  const socket = tlsOptions ? tls.connect({ host, port, ...tlsOptions }) : net.connect(port, host);
  const commands = [...(password ? [username ? ['AUTH', username, password] : ['AUTH', password]] : []), ['MONITOR']];
  let acks = commands.length; // an OK each
  let buffer = '';
  await new Promise<void>((resolve, reject) => {
    const fail = (e: Error) => {
      socket.destroy();
      reject(e);
    };
    socket.once('error', fail);
    socket.once(tlsOptions ? 'secureConnect' : 'connect', () => socket.write(commands.map(resp).join('')));
    // The feed escapes every byte that is not printable ASCII, so a line is never split
    // inside a character, and never holds a CR or LF.
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (acks > 0) {
          if (!line.startsWith('+')) return fail(new Error(`MONITOR refused: ${line}`));
          if (--acks === 0) resolve();
          continue;
        }
        // +1339518083.107412 [0 127.0.0.1:60866] "keys" "*"   (or [0 lua] for a script's)
        const m = /^\+\d+\.\d+ \[\d+ (\S+)\] (.*)$/.exec(line);
        if (m) onCommand(m[1], [...m[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(([, arg]) => unescapeArg(arg)));
      }
    });
  });
  socket.on('error', () => undefined); // after close() or a server going away: nothing waits on it
  return { close: () => socket.destroy() };
}

/** A command in RESP, as a client sends it. */
const resp = (args: string[]) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;

/** Reverses the escaping of MONITOR's quoted arguments (`\"`, `\\`, `\n`, `\xNN`…). */
function unescapeArg(arg: string): string {
  const named: Record<string, string> = { n: '\n', r: '\r', t: '\t', a: '\x07', b: '\b' };
  return arg.replace(/\\(x[0-9a-f]{2}|.)/gi, (_, e: string) => (e.length === 3 ? String.fromCharCode(parseInt(e.slice(1), 16)) : (named[e] ?? e)));
}
