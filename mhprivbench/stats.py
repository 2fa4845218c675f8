"""Confidence intervals and attack summaries: pure functions, numpy arrays in, floats (or Scores) out.

- ``wilson`` / ``clopper_pearson``: binomial proportion intervals (Clopper-Pearson from beta quantiles).
- ``bootstrap_ci``: percentile bootstrap that resamples rows of several arrays jointly and skips degenerate
  resamples (a statistic that raises ``ValueError`` or returns a non-finite value, e.g. AUC on one class).
- ``roc_summary``: AUC, advantage, and TPR at low FPR where enough non-members support it, for a membership test.
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

LOW_FPRS = {"tpr_at_1pct_fpr": 0.01, "tpr_at_0.1pct_fpr": 0.001}
MIN_NONMEMBERS_PER_FPR = 5  # TPR at FPR f is reported only with >= 5 / f non-member scores


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


# --- TPR at a low FPR, only where the non-member sample supports it -------------------------------------------

def min_nonmembers(fpr: float) -> int:
    """Non-member scores needed to report TPR at ``fpr``: ``MIN_NONMEMBERS_PER_FPR / fpr`` (5 false positives
    expected at the threshold; with fewer the threshold sits on one or two non-members and means little)."""
    if not 0 < fpr < 1:
        raise ValueError(f"fpr must be in (0, 1), got {fpr}")
    return math.ceil(MIN_NONMEMBERS_PER_FPR / fpr - 1e-9)


LOW_FPR_HINT = ("use a larger dataset (e.g. `n_personas`) or `split: {control: ...}` share, more `n_reference` "
                "models (LiRA, RMIA), or a higher cap (`max_per_side`, `max_scores_per_side`)")  # the settings to change


def unsupported_low_fprs(n_nonmember: int) -> dict[str, str]:
    """{key of ``LOW_FPRS``: one-line reason} for every low-FPR TPR that ``n_nonmember`` scores cannot support."""
    return {key: f"needs >= {min_nonmembers(fpr)} non-member scores, has {n_nonmember}: {LOW_FPR_HINT}"
            for key, fpr in LOW_FPRS.items() if n_nonmember < min_nonmembers(fpr)}


def tpr_at_fpr_scores(member, nonmember, fpr: float):
    """TPR at ``fpr`` from raw scores ("member" when score >= threshold), equal to ``tpr_at_fpr`` on the full ROC
    curve (linear interpolation across tied scores); vectorized: 2-D inputs give one value per row.

    The threshold t is the (j + 1)-th largest non-member score, j = floor(fpr * n_non): members above t count
    fully, members tied with t count for the share of the tied non-members that ``fpr`` still admits.
    """
    member, nonmember = np.asarray(member, float), np.asarray(nonmember, float)
    one = member.ndim == 1
    member, nonmember = np.atleast_2d(member), np.atleast_2d(nonmember)
    n_non = nonmember.shape[1]
    allowed = fpr * n_non
    j = min(int(math.floor(allowed + 1e-9)), n_non - 1)
    t = np.partition(nonmember, n_non - 1 - j, axis=1)[:, n_non - 1 - j][:, None]
    fp_above, fp_tied = (nonmember > t).sum(axis=1), (nonmember == t).sum(axis=1)
    tp_above, tp_tied = (member > t).sum(axis=1), (member == t).sum(axis=1)
    share = np.clip((allowed - fp_above) / fp_tied, 0.0, 1.0)
    tpr = (tp_above + tp_tied * share) / member.shape[1]
    return float(tpr[0]) if one else tpr


def tpr_at_fpr_interval(
    member, nonmember, fpr: float, *, n_resamples: int = 500, alpha: float = 0.05, seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of ``tpr_at_fpr_scores`` that covers the FPR's uncertainty too: members and
    non-members are resampled independently and the threshold is re-derived from each non-member resample."""
    member, nonmember = np.asarray(member, float), np.asarray(nonmember, float)
    rng = np.random.default_rng(seed)
    members = member[rng.integers(0, len(member), size=(n_resamples, len(member)))]
    nonmembers = nonmember[rng.integers(0, len(nonmember), size=(n_resamples, len(nonmember)))]
    values = tpr_at_fpr_scores(members, nonmembers, fpr)
    low, high = np.percentile(values, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(low), float(high)


# --- membership-test summary ---------------------------------------------------------------------------------------

def roc_summary(
    member_scores, nonmember_scores, *, seed: int, n_resamples: int = 500, alpha: float = 0.05,
    intervals: dict[str, tuple[float, float]] | None = None,
) -> dict[str, Score]:
    """Membership-test summary (higher score = "member"); every Score is attack success, lower is better.

    Keys: auc (bootstrap CI; below 0.5 is chance, not safety: it is reported raw, and reads as the baseline),
    advantage = max(TPR - FPR) (bootstrap CI), and tpr_at_1pct_fpr / tpr_at_0.1pct_fpr only where at least
    ``min_nonmembers(fpr)`` non-member scores support them (``unsupported_low_fprs`` says why one is absent),
    with ``tpr_at_fpr_interval`` (both sides resampled). No epsilon bound: that needs independent trials
    (``eps_audit``, see mia_loss). ``intervals`` (key -> (low, high)) replaces the bootstrap for its keys, for
    scores whose resampling unit is not the single score (``attacks/_pooled_intervals``).
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

    def interval(key, bootstrap):
        return intervals[key] if intervals and key in intervals else bootstrap()

    out = {"auc": interval_score(float(roc_auc_score(labels, scores)),
                                 *interval("auc", lambda: bootstrap_ci(fast_auc, labels, scores, **boot)),
                                 higher_is_better=False, baseline=0.5, n=n)}
    for key, target in supported_low_fprs(len(nonmember)).items():
        value = tpr_at_fpr_scores(member, nonmember, target)
        low, high = interval(key, lambda target=target: tpr_at_fpr_interval(member, nonmember, target, **boot))
        out[key] = interval_score(value, low, high, higher_is_better=False, baseline=target, n=n)
    fpr, tpr, _ = roc_curve(labels, scores, drop_intermediate=False)
    out["advantage"] = interval_score(float(np.max(tpr - fpr)),
                                      *interval("advantage", lambda: bootstrap_ci(fast_advantage, labels, scores, **boot)),
                                      higher_is_better=False, baseline=0.0, n=n)
    return out


def supported_low_fprs(n_nonmember: int) -> dict[str, float]:
    """The ``LOW_FPRS`` that ``n_nonmember`` non-member scores support (``min_nonmembers``)."""
    return {key: fpr for key, fpr in LOW_FPRS.items() if n_nonmember >= min_nonmembers(fpr)}


def membership_scores(prefix: str, member_scores, nonmember_scores, *, seed: int, n_resamples: int = 500,
                      intervals: dict[str, tuple[float, float]] | None = None
                      ) -> tuple[dict[str, Score], dict[str, str]]:
    """``roc_summary`` keyed ``prefix.*``, and the reasons (same keys) why a low-FPR TPR is not reported: the
    (scores, not_applicable) pair every membership attack returns."""
    summary = roc_summary(member_scores, nonmember_scores, seed=seed, n_resamples=n_resamples, intervals=intervals)
    missing = unsupported_low_fprs(len(nonmember_scores))
    return ({f"{prefix}.{key}": score for key, score in summary.items()},
            {f"{prefix}.{key}": reason for key, reason in missing.items()})
