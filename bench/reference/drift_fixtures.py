#!/usr/bin/env python3
"""Reference values for the drift report (src/learning/drift.ts), computed with numpy and scipy.

Writes test/learning/fixtures/drift-reference.json: the input samples of each case and what
numpy (mean, sample sd, linear-interpolation quantiles) and scipy (two-sample
Kolmogorov-Smirnov statistic) compute from them. Run from the repository root:

    python3 bench/reference/drift_fixtures.py

Samples are drawn from a seeded generator and rounded to 4 decimals before anything is
computed, so the JSON holds exactly the numbers the references were computed from. Ties are
planted on purpose (the rounding of the discrete case), since KS must step over them together.
"""

import json
import pathlib

import numpy as np
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parents[2] / "test" / "learning" / "fixtures" / "drift-reference.json"
rng = np.random.default_rng(20261202)


def r4(a):
    return np.round(np.asarray(a, dtype=float), 4)


def summary(x):
    return {
        "count": int(x.size),
        "mean": float(np.mean(x)),
        "sd": float(np.std(x, ddof=1)),
        "p10": float(np.quantile(x, 0.1)),
        "p50": float(np.quantile(x, 0.5)),
        "p90": float(np.quantile(x, 0.9)),
    }


cases = []
for name, a, b in [
    ("same distribution", r4(rng.normal(0.5, 0.1, 400)), r4(rng.normal(0.5, 0.1, 300))),
    ("shifted mean", r4(rng.normal(0.5, 0.1, 250)), r4(rng.normal(0.6, 0.1, 250))),
    ("wider spread", r4(rng.gamma(2.0, 0.2, 500)), r4(rng.gamma(2.0, 0.4, 120))),
    ("discrete with ties", np.round(rng.integers(0, 5, 200) / 4, 4), np.round(rng.integers(1, 6, 150) / 4, 4)),
]:
    cases.append({
        "name": name,
        "a": a.tolist(),
        "b": b.tolist(),
        "summaryA": summary(a),
        "summaryB": summary(b),
        "ks": float(stats.ks_2samp(a, b).statistic),
    })

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps({"generator": "bench/reference/drift_fixtures.py", "cases": cases}, indent=1) + "\n")
print(f"wrote {OUT.relative_to(OUT.parents[3])}")
