import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';

/** The Redis the store tests use: db 15 by default, so a developer's data is not touched. */
export const TEST_REDIS_URL = process.env.ATTUNE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

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
 * tests whether to define or skip them. A child process runs the async ping with a short
 * timeout and reports through its exit code.
 */
export function redisAnswers(url: string): boolean {
  const script = `
    const Redis = require('ioredis');
    const r = new Redis(process.env.PROBE_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
    r.on('error', () => {});
    r.connect().then(() => r.ping()).then(() => process.exit(0), () => process.exit(1));`;
  try {
    execFileSync(process.execPath, ['-e', script], { env: { ...process.env, PROBE_URL: url }, timeout: 5000, stdio: 'ignore' });
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
 * Commands for which `ignore(args)` is true are left out (e.g. a store's heartbeat).
 */
export async function watchServer(admin: Redis, client: Redis, ignore: (args: string[]) => boolean = () => false): Promise<ServerWatch> {
  const info = String(await client.call('CLIENT', 'INFO'));
  const address = /(?:^|\s)addr=(\S+)/.exec(info)?.[1];
  if (!address) throw new Error(`no addr in CLIENT INFO: ${info}`);
  const monitor = await admin.monitor();
  let seen: string[] = [];
  let waiting: { marker: string; done: () => void } | undefined;
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== address) return;
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
  await settle(); // MONITOR is flowing before anything is counted
  return {
    during: async (fn) => {
      seen = [];
      await fn();
      await settle();
      return seen;
    },
    stop: () => monitor.disconnect(),
  };
}
