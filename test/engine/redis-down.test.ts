import Redis from 'ioredis';
import { createAttune } from '../../index';
import catalog from '../../examples/ecommerce/catalog.json';
import type { Turn } from '../../src/core/turn';
import type { Attune } from '../../src/engine/attune';
import type { AttuneContext } from '../../src/engine/context';
import { circuitOf, type BreakerLogger } from '../../src/store/breaker';
import { openStore } from '../../src/store/open';
import type { Store } from '../../src/store/store';
import { deleteKeys, describeRedis, RUN_PREFIX } from '../store/redis-harness';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';
import { until } from '../support/until';

/*
 * Turns through the engine while Redis is down, with the store `openStore` opens (circuit
 * breaker in front), connected through a TCP proxy the test cuts or black-holes (the shared
 * Redis itself is never touched): every turn is answered, unpersonalized and degraded; the
 * breaker opens and turns stop reaching Redis; once Redis is reachable again personalization
 * resumes by itself.
 */

/** What keeps a connection up (handshake, heartbeat, probes), as opposed to what turns send. */
const UPKEEP = new Set(['hello', 'select', 'client', 'info', 'ping', 'subscribe', 'quit']);

describeRedis('turns while Redis is down', (url) => {
  const prefix = `${RUN_PREFIX}engine-down:`;
  let proxy: TcpProxy;
  let store: Store;
  let attune: Attune;
  let log: string[];
  let n = 0;

  beforeEach(async () => {
    proxy = await startTcpProxy(url);
    log = [];
    const logger: BreakerLogger = { warn: (_o, msg) => log.push(msg), info: (_o, msg) => log.push(msg) };
    // Short enough that the test does not wait long for what must fail; the probe runs often.
    store = openStore(proxy.url, { keyPrefix: prefix, commandTimeoutMs: 1000, socketTimeoutMs: 500, breaker: { failureThreshold: 3, probeIntervalMs: 50, maxProbeIntervalMs: 200, logger } });
    attune = createAttune({ store, catalog });
    await store.ping();
  });
  afterEach(async () => {
    await attune.close();
    await proxy.close();
  });
  afterAll(async () => {
    const admin = new Redis(url);
    await deleteKeys(admin, prefix);
    await admin.quit();
  });

  const turn = (userId: string, text: string): Turn => ({
    id: `t${++n}`,
    userId,
    sessionId: `conv-${userId}`,
    channel: 'test',
    kind: 'message',
    text,
    signals: {},
    timestamp: new Date().toISOString(),
  });

  /** Runs a turn whose bot asks for recommendations; resolves to the context and whether the bot ran. */
  async function say(userId: string, text: string): Promise<{ ctx: AttuneContext; answered: boolean }> {
    let answered = false;
    const ctx = await attune.handle(turn(userId, text), (c) => {
      c.reply({ text: 'Here you go', recommend: true });
      answered = true;
    });
    await attune.flush();
    return { ctx, answered };
  }

  const turnCommands = () => proxy.commands().filter((c) => !UPKEEP.has(c));

  test.each(['cut', 'blackhole'] as const)('Redis %s: answered unpersonalized, the breaker skips the store, personalization resumes by itself', async (failure) => {
    const user = `runner-${failure}`;
    const before = await say(user, 'I am looking for running shoes');
    expect(before.ctx.degraded).toBe(false);
    expect((await attune.profile(user))?.counts.messages).toBe(1);

    proxy[failure]();
    // Until the breaker opens, turns wait for their deadline; each is still answered.
    while (circuitOf(store)?.state === 'closed') {
      const { ctx, answered } = await say(user, 'what would you recommend?');
      expect(answered).toBe(true);
      expect(ctx.degraded).toBe(true);
    }
    expect(log).toEqual(['attune: the store keeps failing; circuit open: calls skip it (turns run unpersonalized) until a probe answers']);

    // Open: turns do not reach Redis at all, and are answered unpersonalized.
    proxy.resetCommands();
    for (let i = 0; i < 20; i++) {
      const { ctx, answered } = await say(user, 'anything for me?');
      expect(answered).toBe(true);
      expect(ctx.degraded).toBe(true);
      expect(ctx.personalization.firstVisit).toBe(true);
      expect(ctx.personalization.profile.counts).toEqual({});
      expect(ctx.sent.at(-1)?.recommendations ?? []).toEqual([]);
    }
    expect(turnCommands()).toEqual([]);
    expect(circuitOf(store)?.skipped).toBeGreaterThanOrEqual(20);

    // Back: a probe closes the circuit, and the next turn reads what was stored before.
    proxy.restore();
    await until('the circuit closes', () => circuitOf(store)?.state === 'closed', 20_000);
    expect(log.at(-1)).toBe('attune: the store answers again; circuit closed: personalization resumes');
    const after = await say(user, 'and now?');
    expect(after.ctx.degraded).toBe(false);
    expect(after.ctx.personalization.firstVisit).toBe(false);
    expect(after.ctx.personalization.profile.affinities.running).toBeGreaterThan(0);
    // And it was written: the degraded turns were not, this one was.
    expect((await attune.profile(user))?.counts.messages).toBe(2);
  });

  test('REST-style ingestion fails fast with a StoreError while the circuit is open, and works again after', async () => {
    proxy.cut();
    await until('the circuit opens', async () => {
      await attune.track({ userId: 'shopper', event: 'Product Viewed', properties: { product_id: 'run-0001' } }).catch(() => undefined);
      return circuitOf(store)?.state !== 'closed';
    });
    await expect(attune.track({ userId: 'shopper', event: 'Product Viewed', properties: { product_id: 'run-0001' } })).rejects.toMatchObject({ code: 'store' });
    proxy.restore();
    await until('the circuit closes', () => circuitOf(store)?.state === 'closed', 20_000);
    await expect(attune.track({ userId: 'shopper', event: 'Product Viewed', properties: { product_id: 'run-0001' } })).resolves.toMatchObject({ accepted: [expect.any(String)] });
  });
});
