import { backfill, interleaveByCategory } from '../../src/recommend/backfill';
import { explain, explanationLanguage } from '../../src/recommend/explain';
import { passesFilter, refineFilter } from '../../src/recommend/filter';

describe('explanations', () => {
  test('each reason in words, in the language of the locale', () => {
    expect(explain('model:als', { viewedTitle: 'Ember running shoes' })).toBe('because you viewed Ember running shoes');
    expect(explain('affinity:yoga')).toBe('because you showed interest in yoga');
    expect(explain('popular:locale=de-DE', { language: explanationLanguage('de-DE') })).toBe('beliebt in de-DE');
    expect(explain('popular', { language: 'es' })).toBe('popular entre otros clientes');
    expect(explain('catalog', { category: 'camping', language: 'fr' })).toBe('de notre gamme camping');
    expect(explanationLanguage('nl-NL')).toBe('en');
  });
});

describe('backfill', () => {
  test('takes sources in order, skipping what the list holds and what is not eligible, reading only as far as needed', () => {
    let read = 0;
    function* catalog() {
      for (const id of ['c1', 'c2', 'c3', 'c4']) {
        read++;
        yield id;
      }
    }
    const out = backfill(new Set(['p1']), 3, [{ reason: 'popular', items: ['p1', 'p2', 'x'] }, { reason: 'catalog', items: catalog() }], (id) => id !== 'x');
    expect(out).toEqual([{ itemId: 'p2', reason: 'popular' }, { itemId: 'c1', reason: 'catalog' }, { itemId: 'c2', reason: 'catalog' }]);
    expect(read).toBe(2);
  });

  test('the catalog order is a round-robin across categories', () => {
    const items = ['a1', 'a2', 'a3', 'b1', 'c1', 'c2'].map((id) => ({ id, title: id, category: id[0], description: '' }));
    expect(interleaveByCategory(items)).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
  });
});

describe('filters', () => {
  const item = { id: 'i', title: 'I', category: 'yoga', price: 25, description: '', tags: ['mat'] };
  test('every bound must hold; an item without a price fails a price bound', () => {
    expect(passesFilter(item, { maxPrice: 25, minPrice: 25, categories: ['yoga', 'running'], tags: ['mat'] })).toBe(true);
    expect(passesFilter(item, { maxPrice: 24.99 })).toBe(false);
    expect(passesFilter(item, { tags: ['tent'] })).toBe(false);
    expect(passesFilter({ ...item, price: undefined }, { maxPrice: 100 })).toBe(false);
    expect(passesFilter({ ...item, price: undefined }, { categories: ['yoga'] })).toBe(true);
  });
  test('a refinement tightens bounds and replaces categories', () => {
    expect(refineFilter({ maxPrice: 50, categories: ['running'] }, { maxPrice: 30, categories: ['yoga'] })).toEqual({ maxPrice: 30, categories: ['yoga'] });
    expect(refineFilter({ maxPrice: 20 }, { maxPrice: 30 })).toEqual({ maxPrice: 20 });
    expect(refineFilter(undefined, { tags: ['mat'] })).toEqual({ tags: ['mat'] });
  });
});
