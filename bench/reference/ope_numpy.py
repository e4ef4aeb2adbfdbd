#!/usr/bin/env python3
"""Reference values for the rank/reward estimators and ridge model, in plain numpy.

    python3 bench/reference/ope_numpy.py > test/learning/rank/fixtures/ope-reference.json

1. Logged samples (seeded): propensities, rewards, target probabilities and a reward model's
   predictions; the IPS, SNIPS and doubly robust estimates with their 95 % normal intervals,
   computed as Dudik, Langford & Li (2011) define them (SNIPS's standard error by the delta
   method: sqrt(sum((w (r - V))^2)) / sum(w); IPS and DR: sample standard deviation, n - 1).
2. Ridge regression: theta = (I + X'X)^-1 X'y and x'(I + X'X)^-1 x for a probe vector, the
   quantities LinUCB and Thompson sampling read off the model.
"""
import json

import numpy as np

Z95 = 1.959963984540054


def estimates(p, r, target, predicted, target_predicted):
    w = target / p
    n = len(p)
    ips_terms = w * r
    ips = ips_terms.mean()
    ips_se = ips_terms.std(ddof=1) / np.sqrt(n)
    snips = (w * r).sum() / w.sum()
    snips_se = np.sqrt(((w * (r - snips)) ** 2).sum()) / w.sum()
    dr_terms = target_predicted + w * (r - predicted)
    dr = dr_terms.mean()
    dr_se = dr_terms.std(ddof=1) / np.sqrt(n)
    out = {}
    for name, v, se in (("ips", ips, ips_se), ("snips", snips, snips_se), ("dr", dr, dr_se)):
        out[name] = {"value": float(v), "stdError": float(se), "ci": [float(v - Z95 * se), float(v + Z95 * se)]}
    out["effectiveSampleSize"] = float(w.sum() ** 2 / (w ** 2).sum())
    return out


def main():
    rng = np.random.default_rng(20261202)
    n = 200
    p = rng.uniform(0.05, 1.0, n)
    r = rng.binomial(1, 0.4, n).astype(float)
    target = rng.choice([0.0, 0.25, 1.0], n)
    predicted = rng.uniform(0.2, 0.6, n)
    target_predicted = rng.uniform(0.2, 0.6, n)
    samples = [
        {"propensity": float(a), "reward": float(b), "target": float(c), "predicted": float(d), "targetPredicted": float(e)}
        for a, b, c, d, e in zip(p, r, target, predicted, target_predicted)
    ]

    d = 6
    x = rng.normal(0, 1, (100, d))
    y = x @ rng.normal(0, 1, d) + rng.normal(0, 0.5, 100)
    a = np.eye(d) + x.T @ x
    ainv = np.linalg.inv(a)
    probe = rng.normal(0, 1, d)
    ridge = {
        "x": x.tolist(),
        "y": y.tolist(),
        "theta": (ainv @ x.T @ y).tolist(),
        "probe": probe.tolist(),
        "width": float(np.sqrt(probe @ ainv @ probe)),
    }
    print(json.dumps({"samples": samples, "estimates": estimates(p, r, target, predicted, target_predicted), "ridge": ridge}))


if __name__ == "__main__":
    main()
