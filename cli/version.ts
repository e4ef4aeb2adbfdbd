import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version of the installed package, read from its package.json with `fs`: the file sits
 * one folder up from the source (`cli/`) and two up from the build (`dist/cli/`), so it is
 * found by walking up rather than by a `require` of a fixed relative path, which would break
 * in one of the two layouts (and pull JSON through the module loader).
 *
 * ```ts
 * packageVersion(); // '0.1.0'
 * ```
 */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'attune' && typeof pkg.version === 'string') return pkg.version;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of attune above ${from}`);
  }
}
