"""Reference values for the fairness and beyond-accuracy formulas, computed with numpy.

Writes test/fixtures/fairness-reference.json: a small seeded synthetic case (train interactions,
users with a group, ranked lists, held-out relevant items) and the figures the TypeScript code
must reproduce: group means and their difference/ratio (Fairlearn's MetricFrame definitions),
exposure parity by item group (Singh & Joachims position weights), the equal-opportunity recall
gap, Gini index (RecBole), novelty and distributional coverage (Microsoft Recommenders), catalog
coverage, and AIF360's reweighing weights.

Run: python3 bench/reference/fairness_numpy.py
"""
import json
import os

import numpy as np

rng = np.random.default_rng(20181)
n_users, n_items, k = 30, 40, 5
groups = ["A" if u % 3 else "B" for u in range(n_users)]
items = [f"i{j}" for j in range(n_items)]
users = [f"u{u}" for u in range(n_users)]

# Train: popular items are drawn more often (a Zipf-like catalog).
pop_p = 1.0 / np.arange(1, n_items + 1)
pop_p /= pop_p.sum()
train = set()
for u in range(n_users):
    for j in rng.choice(n_items, size=8, replace=False, p=pop_p):
        train.add((u, int(j)))
train = sorted(train)

# Lists: k distinct unseen items; relevant: 3 distinct unseen items.
lists, relevant = [], []
for u in range(n_users):
    seen = {j for (v, j) in train if v == u}
    unseen = [j for j in range(n_items) if j not in seen]
    lists.append([int(j) for j in rng.choice(unseen, size=k, replace=False)])
    relevant.append([int(j) for j in rng.choice(unseen, size=3, replace=False)])

w = 1.0 / np.log2(np.arange(2, k + 2))  # exposure of ranks 1..k

# Per-user nDCG and recall.
ndcg, recall = [], []
for L, R in zip(lists, relevant):
    hits = np.array([1.0 if j in R else 0.0 for j in L])
    ideal = w[: min(len(R), k)].sum()
    ndcg.append(float((hits * w).sum() / ideal))
    recall.append(float(hits.sum() / len(R)))
ndcg, recall = np.array(ndcg), np.array(recall)
g = np.array(groups)


def frame(values):
    overall = float(values.mean())
    by = {grp: float(values[g == grp].mean()) for grp in sorted(set(groups))}
    vals = np.array(list(by.values()))
    return {
        "overall": overall,
        "byGroup": by,
        "difference_between": float(vals.max() - vals.min()),
        "difference_to_overall": float(np.abs(vals - overall).max()),
        "ratio_between": float(vals.min() / vals.max()),
        "ratio_to_overall": float(np.minimum(vals / overall, overall / vals).min()),
    }


# Item groups: head = the 20 % most popular training items (distinct users), ties by id.
counts = np.zeros(n_items)
for (_, j) in train:
    counts[j] += 1
order = sorted(range(n_items), key=lambda j: (-counts[j], items[j]))
catalog = [j for j in order if counts[j] > 0]
head = set(catalog[: int(round(len(catalog) * 0.2))])
exposure = np.zeros(n_items)
for L in lists:
    for r, j in enumerate(L):
        exposure[j] += w[r]
cat_idx = np.array(catalog)
is_head = np.array([j in head for j in catalog])
per_item = {"head": float(exposure[cat_idx][is_head].mean()), "tail": float(exposure[cat_idx][~is_head].mean())}

# Gini of position-weighted exposure over the training catalog (RecBole's formula).
x = np.sort(exposure[cat_idx])
n = len(x)
i = np.arange(1, n + 1)
gini = float(((2 * i - n - 1) * x).sum() / (n * x.sum()))

# Novelty: mean −log2(users(i)/users) over all recommendations.
train_users = len({u for (u, _) in train})
novelty = float(np.mean([-np.log2(max(1, counts[j]) / train_users) for L in lists for j in L]))

# Distributional coverage: entropy (bits) of the recommendation counts.
rec_counts = np.bincount(np.array([j for L in lists for j in L]), minlength=n_items)
p = rec_counts[rec_counts > 0] / rec_counts.sum()
dist_cov = float(-(p * np.log2(p)).sum())
cat_cov = float(len({j for L in lists for j in L if counts[j] > 0}) / len(catalog))

# AIF360 reweighing: s = user group, y = head/tail of the item.
s = np.array([groups[u] for (u, _) in train])
y = np.array(["head" if j in head else "tail" for (_, j) in train])
weights = {}
for sv in sorted(set(s)):
    for yv in sorted(set(y)):
        n_sy = int(((s == sv) & (y == yv)).sum())
        if n_sy:
            weights[f"{sv}|{yv}"] = float((s == sv).sum() * (y == yv).sum() / (len(s) * n_sy))

out = {
    "k": k,
    "users": [{"user": users[u], "group": groups[u]} for u in range(n_users)],
    "train": [{"user": users[u], "item": items[j]} for (u, j) in train],
    "lists": [[items[j] for j in L] for L in lists],
    "relevant": [[items[j] for j in R] for R in relevant],
    "expected": {
        "ndcg": frame(ndcg),
        "recall": frame(recall),
        "exposurePerItem": per_item,
        "exposureRatio": min(per_item.values()) / max(per_item.values()),
        "gini": gini,
        "novelty": novelty,
        "distributionalCoverage": dist_cov,
        "catalogCoverage": cat_cov,
        "reweigh": weights,
    },
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "fairness-reference.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote", os.path.normpath(path))
