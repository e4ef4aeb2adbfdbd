#!/usr/bin/env python3
"""Reference values for the experiment statistics, computed with scipy and numpy.

Writes test/experiments/fixtures/stats-reference.json: the input data of each case and what
scipy/numpy compute from it, so that the TypeScript tests compare against an independent
implementation without needing Python. Run from the repository root:

    python3 bench/reference/stats_fixtures.py

Data are drawn from a seeded generator and rounded to 4 decimals before anything is computed,
so the JSON holds exactly the numbers the references were computed from.
"""

import json
import pathlib
import re
import sys

import numpy as np
import scipy
from scipy import integrate, stats

OUT = pathlib.Path(__file__).resolve().parents[2] / "test" / "experiments" / "fixtures" / "stats-reference.json"
rng = np.random.default_rng(20240611)


def r4(a):
    return np.round(np.asarray(a, dtype=float), 4)


def floats(a):
    return [float(x) for x in a]


def welch_case(name, a, b, alpha):
    a, b = r4(a), r4(b)
    res = stats.ttest_ind(b, a, equal_var=False)
    ci = res.confidence_interval(confidence_level=1 - alpha)
    return {
        "name": name,
        "alpha": alpha,
        "control": floats(a),
        "treatment": floats(b),
        "estimate": float(b.mean() - a.mean()),
        "statistic": float(res.statistic),
        "df": float(res.df),
        "pValue": float(res.pvalue),
        "ci": [float(ci.low), float(ci.high)],
    }


def proportion_case(name, sa, na, sb, nb, alpha):
    table = np.array([[sa, na - sa], [sb, nb - sb]])
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    pa, pb = sa / na, sb / nb
    pooled = (sa + sb) / (na + nb)
    z = (pb - pa) / np.sqrt(pooled * (1 - pooled) * (1 / na + 1 / nb))
    se = np.sqrt(pa * (1 - pa) / na + pb * (1 - pb) / nb)
    half = stats.norm.ppf(1 - alpha / 2) * se
    return {
        "name": name,
        "alpha": alpha,
        "control": {"successes": sa, "trials": na},
        "treatment": {"successes": sb, "trials": nb},
        # The pooled z-test is the 2x2 chi-square test: z^2 = chi2 and the p-values agree.
        "statistic": float(z),
        "chiSquare": float(chi2),
        "pValue": float(p),
        "ci": [float(pb - pa - half), float(pb - pa + half)],
    }


def chi_square_case(name, groups):
    table = np.array([[s, n - s] for s, n in groups])
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    return {
        "name": name,
        "groups": [{"successes": s, "trials": n} for s, n in groups],
        "statistic": float(chi2),
        "df": int(dof),
        "pValue": float(p),
    }


def ratio_case(name, arms, alpha):
    out = {"name": name, "alpha": alpha, "arms": []}
    summaries = []
    for num, den in arms:
        num, den = r4(num), r4(den)
        n = len(num)
        ratio = num.sum() / den.sum()
        # Linearization (influence function) of the ratio: an independent route to the delta-method variance.
        lin = (num - ratio * den) / den.mean()
        var_ratio = np.var(lin, ddof=1) / n
        summaries.append((n, ratio, var_ratio))
        out["arms"].append({"numerator": floats(num), "denominator": floats(den), "ratio": float(ratio), "seRatio": float(np.sqrt(var_ratio))})
    (_, ra, va), (_, rb, vb) = summaries
    z = stats.norm.ppf(1 - alpha / 2)
    abs_se = np.sqrt(va + vb)
    rel = rb / ra - 1
    # Delta method for g(a, b) = b / a - 1 with independent a, b: gradient (-b/a^2, 1/a).
    grad = np.array([-rb / ra**2, 1 / ra])
    rel_se = float(np.sqrt(grad @ np.diag([va, vb]) @ grad))
    out.update(
        {
            "absDiff": float(rb - ra),
            "absCi": [float(rb - ra - z * abs_se), float(rb - ra + z * abs_se)],
            "absPValue": float(2 * stats.norm.sf(abs(rb - ra) / abs_se)),
            "relLift": float(rel),
            "relSe": rel_se,
            "relCi": [float(rel - z * rel_se), float(rel + z * rel_se)],
        }
    )
    return out


