import Redis from 'ioredis';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../src/core/random';
import { RankService } from '../../src/learning/rank/service';
import type { PolicyEvaluation } from '../../src/learning/rank/logs';
import { createCipher, encryptionKeysFromEnv } from '../../src/privacy/cipher';
import { MemoryStore } from '../../src/store/memory';
import { RedisStore } from '../../src/store/redis';
import { deleteKeys, describeRedis, RUN_PREFIX } from '../store/redis-harness';
import { run, spawnCli } from './helpers';

/*
 * attune policy evaluate on a log written by the rank service itself: 600 decisions of an
 * exploring ε-greedy policy where the app suits mobile users and the web page the others;
 * some decisions are never rewarded and take the default. The right action is worth 0.9, the
 * wrong one 0.7 × 0.1 = 0.07, so the uniform policy is worth 0.485 and a learned greedy one 0.9.
 */

const actions: { id: string; features: Record<string, number> }[] = [{ id: 'web', features: { web: 1 } }, { id: 'app', features: { app: 1 } }];

describe('attune policy evaluate', () => {
  let dir: string;
  let log: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'attune-policy-'));
    log = join(dir, 'events.jsonl');
    const store = new MemoryStore();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const ranker = new RankService({ store, clock: () => now, options: { epsilon: 0.6, seed: 5, rewardWaitSeconds: 10 } });
    const rng = mulberry32(6);
    for (let i = 0; i < 600; i++) {
      const mobile = rng() < 0.5 ? 1 : 0;
      const r = await ranker.rank({ actions, context: { mobile } });
      const right = r.chosen === (mobile ? 'app' : 'web');
      // The right action pays 1 nine times in ten, the wrong one once in ten; and a wrong one is
      // rewarded only seven times in ten: the others take the default reward, 0.
      const value = rng() < (right ? 0.9 : 0.1) ? 1 : 0;
      if (right || rng() < 0.7) await ranker.reward(r.eventId, value);
      now += 1000;
    }
    const { events } = await store.readEvents({ limit: 10_000 });
    writeFileSync(log, events.map((e) => JSON.stringify(e)).join('\n'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const evaluate = async (target: string) => JSON.parse(await run(['policy', 'evaluate', '--log', log, '--target', target, '--json'])) as PolicyEvaluation;
  const covers = (ci: [number, number], v: number) => ci[0] <= v + 1e-9 && v - 1e-9 <= ci[1];

  it('estimates the uniform policy at 0.485 and the learned one at 0.9, each within its intervals', async () => {
    const uniform = await evaluate('uniform');
    expect(uniform.decisions).toBe(600);
    expect(uniform.defaulted).toBeGreaterThan(20);
    for (const e of [uniform.estimates.ips, uniform.estimates.snips, uniform.estimates.dr]) expect(covers(e?.ci ?? [Number.NaN, Number.NaN], 0.485)).toBe(true);
    const learned = await evaluate('learned');
    expect(learned.decisions).toBe(300);
    for (const e of [learned.estimates.ips, learned.estimates.snips, learned.estimates.dr]) expect(covers(e?.ci ?? [Number.NaN, Number.NaN], 0.9)).toBe(true);
    expect(learned.estimates.snips.value).toBeGreaterThan(learned.loggedMean);
  });

  it('refuses a bad target with a usage error', () => {
    const r = spawnCli(['policy', 'evaluate', '--log', log, '--target', 'best']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--target must be one of uniform, baseline, learned/);
  });
});

describeRedis('attune policy evaluate on the store named by ATTUNE_REDIS_URL', (url) => {
  const prefix = `${RUN_PREFIX}cli-policy:`;
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await deleteKeys(client, prefix);
    client.disconnect();
  });

  it('reads the decisions and rewards a rank service logged there', async () => {
    const env = { ...process.env, ATTUNE_REDIS_URL: url, ATTUNE_LOG_LEVEL: 'silent' };
    // Sealed as the command's store reads it: the same (development) key, from the same environment.
    const store = new RedisStore({ redis: client, keyPrefix: prefix, cipher: createCipher(encryptionKeysFromEnv({ env, onWarning: () => undefined })) });
    const ranker = new RankService({ store, options: { name: 'offers', epsilon: 1, seed: 2 } });
    for (let i = 0; i < 40; i++) {
      const r = await ranker.rank({ actions });
      await ranker.reward(r.eventId, r.chosen === 'app' ? 1 : 0);
    }
    const out = spawnCli(['policy', 'evaluate', '--policy', 'offers', '--target', 'baseline', '--key-prefix', prefix, '--json'], env);
    expect(out.stderr).toBe('');
    const report = JSON.parse(out.stdout) as PolicyEvaluation;
    // Logged uniformly at random: the baseline (web) never pays, so every estimate is exactly 0.
    expect([report.decisions, report.estimates.ips.value, report.estimates.snips.value]).toEqual([40, 0, 0]);
    const none = spawnCli(['policy', 'evaluate', '--policy', 'other', '--key-prefix', prefix], env);
    expect([none.status, none.stderr]).toEqual([1, expect.stringMatching(/policy other: 0 rewarded decision\(s\)/)]);
  });
});
