"""Intervals for membership scores pooled over several targets (``mia_lira``, ``mia_rmia``): a two-way bootstrap.

Pooled scores are not independent: every challenge point is scored under every target (the release's and each
reference model's), and the scores of one target share its training run. Resampling single scores as if
independent gives intervals that are too narrow. Here each resample draws the targets (rows) with replacement
and, independently, the challenge points (columns) with replacement, and recomputes the statistic over every
(target, point) cell drawn: the "pigeonhole" bootstrap for crossed random effects (Owen 2007), which is
conservative rather than optimistic when both factors matter. A cell's membership (member for that target or
not) comes along with its score.

Fast: a resample is a weighting of the original cells (cell (t, p) counts w_t * w_p times), so the cells are
sorted once and each statistic is a weighted sum over groups of tied scores, with the same definitions as the
unweighted ones (``stats.fast_auc``: ties count one half; ``stats.fast_advantage``; ``stats.tpr_at_fpr_scores``:
the threshold is the (j + 1)-th largest non-member score, j = floor(fpr * non-members), tied members counted for
the share of tied non-members the FPR still admits).
"""

from __future__ import annotations

import math

import numpy as np

from mhprivbench import stats


class SortedCells:
    """The (targets, points) cells sorted by score once, with their groups of tied scores."""

    def __init__(self, scores: np.ndarray, members: np.ndarray):
        self.shape = scores.shape
        self.order = np.argsort(scores, axis=None, kind="stable")
        ordered = scores.ravel()[self.order]
        self.member = members.ravel()[self.order]
        self.starts = np.flatnonzero(np.r_[True, np.diff(ordered) != 0])

    def group_weights(self, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(member weight, non-member weight) per tie group, ascending scores, for cell weights (T, n)."""
        w = weights.ravel()[self.order]
        return np.add.reduceat(w * self.member, self.starts), np.add.reduceat(w * ~self.member, self.starts)


def weighted_auc(pos: np.ndarray, neg: np.ndarray) -> float:
    below = np.cumsum(neg) - neg  # non-member weight strictly below each group
    return float(np.sum(pos * (below + 0.5 * neg)) / (pos.sum() * neg.sum()))


def weighted_advantage(pos: np.ndarray, neg: np.ndarray) -> float:
    tpr = np.cumsum(pos[::-1]) / pos.sum()  # thresholds at each group, highest first
    fpr = np.cumsum(neg[::-1]) / neg.sum()
    return float(max(0.0, np.max(tpr - fpr)))


def weighted_tpr_at_fpr(pos: np.ndarray, neg: np.ndarray, fpr: float) -> float:
    down_pos, down_neg = pos[::-1], neg[::-1]  # groups from the highest score
    n_neg = down_neg.sum()
    allowed = fpr * n_neg
    j = min(math.floor(allowed + 1e-9), n_neg - 1)
    cum_neg = np.cumsum(down_neg)
    g = int(np.searchsorted(cum_neg, j + 1 - 1e-9))  # the group holding the (j + 1)-th largest non-member
    fp_above = cum_neg[g] - down_neg[g]
    tp_above = down_pos[:g].sum()
    share = min(1.0, max(0.0, (allowed - fp_above) / down_neg[g]))
    return float((tp_above + down_pos[g] * share) / down_pos.sum())


def statistic(key: str):
    """(pos, neg) -> value for a pooled key: auc, advantage or a ``stats.LOW_FPRS`` key; None for any other."""
    if key == "auc":
        return weighted_auc
    if key == "advantage":
        return weighted_advantage
    if key in stats.LOW_FPRS:
        return lambda pos, neg: weighted_tpr_at_fpr(pos, neg, stats.LOW_FPRS[key])
    return None


def two_way_intervals(scores: np.ndarray, members: np.ndarray, keys, *, seed: int, n_resamples: int,
                      alpha: float = 0.05) -> dict[str, tuple[float, float]]:
    """{key: (low, high)}: percentile intervals of each statistic over ``n_resamples`` two-way resamples of the
    (targets, points) matrices ``scores`` and ``members``; a resample missing a class is drawn again (at most 10x)."""
    scores, members = np.asarray(scores, float), np.asarray(members, bool)
    wanted = {key: f for key in keys if (f := statistic(key)) is not None}
    cells = SortedCells(scores, members)
    rng = np.random.default_rng([seed, 0x2A7])
    values: dict[str, list[float]] = {key: [] for key in wanted}
    drawn = 0
    for _ in range(10 * n_resamples):
        rows = np.bincount(rng.integers(scores.shape[0], size=scores.shape[0]), minlength=scores.shape[0])
        cols = np.bincount(rng.integers(scores.shape[1], size=scores.shape[1]), minlength=scores.shape[1])
        pos, neg = cells.group_weights(np.outer(rows, cols).astype(float))
        if pos.sum() == 0 or neg.sum() == 0:
            continue
        for key, f in wanted.items():
            values[key].append(f(pos, neg))
        drawn += 1
        if drawn >= n_resamples:
            break
    bounds = (100 * alpha / 2, 100 * (1 - alpha / 2))
    return {key: tuple(float(v) for v in np.percentile(found, bounds)) for key, found in values.items() if found}
