/**
 * The cycle check of `npm run lint` (dependency-cruiser with .dependency-cruiser.cjs), proved on
 * fixture folders: a circle of imports fails it, also when one edge is type-only, and a chain
 * without one passes.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
// The package's exports map hides its bin from require.resolve; it is where npm installs it.
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

const FIXTURES: Record<string, Record<string, string>> = {
  three: {
    'a.ts': "import { b } from './b';\nexport const a = (): number => b();\n",
    'b.ts': "import { c } from './c';\nexport const b = (): number => c;\n",
    'c.ts': "import { a } from './a';\nexport const c = 1;\nexport const again = a;\n",
  },
  typeOnly: {
    'schema.ts': "import { userOf } from './identity';\nexport interface Request { user: string }\nexport const read = (r: Request): string => userOf(r);\n",
    'identity.ts': "import type { Request } from './schema';\nexport const userOf = (r: Request): string => r.user;\n",
  },
  chain: {
    'a.ts': "import { b } from './b';\nexport const a = (): number => b;\n",
    'b.ts': "import { c } from './c';\nexport const b = c;\n",
    'c.ts': 'export const c = 1;\n',
  },
};

describe('import cycles (.dependency-cruiser.cjs)', () => {
  let status: number | null;
  /** Each reported circle, as the modules on it (file names, in the fixture folder). */
  let circles: { folder: string; modules: string[] }[];

  // One run over every fixture folder: starting dependency-cruiser costs seconds.
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'attune-cycles-'));
    try {
      for (const [folder, files] of Object.entries(FIXTURES)) {
        mkdirSync(join(dir, folder));
        for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, folder, name), text);
      }
      // The same output and exit status as `npm run lint:cycles`.
      const run = spawnSync(process.execPath, [depcruise, '--config', '.dependency-cruiser.cjs', dir], { cwd: root, encoding: 'utf8' });
      status = run.status;
      circles = run.stdout
        .split('error no-circular:')
        .slice(1)
        .map((report) => {
          const paths = [...report.matchAll(/\/(\w+)\/(\w+\.ts)/g)];
          return { folder: paths[0]?.[1] ?? '', modules: paths.map((p) => p[2]) };
        });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const inFolder = (folder: string) => circles.filter((c) => c.folder === folder);

  test('the check fails when there is a circle', () => {
    expect(status).not.toBe(0);
  });

  test('a circle of three modules is named, every module on it', () => {
    const [circle] = inFolder('three');
    expect(new Set(circle.modules)).toEqual(new Set(['a.ts', 'b.ts', 'c.ts']));
  });

  test('a circle closed by a type-only import counts too', () => {
    expect(inFolder('typeOnly')).toHaveLength(1);
  });

  test('imports without a circle pass', () => {
    expect(inFolder('chain')).toEqual([]);
  });
});
