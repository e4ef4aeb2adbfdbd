import { type Experiment, ExperimentSchema, type ExperimentInput, variantWeights } from '../../src/experiments/definition';
import { enroll, isRunning, isTargeted, type RunnableExperiment } from '../../src/experiments/enroll';

const metrics = { primary: [{ kind: 'conversion' as const }] };
const def = (input: Partial<ExperimentInput> & { id: string }): Experiment =>
  ExperimentSchema.parse({ variants: [{ id: 'control' }, { id: 'treatment', overrides: { k: 2 } }], metrics, ...input });
const runnable = (e: Experiment, weights = variantWeights(e)): RunnableExperiment => ({ experiment: e, weights });
const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
const NOW = Date.parse('2026-06-01T12:00:00Z');

describe('enroll: who is in which experiment on a turn', () => {
  it('runs an experiment only while it is running and between its dates', () => {
    const e = def({ id: 'dated', start: '2026-05-01T00:00:00Z', end: '2026-07-01T00:00:00Z' });
    expect(isRunning(e, NOW)).toBe(true);
    expect(isRunning(e, Date.parse('2026-04-30T23:59:59Z'))).toBe(false);
    expect(isRunning(e, Date.parse('2026-07-01T00:00:00Z'))).toBe(false);
    expect(isRunning({ ...e, status: 'stopped' }, NOW)).toBe(false);
    expect(isRunning({ ...e, status: 'draft' }, NOW)).toBe(false);
    expect(enroll([runnable(e)], { userId: 'u1', segments: [], now: Date.parse('2026-08-01T00:00:00Z') })).toEqual([]);
    expect(enroll([runnable(e)], { userId: 'u1', segments: [], now: NOW })).toHaveLength(1);
  });

  it('lets in only users of the targeted segments, and none of the excluded ones', () => {
    const e = def({ id: 'vip-only', targeting: { segments: ['vip', 'loyal'], excludeSegments: ['staff'] } });
    expect(isTargeted(e, ['vip'])).toBe(true);
    expect(isTargeted(e, ['loyal', 'new'])).toBe(true);
    expect(isTargeted(e, ['new'])).toBe(false);
    expect(isTargeted(e, ['vip', 'staff'])).toBe(false);
    expect(enroll([runnable(e)], { userId: 'u1', segments: ['new'], now: NOW })).toEqual([]);
    // Once enrolled, a user keeps their variant after leaving the segment.
    const [first] = enroll([runnable(e)], { userId: 'u1', segments: ['vip'], now: NOW });
    const later = enroll([runnable(e)], { userId: 'u1', segments: ['new'], now: NOW, stored: { 'vip-only': first.assignment } });
    expect(later.map((m) => m.variant.id)).toEqual([first.variant.id]);
    expect(later[0].changed).toBe(false);
  });

  it('keeps enrolled users in their variant when the weights change, and reshuffles only on a bucket version bump', () => {
    const e = def({ id: 'sticky' });
    const stored = new Map(users.map((u) => [u, enroll([runnable(e)], { userId: u, segments: [], now: NOW })[0].assignment]));
    const split = [...stored.values()].filter((a) => a.variant === 'treatment').length / users.length;
    expect(split).toBeGreaterThan(0.45);
    expect(split).toBeLessThan(0.55);
    // 90/10 now: nobody enrolled moves.
    const moved = users.filter((u) => enroll([runnable(e, [0.9, 0.1])], { userId: u, segments: [], now: NOW, stored: { sticky: stored.get(u)! } })[0].variant.id !== stored.get(u)!.variant);
    expect(moved).toEqual([]);
    // New users follow the new weights.
    const fresh = Array.from({ length: 2000 }, (_, i) => `new-${i}`).filter((u) => enroll([runnable(e, [0.9, 0.1])], { userId: u, segments: [], now: NOW })[0].variant.id === 'treatment').length / 2000;
    expect(fresh).toBeLessThan(0.14);
    // A bucket version bump reassigns everyone afresh, and the new assignment must be stored.
    const bumped = def({ id: 'sticky', bucketVersion: 1 });
    const after = users.map((u) => enroll([runnable(bumped, [0.9, 0.1])], { userId: u, segments: [], now: NOW, stored: { sticky: stored.get(u)! } })[0]);
    expect(after.every((m) => m.changed && m.assignment.bucketVersion === 1 && m.firstExposure)).toBe(true);
    expect(after.filter((m) => m.variant.id === 'treatment').length / users.length).toBeLessThan(0.14);
  });

  it('blocks users enrolled under a version older than minBucketVersion', () => {
    const old = enroll([runnable(def({ id: 'blocked' }))], { userId: 'u1', segments: [], now: NOW })[0].assignment;
    const e = def({ id: 'blocked', bucketVersion: 2, minBucketVersion: 2 });
    expect(enroll([runnable(e)], { userId: 'u1', segments: [], now: NOW, stored: { blocked: old } })).toEqual([]);
    expect(enroll([runnable(e)], { userId: 'u1', segments: [], now: NOW })).toHaveLength(1);
  });

  it('puts no user in two experiments that split one namespace', () => {
    const a = def({ id: 'ns-a', namespace: { id: 'checkout', range: [0, 0.5] } });
    const b = def({ id: 'ns-b', namespace: { id: 'checkout', range: [0.5, 1] } });
    const counts = users.map((u) => enroll([runnable(a), runnable(b)], { userId: u, segments: [], now: NOW }).map((m) => m.experiment.id));
    expect(counts.filter((c) => c.length > 1)).toEqual([]);
    const inA = counts.filter((c) => c[0] === 'ns-a').length / users.length;
    expect(inA).toBeGreaterThan(0.45);
    expect(inA).toBeLessThan(0.55);
    expect(counts.filter((c) => c.length === 0)).toEqual([]);
  });

  it('leaves out the share of users beyond the coverage', () => {
    const e = def({ id: 'covered', coverage: 0.2 });
    const inside = users.filter((u) => enroll([runnable(e)], { userId: u, segments: [], now: NOW }).length === 1).length / users.length;
    expect(inside).toBeGreaterThan(0.16);
    expect(inside).toBeLessThan(0.24);
  });

  it('asks for an exposure only until one is stored', () => {
    const e = def({ id: 'exposed' });
    const [m] = enroll([runnable(e)], { userId: 'u1', segments: [], now: NOW });
    expect(m).toMatchObject({ changed: true, firstExposure: true });
    const [again] = enroll([runnable(e)], { userId: 'u1', segments: [], now: NOW, stored: { exposed: { ...m.assignment, exposedAt: new Date(NOW).toISOString() } } });
    expect(again).toMatchObject({ changed: false, firstExposure: false });
  });
});
