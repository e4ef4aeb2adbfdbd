import { emptyProfile, type Profile } from '../../src/core/profile';
import { mergeProfiles } from '../../src/profiles/merge';
import { readBackProfile } from '../../src/store/read-back';

/** Experiment assignments live on the profile: read back checked, and merged on identity. */
const at = '2026-06-01T00:00:00.000Z';
const withExperiments = (userId: string, experiments: Profile['experiments']): Profile => ({ ...emptyProfile(userId, at), experiments });

describe('experiment assignments on the profile', () => {
  it('read back unchanged when sound', () => {
    const p = withExperiments('u1', { tone: { variant: 'friendly', bucketVersion: 0, assignedAt: at, exposedAt: at }, k: { variant: 'control', bucketVersion: 2, assignedAt: at } });
    expect(readBackProfile(p)).toEqual({ value: p, repaired: [] });
  });

  it.each([
    ['a non-object', 'oops'],
    ['a missing variant', { tone: { bucketVersion: 0, assignedAt: at } }],
    ['a fractional bucket version', { tone: { variant: 'a', bucketVersion: 0.5, assignedAt: at } }],
    ['a bad time', { tone: { variant: 'a', bucketVersion: 0, assignedAt: 'yesterday' } }],
    ['a bad exposure time', { tone: { variant: 'a', bucketVersion: 0, assignedAt: at, exposedAt: 5 } }],
  ])('are dropped and reported when one has %s, the rest of the profile kept', (_what, experiments) => {
    const raw = { ...emptyProfile('u1', at), counts: { turns: 3 }, experiments };
    const { value, repaired } = readBackProfile(raw);
    expect(repaired).toEqual(['experiments']);
    expect(value?.experiments).toBeUndefined();
    expect(value?.counts).toEqual({ turns: 3 });
  });

  it("merge on identity: the identified user's assignment wins, the visitor's others carry over", () => {
    const user = withExperiments('user', { tone: { variant: 'friendly', bucketVersion: 0, assignedAt: at, exposedAt: at } });
    const visitor = withExperiments('anon', { tone: { variant: 'control', bucketVersion: 0, assignedAt: at }, k: { variant: 'k3', bucketVersion: 1, assignedAt: at } });
    expect(mergeProfiles(user, visitor, 'user').experiments).toEqual({ tone: user.experiments!.tone, k: visitor.experiments!.k });
    expect(mergeProfiles(null, visitor, 'user').experiments).toEqual(visitor.experiments);
    expect(mergeProfiles(emptyProfile('user', at), emptyProfile('anon', at), 'user').experiments).toBeUndefined();
  });
});
