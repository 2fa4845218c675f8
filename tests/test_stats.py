"""Hand-computed expectations for mhprivbench.stats."""

import math

import numpy as np
import pytest
from scipy.stats import binomtest
from sklearn.metrics import roc_auc_score

from mhprivbench import eps_audit, stats
from mhprivbench.group_privacy import author_level


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
    assert out["tpr_at_1pct_fpr"].value == 1.0 and out["tpr_at_1pct_fpr"].ci_low == 1.0
    assert "tpr_at_0.1pct_fpr" not in out  # 1000 non-members < 5 / 0.001
    assert out["advantage"].value == 1.0
    assert "eps_lower_bound" not in out  # the audit needs independent trials: mia_loss runs it per author
    assert out["auc"].baseline == 0.5 and out["tpr_at_1pct_fpr"].baseline == 0.01
    assert all(not s.higher_is_better for s in out.values())


def test_roc_summary_identical_distributions():
    rng = np.random.default_rng(0)
    out = stats.roc_summary(rng.normal(size=2000), rng.normal(size=2000), seed=0, n_resamples=100)
    assert abs(out["auc"].value - 0.5) < 0.03
    assert out["auc"].ci_low < 0.5 < out["auc"].ci_high
    assert out["tpr_at_1pct_fpr"].value < 0.03
    assert out["tpr_at_1pct_fpr"].ci_low < 0.01 < out["tpr_at_1pct_fpr"].ci_high
    assert out["advantage"].value < 0.06
    for score in out.values():
        assert score.ci_low <= score.value <= score.ci_high


def test_roc_summary_constant_scores_and_too_few_nonmembers():
    out = stats.roc_summary(np.zeros(50), np.zeros(50), seed=0, n_resamples=20)
    assert out["auc"].value == 0.5 and out["advantage"].value == 0.0
    assert sorted(out) == ["advantage", "auc"]  # 50 non-members support neither low FPR
    with pytest.raises(ValueError):
        stats.roc_summary([], [1.0], seed=0)


def test_low_fpr_needs_five_over_fpr_nonmembers():
    assert stats.min_nonmembers(0.01) == 500 and stats.min_nonmembers(0.001) == 5000
    assert stats.unsupported_low_fprs(600) == {"tpr_at_0.1pct_fpr": f"needs >= 5000 non-member scores, has 600: {stats.LOW_FPR_HINT}"}
    assert stats.unsupported_low_fprs(5000) == {}
    assert sorted(stats.unsupported_low_fprs(499)) == ["tpr_at_0.1pct_fpr", "tpr_at_1pct_fpr"]
    rng = np.random.default_rng(0)
    out = stats.roc_summary(rng.normal(1, 1, 600), rng.normal(size=600), seed=0, n_resamples=50)
    assert "tpr_at_1pct_fpr" in out and "tpr_at_0.1pct_fpr" not in out
    assert out["tpr_at_1pct_fpr"].n == 1200


def test_tpr_at_fpr_scores_hand_computed():
    nonmember = np.arange(10, dtype=float)
    member = np.array([9.5, 9.0, 8.5, 3.0])
    # FPR 0.1 admits one non-member (9): threshold 8, the members above it are 9.5, 9.0, 8.5
    assert stats.tpr_at_fpr_scores(member, nonmember, 0.1) == pytest.approx(3 / 4)
    # FPR 0.05 admits half of the non-member at 9, so half of the member tied with it: (1 + 0.5) / 4
    assert stats.tpr_at_fpr_scores(member, nonmember, 0.05) == pytest.approx(1.5 / 4)
    rows = stats.tpr_at_fpr_scores(np.vstack([member, member - 10]), np.vstack([nonmember, nonmember]), 0.1)
    assert rows.tolist() == pytest.approx([0.75, 0.0])


def test_tpr_at_fpr_scores_equals_interpolated_roc_curve():
    from sklearn.metrics import roc_curve

    rng = np.random.default_rng(7)
    for _ in range(200):
        n_mem, n_non = rng.integers(1, 40), rng.integers(1, 300)
        member, nonmember = rng.integers(0, 9, n_mem).astype(float), rng.integers(0, 7, n_non).astype(float)
        labels = np.r_[np.ones(n_mem), np.zeros(n_non)]
        fpr, tpr, _ = roc_curve(labels, np.r_[member, nonmember], drop_intermediate=False)
        for target in (0.01, 0.1, 1 / n_non if n_non > 1 else 0.5):
            expected = stats.tpr_at_fpr(fpr, tpr, target)
            assert stats.tpr_at_fpr_scores(member, nonmember, target) == pytest.approx(expected)


def test_tpr_at_1pct_fpr_interval_covers_the_true_value():
    """Gaussian scores (members N(2, 1), non-members N(0, 1)): the true TPR at 1% FPR is sf(z_0.99 - 2) = 0.372.
    1000 non-members per repetition, 200 repetitions: the nominal 95% interval must cover it in 88-99% of them
    (measured: 0.935; the old Clopper-Pearson on the member count alone covered it in 0.50)."""
    from scipy.stats import norm

    truth = norm.sf(norm.isf(0.01) - 2.0)
    assert truth == pytest.approx(0.3721, abs=1e-4)
    rng = np.random.default_rng(123)
    covered = 0
    for repetition in range(200):
        member, nonmember = rng.normal(2.0, 1.0, 1000), rng.normal(0.0, 1.0, 1000)
        value = stats.tpr_at_fpr_scores(member, nonmember, 0.01)
        low, high = stats.tpr_at_fpr_interval(member, nonmember, 0.01, n_resamples=200, seed=repetition)
        covered += min(low, value) <= truth <= max(high, value)
    assert 0.88 <= covered / 200 <= 0.99


