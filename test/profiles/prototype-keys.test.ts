import { createAttune } from '../../index';
import { normalizeEvent } from '../../src/core/event';
import { applyEvent, applyTurn } from '../../src/profiles/update';
import { evaluateRule } from '../../src/segments/rule';
import { backends } from '../support/backends';
import { smallCatalog } from '../support/catalog';
import { chatWith } from '../support/chat';

/**
 * Event names, categories, product ids and trait names come from users and clients. Names
 * that Object.prototype already has must be counted like any other, and `__proto__` must be
 * stored as data, never replace a record's prototype.
 */
const NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];
const at = '2026-03-01T10:00:00.000Z';

function track(event: string, properties: Record<string, unknown> = {}) {
  return normalizeEvent({ type: 'track', userId: 'u1', event, properties, timestamp: at }, new Date(at));
}

describe('prototype keys in profiles', () => {
  it.each(NAMES)('an event named %s is counted as a number, twice over', (name) => {
    const p = applyEvent(applyEvent(null, track(name)), track(name));
    expect(Object.getOwnPropertyDescriptor(p.counts, name)?.value).toBe(2);
    expect(Object.getPrototypeOf(p.counts)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(p.recent, name)?.value).toHaveLength(2);
    expect(Object.getPrototypeOf(p.recent)).toBe(Object.prototype);
    for (const v of Object.values(p.counts)) expect(typeof v).toBe('number');
    // Round trip through JSON, as every store does, keeps the count.
    expect(Object.getOwnPropertyDescriptor(JSON.parse(JSON.stringify(p)).counts, name)?.value).toBe(2);
  });

  it('a segment rule on such an event counts it', () => {
    const p = applyEvent(applyEvent(null, track('toString')), track('toString'));
    expect(evaluateRule({ event: 'toString', min: 2 }, p, Date.parse(at))).toBe(true);
    expect(evaluateRule({ event: 'constructor', min: 1 }, p, Date.parse(at))).toBe(false);
  });

  it.each(NAMES)('a category or product id named %s is an affinity and a recent item like any other', (name) => {
    const p = applyEvent(null, track('Product Viewed', { product_id: name, category: name }));
    expect(Object.getOwnPropertyDescriptor(p.affinities, name)?.value).toBe(1);
    expect(Object.getPrototypeOf(p.affinities)).toBe(Object.prototype);
    expect(p.recentItems.map((r) => r.id)).toEqual([name]);
  });

  it('traits named __proto__ and constructor pollute nothing: the edge drops __proto__, the profile keeps the rest as data', () => {
    const traits = JSON.parse('{"__proto__": {"polluted": true}, "constructor": "x", "plan": "gold"}') as Record<string, unknown>;
    const p = applyEvent(null, normalizeEvent({ type: 'identify', userId: 'u1', traits, timestamp: at }, new Date(at)));
    expect(Object.getPrototypeOf(p.traits)).toBe(Object.prototype);
    expect(Object.keys(p.traits).sort()).toEqual(['constructor', 'plan']);
    // An event built in code, past the edge, may still carry an own __proto__: kept as data.
    const direct = { ...track('x'), type: 'identify' as const, traits };
    const q = applyEvent(null, direct);
    expect(Object.getPrototypeOf(q.traits)).toBe(Object.prototype);
    expect(Object.keys(q.traits).sort()).toEqual(['__proto__', 'constructor', 'plan']);
    expect((q.traits as { polluted?: unknown }).polluted).toBeUndefined();
    expect((p.traits as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('a turn signal named like a prototype key is context like any other', () => {
    const p = applyTurn(null, { id: 't', userId: 'u1', sessionId: 's', channel: 'test', kind: 'message', text: 'hi', signals: { toString: 'x' } as Record<string, string>, timestamp: at });
    expect(Object.getOwnPropertyDescriptor(p.context, 'toString')?.value).toBe('x');
  });
});

describe.each(backends())('prototype keys end to end on %s', (_name, make) => {
  it('events named after prototype keys never break a later turn or the counters', async () => {
    const b = make();
    const attune = createAttune({ store: b.store, catalog: smallCatalog(), idKeys: false });
    try {
      for (const name of NAMES) {
        const r = await attune.track({ userId: 'ann', event: name, properties: { product_id: name, category: name } });
        expect(r.accepted).toHaveLength(1);
      }
      await attune.track({ userId: 'ann', event: 'Product Viewed', properties: { product_id: '__proto__', category: 'constructor' } });
      const adapter = chatWith(attune, 'ann');
      await adapter.send('hello').assertReply((a) => expect(a.text).toMatch(/ok$/)).startTest();
      await attune.flush();
      const p = await attune.profile('ann');
      expect(p?.counts.turns).toBe(1);
      for (const name of NAMES) expect(Object.getOwnPropertyDescriptor(p?.counts, name)?.value).toBe(1);
      expect(Object.getOwnPropertyDescriptor(p?.affinities, 'constructor')?.value).toBeGreaterThan(0);
      expect(Object.getPrototypeOf(p?.counts)).toBe(Object.prototype);
      expect(await attune.recommend('ann', { k: 3 })).toHaveLength(3);
    } finally {
      await attune.close().catch(() => undefined);
      await b.close().catch(() => undefined);
    }
  });
});
