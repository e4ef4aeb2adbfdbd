import { deepFreeze } from '../../src/core/frozen';
import { JsonMemo } from '../../src/store/json-memo';

const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `p-${i}`, weight: i, at: '2026-11-29T10:00:00.000Z' }));

describe('JsonMemo', () => {
  test('stringifies a frozen value once, and gives its text back to parse as that same value', () => {
    const memo = new JsonMemo();
    const value = deepFreeze(items(10));
    const spy = jest.spyOn(JSON, 'stringify');
    const text = memo.stringify(value);
    expect(memo.stringify(value)).toBe(text);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(text).toBe(JSON.stringify(value));
    expect(memo.parse(text)).toBe(value);
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
