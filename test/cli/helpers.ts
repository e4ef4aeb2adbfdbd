/** Helpers for the CLI tests: a generated data file and two ways of running the program. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { program } from '../../cli/main';
import { mulberry32 } from '../../src/evaluate';

const root = resolve(__dirname, '../..');

/**
 * Writes a generated log with planted taste (users in group g mostly pick items of group g):
 * 40 users × 8 items, with a header. Returns the folder, the file, and a cleanup.
 */
export function generatedCsv(): { dir: string; csv: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'attune-cli-'));
  const csv = join(dir, 'events.csv');
  const rng = mulberry32(7);
  const lines = ['user,item,weight,timestamp'];
  for (let u = 0; u < 40; u++) {
    const items = new Set<number>();
    while (items.size < 8) items.add(rng() < 0.8 ? (u % 4) * 10 + Math.floor(rng() * 10) : Math.floor(rng() * 40));
    for (const i of items) lines.push(`u${u},i${i},1,${1700000000 + Math.floor(rng() * 1e6)}`);
  }
  writeFileSync(csv, `${lines.join('\n')}\n`);
  return { dir, csv, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes `wide/wide.csv` under `dir` (a folder of its own, so `dir` keeps one .csv): 30 users over a 6,500-item catalog (a long tail each user
 * touches once), for the "any catalog size" checks. Returns the file.
 */
export function wideCsv(dir: string): string {
  mkdirSync(join(dir, 'wide'), { recursive: true });
  const csv = join(dir, 'wide', 'wide.csv');
  const rng = mulberry32(11);
  const lines = ['user,item,weight,timestamp'];
  let tail = 0;
  for (let u = 0; u < 30; u++) {
    const items = new Set<number>();
    while (items.size < 12) items.add((u % 3) * 20 + Math.floor(rng() * 20));
    for (const i of items) lines.push(`u${u},i${i},1,${1700000000 + Math.floor(rng() * 1e6)}`);
    // Each user's own stretch of the tail: 6,500 − 60 items seen once.
    for (let k = 0; k < 215; k++) lines.push(`u${u},t${tail++},1,${1700000000 + Math.floor(rng() * 1e6)}`);
  }
  writeFileSync(csv, `${lines.join('\n')}\n`);
  return csv;
}

/** Runs the real program in this process, capturing what it writes to stdout. */
export async function run(args: string[]): Promise<string> {
  let out = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  try {
    await program().parseAsync(['node', 'attune', ...args]);
  } finally {
    write.mockRestore();
  }
  return out;
}

/** Runs the CLI as a user would, in a child process (with this process's environment, or `env`). */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'cli/main.ts', ...args], { cwd: root, encoding: 'utf8', env });
}
