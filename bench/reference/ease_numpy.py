#!/usr/bin/env python3
"""Plain EASE^R (Steck, 2019) in numpy: the reference `npm run bench:recommend` compares with.

    python3 bench/reference/ease_numpy.py --train train.tsv --test test.tsv [--k 10] [--seed 42]

Each input file holds one `user<TAB>item` pair per line (the bench writes the train and test
parts of its split). The script

1. carves a validation split from the TRAIN part only (20% of each user's items, seeded) and
   picks the lambda with the best validation nDCG@k from a fixed grid;
2. fits on the whole train part with that lambda: B = I - P / diag(P), P = (X'X + lambda I)^-1,
   binary X, zero diagonal;
3. ranks for every user present in both parts, items seen in train removed, and scores against
   every distinct test item (the Microsoft Recommenders protocol the bench uses).

It prints one JSON object: the chosen lambda, the validation scores, and nDCG, precision, recall
and MAP at k (MAP divided by the number of relevant items, as the bench reports it).

P is computed with numpy.linalg.inv when the catalog has at most 3,000 items or more users than
items. For larger catalogs with fewer users it uses the Woodbury identity
P = (I - X'(XX' + lambda I)^-1 X) / lambda, which is the same matrix (up to rounding) but needs
only a users x users inverse: a dense 17,000-item inverse does not fit a laptop's time budget.
Only numpy is needed (`pip install numpy`, or Debian's python3-numpy).
"""
import argparse
import json
import sys

import numpy as np

LAMBDA_GRID = [25, 50, 100, 200, 350, 500, 700, 1000, 1500, 2500]


def read_pairs(path):
    users, items = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            u, i = line.split("\t")[:2]
            users.append(u)
            items.append(i)
    return users, items


def matrix(pairs, user_index, item_index):
    x = np.zeros((len(user_index), len(item_index)), dtype=np.float64)
    for u, i in zip(*pairs):
        if u in user_index and i in item_index:
            x[user_index[u], item_index[i]] = 1.0
    return x


def scores(x, lam):
    """X·B for every row of X (the training users), B the EASE weights of X."""
    m, n = x.shape
    if n <= 3000 or m >= n:
        p = np.linalg.inv(x.T @ x + lam * np.eye(n))
        b = -p / np.diag(p)
        np.fill_diagonal(b, 0.0)
        return x @ b
    w = np.linalg.inv(x @ x.T + lam * np.eye(m))
    # xP = (x - x X' W X) / lambda for each row; diag(P) = (1 - q) / lambda, q_j = X_j' W X_j.
    xp = x - (x @ x.T) @ w @ x
    q = np.einsum("uj,uj->j", x, w @ x)
    return x - xp / (1.0 - q)


def metrics(s, x_seen, relevant, k):
    s = s.copy()
    s[x_seen > 0] = -np.inf
    top = np.argsort(-s, axis=1, kind="stable")[:, :k]
    ndcg, prec, rec, ap, n = 0.0, 0.0, 0.0, 0.0, 0
    discounts = 1.0 / np.log2(np.arange(2, k + 2))
    for u, rel in relevant.items():
        if not rel:
            continue
        hits = np.array([1.0 if i in rel else 0.0 for i in top[u]])
        ideal = discounts[: min(k, len(rel))].sum()
        ndcg += float((hits * discounts).sum() / ideal)
        prec += hits.sum() / k
        rec += hits.sum() / len(rel)
        ap += float((np.cumsum(hits) / np.arange(1, k + 1) * hits).sum() / len(rel))
        n += 1
    n = max(n, 1)
    return {"ndcg": ndcg / n, "precision": prec / n, "recall": rec / n, "map": ap / n, "users": n}


def relevant_of(pairs, user_index, item_index):
    out = {}
    for u, i in zip(*pairs):
        if u in user_index:
            out.setdefault(user_index[u], set())
            if i in item_index:
                out[user_index[u]].add(item_index[i])
            else:
                # An item unknown to train can never be ranked; keep it so the ideal DCG counts it.
                out[user_index[u]].add(-1 - len(out[user_index[u]]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()

    train = read_pairs(args.train)
    test = read_pairs(args.test)
    user_index = {u: n for n, u in enumerate(dict.fromkeys(train[0]))}
    item_index = {i: n for n, i in enumerate(dict.fromkeys(train[1]))}
    x = matrix(train, user_index, item_index)

    # Validation: 20% of each user's training items (users with at least 2), seeded.
    rng = np.random.default_rng(args.seed)
    x_fit = x.copy()
    held = {}
    for u in range(x.shape[0]):
        items = np.flatnonzero(x[u])
        n_held = int(len(items) * 0.2)
        if len(items) < 2 or n_held == 0:
            continue
        chosen = rng.choice(items, size=n_held, replace=False)
        x_fit[u, chosen] = 0.0
        held[u] = set(int(i) for i in chosen)
    validation = []
    for lam in LAMBDA_GRID:
        validation.append({"lambda": lam, "ndcg": metrics(scores(x_fit, lam), x_fit, held, args.k)["ndcg"]})
    best = max(validation, key=lambda v: v["ndcg"])["lambda"]

    result = metrics(scores(x, best), x, relevant_of(test, user_index, item_index), args.k)
    result.update({"lambda": best, "validation": validation, "items": x.shape[1], "trainUsers": x.shape[0]})
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
