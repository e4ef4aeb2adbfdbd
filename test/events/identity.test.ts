import { createAttune } from '../../index';
import type { Attune } from '../../src/engine/attune';
import { type Backend, backends } from '../support/backends';
import { smallCatalog } from '../support/catalog';

/**
 * Identity resolution: a visitor who browsed or chatted anonymously and then logs in keeps
 * their history: identify with both ids, or alias, moves the anonymous profile, events and
 * segments to the user; consent takes the stricter decision; erasing the user erases it all.
 */
describe.each(backends())('identity resolution on %s', (_name, make) => {
  let b: Backend;
  let attune: Attune;
  beforeEach(() => {
    b = make();
    attune = createAttune({ store: b.store, catalog: smallCatalog() });
  });
  afterEach(async () => {
    await attune.close().catch(() => undefined);
    await b.close();
  });

  async function browseAnonymously(anon: string) {
    await attune.track({ anonymousId: anon, event: 'Product Viewed', properties: { product_id: 'camping-1' } });
    await attune.track({ anonymousId: anon, event: 'Product Viewed', properties: { product_id: 'camping-2' } });
    await attune.turn({ userId: anon, text: 'do you have a tent?' });
    await attune.flush();
  }

  it('identify with anonymousId and userId moves the visitor’s profile, events and segments to the user', async () => {
    await browseAnonymously('anon-1');
    await attune.track({ userId: 'user-9', event: 'Product Viewed', properties: { product_id: 'yoga-1' } });
    const anonEvents = (await attune.export('anon-1')).events.length;
    expect(anonEvents).toBeGreaterThanOrEqual(3);

    await attune.identify({ userId: 'user-9', anonymousId: 'anon-1', traits: { plan: 'gold' } });
    const profile = await attune.profile('user-9');
    expect(profile?.counts['Product Viewed']).toBe(3);
    expect(profile?.counts.turns).toBe(1);
    expect(profile?.affinities.camping).toBeGreaterThan(profile?.affinities.yoga ?? 0);
    expect(profile?.traits.plan).toBe('gold');
    const exported = await attune.export('user-9');
    expect(exported.events.filter((e) => e.event === 'Product Viewed').map((e) => e.properties.product_id).sort()).toEqual(['camping-1', 'camping-2', 'yoga-1']);
    expect(exported.segments.length).toBeGreaterThan(0);
    expect(await attune.export('anon-1')).toMatchObject({ profile: null, events: [], segments: [] });
    // The merged history steers recommendations.
    expect((await attune.recommend('user-9', { k: 1 }))[0].item?.category).toBe('camping');
  });

  it('alias from previousId does the same', async () => {
    await browseAnonymously('anon-2');
    await attune.alias({ previousId: 'anon-2', userId: 'user-10' });
    expect((await attune.profile('user-10'))?.counts['Product Viewed']).toBe(2);
    expect(await attune.profile('anon-2')).toBeNull();
  });

  it('consent takes the stricter decision: analytics refused while anonymous stays refused, and the visitor’s events are not logged under the user', async () => {
    await attune.identify({ anonymousId: 'anon-3', traits: { consent: { analytics: false } } });
    await attune.track({ anonymousId: 'anon-3', event: 'Product Viewed', properties: { product_id: 'camping-3' } });
    await attune.identify({ userId: 'user-11', traits: { consent: { analytics: true } } });
    await attune.identify({ userId: 'user-11', anonymousId: 'anon-3' });
    const profile = await attune.profile('user-11');
    expect(profile?.consent).toMatchObject({ analytics: false });
    expect((await attune.export('user-11')).events.filter((e) => e.properties.product_id === 'camping-3')).toEqual([]);
  });

  it('erasing the user erases what was merged from the anonymous visitor too', async () => {
    await browseAnonymously('anon-4');
    await attune.identify({ userId: 'user-12', anonymousId: 'anon-4' });
    await attune.erase('user-12');
    expect(await attune.export('user-12')).toMatchObject({ profile: null, events: [], sessions: [] });
    expect(await attune.export('anon-4')).toMatchObject({ profile: null, events: [] });
    const raw = await b.raw();
    expect(raw).not.toContain(attune.userKey('user-12'));
    expect(raw).not.toContain(attune.userKey('anon-4'));
  });
});
