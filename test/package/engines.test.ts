import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import semver from 'semver';

/*
 * `engines.node` of package.json tells the truth: every Node version it admits is admitted by
 * every package Attune needs at run time (its dependencies, theirs, and so on down; the
 * optional peers with theirs, for the adapters that load them). Read from what is installed,
 * so a dependency that raises its floor fails this test on the next `npm ci`.
 */

const repo = resolve(__dirname, '../..');

interface Manifest {
  name: string;
  version: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const read = (dir: string): Manifest => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;

/** Where Node would find `name` from a package in `dir`: the nearest node_modules up the tree. */
function locate(name: string, dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(at) === at) return undefined;
  }
}

/** Every installed package reachable from `roots` through dependencies, by folder. */
function closure(roots: string[]): Map<string, Manifest> {
  const seen = new Map<string, Manifest>();
  const queue = roots.map((name) => locate(name, repo)).filter((d): d is string => d !== undefined);
  while (queue.length) {
    const dir = queue.pop()!;
    if (seen.has(dir)) continue;
    const manifest = read(dir);
    seen.set(dir, manifest);
    // Optional dependencies may be absent on this platform (native builds); what is there counts.
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) {
      const found = locate(name, dir);
      if (found) queue.push(found);
    }
  }
  return seen;
}

const own = read(repo);
const runtime = closure([...Object.keys(own.dependencies ?? {}), ...Object.keys(own.peerDependencies ?? {})]);

describe('engines.node', () => {
  test('is a valid range with a floor', () => {
    expect(semver.validRange(own.engines?.node)).not.toBeNull();
    expect(semver.minVersion(own.engines!.node!)?.major).toBeGreaterThanOrEqual(20);
  });

  test('the walk reaches the whole runtime tree, peers included', () => {
    const names = new Set([...runtime.values()].map((m) => m.name));
    for (const name of ['express', 'ioredis', 'pino', 'botbuilder', '@google-cloud/dialogflow', 'google-gax']) expect([name, names.has(name)]).toEqual([name, true]);
    expect(runtime.size).toBeGreaterThan(100);
  });

  test('admits no Node version a runtime dependency refuses', () => {
    const ours = own.engines!.node!;
    const refusing = [...runtime.values()]
      .filter((m) => m.engines?.node && semver.validRange(m.engines.node) && !semver.subset(ours, m.engines.node))
      .map((m) => `${m.name}@${m.version} needs node ${m.engines!.node}`);
    expect(refusing).toEqual([]);
  });

  test('the check can fail: a floor below a dependency is caught', () => {
    const ioredis = [...runtime.values()].find((m) => m.name === 'ioredis')!;
    expect(ioredis.engines?.node).toBeDefined();
    expect(semver.subset('>=18', ioredis.engines!.node!)).toBe(false);
  });
});
