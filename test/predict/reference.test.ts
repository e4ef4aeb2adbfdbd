import reference from './fixtures/propensity-reference.json';
import { auc, brierScore, calibrationTable, expectedCalibrationError } from '../../src/evaluate/calibration';
import { fitLogistic, predictLogistic } from '../../src/predict/logistic';

// Every value here was computed with numpy and scipy (bench/reference/propensity.py) from the same inputs.

describe('propensity against the numpy/scipy reference', () => {
  it.each(reference.cases.map((c, i) => [i, c] as const))('case %i: the same L2 logistic regression, AUC, Brier score and calibration', (_i, c) => {
    const fit = fitLogistic(c.x, c.y, { l2: c.l2 });
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.intercept - c.intercept)).toBeLessThan(1e-6);
    fit.weights.forEach((w, j) => expect(Math.abs(w - c.weights[j])).toBeLessThan(1e-6));
    const p = c.x.map((row) => predictLogistic(fit, row));
    expect(auc(p, c.y)).toBeCloseTo(c.auc, 9);
    expect(brierScore(p, c.y)).toBeCloseTo(c.brier, 9);
    // Ties: probabilities rounded to one decimal share average ranks.
    expect(auc(c.tiedScores, c.y)).toBeCloseTo(c.tiedAuc, 12);
    const table = calibrationTable(p, c.y);
    expect(table.map((b) => b.count)).toEqual(c.calibration.map((b) => b.count));
    table.forEach((b, k) => {
      expect(b.predicted).toBeCloseTo(c.calibration[k].predicted, 7);
      expect(b.observed).toBeCloseTo(c.calibration[k].observed, 12);
    });
    expect(expectedCalibrationError(table)).toBeCloseTo(c.ece, 7);
  });

  it('a wrong penalty lands elsewhere: the check can fail', () => {
    const c = reference.cases[0];
    const off = fitLogistic(c.x, c.y, { l2: c.l2 * 2 });
    expect(Math.max(...off.weights.map((w, j) => Math.abs(w - c.weights[j])))).toBeGreaterThan(1e-3);
  });
});
