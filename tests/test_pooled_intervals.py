"""Two-way (targets x points) bootstrap for pooled membership scores (``attacks/_pooled_intervals``)."""

import numpy as np
import pytest

from mhprivbench import stats
from mhprivbench.attacks._pooled_intervals import two_way_intervals


def _crossed(seed: int, n_targets: int = 9, n_points: int = 400, point_sd: float = 1.0):
    """Scores with a per-point effect shared by every target, a per-target shift and a membership effect."""
    rng = np.random.default_rng(seed)
    members = rng.random((n_targets, n_points)) < 0.5
    scores = (rng.normal(0, point_sd, n_points)[None] + rng.normal(0, 0.5, (n_targets, 1)) + 0.3 * members
              + rng.normal(0, 0.3, (n_targets, n_points)))
    return scores, members


@pytest.mark.parametrize("seed", [0, 1])
def test_weighted_statistics_equal_the_unweighted_ones_on_the_repeated_cells(seed):
    """A resample is a weighting: the weighted statistics equal the plain ones on the cells repeated w times, ties
    (rounded scores) included."""
    from mhprivbench.attacks._pooled_intervals import SortedCells, statistic

    scores, members = _crossed(seed, n_targets=4, n_points=300)
    scores = np.round(scores, 1)  # many ties
    rng = np.random.default_rng(seed)
    weights = np.outer(rng.integers(0, 3, 4), rng.integers(0, 3, 300))
    pos, neg = SortedCells(scores, members).group_weights(weights.astype(float))
    repeated = np.repeat(scores.ravel(), weights.ravel())
    mask = np.repeat(members.ravel(), weights.ravel())
    assert statistic("auc")(pos, neg) == pytest.approx(stats.fast_auc(mask.astype(int), repeated))
    assert statistic("advantage")(pos, neg) == pytest.approx(stats.fast_advantage(mask.astype(int), repeated))
    for key, fpr in stats.LOW_FPRS.items():
        assert statistic(key)(pos, neg) == pytest.approx(stats.tpr_at_fpr_scores(repeated[mask], repeated[~mask], fpr))
    assert statistic("other") is None


def test_shared_effects_widen_the_interval_beyond_the_naive_one():
    scores, members = _crossed(1)
    low, high = two_way_intervals(scores, members, ["auc"], seed=0, n_resamples=200)["auc"]
    flat, mask = scores.ravel(), members.ravel()
    naive_low, naive_high = stats.bootstrap_ci(stats.fast_auc, mask.astype(int), flat, n_resamples=200, seed=0)
    point = stats.fast_auc(mask.astype(int), flat)
    assert low <= point <= high
    assert (high - low) > 1.5 * (naive_high - naive_low)  # the naive interval ignores the shared effects


def test_without_shared_effects_it_matches_the_naive_width():
    scores, members = _crossed(2, n_targets=1, n_points=4000, point_sd=0.0)
    low, high = two_way_intervals(scores, members, ["auc"], seed=0, n_resamples=300)["auc"]
    naive_low, naive_high = stats.bootstrap_ci(stats.fast_auc, members.ravel().astype(int), scores.ravel(),
                                               n_resamples=300, seed=0)
    assert (high - low) == pytest.approx(naive_high - naive_low, rel=0.25)


def test_seeded():
    scores, members = _crossed(3)
    assert two_way_intervals(scores, members, ["auc"], seed=4, n_resamples=50) == two_way_intervals(
        scores, members, ["auc"], seed=4, n_resamples=50)
