import { createAttune } from '../../index';
import type { Turn } from '../../src/core/turn';
import type { Attune } from '../../src/engine/attune';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';

/** The texts of the replies `texts` become through the pipeline, in one turn. */
async function oneTurn(attune: Attune, over: Partial<Turn>, texts: string[]): Promise<string[]> {
  const turn: Turn = { id: `t-${Math.random()}`, userId: 'u1', sessionId: 's1', channel: 'test', kind: 'message', text: 'hello', signals: {}, timestamp: new Date().toISOString(), ...over };
  const out: string[] = [];
  await attune.handle(turn, async (ctx) => {
    for (const text of texts) out.push(ctx.reply({ text }).text ?? '');
  });
  return out;
}

describe('the tone stage', () => {
  let attune: Attune;
  afterEach(async () => {
    await attune.close();
  });

  it('says the empathetic prefix once per turn, not on every message', async () => {
    attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog() });
    const [first, second] = await oneTurn(attune, { text: 'This is terrible, my order is broken and late!!' }, ['Let me look at your order for you.', 'Here is what I found for you.']);
    expect(first).toBe('I understand, and I am here to help. Let me look at your order for you.');
    expect(second).toBe('Here is what I found for you.');
  });

  it('fills {name} from the channel only with consent to personalization', async () => {
    const first = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), tones: { friendly: { greeting: 'Hey {name}!' } } });
    expect(await oneTurn(first, { userId: 'ann', sessionId: 'a', userName: 'Ann Smith' }, ['Here are some picks for you.'])).toEqual(['Hey Ann! Here are some picks for you.']);
    await first.close();
    // Without consent: no segment tone either (so no greeting), and never the name.
    const tone = { defaultTone: 'friendly' as const };
    attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), tones: { friendly: { greeting: 'Hey {name}!' } }, ...tone });
    await attune.setConsent('bob', { personalization: false });
    expect(await oneTurn(attune, { userId: 'bob', sessionId: 'b', userName: 'Bob Jones' }, ['Here are some picks for you.'])).toEqual(['Hey! Here are some picks for you.']);
  });

  it('greets a German reply in German, and leaves a reply in a language it cannot tell alone', async () => {
    attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog() });
    expect(await oneTurn(attune, { userId: 'de', sessionId: 'de', userName: 'Jörg', signals: { locale: 'de-DE' } }, ['Hier sind einige Vorschläge für Sie.'])).toEqual(['Willkommen, Jörg! 👋 Hier sind einige Vorschläge für Sie.']);
    expect(await oneTurn(attune, { userId: 'nl', sessionId: 'nl', signals: { locale: 'nl-NL' } }, ['Hier zijn enkele suggesties voor jou.'])).toEqual(['Hier zijn enkele suggesties voor jou.']);
  });
});
