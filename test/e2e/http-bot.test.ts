import { type ChildProcess, spawn } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createAttune } from '../../index';
import { parseApiKeys } from '../../adapters/http/api-keys';
import { createServer, listen } from '../../adapters/http/server';
import catalog from '../../examples/ecommerce/catalog.json';
import { type BotAnswer, createHttpBot } from '../../examples/http-bot/bot';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';

/*
 * The "any HTTP bot" example end to end: a plain Express bot calls Attune's POST /v1/turns
 * over HTTP, and the user chats with the bot. In process first (the bot's module beside
 * createServer), then as a user runs it: `attune serve` and `examples/http-bot/main.ts` as
 * two processes.
 */

const KEY = 'bot-turns-key-0123456789';
const root = resolve(__dirname, '../..');
const categoryOf = (id: string) => catalog.find((i) => i.id === id)?.category;
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

async function chat(botUrl: string, userId: string, text: string): Promise<BotAnswer> {
  const res = await fetch(`${botUrl}/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId, text }) });
  expect(res.status).toBe(200);
  return (await res.json()) as BotAnswer;
}

describe('examples/http-bot: a plain Express bot personalized through /v1/turns', () => {
  let attune: Attune;
  let attuneServer: Server;
  let botServer: Server;
  let bot: string;
  const attuneErrors: unknown[] = [];

  beforeAll(async () => {
    attune = createAttune({ store: new MemoryStore(), catalog });
    attuneServer = await listen(createServer(attune, { apiKeys: parseApiKeys(`${KEY}:turns`) }), { port: 0, host: '127.0.0.1' });
    botServer = await listen(createHttpBot({ attuneUrl: urlOf(attuneServer), apiKey: KEY, onAttuneError: (e) => attuneErrors.push(e) }), { port: 0, host: '127.0.0.1' });
    bot = urlOf(botServer);
  });
  afterAll(async () => {
    await new Promise((r) => botServer.close(r));
    await new Promise((r) => attuneServer.close(r));
    await attune.close();
  });

  it('greets a newcomer in their tone, then suggests what they talked about', async () => {
    const hi = await chat(bot, 'web-ann', 'hi');
    expect(hi).toMatchObject({ personalized: true, tone: 'friendly' });
    // The bot's draft greets already ("Hi! …"): the friendly tone does not greet a second time.
    expect(hi.text).toMatch(/^Hi! Ask me/);
    expect(hi.text).not.toMatch(/Welcome/);
    expect(hi.suggestions.length).toBeGreaterThan(0);
    const asked = await chat(bot, 'web-ann', 'I need running shoes');
    expect(asked.suggestions.map((s) => categoryOf(s.id))).toEqual(['running', 'running', 'running']);
    const later = await chat(bot, 'web-ann', 'what would you recommend?');
    expect(later.text).toMatch(/You might like these/);
    expect(later.suggestions.length).toBe(3);
    expect(later.suggestions.every((s) => categoryOf(s.id) === 'running')).toBe(true);
    expect(attuneErrors).toEqual([]);
    // Attune logged the conversation as it does on every adapter.
    await attune.flush();
    const events = (await attune.export('web-ann')).events.filter((e) => e.event === 'Message Received');
    expect(events).toHaveLength(3);
  });

  it('when Attune cannot be reached, the bot still answers with its own draft', async () => {
    const errors: unknown[] = [];
    const lonely = await listen(createHttpBot({ attuneUrl: 'http://127.0.0.1:1', apiKey: KEY, onAttuneError: (e) => errors.push(e) }), { port: 0, host: '127.0.0.1' });
    try {
      const answer = await chat(urlOf(lonely), 'web-bob', 'I need running shoes');
      expect(answer).toEqual({ text: 'Here are some running picks for you:', suggestions: [], personalized: false });
      expect(errors).toHaveLength(1);
    } finally {
      await new Promise((r) => lonely.close(r));
    }
  });
});

/** Spawns a TypeScript entry point and resolves with the URL it prints once it listens. */
function start(args: string[], env: Record<string, string>, printed: RegExp): Promise<{ child: ChildProcess; url: string }> {
  // The memory store whatever the environment says: nothing of this test outlives it.
  const { ATTUNE_REDIS_URL: _redis, ...inherited } = process.env;
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), ...args], { cwd: root, env: { ...inherited, ATTUNE_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolveStart, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = printed.exec(out);
      if (m) resolveStart({ child, url: m[1] });
    });
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`${args[0]} exited (${code}) before listening:\n${out}`)));
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((r) => {
    child.once('exit', () => r());
    child.kill('SIGTERM');
  });
}

describe('examples/http-bot/main.ts and attune serve, as a user runs them', () => {
  let attune: ChildProcess | undefined;
  let bot: ChildProcess | undefined;

  afterAll(async () => {
    await stop(bot);
    await stop(attune);
  });

  it('chatting through the bot reaches Attune and comes back personalized', async () => {
    const served = await start(['cli/main.ts', 'serve', '--port', '0', '--catalog', 'examples/ecommerce/catalog.json'], { ATTUNE_API_KEYS: `${KEY}:turns`, HOST: '' }, /attune serve: (http:\/\/\S+)/);
    attune = served.child;
    const running = await start(['examples/http-bot/main.ts'], { ATTUNE_URL: served.url, ATTUNE_API_KEY: KEY, PORT: '0', HOST: '' }, /http-bot listening on (http:\/\/\S+)\/chat/);
    bot = running.child;
    const hi = await chat(running.url, 'cli-ann', 'hi');
    expect(hi).toMatchObject({ personalized: true, tone: 'friendly' });
    const camping = await chat(running.url, 'cli-ann', 'a tent for camping, please');
    expect(camping.personalized).toBe(true);
    expect(camping.suggestions.map((s) => categoryOf(s.id))).toEqual(['camping', 'camping', 'camping']);
  }, 60_000);
});
