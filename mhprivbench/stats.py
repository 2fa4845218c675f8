"""Confidence intervals and attack summaries: pure functions, numpy arrays in, floats (or Scores) out.

- ``wilson`` / ``clopper_pearson``: binomial proportion intervals (Clopper-Pearson from beta quantiles).
- ``bootstrap_ci``: percentile bootstrap that resamples rows of several arrays jointly and skips degenerate
  resamples (a statistic that raises ``ValueError`` or returns a non-finite value, e.g. AUC on one class).
- ``roc_summary``: AUC, TPR at low FPR, advantage and an empirical epsilon lower bound for a membership test.
- ``residual_risk``: anonymeter's risk above the control attack.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence

import numpy as np
from scipy.stats import beta, norm, rankdata
from sklearn.metrics import roc_auc_score, roc_curve

from mhprivbench.types import Score

# Quantile levels of the pooled scores used as thresholds for the epsilon lower bound: a small fixed grid, dense in
# both tails where the bound is decided. Bonferroni-corrected over every (threshold, one-sided bound) pair.
EPS_THRESHOLD_LEVELS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999)
LOW_FPRS = {"tpr_at_1pct_fpr": 0.01, "tpr_at_0.1pct_fpr": 0.001}


def _check_counts(k: float, n: float) -> None:
    if n < 0 or k < 0 or k > n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")


def wilson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Wilson score interval (no continuity correction) for k successes in n trials."""
    _check_counts(k, n)
    if n == 0:
        return 0.0, 1.0
    z = float(norm.ppf(1 - alpha / 2))
    p = k / n
    denom = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, center - half), min(1.0, center + half)


def cp_lower(k, n, alpha_one_sided: float):
    """One-sided Clopper-Pearson lower bound (vectorized; k may be fractional)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        bound = beta.ppf(alpha_one_sided, np.maximum(k, 1e-12), np.maximum(n - k + 1, 1e-12))
    return np.where(k <= 0, 0.0, bound)


def cp_upper(k, n, alpha_one_sided: float):
    """One-sided Clopper-Pearson upper bound (vectorized; k may be fractional)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        bound = beta.ppf(1 - alpha_one_sided, k + 1, np.maximum(n - k, 1e-12))
    return np.where(k >= n, 1.0, bound)


def clopper_pearson(k: int, n: int, alpha: float = 0.05) -> tuple[float, float]:
    """Exact (Clopper-Pearson) two-sided interval; n == 0 gives (0, 1)."""
    _check_counts(k, n)
    if n == 0:
        return 0.0, 1.0
    return float(cp_lower(k, n, alpha / 2)), float(cp_upper(k, n, alpha / 2))


