import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAttune } from '../../index';
import type { ExperimentInput } from '../../src/experiments/definition';
import { MemoryStore } from '../../src/store/memory';
import { run } from './helpers';

/** `attune experiments list|assign` from a config file, on the store of the environment (memory here). */
describe('attune experiments', () => {
  const metrics = { primary: [{ kind: 'conversion' as const }] };
  const experiments: ExperimentInput[] = [
    { id: 'tone-test', variants: [{ id: 'control', weight: 1 }, { id: 'friendly', weight: 1, overrides: { tone: 'friendly' } }], metrics },
    { id: 'vip-only', variants: [{ id: 'a' }, { id: 'b' }], targeting: { segments: ['vip'] }, metrics },
    { id: 'over', variants: [{ id: 'a' }, { id: 'b' }], end: '2020-01-01T00:00:00Z', metrics },
  ];
  let dir: string;
  let config: string;
  const env = { redis: process.env.ATTUNE_REDIS_URL, level: process.env.ATTUNE_LOG_LEVEL };
  beforeAll(() => {
    delete process.env.ATTUNE_REDIS_URL;
    process.env.ATTUNE_LOG_LEVEL = 'silent';
    dir = mkdtempSync(join(tmpdir(), 'attune-cli-exp-'));
    config = join(dir, 'experiments.json');
    writeFileSync(config, JSON.stringify({ experiments }));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    if (env.redis !== undefined) process.env.ATTUNE_REDIS_URL = env.redis;
    if (env.level !== undefined) process.env.ATTUNE_LOG_LEVEL = env.level;
    else delete process.env.ATTUNE_LOG_LEVEL;
  });

  it('refuses to save definitions without the store the servers use', async () => {
    await expect(run(['experiments', 'save', config])).rejects.toThrow(/ATTUNE_REDIS_URL/);
  });

  it('lists the experiments with their status and weights', async () => {
    const lines = (await run(['experiments', 'list', '--config', config])).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { id: 'tone-test', status: 'running', running: true, source: 'config', allocation: 'fixed', variants: [{ id: 'control', weight: 0.5 }, { id: 'friendly', weight: 0.5 }] },
      expect.objectContaining({ id: 'vip-only', running: true }),
      expect.objectContaining({ id: 'over', running: false }),
    ]);
  });

  it('assigns a user the variant their turns get, and says why one is out', async () => {
    const attune = createAttune({ store: new MemoryStore(), experiments });
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const user = `cli-user-${i}`;
        const turn = await attune.turn({ userId: user, text: 'hi' });
        const out = JSON.parse(await run(['experiments', 'assign', 'tone-test', user, '--config', config]));
        expect(out).toMatchObject({ experiment: 'tone-test', userId: user, inExperiment: true, variant: turn.variant, stored: false });
        seen.add(out.variant);
      }
      expect(seen.size).toBe(2);
    } finally {
      await attune.close();
    }
    expect(JSON.parse(await run(['experiments', 'assign', 'vip-only', 'someone', '--config', config]))).toMatchObject({ inExperiment: false, reason: 'targeting' });
    expect(JSON.parse(await run(['experiments', 'assign', 'over', 'someone', '--config', config]))).toMatchObject({ inExperiment: false, reason: 'not-running' });
    await expect(run(['experiments', 'assign', 'nope', 'someone', '--config', config])).rejects.toThrow(/experiment "nope" not found/);
  });

  it('refuses a config file that is not experiments, naming the problem', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ experiments: [{ id: 'x', variants: [] }] }));
    await expect(run(['experiments', 'list', '--config', bad])).rejects.toThrow(/experiments\[0\].*variants/);
    writeFileSync(bad, '{ not json');
    await expect(run(['experiments', 'list', '--config', bad])).rejects.toThrow(/bad\.json/);
  });
});