def relative_mean_case(name, a, b, alpha):
    """Relative lift of two means by the delta method, tested against the Welch degrees of freedom."""
    a, b = r4(a), r4(b)
    ma, mb = a.mean(), b.mean()
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    grad = np.array([-mb / ma**2, 1 / ma])
    se = float(np.sqrt(grad @ np.diag([va, vb]) @ grad))
    df = float(stats.ttest_ind(b, a, equal_var=False).df)
    t = stats.t.ppf(1 - alpha / 2, df)
    rel = mb / ma - 1
    return {"name": name, "alpha": alpha, "control": floats(a), "treatment": floats(b), "relLift": float(rel), "se": se, "df": df, "ci": [float(rel - t * se), float(rel + t * se)]}


def cuped_case(name, arms, alpha):
    arms = [(r4(x), r4(y)) for x, y in arms]
    # theta is the covariate's coefficient in the ANCOVA regression y ~ arm dummies + x.
    k = len(arms)
    rows_x = np.concatenate([x for x, _ in arms])
    rows_y = np.concatenate([y for _, y in arms])
    dummies = np.zeros((len(rows_x), k))
    at = 0
    for i, (x, _) in enumerate(arms):
        dummies[at : at + len(x), i] = 1
        at += len(x)
    design = np.column_stack([dummies, rows_x])
    coef, *_ = np.linalg.lstsq(design, rows_y, rcond=None)
    theta = float(coef[-1])
    xbar = rows_x.mean()
    adjusted = [y - theta * (x - xbar) for x, y in arms]
    welch = stats.ttest_ind(adjusted[1], adjusted[0], equal_var=False)
    ci = welch.confidence_interval(confidence_level=1 - alpha)
    return {
        "name": name,
        "alpha": alpha,
        "arms": [{"pre": floats(x), "post": floats(y)} for x, y in arms],
        "theta": theta,
        "adjustedMeans": [float(a.mean()) for a in adjusted],
        "adjustedVariances": [float(a.var(ddof=1)) for a in adjusted],
        # With k = 2 the adjusted difference is the ANCOVA treatment coefficient.
        "ancovaEffect": float(coef[1] - coef[0]),
        "pValue": float(welch.pvalue),
        "ci": [float(ci.low), float(ci.high)],
    }


def srm_case(name, counts, weights):
    counts = np.asarray(counts, dtype=float)
    w = np.asarray(weights, dtype=float)
    expected = counts.sum() * w / w.sum()
    res = stats.chisquare(counts, f_exp=expected)
    return {"name": name, "counts": floats(counts), "weights": floats(w), "statistic": float(res.statistic), "pValue": float(res.pvalue)}


