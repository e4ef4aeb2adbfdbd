#!/usr/bin/env python3
"""Reference values for purchase propensity, computed with numpy and scipy alone (no scikit-learn).

Writes test/predict/fixtures/propensity-reference.json: small seeded synthetic data sets
(features, 0/1 labels) with the L2-regularized logistic regression fitted to each, and the
AUC, Brier score and calibration table of the fitted probabilities. Run from the repository root:

    python3 bench/reference/propensity.py

The objective is the one src/predict/logistic.ts minimizes:

    sum_i [log(1 + exp(z_i)) - y_i z_i] + (l2 / 2) * ||w||^2,   z_i = b + w . x_i,

the intercept b unpenalized. Here it is minimized by scipy's trust-region solver (trust-exact),
a different algorithm from ours (damped Newton), polished to a gradient norm under 1e-9; the optimum
is unique (the objective is strictly convex), so both must land on the same coefficients.
AUC is the Mann-Whitney statistic with average ranks for ties (scipy.stats.rankdata), so the
tie handling is checked too, on probabilities rounded to one decimal.

Features are rounded to 4 decimals before anything is computed, so the JSON holds exactly the
numbers the references were computed from.
"""

import json
import pathlib

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import expit, log1p
from scipy.stats import rankdata

OUT = pathlib.Path(__file__).resolve().parents[2] / "test" / "predict" / "fixtures" / "propensity-reference.json"
rng = np.random.default_rng(20261203)


def fit(x, y, l2):
    n, d = x.shape
    a = np.hstack([np.ones((n, 1)), x])
    pen = np.r_[0.0, np.full(d, l2)]

    def f(beta):
        z = a @ beta
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * np.sum(pen * beta * beta))

    def g(beta):
        return a.T @ (expit(a @ beta) - y) + pen * beta

    def h(beta):
        p = expit(a @ beta)
        return (a * (p * (1 - p))[:, None]).T @ a + np.diag(pen)

    res = minimize(f, np.zeros(d + 1), jac=g, hess=h, method="trust-exact", options={"gtol": 1e-12, "maxiter": 1000})
    beta = res.x
    # trust-exact stops once it cannot predict an improvement (around 1e-8 in the gradient);
    # two plain Newton steps from there polish the optimum to rounding error.
    for _ in range(2):
        beta = beta - np.linalg.solve(h(beta), g(beta))
    assert np.linalg.norm(g(beta)) < 1e-9, np.linalg.norm(g(beta))
    return beta


def auc(scores, labels):
    r = rankdata(scores)  # average ranks for ties
    pos = labels == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return float((r[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def calibration(p, y, bins=10):
    order = np.argsort(p, kind="stable")
    n = len(p)
    table = []
    for b in range(bins):
        lo, hi = (b * n) // bins, ((b + 1) * n) // bins
        idx = order[lo:hi]
        table.append({"count": int(hi - lo), "predicted": float(p[idx].mean()), "observed": float(y[idx].mean())})
    ece = sum(t["count"] / n * abs(t["predicted"] - t["observed"]) for t in table)
    return table, float(ece)


cases = []
for n, d, l2, shift in [(200, 4, 1.0, 0.0), (300, 6, 0.1, -1.5), (150, 3, 10.0, 0.5), (400, 8, 0.01, -2.5)]:
    x = np.round(rng.normal(0, 1, size=(n, d)) * rng.uniform(0.5, 3, size=d), 4)
    true_w = rng.normal(0, 1, size=d)
    y = (rng.random(n) < expit(shift + x @ true_w / np.sqrt(d))).astype(float)
    beta = fit(x, y, l2)
    p = expit(np.hstack([np.ones((n, 1)), x]) @ beta)
    tied = np.round(p, 1)
    table, ece = calibration(p, y)
    cases.append({
        "x": x.tolist(),
        "y": y.astype(int).tolist(),
        "l2": l2,
        "intercept": float(beta[0]),
        "weights": beta[1:].tolist(),
        "auc": auc(p, y),
        "brier": float(np.mean((p - y) ** 2)),
        "tiedScores": tied.tolist(),
        "tiedAuc": auc(tied, y),
        "calibration": table,
        "ece": ece,
    })

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps({"generator": "bench/reference/propensity.py", "numpy": np.__version__, "scipy": scipy.__version__, "cases": cases}) + "\n")
print(f"wrote {OUT.relative_to(pathlib.Path.cwd())}")
