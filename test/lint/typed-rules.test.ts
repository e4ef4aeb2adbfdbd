/**
 * The typed rules of eslint.config.mjs, proved on a fixture (test/lint/fixtures, which
 * `npm run lint` skips): a promise left floating and an async callback where a void one is
 * expected fail lint; awaiting, `void` and `.catch` pass. The fixture folder has a tsconfig of
 * its own, so the type information costs a second, not a build of the whole project.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

const LINT = `
import { ESLint } from 'eslint';
const eslint = new ESLint({ cwd: process.cwd(), ignore: false });
const [result] = await eslint.lintFiles(['test/lint/fixtures/floating-promises.ts']);
process.stdout.write(JSON.stringify(result.messages.map((m) => ({ line: m.line, rule: m.ruleId }))));
`;

describe('typed lint rules (eslint.config.mjs)', () => {
  let messages: { line: number; rule: string | null }[];
  beforeAll(() => {
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', LINT], { cwd: root, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`eslint failed to run: ${run.stderr}`);
    messages = JSON.parse(run.stdout) as { line: number; rule: string | null }[];
  });

  test('a floating promise fails lint', () => {
    expect(messages).toContainEqual({ line: 9, rule: '@typescript-eslint/no-floating-promises' });
  });

  test('an async callback where a void one is expected fails lint', () => {
    expect(messages).toContainEqual({ line: 10, rule: '@typescript-eslint/no-misused-promises' });
  });

  test('await, void and .catch pass: nothing else is reported', () => {
    expect(messages).toHaveLength(2);
  });
});
