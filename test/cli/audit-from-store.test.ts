import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { createAttune } from '../../index';
import { EcommerceEvents } from '../../src/core/ecommerce';
import { auditResults } from '../../src/fairness';
import { createCipher, parseEncryptionKeys } from '../../src/privacy/cipher';
import { RedisStore } from '../../src/store/redis';
import { plantedBias } from '../fairness/planted';
import { deleteKeys, describeRedis, RUN_PREFIX } from '../store/redis-harness';
import { run } from './helpers';

/*
 * `attune audit --from-store` on a Redis store seeded with the planted bias (a niche taste in
 * the long tail, under-served by popularity) and audit-only attributes kept under a fairness
 * consent, sealed with the store's key: the command finds the gap, alerts on it, writes the
 * report's files and saves the result in the store; with --schedule it logs the alert line and
 * stops cleanly on SIGTERM. Its own key prefix keeps it apart from every other test.
 */
const root = resolve(__dirname, '../..');
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const data = plantedBias();
/** A user who never consents to fairness: their attribute is never recorded nor used. */
const NO_CONSENT = 'u1';
const AUDIT = ['--attribute', 'taste', '--model', 'pop', '--split', 'user', '--bootstrap', '0', '--seed', '3'];

describeRedis('attune audit --from-store', (url) => {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  const prefix = `${RUN_PREFIX}cli-audit-${randomBytes(3).toString('hex')}:`;
  const store = new RedisStore({ redis: client, keyPrefix: prefix, cipher: createCipher(parseEncryptionKeys(KEYS)) });
  const env = { url: process.env.ATTUNE_REDIS_URL, keys: process.env.ATTUNE_ENCRYPTION_KEYS, level: process.env.ATTUNE_LOG_LEVEL };
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'attune-audit-store-'));
    Object.assign(process.env, { ATTUNE_REDIS_URL: url, ATTUNE_ENCRYPTION_KEYS: KEYS, ATTUNE_LOG_LEVEL: 'silent' });
    const attune = createAttune({ store, idKeys: false, consentPolicy: 'opt-out' });
    const events = data.interactions.map((x) => ({ type: 'track', userId: x.user, event: EcommerceEvents.ProductViewed, properties: { product_id: x.item } }));
    for (let i = 0; i < events.length; i += 200) await attune.batch({ batch: events.slice(i, i + 200) });
    for (const [user, attributes] of data.users ?? []) {
      if (user !== NO_CONSENT) await attune.setConsent(user, { fairness: true });
      await attune.setAuditAttributes(user, { taste: attributes.taste });
    }
    await attune.flush();
  }, 120_000);

  afterAll(async () => {
    for (const [name, value] of [['ATTUNE_REDIS_URL', env.url], ['ATTUNE_ENCRYPTION_KEYS', env.keys], ['ATTUNE_LOG_LEVEL', env.level]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await deleteKeys(client, prefix);
    client.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the planted gap, alerts on it, writes the report and saves the result in the store', async () => {
    const out = join(dir, 'once');
    const report = JSON.parse(await run(['audit', '--from-store', ...AUDIT, '--key-prefix', prefix, '--out', out, '--json']));
    expect(report.source).toEqual({ kind: 'store', interactions: data.interactions.length, attributed: data.users!.size - 1, withdrawn: 0 });
    const gap = report.gaps.find((g: { attribute: string; metric: string }) => g.attribute === 'taste' && g.metric === 'ndcg');
    expect(gap).toMatchObject({ worst: 'niche', best: 'mainstream' });
    expect(gap.ratio).toBeLessThan(0.8);
    expect(report.alerts.find((a: { metric: string }) => a.metric === 'taste.ndcg')?.alert).toBe(true);

    // The report's files: the Markdown page, with the alert, and each plot it links to.
    const md = readFileSync(join(out, 'audit.md'), 'utf8');
    expect(md).toContain('## By taste');
    expect(md).toContain('**ALERT**');
    const svgs = readdirSync(out).filter((f) => f.endsWith('.svg'));
    expect(svgs).toContain('ndcg-by-taste.svg');
    for (const svg of svgs) {
      expect(md).toContain(`](${svg})`);
      expect(readFileSync(join(out, svg), 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<\/svg>\n$/);
    }

    // The result in the store, which every replica's dashboard reads: group aggregates only.
    const saved = await auditResults(store).latest();
    expect(saved?.alerting).toBeGreaterThan(0);
    expect(saved?.verdicts.find((v) => v.attribute === 'taste' && v.metric === 'ndcg')).toMatchObject({ alert: true, crossed: 'ratio', worst: 'niche', minRatio: 0.8 });
    expect(saved?.report.users).toBe(data.users!.size);
    expect(JSON.stringify(saved)).not.toMatch(/"u\d+"/);

    // A ceiling the gap stays under, and a floor it stays over: no alert.
    const lenient = JSON.parse(await run(['audit', '--from-store', ...AUDIT, '--key-prefix', prefix, '--out', join(dir, 'lenient'), '--min-ratio', '0', '--json']));
    expect(lenient.gaps.length).toBeGreaterThan(0);
    expect((await auditResults(store).latest())?.alerting).toBe(0);
  }, 120_000);

  it('--schedule audits at once, logs the alert line, and stops on SIGTERM', async () => {
    const before = (await store.getArtifact('fairness-audit'))?.version ?? 0;
    // tsx as a loader, not its CLI: the CLI is a second process that reports a relayed signal as exit 143.
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'audit', '--from-store', ...AUDIT, '--key-prefix', prefix, '--out', join(dir, 'scheduled'), '--schedule', '--every', '1h'], {
      cwd: root,
      env: { ...process.env, ATTUNE_LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    // Waits for the first audit's line, not for a time: the process is stopped once it is out.
    await new Promise<void>((done) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (/gap\(s\) over threshold\n/.test(stdout)) done();
      });
      void exited.then(() => done());
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/^\S+: audited 120 users, [1-9]\d* gap\(s\) over threshold\n$/);
    const alert = stderr
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.alert === 'fairness_gap' && l.metric === 'ndcg');
    expect(alert).toMatchObject({ level: 40, state: 'firing', attribute: 'taste', worst: 'niche', best: 'mainstream', minRatio: 0.8 });
    expect(String(alert?.msg)).toMatch(/^attune: fairness gap alert: taste ndcg niche\/mainstream = 0\.\d+ crossed its threshold$/);
    expect((await store.getArtifact('fairness-audit'))?.version).toBe(before + 1);
    expect(readFileSync(join(dir, 'scheduled', 'audit.md'), 'utf8')).toContain('**ALERT**');
  }, 120_000);
});