def test_eps_lower_bound_delta_and_constant_scores():
    member, nonmember = np.linspace(1, 2, 500), np.linspace(-2, -1, 500)
    assert eps_audit.eps_lower_bound(member, nonmember, delta=0.5) < eps_audit.eps_lower_bound(member, nonmember)
    assert eps_audit.eps_lower_bound(np.zeros(100), np.zeros(100)) == 0.0


@pytest.mark.parametrize("seed", range(5))
def test_eps_lower_bound_never_exceeds_true_epsilon_of_randomized_response(seed):
    """Randomized response with epsilon = 1: the 95% lower bound is near but below 1 (a bound above is a bug)."""
    rng = np.random.default_rng(seed)
    p = math.e / (1 + math.e)
    member = (rng.random(5000) < p).astype(float)
    nonmember = (rng.random(5000) < 1 - p).astype(float)
    eps = eps_audit.eps_lower_bound(member, nonmember)
    assert 0.7 < eps <= 1.0


def test_eps_ceiling_hand_computed():
    # a = 0.05 / (2 * 1) = 0.025; TPR >= 0.025^(1/10) = 0.691505, FPR <= 1 - 0.691505 = 0.308495;
    # both forms give log(0.691505 / 0.308495) = 0.807155
    assert eps_audit.eps_ceiling(10, 10, n_thresholds=1) == pytest.approx(0.807155, abs=1e-6)
    assert eps_audit.eps_ceiling(10, 10, n_thresholds=1, k=2) == pytest.approx(0.807155 / 2, abs=1e-6)
    # default corpus sizes: 196 member and 99 non-member authors, 14 thresholds, a = 0.05 / 28 = 0.0017857:
    # backward form log((a^(1/99)) / (1 - a^(1/196))) = log(0.938133 / 0.031765) = 3.3853; / 8 records = 0.4232
    assert eps_audit.eps_ceiling(196, 99, n_thresholds=14) == pytest.approx(3.3853, abs=1e-4)
    assert eps_audit.eps_ceiling(196, 99, n_thresholds=14, k=8) == pytest.approx(0.42317, abs=1e-5)
    assert eps_audit.eps_ceiling(196, 99, n_thresholds=14, k=8, delta=1e-5) < 0.42317
    with pytest.raises(ValueError):
        eps_audit.eps_ceiling(0, 10, n_thresholds=1)


def test_perfect_separation_reaches_the_ceiling():
    """The non-member-share threshold falls between the classes, so a separable sample gets exactly the ceiling."""
    audit = eps_audit.eps_audit(np.linspace(1, 2, 196), np.linspace(-2, -1, 99), k=8)
    assert audit.n_thresholds == 14
    assert audit.lower_bound == pytest.approx(audit.ceiling) and audit.ceiling == pytest.approx(0.42317, abs=1e-5)
    mixed = eps_audit.eps_audit(np.r_[np.linspace(1, 2, 180), np.zeros(16) - 5], np.linspace(-2, -1, 99), k=8)
    assert 0 < mixed.lower_bound < mixed.ceiling


def test_group_delta_hand_computed():
    assert author_level(0.5, 1e-5, 3)[1] == pytest.approx(3 * math.e * 1e-5)  # k e^((k-1) eps) delta
    assert author_level(0.5, 0.0, 3)[1] == 0.0
    assert author_level(10.0, 0.1, 8)[1] == 1.0  # capped


def test_per_record_eps_is_group_eps_over_k_without_delta():
    tpr, fpr = np.array([0.9, 0.6]), np.array([0.1, 0.3])
    assert eps_audit.violated_eps(tpr, fpr) == pytest.approx(math.log(9))  # log(0.9 / 0.1), both forms
    for k in (1, 2, 8):
        assert eps_audit.per_record_eps(tpr, fpr, k=k) == pytest.approx(math.log(9) / k)
    assert eps_audit.per_record_eps([0.5], [0.5], k=3) == 0.0


def test_per_record_eps_with_delta_solves_the_group_guarantee():
    """(TPR, FPR) = (0.9, 0.1), delta = 0.01, k = 2: violated while 0.9 > 0.1 x^2 + 2 * 0.01 x with x = e^eps,
    i.e. up to x = (-0.02 + sqrt(0.02^2 + 4 * 0.1 * 0.9)) / 0.2 = 2.901665, eps = log(x) = 1.065285:
    smaller than log(9) / 2 = 1.098612, the bound without delta."""
    assert eps_audit.per_record_eps([0.9], [0.1], delta=0.01, k=2) == pytest.approx(1.065285, abs=1e-6)
    assert eps_audit.per_record_eps([0.9], [0.1], delta=0.01, k=2) < math.log(9) / 2
    # k = 1 is the closed form log((TPR - delta) / FPR) = log(0.89 / 0.1)
    assert eps_audit.per_record_eps([0.9], [0.1], delta=0.01, k=1) == pytest.approx(math.log(8.9), abs=1e-9)
    assert eps_audit.per_record_eps([0.9], [0.1], delta=0.5, k=2) == 0.0  # 2 * 0.5 = 1: nothing can be violated
    with pytest.raises(ValueError):
        eps_audit.per_record_eps([0.9], [0.1], k=0)


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
