import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { program } from '../../cli/main';
import { packageVersion } from '../../cli/version';

const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };

describe('attune --version', () => {
  test("is the package's version, found above the source folder as above the build's", () => {
    expect(packageVersion()).toBe(pkg.version);
    const work = mkdtempSync(join(tmpdir(), 'attune-version-'));
    try {
      // The installed layout: node_modules/attune/dist/cli, with another package.json further up.
      const cli = join(work, 'node_modules', 'attune', 'dist', 'cli');
      mkdirSync(cli, { recursive: true });
      writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'my-bot', version: '9.9.9' }));
      writeFileSync(join(work, 'node_modules', 'attune', 'package.json'), JSON.stringify({ name: 'attune', version: '1.2.3' }));
      expect(packageVersion(cli)).toBe('1.2.3');
      expect(() => packageVersion(work)).toThrow(/no package.json of attune/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  test('the program prints it', () => {
    let out = '';
    const p = program().exitOverride().configureOutput({ writeOut: (s) => (out += s) });
    expect(() => p.parse(['node', 'attune', '--version'])).toThrow(expect.objectContaining({ code: 'commander.version' }));
    expect(out.trim()).toBe(pkg.version);
  });
});
