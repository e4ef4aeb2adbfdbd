import type { Recommendation } from '../../src/core/personalization';
import { ListCache } from '../../src/recommend/list-cache';
import { listIdentity } from '../../src/recommend/list-identity';

const list = (id: string) => [{ itemId: id, score: 1, reason: 'popular' }] as unknown as Recommendation[];

describe('listIdentity: which remembered list an answer is a copy of', () => {
  it('is one for every copy of one entry, another for a new entry, and none for a list the cache never saw', () => {
    const cache = new ListCache({ clock: () => 0 });
    const computed = list('a');
    cache.set('k', computed);
    const first = cache.get('k')!.list;
    const second = cache.get('k')!.list;
    expect(first).not.toBe(second);
    expect(listIdentity(first)).toBeDefined();
    expect(listIdentity(second)).toBe(listIdentity(first));
    // The list that was computed is the same entry's answer.
    expect(listIdentity(computed)).toBe(listIdentity(first));
    cache.invalidate();
    cache.set('k', list('a'));
    expect(listIdentity(cache.get('k')!.list)).not.toBe(listIdentity(first));
    expect(listIdentity(list('a'))).toBeUndefined();
  });
});
