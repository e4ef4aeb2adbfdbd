#!/usr/bin/env python3
"""Reference values for discovery's statistics, computed with numpy alone (no scikit-learn).

Writes test/segments/discover/fixtures/silhouette-reference.json: seeded point sets with their
labels, the mean silhouette of each (Rousseeuw 1987, Euclidean, 0 for a point alone in its
cluster, as scikit-learn's silhouette_score defines it) and the adjusted Rand index of label
pairs (Hubert and Arabie 1985). Run from the repository root:

    python3 bench/reference/silhouette_numpy.py

Points are rounded to 4 decimals before anything is computed, so the JSON holds exactly the
numbers the references were computed from.
"""

import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[2] / "test" / "segments" / "discover" / "fixtures" / "silhouette-reference.json"
rng = np.random.default_rng(20241202)


def silhouette(x, labels):
    d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    ids = np.unique(labels)
    s = np.zeros(len(x))
    for i in range(len(x)):
        own = labels == labels[i]
        if own.sum() == 1:
            continue
        a = d[i, own].sum() / (own.sum() - 1)
        b = min(d[i, labels == c].mean() for c in ids if c != labels[i])
        s[i] = (b - a) / max(a, b)
    return float(s.mean())


def comb2(n):
    return n * (n - 1) / 2


def ari(a, b):
    _, ai = np.unique(a, return_inverse=True)
    _, bi = np.unique(b, return_inverse=True)
    table = np.zeros((ai.max() + 1, bi.max() + 1))
    np.add.at(table, (ai, bi), 1)
    index = comb2(table).sum()
    sa, sb = comb2(table.sum(1)).sum(), comb2(table.sum(0)).sum()
    expected = sa * sb / comb2(len(a))
    return float((index - expected) / ((sa + sb) / 2 - expected))


cases = []
for n, k, dim, spread in [(40, 2, 2, 0.5), (90, 3, 3, 1.0), (120, 4, 5, 2.0), (60, 5, 2, 3.0), (25, 3, 4, 0.2)]:
    centres = rng.normal(0, 3, size=(k, dim))
    labels = rng.integers(0, k, size=n)
    labels[:k] = np.arange(k)  # every cluster has a member
    x = np.round(centres[labels] + rng.normal(0, spread, size=(n, dim)), 4)
    cases.append({"points": x.tolist(), "labels": labels.tolist(), "silhouette": silhouette(x, labels)})
# A singleton cluster: its point scores 0.
x = np.round(rng.normal(0, 1, size=(12, 2)), 4)
labels = np.array([0] * 6 + [1] * 5 + [2])
cases.append({"points": x.tolist(), "labels": labels.tolist(), "silhouette": silhouette(x, labels)})

pairs = []
for n, ka, kb, noise in [(50, 3, 3, 0.0), (80, 4, 4, 0.2), (100, 5, 3, 0.5), (60, 2, 6, 1.0)]:
    a = rng.integers(0, ka, size=n)
    b = np.where(rng.random(n) < noise, rng.integers(0, kb, size=n), a % kb)
    pairs.append({"a": a.tolist(), "b": b.tolist(), "ari": ari(a, b)})

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps({"generator": "bench/reference/silhouette_numpy.py", "numpy": np.__version__, "silhouette": cases, "ari": pairs}, indent=1) + "\n")
print(f"wrote {OUT.relative_to(pathlib.Path.cwd())}")
