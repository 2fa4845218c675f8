"""mia_lira: the likelihood-ratio attack of Carlini et al. 2022 ("Membership inference attacks from first
principles"), online and offline, with K reference models trained through the mechanism (``retrain``).

**Reference models** (``_reference_models``): each point of a challenge pool (train members and control
non-members, at most ``max_pool``) is IN for exactly K/2 of K reference models; each model is the mechanism
applied to its half (``retrain(half, seed=k)``), and for a records release the target's reference classifier
fit on what the mechanism released.

**Score.** phi = log(p / (1 - p)), p the probability a model gives the true label (clipped to [1e-12, 1 - 1e-12]).
For every point, Gaussians are fit to the phi of the reference models that held it (IN) and of those that did not
(OUT). Online: log N(phi; mu_in, s_in^2) - log N(phi; mu_out, s_out^2). Offline: the one-sided test against OUT
only, (phi - mu_out) / s_out (monotone in its p-value). ``fixed_variance`` (default, as Carlini et al. advise for
fewer than 64 models) uses one variance per side, pooled over all points; otherwise per-point variances (pooled
where a side has a single model).

**Targets: the release, and every reference model doubling as a target, as Carlini et al. do.** The release's
target (released model or the reference classifier on released records) is scored against all K models, with
members = pool points in ``splits.train``. Then each reference model k in turn is a target: every pool point is
scored against the other K - 1 models, members = the points of k's half. The scores of all K + 1 targets are
pooled, so about (K + 1) * n / 2 non-member scores support the low-FPR figures (TPR at 1% FPR needs 500, at 0.1%
needs 5,000; ``stats.unsupported_low_fprs``). Pooled scores are not independent (each pool point
appears under every target, and the scores of one target share its training run), so the intervals come from a
two-way bootstrap that resamples targets and pool points (``_pooled_intervals``), not single scores; the figure
measures the mechanism on random halves of the pool as much as this one release. At most ``max_scores_per_side``
pooled scores per side are kept (seeded) for the point estimates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench.attacks._reference_models import (
    pooled_summary,
    reference_set,
    refused,
    true_label_signals,
)
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Release, Score, Splits
from mhprivbench.validation import check_int

MIN_VARIANCE = 1e-6  # a side whose phi never varies (a lookup-table model) still gets a finite likelihood
SCORE_DECIMALS = 9


def gaussian_fit(phi: np.ndarray, mask: np.ndarray, *, leave_one_out: bool,
                 fixed_variance: bool) -> tuple[np.ndarray, np.ndarray]:
    """Mean and variance of ``phi`` (K, n) over the models where ``mask`` is true, per point.

    ``leave_one_out``: row k of the result leaves model k out (shape (K, n)); otherwise one row over all models.
    Variance: pooled over all points (``fixed_variance``) or per point, pooled where fewer than two models remain.
    """
    weight = mask.astype(float)
    total, squares, count = (weight * phi).sum(0), (weight * phi ** 2).sum(0), weight.sum(0)
    if leave_one_out:
        total, squares, count = total - weight * phi, squares - weight * phi ** 2, count - weight
    else:
        total, squares, count = total[None], squares[None], count[None]
    mean = total / np.maximum(count, 1)
    deviations = np.maximum(squares - count * mean ** 2, 0.0)
    pooled = deviations.sum(1, keepdims=True) / np.maximum(np.maximum(count - 1, 0).sum(1, keepdims=True), 1)
    if fixed_variance:
        variance = np.broadcast_to(pooled, mean.shape)
    else:
        variance = np.where(count >= 2, deviations / np.maximum(count - 1, 1), pooled)
    return mean, np.maximum(variance, MIN_VARIANCE)


def _log_normal(x: np.ndarray, mean: np.ndarray, variance: np.ndarray) -> np.ndarray:
    return -0.5 * ((x - mean) ** 2 / variance + np.log(2 * np.pi * variance))


def lira_scores(phi: np.ndarray, fit_in, fit_out, *, online: bool) -> np.ndarray:
    """Online: the log likelihood ratio IN vs OUT; offline: the standardized distance above the OUT mean."""
    mean_out, variance_out = fit_out
    if not online:
        return (phi - mean_out) / np.sqrt(variance_out)
    mean_in, variance_in = fit_in
    return _log_normal(phi, mean_in, variance_in) - _log_normal(phi, mean_out, variance_out)


def all_target_scores(phi: np.ndarray, inside: np.ndarray, target_phi: np.ndarray, *, online: bool,
                      fixed_variance: bool) -> np.ndarray:
    """(K + 1, n) scores: row 0 the release's target against all K models, row k + 1 reference model k against
    the other K - 1."""
    fits = {}
    for leave_one_out in (False, True):
        fits[leave_one_out] = [gaussian_fit(phi, mask, leave_one_out=leave_one_out, fixed_variance=fixed_variance)
                               for mask in (inside, ~inside)]
    release_row = lira_scores(target_phi, *fits[False], online=online)
    rows = np.vstack([release_row, lira_scores(phi, *fits[True], online=online)])
    return np.round(rows, SCORE_DECIMALS)  # equal scores stay tied whatever the rounding of the sums


@register("attack", "mia_lira")
@dataclass
class MiaLira(Attack):
    """LiRA with ``n_reference`` reference models through the mechanism (module docstring)."""

    n_reference: int = 16
    online: bool = True  # also report the online variant (mia.lira.*); the offline one is always reported
    max_pool: int = 2000
    fixed_variance: bool = True
    max_scores_per_side: int = 10000
    n_bootstrap: int = 500

    applies_to: ClassVar[frozenset[str]] = frozenset({"model", "records"})

    def __post_init__(self) -> None:
        check_int("n_reference", self.n_reference, 4)
        check_int("max_pool", self.max_pool, 4)
        check_int("max_scores_per_side", self.max_scores_per_side, 1)
        check_int("n_bootstrap", self.n_bootstrap, 1)

    def applies(self, release: Release, splits: Splits) -> bool:
        return release.kind in self.applies_to and bool(splits.train) and bool(splits.control)

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        target = self.queried_model(release, splits, target)
        if target is None:
            return {}
        if refused(self, "mia_lira", release, target, retrain):
            return {}
        refs = reference_set(release, splits, target=target, retrain=retrain, seed=seed,
                             n_reference=self.n_reference, max_pool=self.max_pool)
        phi, target_phi = refs.pool_signals.logit, true_label_signals(target, refs.pool).logit
        members = np.vstack([refs.member[None], refs.inside])
        scores: dict[str, Score] = {}
        for prefix, online in (("mia.lira", True), ("mia.lira_offline", False)):
            if online and not self.online:
                continue
            rows = all_target_scores(phi, refs.inside, target_phi, online=online, fixed_variance=self.fixed_variance)
            found, missing = pooled_summary(prefix, rows, members, seed=seed, max_per_side=self.max_scores_per_side,
                                            n_bootstrap=self.n_bootstrap)
            scores.update(found)
            self.not_applicable_.update(missing)
        return scores
