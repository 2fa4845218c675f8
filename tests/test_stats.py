"""Hand-computed expectations for mhprivbench.stats."""

import math

import numpy as np
import pytest
from scipy.stats import binomtest
from sklearn.metrics import roc_auc_score

from mhprivbench import stats


def test_wilson_known_values():
    low, high = stats.wilson(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)
    z2 = 1.959963984540054**2
    assert stats.wilson(0, 10) == pytest.approx((0.0, z2 / (10 + z2)))  # closed form at k = 0
    assert stats.wilson(0, 0) == (0.0, 1.0)


@pytest.mark.parametrize("k, n", [(0, 7), (3, 7), (7, 7), (45, 200)])
def test_wilson_and_cp_match_scipy_binomtest(k, n):
    result = binomtest(k, n)
    assert stats.wilson(k, n) == pytest.approx(tuple(result.proportion_ci(method="wilson")), abs=1e-10)
    assert stats.clopper_pearson(k, n) == pytest.approx(tuple(result.proportion_ci(method="exact")), abs=1e-10)


def test_clopper_pearson_edges():
    assert stats.clopper_pearson(0, 10) == pytest.approx((0.0, 1 - 0.025 ** (1 / 10)))
    assert stats.clopper_pearson(0, 10)[1] == pytest.approx(0.3085, abs=1e-4)
    assert stats.clopper_pearson(10, 10) == pytest.approx((0.025 ** (1 / 10), 1.0))
    assert stats.clopper_pearson(0, 0) == (0.0, 1.0)
    with pytest.raises(ValueError):
        stats.clopper_pearson(11, 10)


def test_bootstrap_ci_constant_and_mean():
    assert stats.bootstrap_ci(np.mean, np.full(30, 2.5), n_resamples=50) == (2.5, 2.5)
    values = np.arange(100, dtype=float)
    low, high = stats.bootstrap_ci(np.mean, values, n_resamples=400, seed=1)
    se = values.std() / math.sqrt(len(values))
    assert low < 49.5 < high
    assert high - low == pytest.approx(2 * 1.96 * se, rel=0.2)
    assert stats.bootstrap_ci(np.mean, values, n_resamples=400, seed=1) == (low, high)  # seeded


def test_bootstrap_ci_resamples_jointly_and_skips_degenerate():
    labels = np.array([0, 1, 0, 1])
    scores = np.array([0.1, 0.9, 0.2, 0.8])
    calls = []

    def auc(y, s):
        calls.append(1)
        return roc_auc_score(y, s)  # raises ValueError on one-class resamples

    low, high = stats.bootstrap_ci(auc, labels, scores, n_resamples=200, seed=0)
    assert (low, high) == (1.0, 1.0)  # rows move together: every usable resample is still perfectly separated
    assert len(calls) == 200
    assert all(math.isnan(v) for v in stats.bootstrap_ci(auc, np.zeros(5), np.arange(5.0), n_resamples=20))
    with pytest.raises(ValueError):
        stats.bootstrap_ci(np.mean, np.zeros(3), np.zeros(4))


def test_proportion_score():
    score = stats.proportion_score(8, 10, higher_is_better=False, baseline=0.1, control=0.2)
    assert score.value == 0.8 and score.n == 10 and score.baseline == 0.1 and score.control == 0.2
    assert (score.ci_low, score.ci_high) == pytest.approx(stats.wilson(8, 10))
    assert not score.higher_is_better
    with pytest.raises(ValueError):
        stats.proportion_score(0, 0, higher_is_better=True, baseline=0.0)


def test_residual_risk():
    assert stats.residual_risk(0.5, 0.2, 0.1) == pytest.approx(0.375)  # (0.5 - 0.2) / 0.8
    assert stats.residual_risk(0.5, 0.2, 0.5) == 0.0  # no better than guessing
    assert stats.residual_risk(0.1, 0.3, 0.0) == 0.0
    assert stats.residual_risk(1.0, 1.0, 0.0) == 0.0


def test_tpr_at_fpr_interpolates():
    fpr, tpr = np.array([0.0, 0.5, 1.0]), np.array([0.0, 1.0, 1.0])
    assert stats.tpr_at_fpr(fpr, tpr, 0.01) == pytest.approx(0.02)
    fpr, tpr = np.array([0.0, 0.0, 0.02, 1.0]), np.array([0.0, 0.4, 0.6, 1.0])
    assert stats.tpr_at_fpr(fpr, tpr, 0.0) == pytest.approx(0.4)  # top of the vertical segment
    assert stats.tpr_at_fpr(fpr, tpr, 0.01) == pytest.approx(0.5)


