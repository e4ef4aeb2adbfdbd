/**
 * The public entry points: what the README promises is exported from the package root
 * (`index.ts`) and from each framework binding (`adapters/<name>/index.ts`, published as
 * `attune/<name>`), the package's `exports` and `bin` point at sources that exist, and the root
 * loads no bot framework (botbuilder and Dialogflow's client are for their adapters alone).
 * The types are checked by the compiler: this file only compiles if each is exported.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import express from 'express';
import semver from 'semver';
import request from 'supertest';
import * as root from '../index';
import {
  apiRouter,
  createAttune,
  defineEffect,
  MemoryStore,
  openStore,
  RedisStore,
  storeFromEnv,
  TurnEffects,
  type FailureCounts,
  type Hooks,
  type SegmentsFlavor,
  type Stage,
  type ToneFlavor,
  type TurnRequest,
  type TurnResult,
} from '../index';
import * as botbuilder from '../adapters/botbuilder';
import * as dialogflow from '../adapters/dialogflow';
import * as rasa from '../adapters/rasa';
import * as aiSdk from '../adapters/ai-sdk';
import * as agents from '../adapters/agents';

const repo = resolve(__dirname, '..');

describe('the package root (attune)', () => {
  test.each([
    'createAttune', 'Attune', 'openStore', 'registerStore', 'storeFromEnv', 'MemoryStore', 'RedisStore', 'apiRouter', 'parseApiKeys',
    'loadModelFile', 'loadRecommender', 'createRecommender', 'defineEffect', 'TurnEffects', 'defaultStages', 'segmentMembership', 'tone',
    'AttuneError', 'ConfigError', 'ValidationError',
  ] as const)('exports %s', (name) => {
    expect(typeof root[name]).toBe('function');
  });

  test('openStore and storeFromEnv open the memory store unless a Redis URL is given', async () => {
    const opened = openStore();
    const fromEnv = storeFromEnv({ warn: () => undefined }, {});
    expect(opened).toBeInstanceOf(MemoryStore);
    expect(fromEnv).toBeInstanceOf(MemoryStore);
    // Construction does not wait for a connection; closing right away stops the attempt.
    // A Redis URL opens the Redis store behind its circuit breaker (the default).
    const redis = openStore('redis://127.0.0.1:1/0', { keyPrefix: 'attune-entry-test:', userCache: false });
    expect(redis.kind).toBe('redis');
    expect((redis as unknown as { inner: unknown }).inner).toBeInstanceOf(RedisStore);
    await Promise.all([opened.close(), fromEnv.close(), redis.close()]);
  });

  test('a stage of your own, with its flavor and its own kind of write, runs through createAttune', async () => {
    type Loyalty = { loyalty: 'gold' | 'member' };
    const written: string[][] = [];
    const tier = defineEffect<string>('entry-test-tier', async (_userId, tiers) => {
      written.push([...tiers]);
    });
    // The default stages' flavors are visible to a stage that runs after them.
    const loyalty: Stage<Loyalty & SegmentsFlavor & ToneFlavor> = async (ctx, next) => {
      const effects: TurnEffects = ctx.effects;
      ctx.personalization.loyalty = ctx.personalization.segments.includes('vip') ? 'gold' : 'member';
      effects.add(tier, ctx.personalization.loyalty);
      await next();
    };
    const turns: number[] = [];
    const hooks: Partial<Hooks> = { onTurn: (t) => turns.push(t.durationMs) };
    const attune = createAttune({ deferWrites: false, hooks });
    attune.use(loyalty);
    try {
      const input: TurnRequest = { userId: 'entry-u1', text: 'hello' };
      const result: TurnResult = await attune.turn(input);
      const failures: FailureCounts = attune.failures;
      expect(result.degraded).toBe(false);
      expect(written).toEqual([['member']]);
      expect(turns).toHaveLength(1);
      expect(failures).toMatchObject({ stages: 0, turnWrites: 0 });
    } finally {
      await attune.close();
    }
  });

  test('apiRouter mounts the REST API in an app of your own', async () => {
    const attune = createAttune();
    try {
      const app = express().use('/v1', apiRouter(attune, { keys: false }));
      await request(app).post('/v1/track').send({ userId: 'entry-u2', event: 'Product Viewed', properties: { category: 'running' } }).expect(200);
      const profile = await request(app).get('/v1/users/entry-u2/profile').expect(200);
      expect(JSON.stringify(profile.body)).toContain('running');
    } finally {
      await attune.close();
    }
  });
});

describe('the framework bindings', () => {
  test.each([
    ['attune/botbuilder', botbuilder as Record<string, unknown>, ['AttuneMiddleware', 'AttuneCloudAdapter', 'getPersonalization', 'withRecommendations', 'toTurn']],
    ['attune/dialogflow', dialogflow as Record<string, unknown>, ['dialogflowWebhook', 'webhookAuthFromEnv', 'SessionEntities', 'esTurn', 'cxTurn']],
    ['attune/rasa', rasa as Record<string, unknown>, ['rasaActionServer', 'rasaAuthFromEnv', 'slotSet', 'builtInActions']],
    ['attune/ai-sdk', aiSdk as Record<string, unknown>, ['attuneMiddleware']],
    ['attune/agents', agents as Record<string, unknown>, ['AttuneMiddleware', 'AttuneAgentsAdapter', 'getPersonalization', 'withRecommendations', 'toTurn']],
  ])('%s exports what the README uses', (_entry, mod, names) => {
    for (const name of names) expect([name, typeof mod[name]]).toEqual([name, 'function']);
  });
});

describe('package.json', () => {
  const pkg = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8')) as {
    main: string;
    types: string;
    bin: Record<string, string>;
    exports: Record<string, string | { types: string; require: string; import: string; default: string }>;
    peerDependencies: Record<string, string>;
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const entries = Object.entries(pkg.exports).flatMap(([name, e]) => (typeof e === 'string' ? [] : [[name, e] as const]));
  /** The source a built path comes from: `dist/x/y.js` ← `x/y.ts`. */
  const source = (built: string) => built.replace(/^\.?\/?dist\//, '').replace(/\.d\.ts$|\.js$/, '.ts');

  test('main, types and every export point at a source that exists', () => {
    const built = [pkg.main, pkg.types, ...entries.flatMap(([, e]) => [e.types, e.require, e.default])];
    for (const path of built) expect([path, existsSync(resolve(repo, source(path)))]).toEqual([path, true]);
  });

  test('every entry point serves types, require and import: the ES module wrapper of the same build', () => {
    for (const [name, e] of entries) {
      expect([name, Object.keys(e)]).toEqual([name, ['types', 'require', 'import', 'default']]); // types first, as TypeScript requires
      expect([name, e.require, e.default, e.import]).toEqual([name, e.types.replace(/\.d\.ts$/, '.js'), e.require, e.require.replace(/\.js$/, '.mjs')]);
    }
  });

  test('each framework binding has its own entry point', () => {
    expect(entries.map(([name]) => name).sort()).toEqual(['.', './agents', './ai-sdk', './botbuilder', './dialogflow', './http', './rasa']);
    for (const name of ['botbuilder', 'dialogflow', 'rasa', 'ai-sdk', 'agents']) expect(source((pkg.exports[`./${name}`] as { default: string }).default)).toBe(`adapters/${name}/index.ts`);
  });

  test('the bot framework SDKs are optional peers, installed here for the tests only', () => {
    for (const name of ['botbuilder', '@google-cloud/dialogflow', 'ai', '@microsoft/agents-hosting']) {
      expect([name, pkg.dependencies[name]]).toEqual([name, undefined]);
      expect([name, pkg.peerDependenciesMeta[name]?.optional]).toEqual([name, true]);
      // What the tests run against is a version the peer range admits.
      expect([name, semver.subset(pkg.devDependencies[name], pkg.peerDependencies[name])]).toEqual([name, true]);
    }
  });

  test('the attune command is the CLI', () => {
    expect(source(pkg.bin.attune)).toBe('cli/main.ts');
  });
});

