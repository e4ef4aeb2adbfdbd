import { z } from 'zod';
import { AttuneError, formatIssues, NotFoundError, StoreError, ValidationError } from '../../src/core/errors';
import { jsonIssue, parse, withinBounds } from '../../src/core/validate';

const Schema = z.object({ name: z.string(), tags: z.array(z.string()) });

describe('parse', () => {
  test('returns the parsed value when it matches', () => {
    expect(parse(Schema, { name: 'a', tags: ['x'] })).toEqual({ name: 'a', tags: ['x'] });
  });

  test('a failure becomes a ValidationError naming each offending path', () => {
    let err: unknown;
    try {
      parse(Schema, { name: 1, tags: ['x', 2] }, 'config');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).toBeInstanceOf(AttuneError);
    const v = err as ValidationError;
    expect(v.code).toBe('invalid_argument');
    expect(v.name).toBe('ValidationError');
    expect(v.issues.map((i) => i.path)).toEqual([['name'], ['tags', 1]]);
    expect(v.message).toMatch(/^invalid config: name: .+; tags\.1: .+$/);
  });

  test('a problem with the whole input is reported at (root)', () => {
    expect(() => parse(Schema, 'nope')).toThrow(/^invalid input: \(root\): /);
  });
});

describe('errors', () => {
  test('formatIssues joins path and message', () => {
    expect(formatIssues([{ path: ['batch', 3, 'timestamp'], message: 'bad' }, { path: [], message: 'worse' }])).toBe('batch.3.timestamp: bad; (root): worse');
  });

  test('a ValidationError without issues keeps its message as is', () => {
    expect(new ValidationError('nope').message).toBe('nope');
  });

  test('each class has a stable code, and a store error keeps its cause', () => {
    const cause = new Error('socket closed');
    const store = new StoreError('write failed', cause);
    expect([store.code, store.cause, store.name]).toEqual(['store', cause, 'StoreError']);
    expect(new NotFoundError('user u1')).toMatchObject({ code: 'not_found', message: 'user u1 not found' });
  });
});

describe('jsonIssue', () => {
  const bounds = { depth: 4, size: 1000 };

  test('a value within bounds has no issue; nesting, size and __proto__ keys are found where they are', () => {
    expect(jsonIssue({ a: [1, { b: 'x' }], c: null }, bounds)).toBeUndefined();
    expect(jsonIssue({ a: [[[[1]]]] }, bounds)).toEqual({ path: ['a', 0, 0, 0], message: 'nested deeper than 4 levels' });
    expect(jsonIssue({ a: 'x'.repeat(2000) }, bounds)).toEqual({ path: [], message: 'larger than 1000 characters as JSON' });
    expect(jsonIssue(JSON.parse('{"a":[{"__proto__":{"polluted":true}}]}'), bounds)).toEqual({ path: ['a', 0, '__proto__'], message: 'the key __proto__ is not allowed' });
    expect(jsonIssue({ constructor: 1, toString: 'x' }, bounds)).toBeUndefined();
  });

  test('a value nested 200,000 levels deep is refused, without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`) as unknown;
    expect(jsonIssue(deep, { depth: 32, size: Number.POSITIVE_INFINITY })?.message).toBe('nested deeper than 32 levels');
  });

  test('withinBounds reports the issue through zod at its path', () => {
    const Schema = z.object({ p: z.record(z.string(), z.unknown()).superRefine(withinBounds(bounds)) });
    expect(() => parse(Schema, { p: { a: [[[[1]]]] } })).toThrow('invalid input: p.a.0.0.0: nested deeper than 4 levels');
  });
});