def test_roc_summary_perfect_separation():
    member, nonmember = np.linspace(1, 2, 1000), np.linspace(-2, -1, 1000)
    out = stats.roc_summary(member, nonmember, seed=0, n_resamples=100)
    assert out["auc"].value == 1.0 and out["auc"].ci_low == pytest.approx(1.0)
    assert out["tpr_at_1pct_fpr"].value == 1.0 and out["tpr_at_0.1pct_fpr"].value == 1.0
    assert out["advantage"].value == 1.0
    # grid thresholds separate perfectly (TP = n, FP = 0); Bonferroni over 13 thresholds x 2 one-sided bounds
    a = 0.05 / (2 * len(stats.EPS_THRESHOLD_LEVELS))
    tpr_low = a ** (1 / 1000)
    assert out["eps_lower_bound"].value == pytest.approx(math.log(tpr_low / (1 - tpr_low)))
    assert out["auc"].baseline == 0.5 and out["tpr_at_1pct_fpr"].baseline == 0.01
    assert all(not s.higher_is_better for s in out.values())


def test_roc_summary_identical_distributions():
    rng = np.random.default_rng(0)
    out = stats.roc_summary(rng.normal(size=2000), rng.normal(size=2000), seed=0, n_resamples=100)
    assert abs(out["auc"].value - 0.5) < 0.03
    assert out["auc"].ci_low < 0.5 < out["auc"].ci_high
    assert out["eps_lower_bound"].value == 0.0
    assert out["tpr_at_1pct_fpr"].value < 0.03
    assert out["advantage"].value < 0.06
    for score in out.values():
        assert score.ci_low <= score.value <= score.ci_high


def test_eps_lower_bound_delta_and_constant_scores():
    member, nonmember = np.linspace(1, 2, 500), np.linspace(-2, -1, 500)
    assert stats.eps_lower_bound(member, nonmember, delta=0.5) < stats.eps_lower_bound(member, nonmember)
    assert stats.eps_lower_bound(np.zeros(100), np.zeros(100)) == 0.0
    out = stats.roc_summary(np.zeros(50), np.zeros(50), seed=0, n_resamples=20)
    assert out["auc"].value == 0.5 and out["eps_lower_bound"].value == 0.0
    assert out["tpr_at_1pct_fpr"].value == pytest.approx(0.01)
    with pytest.raises(ValueError):
        stats.roc_summary([], [1.0], seed=0)


@pytest.mark.parametrize("seed", range(5))
def test_eps_lower_bound_never_exceeds_true_epsilon_of_randomized_response(seed):
    """Randomized response with epsilon = 1: the 95% lower bound is near but below 1 (a bound above is a bug)."""
    rng = np.random.default_rng(seed)
    p = math.e / (1 + math.e)
    member = (rng.random(5000) < p).astype(float)
    nonmember = (rng.random(5000) < 1 - p).astype(float)
    eps = stats.eps_lower_bound(member, nonmember)
    assert 0.7 < eps <= 1.0


def test_fast_auc_and_advantage_match_sklearn():
    from sklearn.metrics import roc_curve

    rng = np.random.default_rng(3)
    for _ in range(20):
        labels = rng.integers(0, 2, 60)
        labels[:2] = [0, 1]
        scores = rng.integers(0, 8, 60).astype(float)  # many ties
        assert stats.fast_auc(labels, scores) == pytest.approx(roc_auc_score(labels, scores))
        fpr, tpr, _ = roc_curve(labels, scores)
        assert stats.fast_advantage(labels, scores) == pytest.approx(np.max(tpr - fpr))
    with pytest.raises(ValueError):
        stats.fast_auc(np.ones(4), np.arange(4.0))


def test_bootstrap_cis_equals_separate_bootstrap_ci_calls():
    from mhprivbench.stats import bootstrap_ci, bootstrap_cis

    values = np.random.default_rng(1).normal(size=80)

    def both(x):
        if x.max() > 2.3:  # some resamples raise: they are skipped for every value
            raise ValueError("skip")
        return x.mean(), (x.std() if x.min() > -2.0 else float("nan"))  # nan: skipped for that value only

    def mean_only(x):
        return both(x)[0]

    def std_only(x):
        return both(x)[1]

    together = bootstrap_cis(both, values, n_values=2, n_resamples=300, seed=4)
    assert together == [bootstrap_ci(mean_only, values, n_resamples=300, seed=4),
                        bootstrap_ci(std_only, values, n_resamples=300, seed=4)]
    nothing = bootstrap_cis(lambda x: 1 / 0, values, n_values=2, n_resamples=5)
    assert all(np.isnan(v) for pair in nothing for v in pair)