describe('loading an entry point', () => {
  /**
   * What `require(entry)` loads in a fresh process: jest's own module registry would not say
   * what Node loaded. Besides the bot frameworks, stdlib's distributions count: hundreds of
   * modules that only an experiment's analysis needs, so start-up must not pay for them; and
   * ioredis, which only an app on the Redis store needs.
   */
  function frameworksLoaded(entry: string, then = ''): { modules: number; loaded: string[] } {
    const script = `const entry = require(${JSON.stringify(entry)}); ${then}
      const loaded = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](botbuilder|botframework-[^\\\\/]+|@google-cloud[\\\\/]dialogflow|ai|@ai-sdk[\\\\/][^\\\\/]+|@microsoft[\\\\/]agents-[^\\\\/]+|ioredis|@stdlib[\\\\/][^\\\\/]+)[\\\\/]/.test(k));
      process.stdout.write(JSON.stringify({ modules: Object.keys(require.cache).length, loaded }));`;
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: repo, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as { modules: number; loaded: string[] };
  }

  // attune/dialogflow loads the SDK only when restSessionEntityTypesClient() is called; the CLI
  // (attune serve) runs without either SDK installed.
  test.each(['./index.ts', './adapters/http/index.ts', './adapters/rasa/index.ts', './adapters/dialogflow/index.ts', './cli/main.ts'])('%s loads no bot framework package, nor the statistics library, nor ioredis', (entry) => {
    const { modules, loaded } = frameworksLoaded(entry);
    expect(modules).toBeGreaterThan(50);
    expect(loaded).toEqual([]);
  });

  test('opening a Redis store loads ioredis (the check above can see it)', () => {
    const opened = frameworksLoaded('./index.ts', `void entry.openStore('redis://127.0.0.1:1/0').close();`);
    expect(opened.loaded.some((k) => /ioredis/.test(k))).toBe(true);
  });

  test('attune/botbuilder does load botbuilder (the check above can see it)', () => {
    expect(frameworksLoaded('./adapters/botbuilder/index.ts').loaded.length).toBeGreaterThan(0);
  });

  test('attune/agents loads the Agents SDK, and botbuilder does not load it', () => {
    expect(frameworksLoaded('./adapters/agents/index.ts').loaded.some((k) => /agents-hosting/.test(k))).toBe(true);
    expect(frameworksLoaded('./adapters/botbuilder/index.ts').loaded.some((k) => /agents-hosting/.test(k))).toBe(false);
  });

  test('attune/ai-sdk needs only the types of the AI SDK: it loads none of it', () => {
    expect(frameworksLoaded('./adapters/ai-sdk/index.ts').loaded).toEqual([]);
  });
});
