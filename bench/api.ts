/**
 * REST throughput (not part of `npm test`): `GET /v1/users/:id/recommendations` and `POST
 * /v1/track` under autocannon, Attune's server against a bare Express 5 app measured in the
 * same run.
 *
 * - Baseline: `bench/lib/bare-api.ts`, the same paths, the GET answering `res.json()` of the
 *   very body Attune answered (same size, same serialization), the POST parsing the same JSON.
 * - Attune: `attune serve` itself (`cli/main.ts serve`, the examples/ecommerce catalog), as a
 *   deployment runs it: API keys (a `read` key for the GET, an `ingest` key for the POST), data
 *   at rest encrypted, pseudonymized ids, `NODE_ENV=production`, the memory store. The rate
 *   limit stays on, raised above what the load can reach (the limiter still runs per request).
 *   With `--redis <url>` a third server runs the same on Redis (give it a database of its own:
 *   the bench writes a few users there and leaves them).
 *
 * Each server runs in its own child process (both under the same tsx loader), so autocannon's
 * load generator, here, never shares an event loop with the server it measures. Before the
 * rounds a user is given a history (`POST /v1/track`), so its recommendations are personal.
 * Then for every endpoint: a warm-up per server, then `--rounds` rounds of `--seconds` each,
 * the servers alternating (their order swapped every round), 10 connections. Reported: median
 * requests/s over rounds, latency p50/p99, and the server's CPU time per request (from
 * /proc: steadier than requests/s on a shared machine); the ratio Attune/bare; written to
 * bench/results/api.md. It is a benchmark: it exits 0 whether the target is met or not, and 1
 * when a server answered anything but 2xx.
 *
 * ```sh
 * npm run bench:api
 * npm run bench:api -- --seconds 10 --rounds 3 --connections 10
 * npm run bench:api -- --cpu-prof prof/   # writes Attune's server CPU profile into prof/
 * npm run bench:api -- --only get          # one endpoint (get or track), e.g. to profile it alone
 * ```
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import catalog from '../examples/ecommerce/catalog.json';
import { median } from './lib/stats';

const ROOT = join(__dirname, '..');
const TARGET = 0.7;

/** The command line: `--name value` pairs. */
function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}
const SECONDS = Number(option('seconds') ?? 5);
const WARMUP_SECONDS = Number(option('warmup') ?? 3);
const ROUNDS = Number(option('rounds') ?? 3);
const CONNECTIONS = Number(option('connections') ?? 10);
const REDIS_URL = option('redis');
const CPU_PROF = option('cpu-prof');
/** `get` or `track`: measure one endpoint only (a profile of one route). */
const ONLY = option('only');

interface Server {
  name: string;
  port: number;
  child: ChildProcess;
}

/** CPU time (user + system) a process has used, from /proc/<pid>/stat, in ms. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

const accepts = (port: number) =>
  new Promise<boolean>((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
  });

async function start(name: string, args: string[], port: number, env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
  const started = Date.now();
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if (Date.now() - started > 120_000) throw new Error(`${name} did not listen on ${port} within 2 minutes`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { name, port, child };
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((r) => server.child.once('exit', r));
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** One endpoint's requests, as autocannon sends them (the same to every server). */
interface Load {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  /** Bodies cycled through per connection (POST), so that events spread over users. */
  bodies?: string[];
}

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerRequest: number;
  non2xx: number;
  errors: number;
}

async function run(server: Server, load: Load, seconds: number): Promise<Sample> {
  const cpuBefore = cpuMsOf(server.child.pid!);
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections: CONNECTIONS,
    duration: seconds,
    requests: load.bodies ? load.bodies.map((body) => ({ method: load.method, path: load.path, headers: load.headers, body })) : [{ method: load.method, path: load.path, headers: load.headers }],
  });
  const cpuMs = cpuMsOf(server.child.pid!) - cpuBefore;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUsPerRequest: (cpuMs * 1000) / Math.max(1, result.requests.total), non2xx: result.non2xx, errors: result.errors };
}

