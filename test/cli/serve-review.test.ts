import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import catalog from '../../examples/ecommerce/catalog.json';
import { until } from '../support/until';

/*
 * `attune serve` as a deployment runs it with ATTUNE_REVIEW_CATEGORIES set: a turn asking for
 * running gear gets recommendations with no running item in them, the held items wait on
 * /v1/review for an admin key, and an approved one is then recommended.
 */
const root = resolve(__dirname, '../..');
const TURNS = 'turns-key-0123456789a';
const ADMIN = 'admin-key-0123456789a';
const categoryOf = (id: string) => catalog.find((i) => i.id === id)?.category;

describe('attune serve with ATTUNE_REVIEW_*', () => {
  let child: ChildProcess | undefined;
  let url = '';

  beforeAll(async () => {
    // The memory store whatever the environment says: nothing of this test outlives it.
    const { ATTUNE_REDIS_URL: _redis, ...inherited } = process.env;
    const env = { ...inherited, ATTUNE_LOG_LEVEL: 'warn', HOST: '', ATTUNE_API_KEYS: `${TURNS}:turns,${ADMIN}:admin`, ATTUNE_REVIEW_CATEGORIES: 'Running', ATTUNE_REVIEW_REFRESH_MS: '100' };
    const started = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', '--port', '0', '--catalog', 'examples/ecommerce/catalog.json'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    url = await new Promise<string>((resolveUrl, reject) => {
      let out = '';
      started.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /attune serve: (http:\/\/\S+)/.exec(out);
        if (m) resolveUrl(m[1]);
      });
      started.stderr.on('data', (c: Buffer) => (out += c.toString()));
      started.once('exit', (code) => reject(new Error(`attune serve exited (${code}) before listening:\n${out}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const running = child;
    await new Promise((r) => {
      running.once('exit', r);
      running.kill('SIGTERM');
    });
  });

  const call = (path: string, key: string, body?: unknown) =>
    fetch(`${url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const turn = async (userId: string) => {
    const res = await call('/v1/turns', TURNS, { userId, text: 'I am looking for running shoes', reply: { text: 'Here you go', recommend: true } });
    expect(res.status).toBe(200);
    return ((await res.json()) as { recommendations: { itemId: string }[] }).recommendations.map((r) => r.itemId);
  };

  it('holds the category back, queues what a list wanted, and serves an approved item', async () => {
    const shown = await turn('runner-1');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.filter((id) => categoryOf(id) === 'running')).toEqual([]);

    expect((await call('/v1/review', TURNS)).status).toBe(403);
    let entries: { id: string; itemId: string; reason: string }[] = [];
    // The requests reach the queue off the turn: waited for, not timed.
    await until('the held items are queued', async () => {
      entries = ((await (await call('/v1/review', ADMIN)).json()) as { entries: typeof entries }).entries;
      return entries.length > 0;
    });
    expect(entries.every((e) => categoryOf(e.itemId) === 'running' && e.reason === 'category:running')).toBe(true);

    const approved = await call(`/v1/review/${entries[0].id}`, ADMIN, { decision: 'approve' });
    expect(approved.status).toBe(200);
    const after = await turn('runner-1');
    expect(after.filter((id) => categoryOf(id) === 'running')).toEqual([entries[0].itemId]);
  }, 60_000);
});
