import { createAttune } from '../../../index';
import { ValidationError } from '../../../src/core/errors';
import type { Attune } from '../../../src/engine/attune';
import { acceptDiscovery, loadDiscovery, loadLiveSegmentation, saveDiscovery } from '../../../src/segments/discover/artifact';
import { discoverSegments } from '../../../src/segments/discover/discover';
import { Segments } from '../../../src/segments/segments';
import { type Backend, backends } from '../../support/backends';
import { FEATURES, NOW, population } from './population';

/*
 * From discovery to live segments, on each store: the result is saved as a version, an
 * operator names and accepts it, and from then on every event and turn puts the user in the
 * segment of the nearest centroid, with Segment Entered / Exited as rule segments have.
 */

describe.each(backends())('discovered segments, live, on %s', (_name, make) => {
  let b: Backend;
  let attune: Attune | undefined;
  afterEach(async () => {
    await attune?.close().catch(() => undefined);
    attune = undefined;
    await b.close();
  });

  async function accepted() {
    b = make();
    const { profiles, planted } = population(7);
    const d = discoverSegments(profiles, { features: FEATURES, nowMs: NOW, seed: 5 });
    const clusterOf = (group: number) => d.assignments[planted.indexOf(group)];
    const version = await saveDiscovery(b.store, d, NOW);
    expect(version).toBe(1);
    expect(await saveDiscovery(b.store, d, NOW)).toBe(2);
    const names = { [clusterOf(0)]: { id: 'big-spenders-found' }, [clusterOf(1)]: { id: 'yoga-chatters', name: 'Yoga chatters' }, [clusterOf(2)]: { id: 'camping-buyers' } };
    await acceptDiscovery(b.store, version, names, NOW);
    const live = await loadLiveSegmentation(b.store);
    expect(live?.segments.map((s) => s.id).sort()).toEqual(['big-spenders-found', 'camping-buyers', 'yoga-chatters']);
    expect(live?.segments.find((s) => s.id === 'yoga-chatters')?.name).toBe('Yoga chatters');
    return live ?? undefined;
  }

  const segmentEvents = async (a: Attune, userId: string) =>
    (await a.export(userId)).events.filter((e) => e.event === 'Segment Entered' || e.event === 'Segment Exited').map((e) => `${e.event === 'Segment Entered' ? '+' : '-'}${String(e.properties.segment)}`);

  it('assigns users to the nearest centroid as their events arrive, with entries and exits', async () => {
    const live = await accepted();
    const a = (attune = createAttune({ store: b.store, idKeys: false, clock: () => NOW, segments: [], discoveredSegments: live }));
    await a.identify({ userId: 'c1', traits: { loyalty: 2 } });
    await a.batch({ batch: Array.from({ length: 15 }, (_, i) => ({ type: 'track', userId: 'c1', messageId: `v${i}`, event: 'Product Viewed', properties: { category: 'camping' } })) });
    expect(await a.segmentsOf('c1')).toEqual(['camping-buyers']);

    await a.batch({ batch: Array.from({ length: 12 }, (_, i) => ({ type: 'track', userId: 'c1', messageId: `o${i}`, event: 'Order Completed', properties: { revenue: 200 } })) });
    await a.identify({ userId: 'c1', traits: { loyalty: 9 } });
    expect(await a.segmentsOf('c1')).toEqual(['big-spenders-found']);
    expect(await segmentEvents(a, 'c1')).toEqual(['+camping-buyers', '+big-spenders-found', '-camping-buyers']);
  });

  it('assigns on turns too, and a user with nothing known yet to none', async () => {
    const live = await accepted();
    const a = (attune = createAttune({ store: b.store, idKeys: false, clock: () => NOW, segments: [], discoveredSegments: live }));
    const r = await a.turn({ userId: 't1', text: 'hello there' });
    expect(r.segments).toHaveLength(1);
    expect(['big-spenders-found', 'camping-buyers', 'yoga-chatters']).toContain(r.segments[0]);
    await a.flush();
    expect(await segmentEvents(a, 't1')).toEqual([`+${r.segments[0]}`]);
    // Counters and affinities are never unknown (zero until they tick); a trait not told yet is.
    const profile = await a.profile('t1');
    const scaler = { scaling: 'minmax' as const, imputation: 'median' as const, fill: [5], offset: [0], factor: [10] };
    const byLoyalty = new Segments([], { discovered: { kind: 'attune.segments.live', from: 1, acceptedAt: '', features: ['traits.loyalty'], scaler, segments: [{ id: 'low', name: 'Low', centroid: [0.1] }, { id: 'high', name: 'High', centroid: [0.9] }] } });
    expect(profile && byLoyalty.evaluate(profile, [], NOW).segments).toEqual([]);
    expect(profile && byLoyalty.evaluate({ ...profile, traits: { loyalty: 8 } }, ['low'], NOW)).toEqual({ segments: ['high'], entered: ['high'], exited: ['low'] });
  });

  it('refuses an acceptance that leaves a cluster unnamed, repeats an id or names one that is not there', async () => {
    b = make();
    const { profiles } = population(7);
    const version = await saveDiscovery(b.store, discoverSegments(profiles, { features: FEATURES, nowMs: NOW }), NOW);
    const { discovery } = await loadDiscovery(b.store, version);
    expect(discovery.clusters).toHaveLength(3);
    await expect(acceptDiscovery(b.store, version, { 0: { id: 'a' }, 1: { id: 'b' } }, NOW)).rejects.toThrow(/names\.2/);
    await expect(acceptDiscovery(b.store, version, { 0: { id: 'a' }, 1: { id: 'a' }, 2: { id: 'c' } }, NOW)).rejects.toThrow(/given twice/);
    await expect(acceptDiscovery(b.store, version, { 0: { id: 'a' }, 1: { id: 'b' }, 2: { id: 'c' }, 5: { id: 'd' } }, NOW)).rejects.toThrow(ValidationError);
    await expect(acceptDiscovery(b.store, 9, { 0: { id: 'a' } }, NOW)).rejects.toThrow(/not found/);
    expect(await loadLiveSegmentation(b.store)).toBeNull();
    expect(() => new Segments([{ id: 'a', rule: { field: 'orders', op: 'gte', value: 1 } }], { discovered: { kind: 'attune.segments.live', from: 1, acceptedAt: '', features: ['orders'], scaler: discovery.scaler, segments: [{ id: 'a', name: 'A', centroid: [0] }, { id: 'b', name: 'B', centroid: [1] }] } })).toThrow(/a rule segment has this id/);
  });
});
