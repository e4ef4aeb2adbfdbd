import { Catalog } from '../../src/core/catalog';
import { ValidationError } from '../../src/core/errors';
import { smallCatalog } from '../support/catalog';

describe('Catalog', () => {
  test('indexes items by id and category, keeping catalog order', () => {
    const catalog = Catalog.from(smallCatalog());
    expect(catalog.size).toBe(18);
    expect(catalog.get('yoga-2')).toMatchObject({ id: 'yoga-2', category: 'yoga', price: 20 });
    expect(catalog.get('nope')).toBeUndefined();
    expect(catalog.byCategory('camping').map((i) => i.id)).toEqual(['camping-1', 'camping-2', 'camping-3', 'camping-4', 'camping-5', 'camping-6']);
    expect(catalog.byCategory('unknown')).toEqual([]);
    expect(catalog.categoryNames()).toEqual(['running', 'yoga', 'camping']);
    expect(catalog.all()[0].id).toBe('running-1');
  });

  test('an item\'s tags are one set, built once, and a later item with the same id brings its own', () => {
    const catalog = Catalog.from([
      { id: 'a', title: 'A', category: 'c', tags: ['x', 'y'] },
      { id: 'b', title: 'B', category: 'c', tags: ['x', 'x', 'z'] },
      { id: 'b', title: 'B2', category: 'c', tags: ['w'] },
      { id: 'n', title: 'N', category: 'c' },
    ]);
    expect(catalog.tagSet('a')).toEqual(new Set(['x', 'y']));
    expect(catalog.tagSet('a')).toBe(catalog.tagSet('a'));
    expect(catalog.tagSet('b')).toEqual(new Set(['w']));
    expect(catalog.tagSet('n')).toBeUndefined();
    expect(catalog.tagSet('unknown')).toBeUndefined();
  });

  test('description defaults to empty', () => {
    expect(Catalog.from([{ id: 'a', title: 'A', category: 'c' }]).get('a')?.description).toBe('');
  });

  test('a later item with the same id replaces the earlier one everywhere', () => {
    const catalog = Catalog.from([
      { id: 'a', title: 'A', category: 'old' },
      { id: 'a', title: 'A2', category: 'new' },
    ]);
    expect(catalog.size).toBe(1);
    expect(catalog.get('a')?.title).toBe('A2');
    expect(catalog.byCategory('old')).toEqual([]);
    expect(catalog.categoryNames()).toEqual(['new']);
  });

  test('invalid items are rejected with the path of each problem', () => {
    let err: unknown;
    try {
      Catalog.from([{ id: 'ok', title: 'OK', category: 'c' }, { id: '', title: 'X', category: 'c', price: -1 }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const paths = (err as ValidationError).issues.map((i) => i.path.join('.'));
    expect(paths.sort()).toEqual(['1.id', '1.price']);
    expect((err as ValidationError).message).toMatch(/^invalid catalog: 1\.(id|price): /);
    expect(() => Catalog.from({ items: [] })).toThrow(ValidationError);
  });

  test('the empty catalog has nothing', () => {
    const empty = Catalog.empty();
    expect(empty.size).toBe(0);
    expect(empty.all()).toEqual([]);
    expect(empty.categoryNames()).toEqual([]);
  });
});
