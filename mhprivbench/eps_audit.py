"""Empirical epsilon audit from membership scores (Jagielski et al. 2020): a per-record epsilon lower bound through
group privacy (``mhprivbench.group_privacy``), and its ceiling, the largest bound the same test could report at its
sample size. A bound above a mechanism's declared epsilon is a bug in the mechanism or its accountant; a ceiling
below it means the audit cannot see.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from mhprivbench.group_privacy import author_level
from mhprivbench.stats import cp_lower, cp_upper

# Quantile levels of the pooled scores used as thresholds for the epsilon lower bound: a small fixed grid, dense in
# both tails where the bound is decided, plus the non-member share (see audit_thresholds). Bonferroni-corrected over
# every (threshold, one-sided bound) pair.
EPS_THRESHOLD_LEVELS = (0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999)

class EpsAudit(NamedTuple):
    """An epsilon audit: the 1 - alpha lower bound, the largest bound the same test could report (perfect
    separation at the same sample sizes and threshold count), and the number of thresholds tested."""

    lower_bound: float
    ceiling: float
    n_thresholds: int


def audit_thresholds(member: np.ndarray, nonmember: np.ndarray,
                     levels: tuple[float, ...] = EPS_THRESHOLD_LEVELS) -> np.ndarray:
    """Pooled-score quantiles at ``levels`` and at the non-member share n_non / (n_mem + n_non), deduplicated.
    The last one falls strictly between the classes of a perfectly separated sample, so such a sample reaches
    ``eps_ceiling``."""
    pooled = np.concatenate([member, nonmember])
    share = len(nonmember) / len(pooled)
    return np.unique(np.quantile(pooled, sorted({*levels, share})))


def rate_bounds(member, nonmember, thresholds, *, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Per threshold ("member" when score >= t): one-sided Clopper-Pearson lower bound on the TPR and upper bound
    on the FPR, each at alpha / (2 * thresholds) (Bonferroni over every threshold and bound)."""
    member, nonmember = np.sort(np.asarray(member, float)), np.sort(np.asarray(nonmember, float))
    thresholds = np.asarray(thresholds, float)
    a = alpha / (2 * len(thresholds))
    tp = len(member) - np.searchsorted(member, thresholds, side="left")
    fp = len(nonmember) - np.searchsorted(nonmember, thresholds, side="left")
    return cp_lower(tp, len(member), a), cp_upper(fp, len(nonmember), a)


