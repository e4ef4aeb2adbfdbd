/**
 * Start-up time (not part of `npm test`): from spawning a server process to its first 200 on
 * `/healthz`, for the shop as `npm start` runs it (scripts/start.cjs: compiled, after one untimed launch that compiles when needed) and, as the
 * baseline in the same run, a bare Express 5 app answering `/healthz`. Each is started `--runs`
 * times, alternating; prints the median wall time and the median CPU time the process had used
 * by then (user + system, from /proc: steadier than wall time on a busy machine), the ratio
 * to the baseline, and writes bench/results/startup.md. Target (issue): ≤ 1 s wall.
 *
 * ```sh
 * npm run bench:startup -- --runs 7
 * ```
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { median } from './lib/stats';

const ROOT = join(__dirname, '..');
const START = join(ROOT, 'scripts', 'start.cjs');
const TARGET_MS = 1000;
const BARE = `const e=require('express');const a=e();a.get('/healthz',(q,s)=>{s.json({status:'ok'})});a.listen(Number(process.env.PORT),'127.0.0.1');`;

interface Sample {
  wallMs: number;
  cpuMs: number;
}

/** CPU time (user + system) a process has used, from /proc/<pid>/stat, in ms. */
function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

async function once(args: string[], port: number, timeoutMs = 60_000): Promise<Sample> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, PORT: String(port), ATTUNE_LOG_LEVEL: 'silent', ATTUNE_TRAIN_INTERVAL_SECONDS: '0' }, stdio: 'ignore' });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      if (Number(process.hrtime.bigint() - started) / 1e6 > timeoutMs) throw new Error(`${args.join(' ')} did not answer /healthz within ${timeoutMs} ms`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) {
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        return { wallMs, cpuMs: cpuMsOf(child.pid!) };
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--runs');
  const runs = at > 0 ? Number(process.argv[at + 1]) : 5;
  // One launch first, untimed: it compiles the demo when a source is newer than .build/.
  await once([START], 4329, 600_000);
  const shop: Sample[] = [];
  const bare: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(await once(['-e', BARE], 4310 + i));
    shop.push(await once([START], 4330 + i));
  }
  const m = (xs: Sample[], k: keyof Sample) => median(xs.map((x) => x[k]));
  const rows = [
    ['bare Express 5 (baseline)', m(bare, 'wallMs'), m(bare, 'cpuMs')],
    ['npm start (compiled shop, memory store)', m(shop, 'wallMs'), m(shop, 'cpuMs')],
  ] as const;
  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  const lines = [
    '# Start-up: launch to first 200 on /healthz',
    '',
    `Median of ${runs} launches each, alternating; load average at the end ${load}.`,
    '',
    '| process | wall ms | CPU ms | wall × bare |',
    '|---|---|---|---|',
    ...rows.map(([name, wall, cpu]) => `| ${name} | ${wall.toFixed(0)} | ${cpu.toFixed(0)} | ${(wall / rows[0][1]).toFixed(2)} |`),
    '',
    `Target: npm start ≤ ${TARGET_MS} ms wall: ${rows[1][1] <= TARGET_MS ? 'met' : 'not met'}.`,
  ];
  const text = lines.join('\n') + '\n';
  process.stdout.write(text);
  writeFileSync(join(__dirname, 'results', 'startup.md'), text);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
