import { Attune } from '../../src/engine/attune';
import type { Turn } from '../../src/core/turn';
import { sessionContext } from '../../middleware';
import { MemoryStore } from '../../src/store/memory';

const turn = (n: number, extra: Partial<Turn> = {}): Turn => ({
  id: `t${n}`,
  userId: 'ada',
  sessionId: 'conv-1',
  channel: 'test',
  kind: 'message',
  text: `message ${n}`,
  signals: {},
  timestamp: new Date(Date.UTC(2026, 10, 29, 10, 0, n)).toISOString(),
  ...extra,
});

describe('session context stage', () => {
  test('keeps the last turns of both directions and the last intents, redacted, across turns', async () => {
    const store = new MemoryStore();
    const attune = new Attune({ store, idKeys: false }).use(sessionContext({ maxTurns: 3, maxIntents: 2 }));
    for (let n = 1; n <= 4; n++) {
      await attune.handle(turn(n, { intent: `intent-${n}`, text: n === 4 ? 'mail me at ada@example.com' : `message ${n}` }), (ctx) => {
        ctx.reply({ text: `reply ${n}` });
      });
    }
    await attune.handle(turn(5, { entities: { size: '42', email: 'ada@example.com' } }), () => undefined);
    await attune.flush();
    // Without id keys the engine stores ids as given; sessions are keyed apart from users.
    const { session } = await store.readUser('ada', 'session:conv-1');
    expect(session?.turns.map((t) => `${t.direction}:${t.text ?? ''}`)).toEqual(['in:mail me at <EMAIL>', 'out:reply 4', 'in:message 5']);
    expect(session?.intents).toEqual(['intent-3', 'intent-4']);
    expect(session?.entities).toEqual({ size: '42', email: '<EMAIL>' });
    expect(session?.lastActiveAt).toBe(turn(5).timestamp);
    // What the store holds is frozen: the next turn built a new session instead of changing this one.
    expect(Object.isFrozen(session?.turns)).toBe(true);
  });
});
