import ref from '../fixtures/stats-reference.json';
import { expectAllClose, expectClose } from '../close';
import {
  bayesianEffect,
  benjaminiHochberg,
  chiSquareTest,
  cupedAdjust,
  cupedTheta,
  holm,
  moments,
  pairedMoments,
  ratioMoments,
  relativeLiftEstimate,
  srmCheck,
  testEstimate,
  twoProportionZTest,
  welchDf,
  welchTest,
} from '../../../src/experiments';

// Every value here was computed by scipy/numpy (bench/reference/stats_fixtures.py) from the same
// data; agreement is to 1e-6.

describe('Welch t-test against scipy.stats.ttest_ind(equal_var=False)', () => {
  it.each(ref.welch.map((c) => [c.name, c] as const))('%s: statistic, df, p and CI', (_, c) => {
    const r = welchTest(moments(c.control), moments(c.treatment), { alpha: c.alpha });
    expectClose(r.estimate, c.estimate);
    expectClose(r.statistic, c.statistic);
    expectClose(r.df, c.df);
    expectClose(r.pValue, c.pValue);
    expectAllClose(r.ci, c.ci);
  });
});

describe('two-proportion z-test against the 2×2 χ² test (scipy chi2_contingency, no correction)', () => {
  it.each(ref.proportions.map((c) => [c.name, c] as const))('%s: z, z² = χ², p and Wald CI', (_, c) => {
    const r = twoProportionZTest(c.control, c.treatment, { alpha: c.alpha });
    expectClose(r.statistic, c.statistic);
    expectClose(r.statistic ** 2, c.chiSquare);
    expectClose(r.pValue, c.pValue);
    expectAllClose(r.ci, c.ci);
  });
});

describe('χ² test of conversions over k variants against scipy chi2_contingency', () => {
  it.each(ref.chiSquare.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = chiSquareTest(c.groups);
    expectClose(r.statistic, c.statistic);
    expect(r.df).toBe(c.df);
    expectClose(r.pValue, c.pValue);
  });
});

describe('delta method against numpy (linearization, and the gradient of b/a − 1)', () => {
  it.each(ref.ratio.map((c) => [c.name, c] as const))('%s: ratio, its standard error, absolute and relative CIs', (_, c) => {
    const [a, b] = c.arms.map((arm) => ratioMoments(pairedMoments(arm.numerator, arm.denominator)));
    c.arms.forEach((arm, i) => {
      const m = [a, b][i];
      expectClose(m.mean, arm.ratio);
      expectClose(Math.sqrt(m.variance / m.n), arm.seRatio);
    });
    const abs = testEstimate({ estimate: b.mean - a.mean, se: Math.sqrt(a.variance / a.n + b.variance / b.n), df: Infinity }, { alpha: c.alpha });
    expectClose(abs.estimate, c.absDiff);
    expectAllClose(abs.ci, c.absCi);
    expectClose(abs.pValue, c.absPValue);
    const rel = testEstimate(relativeLiftEstimate(a, b), { alpha: c.alpha });
    expectClose(rel.estimate, c.relLift);
    expectClose(rel.se, c.relSe);
    expectAllClose(rel.ci, c.relCi);
  });

  it.each(ref.relativeMean.map((c) => [c.name, c] as const))('%s: relative lift of means on the Welch df', (_, c) => {
    const a = moments(c.control);
    const b = moments(c.treatment);
    const rel = testEstimate(relativeLiftEstimate(a, b, welchDf(a, b)), { alpha: c.alpha });
    expectClose(rel.estimate, c.relLift);
    expectClose(rel.se, c.se);
    expectClose(rel.df, c.df);
    expectAllClose(rel.ci, c.ci);
  });
});

describe('CUPED against numpy least squares (ANCOVA y ~ variant + pre)', () => {
  it.each(ref.cuped.map((c) => [c.name, c] as const))('%s: θ, adjusted means and variances, Welch p and CI', (_, c) => {
    const arms = c.arms.map((arm) => pairedMoments(arm.pre, arm.post));
    expectClose(cupedTheta(arms), c.theta);
    const { adjusted } = cupedAdjust(arms);
    expectAllClose(
      adjusted.map((m) => m.mean),
      c.adjustedMeans,
    );
    expectAllClose(
      adjusted.map((m) => m.variance),
      c.adjustedVariances,
    );
    expectClose(adjusted[1].mean - adjusted[0].mean, c.ancovaEffect);
    const r = welchTest(adjusted[0], adjusted[1], { alpha: c.alpha });
    expectClose(r.pValue, c.pValue);
    expectAllClose(r.ci, c.ci);
  });
});

describe('SRM against scipy.stats.chisquare', () => {
  it.each(ref.srm.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = srmCheck(c.counts, c.weights);
    expectClose(r.statistic, c.statistic);
    expectClose(r.pValue, c.pValue);
    expect(r.ok).toBe(c.pValue >= 0.001);
  });
});

describe('corrections: Holm against its definition in numpy, BH against scipy false_discovery_control', () => {
  it.each(ref.corrections.map((c) => [c.name, c] as const))('%s', (_, c) => {
    expectAllClose(holm(c.pValues), c.holm);
    expectAllClose(benjaminiHochberg(c.pValues), c.bh);
  });
});

describe('Bayesian chance to win and expected loss against scipy (norm.sf, quad)', () => {
  it.each(ref.bayesian.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = bayesianEffect({ estimate: c.estimate, se: c.se, df: Infinity });
    expectClose(r.chanceToWin, c.chanceToWin);
    expectClose(r.risk.variant, c.riskVariant);
    expectClose(r.risk.control, c.riskControl);
  });
});