async function call(port: number, method: string, path: string, key: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const USER = 'bench-shopper-1';
const items = catalog.slice(0, 40);
/** A Segment `track` call as a shop's tracker sends it: a product view of one of 50 users. */
const trackBody = (i: number) => {
  const item = items[i % items.length];
  return { userId: `bench-shopper-${(i % 50) + 1}`, event: 'Product Viewed', properties: { product_id: item.id, category: item.category, price: item.price }, context: { locale: 'en-US', channel: 'web' } };
};

async function main(): Promise<void> {
  const keys = { read: `bench_read_${randomBytes(12).toString('hex')}`, ingest: `bench_ingest_${randomBytes(12).toString('hex')}` };
  const attuneEnv = {
    NODE_ENV: 'production',
    ATTUNE_API_KEYS: `${keys.read}:read,${keys.ingest}:ingest`,
    ATTUNE_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    ATTUNE_ID_KEY: `bench:${randomBytes(32).toString('base64')}`,
    ATTUNE_RATE_LIMIT_PER_MINUTE: '100000000',
    ATTUNE_LOG_LEVEL: 'info',
  };
  const prof = CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', resolve(CPU_PROF)] : [];
  const serve = (extra: string[]) => [...prof, '--import', 'tsx', 'cli/main.ts', 'serve', '--catalog', 'examples/ecommerce/catalog.json', ...extra];
  const attunes: Server[] = [await start('Attune, memory store', serve([]), 4411, attuneEnv)];
  if (REDIS_URL) attunes.push(await start('Attune, Redis store', serve(['--redis', REDIS_URL]), 4412, attuneEnv));
  // History first: the measured user has viewed a few products, days ago (so none is excluded as on screen).
  const past = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
  for (const server of attunes) {
    for (let i = 0; i < 8; i++) await call(server.port, 'POST', '/v1/track', keys.ingest, { ...trackBody(i * 50), userId: USER, timestamp: past(2 + i) });
  }
  const path = `/v1/users/${USER}/recommendations?k=10`;
  const answer = await call(attunes[0].port, 'GET', path, keys.read);
  const answerJson = JSON.stringify(answer);
  const bare = await start('bare Express 5', ['--import', 'tsx', 'bench/lib/bare-api.ts'], 4410, { NODE_ENV: 'production', BENCH_RECOMMENDATIONS: answerJson });
  const servers = [bare, ...attunes];
  const all: Load[] = [
    { name: `GET ${path.replace(USER, ':id')}`, method: 'GET', path, headers: { authorization: `Bearer ${keys.read}` } },
    { name: 'POST /v1/track', method: 'POST', path: '/v1/track', headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json' }, bodies: Array.from({ length: 50 }, (_, i) => JSON.stringify(trackBody(i))) },
  ];
  const loads = all.filter((l) => ONLY === undefined || (ONLY === 'get' ? l.method === 'GET' : l.method === 'POST'));
  const started = Date.now();
  const loadBefore = loadavg()[0];
  const samples = new Map<string, Sample[]>();
  try {
    for (const load of loads) {
      for (const s of servers) await run(s, load, WARMUP_SECONDS);
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 ? [...servers].reverse() : servers;
        for (const s of order) {
          const sample = await run(s, load, SECONDS);
          const key = `${load.name}|${s.name}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
          process.stdout.write(`${load.name} ${s.name} round ${round + 1}: ${sample.rps.toFixed(0)} req/s, p50 ${sample.p50} ms, p99 ${sample.p99} ms, ${sample.cpuUsPerRequest.toFixed(0)} µs CPU/request\n`);
        }
      }
    }
  } finally {
    for (const s of servers) await stop(s);
  }
  const loadAfter = loadavg()[0];

  const of = (load: Load, s: Server) => samples.get(`${load.name}|${s.name}`) ?? [];
  const med = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k]));
  const rows: string[] = [];
  const targets: string[] = [];
  let refused = 0;
  for (const load of loads) {
    const base = med(of(load, bare), 'rps');
    const baseCpu = med(of(load, bare), 'cpuUsPerRequest');
    for (const s of servers) {
      const xs = of(load, s);
      refused += xs.reduce((n, x) => n + x.non2xx + x.errors, 0);
      const rps = med(xs, 'rps');
      const cpu = med(xs, 'cpuUsPerRequest');
      rows.push(`| ${load.name} | ${s.name} | ${rps.toFixed(0)} | ${(rps / base).toFixed(2)} | ${med(xs, 'p50').toFixed(0)} | ${med(xs, 'p99').toFixed(0)} | ${cpu.toFixed(0)} | ${(baseCpu / cpu).toFixed(2)} | ${xs.map((x) => x.rps.toFixed(0)).join(' / ')} |`);
      if (s !== bare) targets.push(`| ${load.name}, ${s.name}: req/s ≥ ${TARGET} × bare Express | ${(rps / base).toFixed(2)} (${rps.toFixed(0)} / ${base.toFixed(0)}) | ${rps / base >= TARGET ? 'MET' : 'MISS'} |`);
    }
  }
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const lines = [
    '# REST throughput: Attune against a bare Express 5 app',
    '',
    `Generated by \`npm run bench:api -- --seconds ${SECONDS} --rounds ${ROUNDS} --connections ${CONNECTIONS}${REDIS_URL ? ' --redis <url>' : ''}${ONLY ? ` --only ${ONLY}` : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}. Whole run ${((Date.now() - started) / 1000).toFixed(0)} s; one-minute load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (other work on the machine moves requests/s; CPU per request moves less).`,
    '',
    `Code measured: commit ${commit}.`,
    '',
    `Body of the GET answer: ${Buffer.byteLength(answerJson)} bytes (${(answer as { recommendations: unknown[] }).recommendations.length} recommendations); of each POST: ${Buffer.byteLength(JSON.stringify(trackBody(0)))} bytes or so.`,
    '',
    '| endpoint | server | req/s (median) | × bare | p50 ms | p99 ms | server CPU µs/request | bare CPU / this CPU | rounds req/s |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
    '## Targets',
    '',
    '| target | measured | result |',
    '| --- | ---: | --- |',
    ...targets,
    '',
    '## How it was measured',
    '',
    '- Each server is a child process of its own; autocannon runs in the parent, so the load generator',
    '  never shares an event loop with the server measured (it does share the machine\'s CPUs).',
    '- Attune is `attune serve --catalog examples/ecommerce/catalog.json` (cli/main.ts under tsx), with',
    '  `NODE_ENV=production`, `ATTUNE_API_KEYS` (a `read` key for the GET, an `ingest` key for the POST, sent as',
    '  `Authorization: Bearer`), `ATTUNE_ENCRYPTION_KEYS` and `ATTUNE_ID_KEY` set (data at rest encrypted, ids',
    '  pseudonymized), the memory store; every security layer on (helmet, CORS, key check, rate limit, body',
    '  limits, zod validation). `ATTUNE_RATE_LIMIT_PER_MINUTE` is raised to 100,000,000 so that the load is',
    '  not answered 429; the limiter still spends a token per request.',
    '- The baseline is a bare Express 5 app (bench/lib/bare-api.ts) under the same loader: the same two paths;',
    '  the GET answers `res.json()` of the body Attune answered, the POST parses the same JSON with',
    '  `express.json()` and answers `{ success, accepted, duplicates }`. No auth, validation or headers.',
    `- The GET asks for ${USER}'s recommendations (k=10), a user with eight product views days before. The POST`,
    '  cycles, per connection, through 50 `Product Viewed` calls of 50 users (no messageId: each is a new event).',
    `- ${CONNECTIONS} connections; per endpoint a ${WARMUP_SECONDS} s warm-up of every server, then ${ROUNDS} rounds of ${SECONDS} s`,
    '  per server, alternating, the order reversed every other round. Figures are medians over rounds: requests/s',
    '  (autocannon\'s mean of per-second counts), latency p50/p99, and the server process\'s CPU time',
    '  (user + system, /proc) over the requests it answered.',
    '- Every response was checked: a run with any non-2xx answer or socket error makes the bench exit 1.',
  ];
  const text = lines.join('\n') + '\n';
  process.stdout.write(`\n${text}`);
  writeFileSync(join(__dirname, 'results', 'api.md'), text);
  if (refused > 0) {
    process.stderr.write(`bench:api: ${refused} responses were not 2xx (or failed)\n`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
