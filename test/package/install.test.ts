import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { emulatorMessage, type RecordedActivity, startConnector } from '../support/emulator';

/*
 * The package as a new user gets it: `npm pack` (which builds it, through `prepare`), the
 * tarball installed into a fresh project from the registry's cache (`--prefer-offline`, no
 * other network), then the README's five-minute bot run as it stands in an ES module and in a
 * CommonJS project, chatting through real HTTP with a stand-in for the channel's connector.
 * Before the framework SDKs are installed, the root, attune/http, attune/rasa, attune/dialogflow
 * and the `attune` command work without them.
 */

jest.setTimeout(10 * 60_000);

const repo = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name: string; version: string };
const installed = (name: string) => (JSON.parse(readFileSync(join(repo, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * The environment of a child: the caller's, without what `npm test` sets about this package
 * (npm_package_*, npm_lifecycle_*), jest's NODE_ENV, or Attune's own settings: a new user's shell
 * has none of them.
 */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if ((k.startsWith('npm_') && !k.startsWith('npm_config_')) || k.startsWith('ATTUNE_') || k.startsWith('MicrosoftApp') || k === 'NODE_ENV') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

async function run(cmd: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  try {
    return await promisify(execFile)(cmd, args, { cwd, env: childEnv(), maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { message: string; stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** The code block the README marks with `<!-- install-test: NAME -->`. */
function readmeSnippet(name: string): string {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- install-test: ${name} -->\\s*\`\`\`js\\n([\\s\\S]*?)\\n\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no snippet marked install-test: ${name}`);
  return match[1];
}

/** A catalog with planted structure: three categories, four items each; the chat asks for running. */
const catalog = ['running', 'hiking', 'cooking'].flatMap((category) =>
  [1, 2, 3, 4].map((i) => ({ id: `${category}-${i}`, title: `${category} item ${i}`, category, price: 10 * i, description: `a ${category} thing` })),
);

/** Starts `node bot.js` in `dir` on a free port; resolves once it says where it listens. */
async function startBot(dir: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['bot.js'], { cwd: dir, env: childEnv({ PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /bot on (http:\/\/localhost:\d+\/api\/messages)/.exec(out);
      if (m) resolveUrl(m[1].replace('localhost', '127.0.0.1'));
    });
    child.once('exit', (code) => reject(new Error(`bot.js exited with ${code} before listening:\n${out}`)));
  });
  return { url, child, output: () => out };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('the packed package, installed in a fresh project', () => {
  let work: string;
  let project: string;
  let files: string[];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'attune-install-'));
    // `npm pack` runs `prepare`, so this also proves the build works from the sources.
    const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', work], repo);
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
    files = packed.files.map((f) => f.path);
    project = join(work, 'project');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'attune-install-test', version: '1.0.0', private: true }));
    await run(npm, ['install', join(work, packed.filename), '--no-audit', '--no-fund', '--prefer-offline'], project);
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the tarball ships the build, the README and the licence, and no tests or sources', () => {
    for (const path of ['package.json', 'README.md', 'LICENSE', 'dist/index.js', 'dist/index.mjs', 'dist/index.d.ts', 'dist/cli/main.js', 'dist/adapters/botbuilder/index.mjs']) {
      expect([path, files.includes(path)]).toEqual([path, true]);
    }
    const unwanted = files.filter((f) => /^(test|bench|\.ci|examples|src|adapters|middleware|cli|scripts|node_modules)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')) || f.endsWith('.map'));
    expect(unwanted).toEqual([]);
  });

  test('the attune command runs from the installed package, without any bot framework SDK', async () => {
    const version = await run(npm, ['exec', '--no', '--', 'attune', '--version'], project);
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = await run(npm, ['exec', '--no', '--', 'attune', '--help'], project);
    for (const command of ['serve', 'train', 'evaluate']) expect(help.stdout).toContain(command);
  });

  test('the root, attune/http, attune/rasa and attune/dialogflow load without the SDKs; attune/botbuilder needs botbuilder', async () => {
    const cjs = `const { createAttune } = require('attune');
      for (const e of ['attune/http', 'attune/rasa', 'attune/dialogflow']) require(e);
      let botbuilder = 'loaded';
      try { require('attune/botbuilder'); } catch (err) { botbuilder = err.code + ' ' + /'([^']+)'/.exec(err.message)[1]; }
      console.log(JSON.stringify({ createAttune: typeof createAttune, botbuilder }));`;
    const esm = `import { createAttune, Attune } from 'attune';
      import { createServer } from 'attune/http';
      import { rasaActionServer } from 'attune/rasa';
      import { dialogflowWebhook } from 'attune/dialogflow';
      import { createRequire } from 'node:module';
      const cjs = createRequire(process.cwd() + '/')('attune');
      console.log(JSON.stringify({ names: [createAttune, createServer, rasaActionServer, dialogflowWebhook].map((f) => typeof f), same: cjs.Attune === Attune }));`;
    const fromCjs = JSON.parse((await run(process.execPath, ['-e', cjs], project)).stdout) as { createAttune: string; botbuilder: string };
    expect(fromCjs).toEqual({ createAttune: 'function', botbuilder: 'MODULE_NOT_FOUND botbuilder' });
    const fromEsm = JSON.parse((await run(process.execPath, ['--input-type=module', '-e', esm], project)).stdout) as { names: string[]; same: boolean };
    // One instance for both: `import` re-exports the CommonJS build.
    expect(fromEsm).toEqual({ names: ['function', 'function', 'function', 'function'], same: true });
  });

  describe("the README's five-minute bot", () => {
    let connector: Awaited<ReturnType<typeof startConnector>>;

    beforeAll(async () => {
      // The peers a Bot Framework bot adds, at the versions this repository tests with.
      await run(npm, ['install', `botbuilder@${installed('botbuilder')}`, `express@${installed('express')}`, '--no-audit', '--no-fund', '--prefer-offline'], project);
      connector = await startConnector();
    });

    afterAll(async () => {
      await connector?.close();
    });

    // Each variant in its own folder of the project: the nearest package.json decides the
    // module kind, and both find the packages installed one folder up.
    test.each(['module', 'commonjs'])('runs unchanged in a %s project and answers with recommendations', async (kind) => {
      const dir = join(project, kind);
      mkdirSync(dir);
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `bot-${kind}`, private: true, type: kind }));
      writeFileSync(join(dir, 'catalog.json'), JSON.stringify(catalog));
      writeFileSync(join(dir, 'bot.js'), readmeSnippet(kind));
      const bot = await startBot(dir);
      try {
        const conversation = `install-${kind}`;
        const url = new URL(bot.url);
        const res = await request(url.origin).post(url.pathname).send(emulatorMessage(connector.url, `user-${kind}`, conversation, 'I need running shoes'));
        expect([res.status, bot.output()]).toEqual([200, expect.any(String)]);
        const replies: RecordedActivity[] = connector.replies.filter((r) => r.conversation?.id === conversation);
        const picked = replies.find((r) => r.text?.includes('Picked for you:'));
        const browse = replies.find((r) => r.text?.includes('Or browse:'));
        // The planted structure: the user asked for running, so running items come first.
        expect(picked?.suggestedActions?.actions.length).toBeGreaterThan(0);
        expect(picked?.suggestedActions?.actions[0].title).toMatch(/^running item/);
        expect(browse?.attachmentLayout).toBe('carousel');
        expect(browse?.attachments?.map((a) => a.content.title)).toEqual([expect.stringMatching(/^running item/), expect.stringMatching(/^running item/), expect.stringMatching(/^running item/)]);
      } finally {
        await stop(bot.child);
      }
    });
  });
});
