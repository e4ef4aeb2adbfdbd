import { Catalog } from '../../src/core/catalog';
import { createMentionMatcher, tokens } from '../../src/profiles/mentions';
import { smallCatalog } from '../support/catalog';

const matcher = createMentionMatcher(Catalog.from(smallCatalog()));
const found = (text: string) => Object.fromEntries(matcher.categories(text));

describe('tokens', () => {
  test('lower-cases, splits on non-letters and drops a plural s', () => {
    expect(tokens('Running SHOES, tents & mats!')).toEqual(['running', 'shoe', 'tent', 'mat']);
    expect(tokens('batteries glass bus')).toEqual(['battery', 'glass', 'bus']);
    expect(tokens('Größe 42')).toEqual(['größe', '42']);
  });
});

describe('createMentionMatcher', () => {
  test('"running shoes" counts as interest in running, by name and by tag', () => {
    expect(found('Do you have running shoes?')).toEqual({ running: 2 });
  });

  test('tags lead to their category, plurals included', () => {
    expect(found('I need a tent and two sleeping bags')).toEqual({ camping: 3 });
    expect(found('yoga mats please')).toEqual({ yoga: 2 });
  });

  test('several categories in one message', () => {
    expect(found('marathon training and meditation')).toEqual({ running: 1, yoga: 1 });
  });

  test('a message about nothing in the catalog finds nothing', () => {
    expect(found('what are your opening hours?')).toEqual({});
    expect(found('')).toEqual({});
  });

  test('generic tags spread over categories, stop words and short tags point nowhere', () => {
    const catalog = Catalog.from([
      { id: 'r1', title: 'R1', category: 'running', tags: ['sale', 'shoes', 'gear', 'xl'] },
      { id: 'r2', title: 'R2', category: 'running', tags: ['sale'] },
      { id: 'y1', title: 'Y1', category: 'yoga', tags: ['sale', 'mat'] },
      { id: 'y2', title: 'Y2', category: 'yoga', tags: ['sale'] },
    ]);
    const m = createMentionMatcher(catalog);
    expect(Object.fromEntries(m.categories('anything on sale? gear in xl?'))).toEqual({});
    expect(Object.fromEntries(m.categories('shoes or a mat'))).toEqual({ running: 1, yoga: 1 });
  });

  test('a tag used mostly (60%) in one category points there', () => {
    const item = (id: string, category: string) => ({ id, title: id, category, tags: ['outdoor'] });
    const mostly = createMentionMatcher(Catalog.from([item('a', 'camping'), item('b', 'camping'), item('c', 'camping'), item('d', 'running'), item('e', 'running')]));
    expect(Object.fromEntries(mostly.categories('outdoor'))).toEqual({ camping: 1 });
    const split = createMentionMatcher(Catalog.from([item('a', 'camping'), item('b', 'camping'), item('d', 'running'), item('e', 'running')]));
    expect(Object.fromEntries(split.categories('outdoor'))).toEqual({});
  });

  test('a category name wins over a tag that points elsewhere', () => {
    const catalog = Catalog.from([
      { id: 'a', title: 'A', category: 'tent', tags: [] },
      { id: 'b', title: 'B', category: 'camping', tags: ['tents'] },
    ]);
    expect(Object.fromEntries(createMentionMatcher(catalog).categories('tents'))).toEqual({ tent: 1 });
  });

  test('an empty catalog matches nothing', () => {
    expect(createMentionMatcher(Catalog.empty()).categories('running shoes').size).toBe(0);
  });
});
