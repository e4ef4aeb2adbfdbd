import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

/** The CLI as a user runs it, in a child process, with no store configured. */
function runWithoutStore(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, ATTUNE_LOG_LEVEL: 'silent' };
  delete env.ATTUNE_REDIS_URL;
  return spawnSync(process.execPath, [require.resolve('tsx/cli'), 'cli/main.ts', ...args], { cwd: root, env, encoding: 'utf8' });
}

// Each would otherwise open a new, empty in-memory store and print a success about nothing.
describe.each([
  ['train --from-store', ['train', '--from-store']],
  ['retention run', ['retention', 'run']],
  ['keys rotate', ['keys', 'rotate']],
  ['policy evaluate', ['policy', 'evaluate']],
  ['review list', ['review', 'list']],
  ['review approve', ['review', 'approve', 'rv_AAAAAAAAAAAAAAAA']],
])('attune %s without ATTUNE_REDIS_URL', (job, args) => {
  it('refuses to run: exit 1, a message naming the variable, nothing on stdout', () => {
    const run = runWithoutStore(args);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(`attune: attune ${job} acts on the store that the servers use: set ATTUNE_REDIS_URL`);
    expect(run.stderr).toContain('empty in-memory store');
  });
});
