import { createAttune } from '../../index';
import type { Turn } from '../../src/core/turn';
import type { IngestReport, StageErrorReport, StoreCallReport, TurnReport } from '../../src/engine/hooks';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';

/** Observers see turns (with each stage's own time), stage failures, store calls and ingestion. */
const turn = (n: number): Turn => ({ id: `t-${n}`, userId: 'ann', sessionId: 's', channel: 'test', kind: 'message', text: 'running shoes please', signals: {}, timestamp: new Date().toISOString() });

describe('hooks', () => {
  it('onTurn reports every default stage by name with its own time; onStoreCall sees the read and the write; onIngest counts', async () => {
    const turns: TurnReport[] = [];
    const calls: StoreCallReport[] = [];
    const ingests: IngestReport[] = [];
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false, hooks: { onTurn: (t) => turns.push(t), onStoreCall: (c) => calls.push(c), onIngest: (i) => ingests.push(i) } });
    await attune.handle(turn(1), () => new Promise((r) => setTimeout(r, 20)));
    await attune.flush();
    expect(turns).toHaveLength(1);
    expect(turns[0].stages.map((s) => s.name)).toEqual(['turnLogStage', 'sessionContextStage', 'profileStage', 'predictStage', 'segmentStage', 'experimentStage', 'recommendStage', 'toneStage', 'feedbackStage']);
    // The bot's 20 ms are in the turn, not in any stage's own time.
    expect(turns[0].durationMs).toBeGreaterThanOrEqual(19);
    for (const s of turns[0].stages) expect(s.ms).toBeLessThan(turns[0].durationMs - 15);
    expect(calls.map((c) => c.method)).toEqual(expect.arrayContaining(['readUser', 'write']));
    expect(calls.every((c) => c.ok)).toBe(true);
    // The turn's logged events, once written, are reported as ingested from the turn.
    expect(ingests).toMatchObject([{ source: 'turn', accepted: 2, duplicates: 0, ok: true, events: [{ type: 'track', event: 'Segment Entered', segment: 'new-visitors' }, { type: 'track', event: 'Message Received' }] }]);
    expect(turns[0]).toMatchObject({ adapter: 'inproc', degraded: false, recommendationsShown: 0 });
    await attune.track({ userId: 'ann', event: 'Product Viewed', properties: { product_id: 'yoga-1' } });
    expect(ingests[1]).toMatchObject({ source: 'library', accepted: 1, duplicates: 0, ok: true, events: [{ type: 'track', event: 'Product Viewed' }] });
    await expect(attune.track({ userId: '', event: 'x' })).rejects.toThrow();
    expect(ingests[2]).toMatchObject({ source: 'library', ok: false });
  });

  it('onStageError names the stage that threw; a hook that throws changes nothing', async () => {
    const errors: StageErrorReport[] = [];
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false });
    attune.use(async function exploding() {
      throw new Error('boom');
    });
    attune.hooks.add({ onStageError: (e) => errors.push(e) });
    attune.hooks.add({
      onTurn: () => {
        throw new Error('a broken observer');
      },
    });
    let answered = false;
    await attune.handle(turn(2), () => {
      answered = true;
    });
    expect(answered).toBe(true);
    expect(errors.map((e) => e.stage)).toEqual(['exploding']);
    expect(attune.failures.stages).toBe(1);
  });
});
