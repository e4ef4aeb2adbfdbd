/**
 * The import boundaries of eslint.config.mjs, proved on snippets: each forbidden import makes
 * lint fail with the boundaries rule, and the allowed ones next to it pass. The snippets are
 * linted with the project's own config (its typed rules switched off, since the files do not
 * exist), in a child process because ESLint loads its config as an ES module.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const RULE = '@typescript-eslint/no-restricted-imports';

interface Case {
  file: string;
  code: string;
}

const LINT = `
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });
const cases = JSON.parse(process.env.CASES);
const out = [];
for (const c of cases) {
  const [result] = await eslint.lintText(c.code, { filePath: c.file });
  out.push(result.messages.map((m) => ({ rule: m.ruleId, message: m.message })));
}
process.stdout.write(JSON.stringify(out));
`;

/** Lints every case in one ESLint process; the messages of each, in order. */
function lint(cases: Case[]): { rule: string | null; message: string }[][] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', LINT], { cwd: root, encoding: 'utf8', env: { ...process.env, CASES: JSON.stringify(cases) } });
  if (run.status !== 0) throw new Error(`eslint failed to run: ${run.stderr}`);
  return JSON.parse(run.stdout) as { rule: string | null; message: string }[][];
}

const use = (from: string, kind: 'import' | 'import type' | 'export' = 'import'): string =>
  kind === 'export' ? `export { a } from '${from}';\n` : `${kind} { a } from '${from}';\nexport const b = a;\n`;

const forbidden: [string, Case][] = [
  ['src/ importing middleware/', { file: 'src/engine/x.ts', code: use('../../middleware') }],
  ['src/ importing a stage file', { file: 'src/engine/x.ts', code: use('../../middleware/log') }],
  ['src/ importing an adapter (types too)', { file: 'src/engine/x.ts', code: use('../../adapters/botbuilder', 'import type') }],
  ['src/ importing examples/', { file: 'src/store/x.ts', code: use('../../examples/ecommerce/app') }],
  ['src/ importing cli/', { file: 'src/store/x.ts', code: use('../../cli/main') }],
  ['src/ importing the package root, two levels down', { file: 'src/engine/x.ts', code: use('../../index') }],
  ['src/ importing the package root, three levels down', { file: 'src/recommend/models/x.ts', code: use('../../../index') }],
  ['src/ importing the package root as a folder', { file: 'src/engine/x.ts', code: use('../..') }],
  ['src/ re-exporting the package root', { file: 'src/engine/x.ts', code: use('../../index.js', 'export') }],
  ['src/core importing another src/ folder', { file: 'src/core/x.ts', code: use('../engine/attune') }],
  ['src/core importing the store', { file: 'src/core/x.ts', code: use('../store/store', 'import type') }],
  ['middleware/ importing an adapter', { file: 'middleware/x.ts', code: use('../adapters/rasa') }],
  ['middleware/ importing the package root', { file: 'middleware/x.ts', code: use('../index') }],
  ['an adapter importing the package root', { file: 'adapters/rasa/x.ts', code: use('../../index') }],
  ['an adapter importing cli/', { file: 'adapters/rasa/x.ts', code: use('../../cli/commands') }],
  ['botbuilder outside its adapter', { file: 'adapters/rasa/x.ts', code: use('botbuilder') }],
  ['a botframework package in src/', { file: 'src/engine/x.ts', code: use('botframework-connector') }],
  ['botbuilder in middleware/', { file: 'middleware/x.ts', code: use('botbuilder', 'import type') }],
  ['dialogflow in the botbuilder adapter', { file: 'adapters/botbuilder/x.ts', code: use('@google-cloud/dialogflow') }],
  ['botbuilder in the package root', { file: 'index.ts', code: use('botbuilder') }],
  ['the Agents SDK outside its adapter', { file: 'adapters/botbuilder/x.ts', code: use('@microsoft/agents-hosting') }],
  ['the AI SDK in src/', { file: 'src/prompt/x.ts', code: use('ai', 'import type') }],
  ['an AI SDK provider package outside its adapter', { file: 'adapters/agents/x.ts', code: use('@ai-sdk/provider', 'import type') }],
  ['the package root importing examples/', { file: 'index.ts', code: use('./examples/ecommerce/app') }],
  ['cli/ importing test/', { file: 'cli/commands/x.ts', code: use('../../test/support/catalog') }],
];

const allowed: [string, Case][] = [
  ['src/ importing src/core', { file: 'src/engine/x.ts', code: use('../core/errors') }],
  ['src/ importing another src/ folder', { file: 'src/engine/x.ts', code: use('../store/store') }],
  ['src/ importing a folder index of its own', { file: 'src/recommend/x.ts', code: use('./models') }],
  ['src/core importing itself', { file: 'src/core/x.ts', code: use('./errors') }],
  ['middleware/ importing src/', { file: 'middleware/x.ts', code: use('../src/engine/attune') }],
  ['an adapter importing middleware/ and src/', { file: 'adapters/rasa/x.ts', code: use('../../middleware') + use('../../src/core/turn').replace(/\ba\b/g, 'c') }],
  ['botbuilder in its adapter', { file: 'adapters/botbuilder/x.ts', code: use('botbuilder') }],
  ['dialogflow in its adapter', { file: 'adapters/dialogflow/x.ts', code: use('@google-cloud/dialogflow') }],
  ['the Agents SDK in its adapter', { file: 'adapters/agents/x.ts', code: use('@microsoft/agents-hosting') }],
  ['the AI SDK in its adapter', { file: 'adapters/ai-sdk/x.ts', code: use('ai', 'import type') }],
  ['the package root importing an adapter', { file: 'index.ts', code: use('./adapters/http') }],
  ['cli/ importing the package root', { file: 'cli/commands/x.ts', code: use('../../index') }],
  ['an example importing a bot framework and an adapter', { file: 'examples/ecommerce/x.ts', code: use('botbuilder') + use('../../adapters/botbuilder').replace(/\ba\b/g, 'c') }],
  ['a test importing anything', { file: 'test/x.test.ts', code: use('botbuilder') + use('../src/engine/attune').replace(/\ba\b/g, 'c') }],
];

describe('import boundaries (eslint.config.mjs)', () => {
  // One ESLint process for every case: loading it costs far more than linting a snippet.
  let results: { rule: string | null; message: string }[][];
  beforeAll(() => {
    results = lint([...forbidden, ...allowed].map(([, c]) => c));
  });

  test.each(forbidden.map(([name, c], i) => [name, c, i] as const))('fails lint: %s', (_name, _case, i) => {
    const rules = results[i].map((m) => m.rule);
    expect(rules).toContain(RULE);
  });

  test.each(allowed.map(([name, c], i) => [name, c, forbidden.length + i] as const))('passes lint: %s', (_name, _case, i) => {
    expect(results[i]).toEqual([]);
  });

  test('the message says which rule of the layering was broken', () => {
    const [first] = results[0];
    expect(first.message).toMatch(/src\/ may not import middleware\/.*adapters\/ → middleware\/ → src\//);
  });
});