def holm_reference(p):
    """Holm's step-down adjusted p-values, written out from the definition."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="stable")
    adj = np.empty(m)
    running = 0.0
    for rank, idx in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[idx]))
        adj[idx] = running
    return adj


def corrections_case(name, p):
    p = np.asarray(p, dtype=float)
    return {"name": name, "pValues": floats(p), "holm": floats(holm_reference(p)), "bh": floats(stats.false_discovery_control(p, method="bh"))}


def bayesian_case(name, mean, se):
    pdf = lambda x: stats.norm.pdf(x, mean, se)
    lo, hi = mean - 12 * se, mean + 12 * se
    loss_variant = integrate.quad(lambda x: max(0.0, -x) * pdf(x), lo, hi, points=[0.0], epsabs=1e-13, epsrel=1e-12)[0]
    loss_control = integrate.quad(lambda x: max(0.0, x) * pdf(x), lo, hi, points=[0.0], epsabs=1e-13, epsrel=1e-12)[0]
    return {"name": name, "estimate": mean, "se": se, "chanceToWin": float(stats.norm.sf(0, mean, se)), "riskVariant": loss_variant, "riskControl": loss_control}


def main():
    welch = [
        welch_case("normal, unequal variances and sizes", rng.normal(10, 2, 40), rng.normal(11, 3.5, 55), 0.05),
        welch_case("skewed revenue", rng.lognormal(2, 1, 200), rng.lognormal(2.1, 1, 180), 0.05),
        welch_case("tiny samples", rng.normal(0, 1, 12), rng.normal(0.8, 0.5, 9), 0.05),
        welch_case("large, alpha 0.1", rng.normal(5, 1, 1000), rng.normal(5.05, 1.2, 1000), 0.1),
    ]
    proportions = [
        proportion_case("12 % vs 15 %", 120, 1000, 150, 1000, 0.05),
        proportion_case("unequal sizes", 48, 1200, 30, 700, 0.05),
        proportion_case("rare events, alpha 0.01", 7, 5000, 19, 5100, 0.01),
    ]
    chi_square = [
        chi_square_case("three variants", [(120, 1000), (150, 1000), (131, 980)]),
        chi_square_case("five variants", [(50, 400), (61, 410), (45, 395), (70, 405), (52, 390)]),
    ]

    def sessions(n):
        den = rng.poisson(3, n) + 1
        num = np.array([rng.gamma(2, 5, d).sum() * (rng.random() < 0.3) for d in den])
        return num, den

    ratios = [
        ratio_case("revenue per session", [sessions(300), sessions(320)], 0.05),
        ratio_case("clicks per view", [(rng.binomial(5, 0.2, 500), np.full(500, 5.0)), (rng.binomial(5, 0.24, 480), np.full(480, 5.0))], 0.05),
    ]
    relative = [
        relative_mean_case("relative lift of means", rng.normal(20, 6, 150), rng.normal(22, 7, 160), 0.05),
    ]

    def correlated(n, rho, shift):
        x = rng.normal(50, 10, n)
        y = 50 + rho * (x - 50) + np.sqrt(1 - rho**2) * rng.normal(0, 10, n) + shift
        return x, y

    cuped = [
        cuped_case("rho 0.7", [correlated(400, 0.7, 0), correlated(420, 0.7, 1.5)], 0.05),
        cuped_case("rho 0.3, small", [correlated(60, 0.3, 0), correlated(55, 0.3, 2)], 0.05),
    ]
    srm = [
        srm_case("balanced", [5000, 5210], [1, 1]),
        srm_case("mismatch", [5000, 5400], [1, 1]),
        srm_case("planned 20/30/50", [1980, 3075, 4890], [0.2, 0.3, 0.5]),
    ]
    corrections = [
        corrections_case("ten metrics", rng.uniform(0, 0.2, 10)),
        corrections_case("ties and a 1", [0.01, 0.04, 0.03, 0.04, 1.0, 0.001]),
        corrections_case("one test", [0.03]),
    ]
    bayesian = [bayesian_case("likely win", 0.02, 0.01), bayesian_case("likely loss", -0.5, 0.3), bayesian_case("toss-up", 0.0, 2.0)]

    doc = {
        "generator": "bench/reference/stats_fixtures.py",
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__},
        "welch": welch,
        "proportions": proportions,
        "chiSquare": chi_square,
        "ratio": ratios,
        "relativeMean": relative,
        "cuped": cuped,
        "srm": srm,
        "corrections": corrections,
        "bayesian": bayesian,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, indent=1)
    # Arrays of numbers on one line each: the file stays small and its diffs readable.
    text = re.sub(r"\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]", lambda m: "[" + ", ".join(m.group(1).split()).replace(",,", ",") + "]", text)
    OUT.write_text(text + "\n")
    print(f"wrote {OUT.relative_to(OUT.parents[3])} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
