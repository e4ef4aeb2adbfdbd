import fc from 'fast-check';
import { deepFreeze } from '../../src/core/frozen';
import { JsonMemo } from '../../src/store/json-memo';

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `p-${i}`, weight: i, at: '2026-11-29T10:00:00.000Z' }));

describe('JsonMemo', () => {
  test('stringifies a frozen value once, and gives its text back to parse as that same value', () => {
    const memo = new JsonMemo();
    const value = deepFreeze(items(10));
    const spy = jest.spyOn(JSON, 'stringify');
    const text = memo.stringify(value);
    const calls = spy.mock.calls.length;
    expect(memo.stringify(value)).toBe(text);
    expect(spy).toHaveBeenCalledTimes(calls);
    spy.mockRestore();
    expect(text).toBe(JSON.stringify(value));
    expect(memo.parse(text)).toBe(value);
  });

  test('a list or record of frozen objects is joined from its elements, spelled exactly as JSON.stringify spells it', () => {
    const memo = new JsonMemo();
    const before = deepFreeze(items(50));
    memo.stringify(before);
    const spy = jest.spyOn(JSON, 'stringify');
    // The next profile's recent items: one new in front, the others those of the one before.
    const after = deepFreeze([{ id: 'p-new', weight: 1, at: '2026-11-29T11:00:00.000Z' }, ...before.slice(0, 49)]);
    const text = memo.stringify(after);
    expect(spy.mock.calls.length).toBeLessThan(5);
    spy.mockRestore();
    expect(text).toBe(JSON.stringify(after));
    const recent = deepFreeze({ 'Product Viewed': [1, 2, 3], __proto__: [4], '1': [5], b: [] });
    expect(memo.stringify(recent)).toBe(JSON.stringify(recent));
  });

  test('gives JSON.stringify of any frozen JSON value, its parts shared with values stringified before or not', () => {
    const odd = fc.oneof(fc.constant(new Date(0)), fc.constant(undefined), fc.constant({ toJSON: (key: string) => `key ${key}` }), fc.constant(Object.create({ inherited: 1 }) as object));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 1 }), odd, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 4 }), tie('node'), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 }), (values, picks) => {
        const memo = new JsonMemo();
        const frozen = values.map((v) => deepFreeze(v));
        for (const v of frozen) expect(memo.stringify(v)).toBe(JSON.stringify(v));
        // New lists and records of parts already stringified, as a profile rebuilt from the last one is.
        const list = deepFreeze(picks.map((i) => frozen[i % frozen.length]));
        expect(memo.stringify(list)).toBe(JSON.stringify(list));
        const record = deepFreeze(Object.fromEntries(picks.map((i, j) => [`k${j % 3}`, frozen[i % frozen.length]])));
        expect(memo.stringify(record)).toBe(JSON.stringify(record));
      }),
      { numRuns: 300 },
    );
  });

  test('a value that is not frozen is stringified afresh each time: it may have changed', () => {
    const memo = new JsonMemo();
    const value = { list: items(10) };
    const before = memo.stringify(value);
    value.list.push({ id: 'p-x', weight: 1, at: 'now' });
    expect(memo.stringify(value)).not.toBe(before);
    expect(memo.stringify(value)).toBe(JSON.stringify(value));
  });

  test('parses to frozen values, and a long text read twice to the same one', () => {
    const memo = new JsonMemo();
    const text = JSON.stringify(items(10));
    const a = memo.parse(text) as { id: string }[];
    expect(Object.isFrozen(a) && Object.isFrozen(a[0])).toBe(true);
    expect(memo.parse(`${text}`)).toBe(a);
    expect(memo.stringify(a)).toBe(text);
    // Short texts are parsed each time (cheaper than remembering), still frozen.
    const short = memo.parse('{"a":1}');
    expect(Object.isFrozen(short)).toBe(true);
    expect(memo.parse('{"a":1}')).not.toBe(short);
    expect(memo.parse('{"a":1}')).toEqual(short);
  });

  test('a text stringified only to be encrypted is remembered for its value, never handed to parse', () => {
    const memo = new JsonMemo();
    const value = deepFreeze(items(10));
    const text = memo.stringify(value, false);
    expect(text).toBe(JSON.stringify(value));
    expect(memo.stringify(value)).toBe(text);
    // Parsed afresh: the text was not remembered as a way back to the value.
    const parsed = memo.parse(text);
    expect(parsed).not.toBe(value);
    expect(parsed).toEqual(value);
  });

  test('remembers a bounded number of texts, dropping the oldest', () => {
    const memo = new JsonMemo(2);
    const texts = [1, 2, 3].map((n) => JSON.stringify({ n, items: items(5) }));
    const first = memo.parse(texts[0]);
    memo.parse(texts[1]);
    expect(memo.parse(texts[0])).toBe(first);
    memo.parse(texts[2]);
    expect(memo.parse(texts[0])).not.toBe(first);
    expect(memo.parse(texts[0])).toEqual(first);
  });
});
