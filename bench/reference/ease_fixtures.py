#!/usr/bin/env python3
"""Reference EASE weights for the solver tests, computed the textbook way in numpy.

Writes test/recommend/fixtures/ease-reference.json: for two seeded binary matrices (more items
than users, and more users than items) and one λ each, the input rows and
B = I - P / diag(P), P = (X'X + lambda I)^-1 with a zero diagonal, via numpy.linalg.inv of the
item-item system. The TypeScript solver picks the smaller side (Woodbury when users < items),
so the fixture checks both of its paths against the same formula. Run from the repository root:

    python3 bench/reference/ease_fixtures.py
"""
import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[2] / "test" / "recommend" / "fixtures" / "ease-reference.json"


def case(name, users, items, density, lam, seed):
    rng = np.random.default_rng(seed)
    x = (rng.random((users, items)) < density).astype(np.float64)
    x[np.arange(users), rng.integers(0, items, users)] = 1.0  # every user has an item
    p = np.linalg.inv(x.T @ x + lam * np.eye(items))
    b = -p / np.diag(p)
    np.fill_diagonal(b, 0.0)
    rows = [np.flatnonzero(r).tolist() for r in x]
    return {"name": name, "users": users, "items": items, "lambda": lam, "rows": rows, "b": b.round(12).tolist()}


def main():
    cases = [case("wide (users < items)", 14, 40, 0.2, 3.0, 1), case("tall (users > items)", 60, 25, 0.25, 5.0, 2)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"generator": "bench/reference/ease_fixtures.py", "cases": cases}) + "\n")


if __name__ == "__main__":
    main()
