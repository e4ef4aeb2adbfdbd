import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// ---------------------------------------------------------------------------------------------
// Import boundaries. The dependency rule is `adapters/ → middleware/ → src/`, never the other way
// round; `src/core` imports nothing else; a bot framework's package is imported only in its own
// adapter folder (tests, examples and benchmarks may use any). The command line (`cli/`) composes
// everything, like the examples, but ships with the package.
//
// `no-restricted-imports` matches the import as written, so each rule is a regex for the
// relative path from a file at a given depth: from `src/engine/x.ts` the root is `../../`, from
// `src/recommend/models/x.ts` it is `../../../`. One config object per folder and depth; each
// carries every restriction for its files, because for one rule the last matching object wins.
// Cycles are checked by dependency-cruiser (.dependency-cruiser.cjs).
// ---------------------------------------------------------------------------------------------

/** Folders the package never imports from what it ships. */
const NOT_SHIPPED = ['examples', 'bench', 'test'];

/** The package root (`index.ts`): it imports the layers, so no layer may import it. */
const ROOT_INDEX = 'index.ts';

/** Bot framework packages and the one adapter folder that may import each. */
const FRAMEWORKS = [
  { name: 'botbuilder', home: 'adapters/botbuilder', regex: '^(botbuilder(-[^/]+)?|botframework-[^/]+)(/|$)' },
  { name: '@google-cloud/dialogflow', home: 'adapters/dialogflow', regex: '^@google-cloud/dialogflow(-[^/]+)?(/|$)' },
  { name: '@microsoft/agents-hosting', home: 'adapters/agents', regex: '^@microsoft/agents-[^/]+(/|$)' },
  { name: 'ai', home: 'adapters/ai-sdk', regex: '^(ai|@ai-sdk/[^/]+)(/|$)' },
];

/**
 * What each folder may not import (root-relative targets). A folder inside another adds to the
 * outer folder's list; `selfContained` forbids every relative import that leaves the folder.
 */
const LAYERS = [
  { folder: 'src', forbid: ['middleware', 'adapters', 'cli', ...NOT_SHIPPED, ROOT_INDEX], why: 'src/ is the framework-neutral engine (adapters/ → middleware/ → src/)' },
  { folder: 'src/core', selfContained: true, why: 'src/core holds the domain types and imports no other folder of src/' },
  { folder: 'middleware', forbid: ['adapters', 'cli', ...NOT_SHIPPED, ROOT_INDEX], why: 'stages are framework-neutral (adapters/ → middleware/ → src/)' },
  { folder: 'adapters', forbid: ['cli', ...NOT_SHIPPED, ROOT_INDEX], why: 'adapters are imported by the package root, not the other way round' },
  { folder: 'adapters/botbuilder' },
  { folder: 'adapters/dialogflow' },
  { folder: 'adapters/agents' },
  { folder: 'adapters/ai-sdk' },
  { folder: 'cli', forbid: [...NOT_SHIPPED], why: 'the command ships with the package' },
];

/** Deepest folder level below the root that the rules are generated for. */
const MAX_DEPTH = 8;

const up = (levels) => (levels === 0 ? '\\./' : `(\\.\\./){${levels}}`);

/** A regex for importing `target` (root-relative) from a file `levels` folders below the root. */
function targetRegex(target, levels) {
  if (target === ROOT_INDEX) {
    // `../../index`, `../../index.js`, `../..`, `../../`
    return `^${levels === 1 ? '' : `(\\.\\./){${levels - 1}}`}\\.\\.(/(index(\\.[cm]?[jt]s)?)?)?$`;
  }
  return `^${up(levels)}${target.replaceAll('/', '\\/')}(/|$)`;
}

function restrictionsFor(layer, levels) {
  const outer = LAYERS.filter((l) => layer.folder === l.folder || layer.folder.startsWith(`${l.folder}/`));
  const patterns = [];
  for (const l of outer) {
    for (const target of l.forbid ?? []) {
      patterns.push({ regex: targetRegex(target, levels), message: `${l.folder}/ may not import ${target === ROOT_INDEX ? 'the package root (index.ts)' : `${target}/`}: ${l.why}.` });
    }
    if (l.selfContained) {
      const inner = levels - l.folder.split('/').length;
      const name = l.folder.split('/').at(-1);
      patterns.push({ regex: `^(\\.\\./){${inner + 1}}(?!${name}(/|$))`, message: `${l.why}.` });
    }
  }
  for (const f of FRAMEWORKS) {
    const home = layer.folder === f.home || layer.folder.startsWith(`${f.home}/`);
    if (!home) patterns.push({ regex: f.regex, message: `${f.name} is imported only in ${f.home}/ (an optional peer dependency of that adapter).` });
  }
  return patterns;
}

function boundaryConfigs() {
  const configs = [
    {
      name: 'attune/boundaries/index.ts',
      files: ['index.ts'],
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: restrictionsFor({ folder: '' }, 0).concat(['cli', ...NOT_SHIPPED].map((t) => ({ regex: targetRegex(t, 0), message: `the package root may not import ${t}/: it does not ship as the library.` }))) }] },
    },
  ];
  for (const layer of LAYERS) {
    const base = layer.folder.split('/').length;
    for (let levels = base; levels <= MAX_DEPTH; levels++) {
      configs.push({
        name: `attune/boundaries/${layer.folder}/${'*/'.repeat(levels - base)}`,
        files: [`${layer.folder}/${'*/'.repeat(levels - base)}*.ts`],
        rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: restrictionsFor(layer, levels) }] },
      });
    }
  }
  return configs;
}

export default tseslint.config(
  // test/lint/fixtures breaks the rules on purpose: test/lint/typed-rules.test.ts lints it.
  { ignores: ['dist/**', '.build/**', 'node_modules/**', 'coverage/**', 'jest.config.js', 'test/lint/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Typed rules: a promise nobody awaits loses its rejection (an unhandled rejection ends the
    // process under Node's default), and an async callback where a void one is expected does too.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // CommonJS tool configs (.dependency-cruiser.cjs) and build scripts (scripts/*.cjs), run by
    // plain node: `require` is how they load anything.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...boundaryConfigs(),
);
