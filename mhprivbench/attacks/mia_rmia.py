"""mia_rmia: the relative membership inference attack of Zarifzadeh et al. 2024 ("Low-cost high-power membership
inference attacks"), offline and online variants, with the reference models of ``_reference_models`` (shared with
``mia_lira`` in one evaluation: the same pool, halves, ``retrain`` calls and cache).

For a target model theta, a challenge point x and a population point z (``splits.test`` records, never in any
training set), the pairwise likelihood ratio is LR(x, z) = (P(x | theta) / P(x)) / (P(z | theta) / P(z)), with
P(. | theta) the probability theta gives the true label. The score of x is the share of population points z
with LR(x, z) >= ``gamma`` (ties with gamma count one half, so a release that does not move the ratio scores
chance rather than certainty). **Offline**: P(x) is estimated from the reference models that did not train on x
only, with the paper's linear correction for the missing IN models,
P(x) = ((1 + a) * mean_OUT P(x | theta') + (1 - a)) / 2 (``offline_a``, default 0.3 as in the paper's offline
experiments; a = 1 trusts the OUT mean as is). The same estimate is used for z (OUT for every model).
**Online** (``online=True``, scores ``mia.rmia_online.*``): P(x) is the plain mean over all reference models,
those that trained on x included (half of them), with no correction; for a reference model as target, over the
other K - 1. With IN models in the average, a member's own high probability raises its prior, which the offline
correction only approximates.

Targets and pooling are those of ``mia_lira`` (the release's target against all K reference models, then every
reference model against the other K - 1), with the same two-way bootstrap intervals over targets and pool points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench.attacks._reference_models import (
    DEFAULT_POPULATION,
    pooled_summary,
    reference_set,
    refused,
    true_label_signals,
)
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Release, Score, Splits
from mhprivbench.validation import check_int, check_positive

TIE_TOLERANCE = 1e-9


def out_mean(proba: np.ndarray, out: np.ndarray, *, leave_one_out: bool) -> np.ndarray:
    """Mean of ``proba`` (K, n) over the models where ``out`` is true: per target row k without model k
    (``leave_one_out``, shape (K, n)) or over all models (shape (1, n))."""
    weight = out.astype(float)
    total, count = (weight * proba).sum(0), weight.sum(0)
    if leave_one_out:
        total, count = total - weight * proba, count - weight
    else:
        total, count = total[None], count[None]
    return total / np.maximum(count, 1)


def relative_scores(x_ratio: np.ndarray, z_ratio: np.ndarray, gamma: float) -> np.ndarray:
    """Per row: the share of z with x_ratio / z_ratio >= gamma, i.e. z_ratio <= x_ratio / gamma; a tie (equal
    within a relative ``TIE_TOLERANCE``, so that rounding in the averages decides nothing) counts one half."""
    out = np.empty_like(x_ratio)
    for row in range(x_ratio.shape[0]):
        z = np.sort(z_ratio[row])
        bound = x_ratio[row] / gamma
        below = np.searchsorted(z, bound * (1 - TIE_TOLERANCE), side="left")
        tied = np.searchsorted(z, bound * (1 + TIE_TOLERANCE), side="right") - below
        out[row] = (below + 0.5 * tied) / len(z)
    return out


def rmia_scores(p_x, out_x, p_z, target_x, target_z, *, a: float, gamma: float, online: bool = False) -> np.ndarray:
    """(K + 1, n) RMIA scores: row 0 the release's target (``target_x``, ``target_z``) against all K reference
    models, row k + 1 reference model k against the other K - 1. Offline: P(x) from the OUT models with the linear
    correction ``a``; online: the plain mean over every model, IN and OUT (the same as offline with every model
    counted OUT and a = 1)."""
    if online:
        out_x, a = np.ones_like(out_x, dtype=bool), 1.0

    def estimate(mean):
        return 0.5 * ((1 + a) * mean + (1 - a))

    everywhere = np.ones_like(p_z, dtype=bool)
    prior_x = np.vstack([estimate(out_mean(p_x, out_x, leave_one_out=False)),
                         estimate(out_mean(p_x, out_x, leave_one_out=True))])
    prior_z = np.vstack([estimate(out_mean(p_z, everywhere, leave_one_out=False)),
                         estimate(out_mean(p_z, everywhere, leave_one_out=True))])
    x_ratio = np.vstack([target_x, p_x]) / prior_x
    z_ratio = np.vstack([target_z, p_z]) / prior_z
    return relative_scores(x_ratio, z_ratio, gamma)


@register("attack", "mia_rmia")
@dataclass
class MiaRmia(Attack):
    """Offline (default) or online RMIA with ``n_reference`` reference models through the mechanism (module
    docstring); online scores are keyed ``mia.rmia_online.*``."""

    n_reference: int = 16
    gamma: float = 1.0
    offline_a: float = 0.3
    online: bool = False
    max_pool: int = 2000
    n_population: int = DEFAULT_POPULATION
    max_scores_per_side: int = 10000
    n_bootstrap: int = 500

    applies_to: ClassVar[frozenset[str]] = frozenset({"model", "records"})

    def __post_init__(self) -> None:
        check_int("n_reference", self.n_reference, 4)
        check_int("max_pool", self.max_pool, 4)
        check_int("n_population", self.n_population, 1)
        check_int("max_scores_per_side", self.max_scores_per_side, 1)
        check_int("n_bootstrap", self.n_bootstrap, 1)
        check_positive("gamma", self.gamma)
        if isinstance(self.offline_a, bool) or not isinstance(self.offline_a, int | float) \
                or not 0 <= self.offline_a <= 1:
            raise ValueError(f"offline_a must be a number in [0, 1], got {self.offline_a!r}")
        if not isinstance(self.online, bool):
            raise ValueError(f"online must be true or false, got {self.online!r}")

    def applies(self, release: Release, splits: Splits) -> bool:
        return release.kind in self.applies_to and all((splits.train, splits.control, splits.test))

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        target = self.queried_model(release, splits, target)
        if target is None:
            return {}
        if refused(self, "mia_rmia", release, target, retrain):
            return {}
        refs = reference_set(release, splits, target=target, retrain=retrain, seed=seed,
                             n_reference=self.n_reference, max_pool=self.max_pool, n_population=self.n_population)
        rows = rmia_scores(refs.pool_signals.proba, ~refs.inside, refs.population_signals.proba,
                           true_label_signals(target, refs.pool).proba,
                           true_label_signals(target, refs.population).proba, a=self.offline_a, gamma=self.gamma,
                           online=self.online)
        members = np.vstack([refs.member[None], refs.inside])
        prefix = "mia.rmia_online" if self.online else "mia.rmia"
        scores, self.not_applicable_ = pooled_summary(prefix, rows, members, seed=seed,
                                                      max_per_side=self.max_scores_per_side,
                                                      n_bootstrap=self.n_bootstrap)
        return scores