def violated_eps(tpr_low, fpr_high, *, delta: float = 0.0) -> float:
    """The largest epsilon whose (epsilon, delta)-DP some (TPR, FPR) pair violates, floored at 0.

    (epsilon, delta)-DP implies TPR <= e^eps FPR + delta and 1 - FPR <= e^eps (1 - TPR) + delta, so a pair
    violates every eps < max(log((TPR - delta) / FPR), log((1 - FPR - delta) / (1 - TPR))).
    """
    tpr, fpr = np.asarray(tpr_low, float), np.asarray(fpr_high, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        forward = np.where((tpr - delta > 0) & (fpr > 0), np.log((tpr - delta) / fpr), -np.inf)
        backward = np.where((1 - fpr - delta > 0) & (1 - tpr > 0), np.log((1 - fpr - delta) / (1 - tpr)), -np.inf)
    return max(0.0, float(np.max(np.concatenate([np.ravel(forward), np.ravel(backward)]))))


def _violates(tpr, fpr, epsilon: float, delta: float) -> bool:
    """Whether some pair contradicts (epsilon, delta)-DP."""
    scale = math.exp(epsilon)
    return bool(np.any((tpr > scale * fpr + delta) | (1 - fpr > scale * (1 - tpr) + delta)))


def per_record_eps(tpr_low, fpr_high, *, delta: float = 0.0, k: int = 1, iterations: int = 100) -> float:
    """The largest per-record epsilon whose group guarantee for groups of k, (k eps, k e^((k - 1) eps) delta)-DP,
    some observed (TPR lower bound, FPR upper bound) pair violates.

    The group guarantee weakens as eps grows, so the violated eps form an interval [0, eps*): bisection, keeping
    the largest eps verified as violated. With delta = 0 it is ``violated_eps / k`` exactly; a delta > 0 only
    shrinks it.
    """
    if k < 1:
        raise ValueError(f"k must be >= 1, got {k}")
    tpr, fpr = np.ravel(np.asarray(tpr_low, float)), np.ravel(np.asarray(fpr_high, float))
    upper = violated_eps(tpr, fpr) / k
    if delta <= 0 or upper <= 0:
        return upper
    low, high = 0.0, upper
    if not _violates(tpr, fpr, 0.0, author_level(0.0, delta, k)[1]):
        return 0.0
    for _ in range(iterations):
        middle = (low + high) / 2
        if _violates(tpr, fpr, k * middle, author_level(middle, delta, k)[1]):
            low = middle
        else:
            high = middle
    return low


def eps_ceiling(n_member: int, n_nonmember: int, *, n_thresholds: int, alpha: float = 0.05, delta: float = 0.0,
                k: int = 1) -> float:
    """The largest bound ``eps_audit`` can report at these sample sizes: perfect separation (TP = n_member,
    FP = 0), i.e. TPR >= a^(1 / n_member) and FPR <= 1 - a^(1 / n_nonmember) with a = alpha / (2 * n_thresholds),
    through the same group-privacy step. A ceiling below the declared epsilon means the audit cannot see."""
    if n_member < 1 or n_nonmember < 1 or n_thresholds < 1:
        raise ValueError("eps_ceiling needs n_member, n_nonmember and n_thresholds >= 1")
    a = alpha / (2 * n_thresholds)
    tpr_low, fpr_high = a ** (1 / n_member), 1 - a ** (1 / n_nonmember)
    return per_record_eps([tpr_low], [fpr_high], delta=delta, k=k)


def eps_audit(
    member, nonmember, *, alpha: float = 0.05, delta: float = 0.0, k: int = 1,
    levels: tuple[float, ...] = EPS_THRESHOLD_LEVELS,
) -> EpsAudit:
    """Empirical per-record epsilon lower bound after Jagielski et al. (2020), valid with confidence 1 - alpha,
    for trials that each include or exclude a group of up to k records (k = 1: single records), with its ceiling.

    Thresholds come from ``audit_thresholds``; ``rate_bounds`` gives the conservative ends (a lower bound on the
    TPR, an upper bound on the FPR; Jagielski et al.'s upper bounds on the false-negative and false-positive
    rates); ``per_record_eps`` turns them into the per-record epsilon that group privacy allows.
    Caveat: the grid comes from the same scores (its quantiles), a mild data dependence the correction ignores.
    """
    member, nonmember = np.asarray(member, float), np.asarray(nonmember, float)
    if not len(member) or not len(nonmember):
        raise ValueError("eps_audit needs at least one member and one non-member score")
    thresholds = audit_thresholds(member, nonmember, levels)
    tpr_low, fpr_high = rate_bounds(member, nonmember, thresholds, alpha=alpha)
    bound = per_record_eps(tpr_low, fpr_high, delta=delta, k=k)
    ceiling = eps_ceiling(len(member), len(nonmember), n_thresholds=len(thresholds), alpha=alpha, delta=delta, k=k)
    return EpsAudit(lower_bound=bound, ceiling=ceiling, n_thresholds=len(thresholds))


def eps_lower_bound(member, nonmember, *, alpha: float = 0.05, delta: float = 0.0, k: int = 1,
                    levels: tuple[float, ...] = EPS_THRESHOLD_LEVELS) -> float:
    """``eps_audit(...).lower_bound``."""
    return eps_audit(member, nonmember, alpha=alpha, delta=delta, k=k, levels=levels).lower_bound


# --- one-run audit (Steinke, Nasr and Jagielski 2023) -------------------------------------------------------------

def one_run_p_value(r: int, v: int, epsilon: float, *, m: int, delta: float = 0.0) -> float:
    """P[at least v of r guesses correct] allowed by (epsilon, delta)-DP in the one-run game (Steinke, Nasr and
    Jagielski 2023, main theorem): m canaries, each included independently with probability 1/2, r of them guessed.

    With q = e^eps / (1 + e^eps): P[Binomial(r, q) >= v] + 2 m delta max_{i = 1..v} P[v - i <= Binomial(r, q) < v] / i
    (the second term vanishes for pure DP), capped at 1.
    """
    from scipy.stats import binom

    if not 0 <= v <= r <= m:
        raise ValueError(f"one-run audit needs 0 <= v <= r <= m, got v={v}, r={r}, m={m}")
    q = 1.0 / (1.0 + math.exp(-epsilon))
    tail = float(binom.sf(v - 1, r, q))
    if delta > 0 and v > 0:
        below = np.cumsum(binom.pmf(np.arange(v - 1, -1, -1), r, q))  # P[v - i <= Bin < v], i = 1..v
        tail += 2 * m * delta * float(np.max(below / np.arange(1, v + 1)))
    return min(1.0, tail)


def one_run_eps_lower_bound(r: int, v: int, *, m: int, delta: float = 0.0, alpha: float = 0.05,
                            iterations: int = 60) -> float:
    """The one-run 1 - alpha lower bound: the largest epsilon whose p-value for v of r correct guesses is still
    <= alpha (bisection; 0 when even epsilon = 0 explains the count). Correlated canaries are handled by the
    theorem, not by a Clopper-Pearson interval over them."""
    if r == 0 or one_run_p_value(r, v, 0.0, m=m, delta=delta) > alpha:
        return 0.0
    low, high = 0.0, 1.0
    while one_run_p_value(r, v, high, m=m, delta=delta) <= alpha:
        low, high = high, 2 * high
        if high > 1e3:
            return low
    for _ in range(iterations):
        middle = (low + high) / 2
        if one_run_p_value(r, v, middle, m=m, delta=delta) <= alpha:
            low = middle
        else:
            high = middle
    return low


def one_run_ceiling(r: int, *, m: int, delta: float = 0.0, alpha: float = 0.05) -> float:
    """The largest one-run bound at r guesses: all r correct. With delta = 0 it solves q^r = alpha,
    eps = log(q / (1 - q)) with q = alpha^(1/r)."""
    return one_run_eps_lower_bound(r, r, m=m, delta=delta, alpha=alpha)
