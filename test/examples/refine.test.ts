import { describeFilter, nextFilter, parseRefinement } from '../../examples/ecommerce/refine';

const vocabulary = { categories: ['running', 'yoga', 'camping'], tags: ['shoes', 'mat', 'trail', 'tent'] };
const parse = (text: string) => parseRefinement(text, vocabulary);

describe("the shop bot's refinements", () => {
  test.each([
    ['under 30 dollars', { maxPrice: 30 }],
    ['anything below $45.50?', { maxPrice: 45.5 }],
    ['30 euros or less', { maxPrice: 30 }],
    ['between 20 and 50', { minPrice: 20, maxPrice: 50 }],
    ['from $50 to $20', { minPrice: 20, maxPrice: 50 }],
    ['20-40 dollars', { minPrice: 20, maxPrice: 40 }],
    ['over 100', { minPrice: 100 }],
    ['show me cheaper ones', { cheaper: true }],
    ['that is too expensive', { cheaper: true }],
    ['yoga instead', { category: 'yoga' }],
    ['show me running shoes', { category: 'running', tags: ['shoes'] }],
    ['a tent for camping under 200', { maxPrice: 200, category: 'camping', tags: ['tent'] }],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  test('plain chat is not a refinement', () => {
    for (const text of ['hi', 'what would you recommend?', 'thanks!', 'I am 30 years old']) expect(parse(text)).toBeUndefined();
  });

  test('cheaper means below the cheapest item shown; a new category starts over; bounds replace', () => {
    const shoes = nextFilter(undefined, { category: 'running', tags: ['shoes'] }, []);
    expect(shoes).toEqual({ categories: ['running'], tags: ['shoes'] });
    expect(nextFilter(shoes, { cheaper: true }, [77.46, 92.34, 101.83])).toEqual({ categories: ['running'], tags: ['shoes'], maxPrice: 77.45 });
    expect(nextFilter({ ...shoes, maxPrice: 77.45 }, { maxPrice: 30 }, [70])).toEqual({ categories: ['running'], tags: ['shoes'], maxPrice: 30 });
    expect(nextFilter({ ...shoes, maxPrice: 30 }, { category: 'yoga' }, [])).toEqual({ categories: ['yoga'], maxPrice: 30 });
    expect(describeFilter({ categories: ['running'], tags: ['shoes'], maxPrice: 30 })).toBe('running shoes under 30.00');
    expect(describeFilter({ minPrice: 20, maxPrice: 40 })).toBe('picks from 20.00 to 40.00');
  });
});
