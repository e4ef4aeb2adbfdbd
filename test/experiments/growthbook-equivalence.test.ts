import { GrowthBookClient, type Experiment, type StickyAssignmentsDocument } from '@growthbook/growthbook';
import { mulberry32 } from '../../src/core/random';
import { assign, type Assignment, type ExperimentDefinition, type PreviousAssignment } from '../../src/experiments';

// Attune's assignment against GrowthBook's own JS SDK, run on the same experiments and ids: the
// same users must enter, in the same variants, with the same hash buckets.

const gb = new GrowthBookClient({});

function toGrowthBook(def: ExperimentDefinition): Experiment<number> {
  return {
    key: def.key,
    variations: def.variants.map((_, i) => i) as [number, number, ...number[]],
    meta: def.variants.map((key) => ({ key })),
    hashVersion: 2,
    ...(def.weights ? { weights: [...def.weights] } : {}),
    ...(def.coverage !== undefined ? { coverage: def.coverage } : {}),
    ...(def.namespace ? { namespace: [...def.namespace] as [string, number, number] } : {}),
    ...(def.seed !== undefined ? { seed: def.seed } : {}),
    ...(def.bucketVersion !== undefined ? { bucketVersion: def.bucketVersion } : {}),
    ...(def.minBucketVersion !== undefined ? { minBucketVersion: def.minBucketVersion } : {}),
  };
}

/** 100,000 ids of the shapes seen in practice: sequential, UUID-like, pseudonymous digests, non-ASCII. */
function ids(count: number): string[] {
  const rng = mulberry32(20240601);
  const hex = (len: number) => Array.from({ length: len }, () => Math.floor(rng() * 16).toString(16)).join('');
  return Array.from({ length: count }, (_, i) => {
    switch (i % 4) {
      case 0:
        return `user-${i}`;
      case 1:
        return `${hex(8)}-${hex(4)}-4${hex(3)}-${hex(4)}-${hex(12)}`;
      case 2:
        return `pid.k1.${hex(64)}`;
      default:
        return `Zoë-${i}-日本-🙂`;
    }
  });
}

const ID_COUNT = 100_000;
const allIds = ids(ID_COUNT);

/** Compares every id; returns the number of users GrowthBook enrolled (to check the case is not vacuous). */
function compareAll(def: ExperimentDefinition): number {
  const exp = toGrowthBook(def);
  let enrolled = 0;
  const mismatches: string[] = [];
  for (const id of allIds) {
    const theirs = gb.runInlineExperiment(exp, { attributes: { id } });
    const ours = assign(def, id);
    const same = ours.inExperiment
      ? theirs.inExperiment && theirs.variationId === ours.index && theirs.bucket === ours.bucket
      : !theirs.inExperiment;
    if (!same && mismatches.length < 5) mismatches.push(`${id}: ours ${JSON.stringify(ours)}, GrowthBook ${theirs.inExperiment ? theirs.variationId : 'out'} @${theirs.bucket}`);
    if (theirs.inExperiment) enrolled++;
  }
  expect(mismatches).toEqual([]);
  return enrolled;
}

describe('assignment is bucket-for-bucket identical to the GrowthBook JS SDK (hashVersion 2), on 100,000 ids', () => {
  it('two variants, equal weights, full coverage', () => {
    expect(compareAll({ key: 'reply-tone', variants: ['control', 'friendly'] })).toBe(ID_COUNT);
  });

  it('three variants with unequal weights and 80 % coverage', () => {
    const enrolled = compareAll({ key: 'rec-model', variants: ['control', 'als', 'bpr'], weights: [0.2, 0.3, 0.5], coverage: 0.8 });
    expect(enrolled / ID_COUNT).toBeCloseTo(0.8, 1);
  });

  it('four variants, 35 % coverage, a custom seed and a namespace slice', () => {
    const enrolled = compareAll({
      key: 'greeting',
      seed: 'greeting-2024',
      variants: ['a', 'b', 'c', 'd'],
      weights: [0.1, 0.2, 0.3, 0.4],
      coverage: 0.35,
      namespace: ['onboarding', 0.1, 0.65],
    });
    expect(enrolled / ID_COUNT).toBeCloseTo(0.35 * 0.55, 1);
  });

  it('weights that do not sum to 1 and a coverage above 1 fall back as the SDK does', () => {
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const def = { key: 'sloppy', variants: ['x', 'y', 'z'], weights: [0.5, 0.6, 0.2], coverage: 1.5 };
      const exp = toGrowthBook(def);
      for (const id of allIds.slice(0, 2000)) {
        const theirs = gb.runInlineExperiment(exp, { attributes: { id } });
        const ours = assign(def, id);
        expect(ours.inExperiment && ours.index).toBe(theirs.inExperiment && theirs.variationId);
      }
    } finally {
      error.mockRestore();
    }
  });
});

