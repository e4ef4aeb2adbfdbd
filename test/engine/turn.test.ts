import { createAttune } from '../../index';
import { ValidationError } from '../../src/core/errors';
import { MemoryStore } from '../../src/store/memory';
import { smallCatalog } from '../support/catalog';

/** attune.turn(): any bot's turn as plain data in, the personalization out. */
describe('attune.turn()', () => {
  it('personalizes from what the user says: recommendations, the draft in the tone, segments', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false });
    const first = await attune.turn({ userId: 'ann', text: 'hi', reply: 'Our shop is open.' });
    // New visitors are a segment with a friendly tone by default.
    expect(first).toMatchObject({ firstVisit: true, degraded: false, tone: 'friendly' });
    expect(first.reply?.text).toMatch(/^Welcome!.*shop is open/);
    await attune.turn({ userId: 'ann', text: 'I need camping gear, a tent' });
    await attune.flush();
    const later = await attune.turn({ userId: 'ann', text: 'what do you suggest?', reply: { text: 'Try these:', recommend: { k: 3 } } });
    expect(later.firstVisit).toBe(false);
    expect(later.reply?.recommendations?.map((r) => r.item?.category)).toEqual(['camping', 'camping', 'camping']);
    expect(later.recommendations[0].item?.category).toBe('camping');
  });

  it('rejects a malformed turn with a ValidationError naming the field', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog: smallCatalog(), idKeys: false });
    await expect(attune.turn({ userId: '' })).rejects.toThrow(ValidationError);
    await expect(attune.turn({ userId: 'u', locale: 42 } as never)).rejects.toThrow(/locale/);
    await expect(attune.turn({ userId: 'u', surprise: true } as never)).rejects.toThrow(/surprise|unrecognized/i);
  });
});