def bootstrap_ci(
    statistic: Callable[..., float], *arrays, n_resamples: int = 1000, alpha: float = 0.05, seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``statistic(*arrays)``, resampling rows of all arrays jointly.

    Resamples where the statistic raises ValueError/ZeroDivisionError or is not finite are skipped (scipy's
    ``bootstrap`` cannot skip them). Returns (nan, nan) when no resample is usable.
    """
    return bootstrap_cis(lambda *resampled: (statistic(*resampled),), *arrays, n_values=1,
                         n_resamples=n_resamples, alpha=alpha, seed=seed)[0]


def bootstrap_cis(
    statistic: Callable[..., Sequence[float]], *arrays, n_values: int, n_resamples: int = 1000, alpha: float = 0.05,
    seed: int = 0,
) -> list[tuple[float, float]]:
    """``bootstrap_ci`` for a statistic returning several values computed together: one interval per value, all
    over the same resamples (equal to separate ``bootstrap_ci`` calls with the same seed, at the cost of one).
    A resample is skipped for every value when the statistic raises, and for one value when it is not finite."""
    arrays = tuple(np.asarray(a) for a in arrays)
    if not arrays:
        raise ValueError("bootstrap_ci needs at least one array")
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise ValueError(f"arrays must have the same length, got {[len(a) for a in arrays]}")
    rng = np.random.default_rng(seed)
    values: list[list[float]] = [[] for _ in range(n_values)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(n_resamples if n else 0):
            idx = rng.integers(0, n, size=n)
            try:
                found = [float(v) for v in statistic(*(a[idx] for a in arrays))]
            except (ValueError, ZeroDivisionError, FloatingPointError):
                continue
            for column, value in zip(values, found, strict=True):
                if math.isfinite(value):
                    column.append(value)
    intervals = [np.percentile(column, [100 * alpha / 2, 100 * (1 - alpha / 2)]) if column else (np.nan, np.nan)
                 for column in values]
    return [(float(low), float(high)) for low, high in intervals]


def interval_score(
    value: float, low: float, high: float, *, higher_is_better: bool, baseline: float,
    control: float | None = None, n: int | None = None,
) -> Score:
    """A Score whose interval is widened, if needed, to contain the point estimate (a percentile bootstrap of a
    biased statistic such as a maximum can exclude it); a missing (nan) bound collapses onto the value."""
    low = value if not math.isfinite(low) else min(low, value)
    high = value if not math.isfinite(high) else max(high, value)
    return Score(value=float(value), ci_low=float(low), ci_high=float(high), higher_is_better=higher_is_better,
                 baseline=None if baseline is None else float(baseline),
                 control=None if control is None else float(control), n=n)


def proportion_score(
    k: int, n: int, *, higher_is_better: bool, baseline: float, control: float | None = None, alpha: float = 0.05,
) -> Score:
    """k/n with its Wilson interval."""
    if n <= 0:
        raise ValueError("proportion_score needs n >= 1")
    low, high = wilson(k, n, alpha)
    return interval_score(k / n, low, high, higher_is_better=higher_is_better, baseline=baseline,
                          control=control, n=int(n))


def residual_risk(attack_rate: float, control_rate: float, baseline: float = 0.0) -> float:
    """Anonymeter's residual risk (attack - control) / (1 - control), in [0, 1].

    The reference is the better of the control attack and the random-guess baseline: an attacker gets the baseline
    rate without the release, so only success above both is risk caused by the release.
    """
    reference = max(control_rate, baseline)
    if reference >= 1:
        return 0.0
    return float(min(1.0, max(0.0, (attack_rate - reference) / (1 - reference))))


def fast_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC via the Mann-Whitney rank sum (ties count 1/2), equal to roc_auc_score without its per-call
    validation overhead, for bootstrap loops. Raises ValueError when a class is missing."""
    positive = labels == 1
    n_pos = int(positive.sum())
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("AUC needs both classes")
    ranks = rankdata(scores)
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def fast_advantage(labels: np.ndarray, scores: np.ndarray) -> float:
    """max over thresholds of TPR - FPR (the ROC points of roc_curve), for bootstrap loops."""
    positive = labels == 1
    n_pos = int(positive.sum())
    n_neg = len(labels) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("advantage needs both classes")
    _, inverse = np.unique(-scores, return_inverse=True)  # groups of tied scores, highest first
    tp = np.cumsum(np.bincount(inverse, weights=positive))
    fp = np.cumsum(np.bincount(inverse, weights=~positive))
    return float(max(0.0, np.max(tp / n_pos - fp / n_neg)))


def tpr_at_fpr(fpr: np.ndarray, tpr: np.ndarray, target: float) -> float:
    """TPR at ``target`` FPR, linearly interpolated on the ROC curve (achievable by randomizing between two
    thresholds); at an FPR the curve reaches exactly, the highest TPR there."""
    i = int(np.searchsorted(fpr, target, side="right")) - 1
    if i >= len(fpr) - 1 or fpr[i] == target:
        return float(tpr[i])
    j = i + 1
    return float(tpr[i] + (tpr[j] - tpr[i]) * (target - fpr[i]) / (fpr[j] - fpr[i]))


def eps_lower_bound(
    member: np.ndarray, nonmember: np.ndarray, *, alpha: float = 0.05, delta: float = 0.0,
    levels: tuple[float, ...] = EPS_THRESHOLD_LEVELS,
) -> float:
    """Empirical epsilon lower bound after Jagielski et al. (2020), valid with confidence 1 - alpha.

    For each threshold t ("member" when score >= t) on a fixed grid of pooled-score quantiles, (eps, delta)-DP
    implies TPR <= e^eps FPR + delta and 1 - FPR <= e^eps (1 - TPR) + delta, hence
    eps >= max(log((TPR_low - delta) / FPR_high), log((1 - FPR_high - delta) / (1 - TPR_low))): both forms use
    the conservative ends, a lower bound on TPR and an upper bound on FPR (Jagielski et al.'s upper bounds on the
    false-negative and false-positive rates). One-sided Clopper-Pearson bounds at alpha / (2 * thresholds)
    (Bonferroni over every threshold and bound); the result is floored at 0.
    Caveat: the grid comes from the same scores (its quantiles), a mild data dependence the correction ignores.
    """
    member, nonmember = np.sort(np.asarray(member, float)), np.sort(np.asarray(nonmember, float))
    n_m, n_n = len(member), len(nonmember)
    thresholds = np.unique(np.quantile(np.concatenate([member, nonmember]), levels))
    tp = n_m - np.searchsorted(member, thresholds, side="left")
    fp = n_n - np.searchsorted(nonmember, thresholds, side="left")
    a = alpha / (2 * len(thresholds))
    tpr_lo, fpr_hi = cp_lower(tp, n_m, a), cp_upper(fp, n_n, a)
    with np.errstate(divide="ignore", invalid="ignore"):
        forward = np.where((tpr_lo - delta > 0) & (fpr_hi > 0), np.log((tpr_lo - delta) / fpr_hi), -np.inf)
        backward = np.where((1 - fpr_hi - delta > 0) & (1 - tpr_lo > 0),
                            np.log((1 - fpr_hi - delta) / (1 - tpr_lo)), -np.inf)
    best = float(np.max(np.concatenate([forward, backward])))
    return max(0.0, best)


def roc_summary(
    member_scores, nonmember_scores, *, seed: int, n_resamples: int = 500, alpha: float = 0.05, delta: float = 0.0,
) -> dict[str, Score]:
    """Membership-test summary (higher score = "member"); every Score is attack success, lower is better.

    Keys: auc (bootstrap CI), tpr_at_1pct_fpr and tpr_at_0.1pct_fpr (interpolated; Clopper-Pearson on the
    effective TPR count), advantage = max(TPR - FPR) (bootstrap CI), eps_lower_bound (already a 1 - alpha lower
    bound: its interval is the point).
    """
    member, nonmember = np.asarray(member_scores, float), np.asarray(nonmember_scores, float)
    if not len(member) or not len(nonmember):
        raise ValueError("roc_summary needs at least one member and one non-member score")
    if not (np.all(np.isfinite(member)) and np.all(np.isfinite(nonmember))):
        raise ValueError("roc_summary needs finite scores")
    labels = np.concatenate([np.ones(len(member)), np.zeros(len(nonmember))])
    scores = np.concatenate([member, nonmember])
    n = len(scores)
    boot = {"n_resamples": n_resamples, "alpha": alpha, "seed": seed}
    auc = float(roc_auc_score(labels, scores))
    out = {"auc": interval_score(auc, *bootstrap_ci(fast_auc, labels, scores, **boot),
                                 higher_is_better=False, baseline=0.5, n=n)}
    fpr, tpr, _ = roc_curve(labels, scores, drop_intermediate=False)
    for key, target in LOW_FPRS.items():
        value = tpr_at_fpr(fpr, tpr, target)
        k = value * len(member)
        low, high = float(cp_lower(k, len(member), alpha / 2)), float(cp_upper(k, len(member), alpha / 2))
        out[key] = interval_score(value, low, high, higher_is_better=False, baseline=target, n=len(member))
    advantage = float(np.max(tpr - fpr))
    out["advantage"] = interval_score(advantage, *bootstrap_ci(fast_advantage, labels, scores, **boot),
                                      higher_is_better=False, baseline=0.0, n=n)
    eps = eps_lower_bound(member, nonmember, alpha=alpha, delta=delta)
    out["eps_lower_bound"] = interval_score(eps, eps, eps, higher_is_better=False, baseline=0.0, n=n)
    return out
