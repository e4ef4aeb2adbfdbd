import { ConfigError } from '../../../src/core/errors';
import { sensitivityPolicy } from '../../../src/fairness/review';

describe('sensitivityPolicy', () => {
  const policy = sensitivityPolicy({ items: ['sku-42'], categories: ['Pharmacy'], tags: ['adult'] });

  test('matches by item id, then category, then tag, and names the rule', () => {
    expect(policy.match({ id: 'sku-42', category: 'pharmacy', tags: ['adult'] })).toBe('item');
    expect(policy.match({ id: 'p1', category: 'pharmacy' })).toBe('category:pharmacy');
    expect(policy.match({ id: 'p2', category: 'books', tags: ['new', 'ADULT'] })).toBe('tag:adult');
    expect(policy.match({ id: 'p3', category: 'books', tags: ['new'] })).toBeUndefined();
    expect(policy.match({ id: 'SKU-42' })).toBeUndefined();
  });

  test('refuses bad or empty config with a ConfigError naming the problem', () => {
    expect(() => sensitivityPolicy({})).toThrow(ConfigError);
    expect(() => sensitivityPolicy({ tags: [''] })).toThrow(/tags\.0/);
    expect(() => sensitivityPolicy({ category: ['x'] })).toThrow(ConfigError);
  });
});
