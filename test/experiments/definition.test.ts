import { parse } from '../../src/core/validate';
import { ValidationError } from '../../src/core/errors';
import { ExperimentSchema, toAssignable, variantWeights } from '../../src/experiments/definition';
import { assign } from '../../src/experiments/assign';

const base = {
  id: 'recs-personalized',
  variants: [{ id: 'popular', overrides: { policy: 'popular' } }, { id: 'personalized', overrides: { policy: 'personalized', k: 5 } }],
  metrics: { primary: [{ kind: 'conversion' }], guardrails: [{ kind: 'ctr' }] },
};

describe('experiment definitions', () => {
  it('fill in defaults and keep overrides', () => {
    const e = parse(ExperimentSchema, base, 'experiment');
    expect(e.coverage).toBe(1);
    expect(e.allocation).toEqual({ mode: 'fixed' });
    expect(e.metrics.primary[0]).toEqual({ kind: 'conversion', event: 'Order Completed' });
    expect(e.variants[1].overrides).toEqual({ policy: 'personalized', k: 5 });
    expect(variantWeights(e)).toEqual([0.5, 0.5]);
  });

  it('name what is wrong and where', () => {
    const bad = { ...base, variants: [{ id: 'a' }, { id: 'a', overrides: { k: 0 } }], end: '2026-01-01T00:00:00Z', start: '2026-02-01T00:00:00Z' };
    let err: unknown;
    try {
      parse(ExperimentSchema, bad, 'experiment');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const paths = (err as ValidationError).issues.map((i) => i.path.join('.'));
    expect(paths).toContain('variants.1.overrides.k');
  });

  it('rejects duplicate variants, a reversed window and unknown overrides', () => {
    expect(ExperimentSchema.safeParse({ ...base, variants: [{ id: 'a' }, { id: 'a' }] }).success).toBe(false);
    expect(ExperimentSchema.safeParse({ ...base, start: '2026-02-01T00:00:00Z', end: '2026-01-01T00:00:00Z' }).success).toBe(false);
    expect(ExperimentSchema.safeParse({ ...base, variants: [{ id: 'a', overrides: { colour: 'red' } }, { id: 'b' }] }).success).toBe(false);
  });

  it('normalize weights and hand assignment the same experiment', () => {
    const e = parse(ExperimentSchema, { ...base, variants: [{ id: 'a', weight: 3 }, { id: 'b', weight: 1 }], namespace: { id: 'recs', range: [0, 0.5] } });
    expect(variantWeights(e)).toEqual([0.75, 0.25]);
    const a = toAssignable(e);
    expect(a).toMatchObject({ key: 'recs-personalized', variants: ['a', 'b'], weights: [0.75, 0.25], namespace: ['recs', 0, 0.5] });
    let inB = 0;
    let inside = 0;
    for (let i = 0; i < 4000; i++) {
      const r = assign(a, `u${i}`);
      if (r.inExperiment) {
        inside++;
        if (r.variant === 'b') inB++;
      }
    }
    expect(inside / 4000).toBeGreaterThan(0.45);
    expect(inside / 4000).toBeLessThan(0.55);
    expect(inB / inside).toBeGreaterThan(0.2);
    expect(inB / inside).toBeLessThan(0.3);
  });
});