describe('namespaces keep experiments mutually exclusive, as GrowthBook\'s inNamespace does', () => {
  it('two experiments on disjoint slices of one namespace never share a user', () => {
    const left: ExperimentDefinition = { key: 'left', variants: ['c', 't'], namespace: ['pricing', 0, 0.5] };
    const right: ExperimentDefinition = { key: 'right', variants: ['c', 't'], namespace: ['pricing', 0.5, 1] };
    let inLeft = 0;
    let inRight = 0;
    let both = 0;
    let neither = 0;
    for (const id of allIds.slice(0, 20_000)) {
      const l = assign(left, id).inExperiment;
      const r = assign(right, id).inExperiment;
      if (l && r) both++;
      if (!l && !r) neither++; // the two slices cover the namespace
      if (l) inLeft++;
      if (r) inRight++;
    }
    expect({ both, neither }).toEqual({ both: 0, neither: 0 });
    expect(inLeft / 20_000).toBeCloseTo(0.5, 1);
    expect(inRight / 20_000).toBeCloseTo(0.5, 1);
  });
});

describe('sticky bucketing matches GrowthBook\'s sticky bucket service', () => {
  const users = allIds.slice(0, 5000);
  const base: ExperimentDefinition = { key: 'cta', variants: ['control', 'bold'], weights: [0.5, 0.5] };

  /** Runs GrowthBook with a per-user sticky store; returns its results and updates `docs`. */
  function runGrowthBook(def: ExperimentDefinition, docs: Map<string, Record<string, StickyAssignmentsDocument>>) {
    return users.map((id) => {
      const userDocs = docs.get(id) ?? {};
      const result = gb.runInlineExperiment(toGrowthBook(def), {
        attributes: { id },
        stickyBucketAssignmentDocs: userDocs,
        saveStickyBucketAssignmentDoc: async (doc) => {
          docs.set(id, { ...userDocs, [`${doc.attributeName}||${doc.attributeValue}`]: doc });
        },
      });
      return result.inExperiment ? def.variants[result.variationId] : null;
    });
  }

  function runOurs(def: ExperimentDefinition, stored: Map<string, PreviousAssignment>) {
    return users.map((id) => {
      const a: Assignment = assign(def, id, stored.get(id));
      if (!a.inExperiment) return null;
      stored.set(id, { variant: a.variant, bucketVersion: a.bucketVersion });
      return a.variant;
    });
  }

  it('a reallocation keeps enrolled users, a new bucket version reshuffles, a minimum version excludes', () => {
    const docs = new Map<string, Record<string, StickyAssignmentsDocument>>();
    const stored = new Map<string, PreviousAssignment>();
    const first = runOurs(base, stored);
    expect(first).toEqual(runGrowthBook(base, docs));
    const docsAfterFirst = new Map(docs);
    const storedAfterFirst = new Map(stored);

    // 90/10 at 50 % coverage: nobody moves, nobody leaves.
    const reweighted = { ...base, weights: [0.9, 0.1], coverage: 0.5 };
    const second = runOurs(reweighted, stored);
    expect(second).toEqual(runGrowthBook(reweighted, docs));
    expect(second).toEqual(first);
    // Without the stored assignment many users would have moved: the stickiness is doing the work.
    const fresh = users.map((id) => {
      const a = assign(reweighted, id);
      return a.inExperiment ? a.variant : null;
    });
    expect(fresh.filter((v, i) => v !== first[i]).length).toBeGreaterThan(1000);

    // Asked for: bucket version 1 reshuffles everyone under the new weights.
    const reshuffled = { ...reweighted, bucketVersion: 1 };
    const third = runOurs(reshuffled, stored);
    expect(third).toEqual(runGrowthBook(reshuffled, docs));
    expect(third).toEqual(fresh);

    // Version 1 with minimum 1, from the first state: everyone assigned under version 0 is out.
    const excluding = { ...reshuffled, minBucketVersion: 1 };
    const fourth = runOurs(excluding, storedAfterFirst);
    expect(fourth).toEqual(runGrowthBook(excluding, docsAfterFirst));
    expect(fourth.every((v) => v === null)).toBe(true);
  });
});
