import { Popularity } from '../../src/recommend/models/pop';
import type { Interaction } from '../../src/recommend/recommender';
import { ConfigError } from '../../src/core/errors';

const DAY = 86_400_000;
const x = (user: string, item: string, time = 0, context?: Record<string, string>): Interaction => ({ user, item, weight: 1, time, context });

describe('Popularity', () => {
  test('ranks by count and serves users it never saw', () => {
    const m = new Popularity();
    m.fit({ interactions: [x('a', 'i1'), x('b', 'i1'), x('c', 'i2'), x('a', 'i3'), x('b', 'i3'), x('c', 'i3')] });
    expect(m.recommend('stranger', 2).map((r) => r.item)).toEqual(['i3', 'i1']);
    expect(m.knowsUser('a')).toBe(false);
  });

  test('excludes what a known user has seen unless asked not to', () => {
    const m = new Popularity();
    m.fit({ interactions: [x('a', 'i1'), x('b', 'i1'), x('a', 'i2')] });
    expect(m.recommend('a', 5)).toEqual([]);
    expect(m.recommend('a', 5, { excludeSeen: false }).map((r) => r.item)).toEqual(['i1', 'i2']);
    expect(m.recommend('b', 5).map((r) => r.item)).toEqual(['i2']);
  });

  test('time decay favours recent interactions', () => {
    const old = [x('a', 'old', 0), x('b', 'old', 0), x('c', 'old', 0)];
    const recent = [x('d', 'new', 100 * DAY), x('e', 'new', 100 * DAY)];
    const flat = new Popularity();
    flat.fit({ interactions: [...old, ...recent] });
    expect(flat.recommend('z', 1)[0].item).toBe('old');
    const decayed = new Popularity({ halfLifeDays: 30 });
    decayed.fit({ interactions: [...old, ...recent] });
    expect(decayed.recommend('z', 1)[0].item).toBe('new');
  });

  test('uses the most specific context with enough data, else global', () => {
    const data: Interaction[] = [];
    for (let n = 0; n < 30; n++) data.push(x(`g${n}`, 'global-hit', 0, { channel: 'web' }));
    for (let n = 0; n < 25; n++) data.push(x(`f${n}`, 'french-hit', 0, { locale: 'fr', channel: 'web' }));
    for (let n = 0; n < 3; n++) data.push(x(`t${n}`, 'tiny-hit', 0, { locale: 'xx', channel: 'web' }));
    const m = new Popularity({ minSupport: 20 });
    m.fit({ interactions: data });
    expect(m.recommend('z', 1)[0].item).toBe('global-hit');
    expect(m.recommend('z', 1, { context: { locale: 'fr', channel: 'web' } })[0].item).toBe('french-hit');
    expect(m.contextFor({ locale: 'fr', channel: 'web' })).toBe('locale=fr');
    // 3 interactions are not enough for locale=xx: channel=web (58) is used instead.
    expect(m.contextFor({ locale: 'xx', channel: 'web' })).toBe('channel=web');
    expect(m.contextFor({ locale: 'unknown' })).toBeUndefined();
    // A context fills up from global popularity when it has few items.
    expect(m.recommend('z', 3, { context: { locale: 'fr' } }).map((r) => r.item)).toEqual(['french-hit', 'global-hit', 'tiny-hit']);
  });

  test('rejects bad params', () => {
    expect(() => new Popularity({ halfLifeDays: -1 })).toThrow(ConfigError);
    expect(() => new Popularity({ nope: 1 })).toThrow(ConfigError);
  });
});
