"""dp_audit: hand-computed one-run and multi-run bounds, a broken mechanism caught, real DP never exceeded."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from mhprivbench import eps_audit, registry
from mhprivbench.attacks import _canaries as canaries
from mhprivbench.attacks.dp_audit import DPAudit, guesses, one_run_records
from mhprivbench.mechanisms import release
from mhprivbench.testing import tiny_splits
from mhprivbench.types import Record, Release


@pytest.fixture(scope="module")
def splits():
    return tiny_splits(seed=0)


def retrainer(splits, name, claim=None, **params):
    """The runner's retrain for trainer ``name``; ``claim`` overrides the declared epsilon (a broken accountant)."""
    def retrain(records, seed=None):
        released = release(registry.create("trainer", name, **params), records, seed=seed, labels=list(splits.labels))
        return released if claim is None else dataclasses.replace(released, epsilon=claim)
    return retrain


def audit(splits, retrain, seed=0, **params) -> dict[str, float]:
    scores = DPAudit(**params).run(retrain(splits.train, seed=seed), splits, seed=seed, retrain=retrain)
    return {key: score.value for key, score in scores.items()}


def _binomial_tail(r: int, v: int, q: float) -> float:
    return sum(math.comb(r, j) * q**j * (1 - q) ** (r - j) for j in range(v, r + 1))


# --- one-run bound (Steinke, Nasr and Jagielski 2023) ----------------------------------------------------------

def test_one_run_all_correct_solves_q_to_the_r_equals_alpha():
    q = 0.05 ** (1 / 100)  # P[Bin(100, q) >= 100] = q^100 = 0.05
    assert eps_audit.one_run_ceiling(100, m=200) == pytest.approx(math.log(q / (1 - q)), abs=1e-9)
    assert eps_audit.one_run_ceiling(100, m=200) == pytest.approx(3.49297, abs=1e-5)
    assert eps_audit.one_run_eps_lower_bound(100, 100, m=100) == eps_audit.one_run_ceiling(100, m=100)


def test_one_run_60_of_100_correct():
    bound = eps_audit.one_run_eps_lower_bound(100, 60, m=200)
    q = 1 / (1 + math.exp(-bound))
    assert _binomial_tail(100, 60, q) == pytest.approx(0.05, abs=1e-7)  # the defining equation, by hand
    assert bound == pytest.approx(0.051915, abs=1e-5)
    assert eps_audit.one_run_eps_lower_bound(100, 50, m=200) == 0.0  # P[Bin(100, 1/2) >= 50] = 0.54 > 0.05


def test_one_run_delta_term_by_hand():
    """r = v = m = 2, eps = 0: P[Bin(2, 1/2) >= 2] = 1/4; max(P[Bin = 1] / 1, P[0 <= Bin < 2] / 2) = 1/2,
    so the p-value is 1/4 + 2 * 2 * delta * 1/2."""
    assert eps_audit.one_run_p_value(2, 2, 0.0, m=2, delta=0.1) == pytest.approx(0.25 + 0.2)
    assert eps_audit.one_run_p_value(2, 2, 0.0, m=2) == pytest.approx(0.25)
    with_delta = eps_audit.one_run_eps_lower_bound(100, 100, m=200, delta=1e-3)
    assert 0 < with_delta < eps_audit.one_run_ceiling(100, m=200)
    assert eps_audit.one_run_eps_lower_bound(100, 100, m=200, delta=0.5) == 0.0


def test_guesses_top_in_bottom_out():
    scores = np.array([0.1, 0.9, 0.5, 0.3])
    assert guesses(scores, np.array([False, True, True, False]), 2) == (2, 2)
    assert guesses(scores, np.array([False, True, True, False]), 4) == (4, 4)
    assert guesses(scores, np.array([True, True, False, False]), 2) == (2, 1)


# --- multi-run ceiling (Jagielski et al. 2020) ------------------------------------------------------------------

def test_multi_run_ceiling_by_hand():
    """Perfect separation, 3 thresholds (pooled quartiles; the median is also the member share), alpha 0.05:
    TPR >= a^(1/n), FPR <= 1 - a^(1/n) with a = 0.05 / 6, eps = log(t / (1 - t)), t = a^(1/n)."""
    for n_runs, expected in ((10, 0.48774), (20, 1.30759), (50, 2.29771)):
        t = (0.05 / 6) ** (1 / n_runs)
        assert math.log(t / (1 - t)) == pytest.approx(expected, abs=1e-4)
        assert eps_audit.eps_ceiling(n_runs, n_runs, n_thresholds=3) == pytest.approx(expected, abs=1e-4)


def test_multi_run_bound_separated_tied_and_overlapping():
    """Separated runs reach the ceiling (the median threshold falls between the classes), even with every run of a
    side tied (3 thresholds are counted anyway); runs from one distribution give 0."""
    from mhprivbench.attacks.dp_audit import multi_run_bound

    ceiling = eps_audit.eps_ceiling(10, 10, n_thresholds=3)
    assert multi_run_bound(np.full(10, -0.1), np.full(10, -5.0), alpha=0.05, delta=0.0) == pytest.approx((ceiling,) * 2)
    same = np.linspace(-3, -1, 10)
    assert multi_run_bound(same, same, alpha=0.05, delta=0.0)[0] == 0.0
    assert multi_run_bound(np.full(10, -0.1), np.full(10, -5.0), alpha=0.05, delta=1e-3)[0] < ceiling


# --- canaries and neighbouring sets ------------------------------------------------------------------------------

def test_neighbouring_sets_and_canaries(splits):
    rng = np.random.default_rng(0)
    base = canaries.base_subset(splits.train, 30, rng)
    probe = canaries.canary(rng, "none", uid="c", author="c")
    added = canaries.with_canary(base, probe, "add_remove", 3)
    replaced = canaries.with_canary(base, probe, "replace_one", 3)
    assert len(added) == 31 and added[-1] is probe and added[:30] == base
    assert len(replaced) == 30 and replaced[3].text == probe.text and replaced[3].author == base[3].author
    assert sum(a != b for a, b in zip(replaced, base, strict=True)) == 1
    words = canaries.canary_text(rng).split()
    assert len(set(words)) == 12 and not {w for r in splits.train for w in r.text.lower().split()} & set(words)
    assert canaries.rarest_label([Record("u", "x", "a")], ["a", "b", "c"], crisis="c") == "c"


def test_one_run_slots_keep_the_size_under_replace_one(splits):
    base = list(splits.train[:20])
    for relation, expected in (("replace_one", None), ("add_remove", None)):
        released = Release(kind="model", epsilon=1.0, neighbouring=relation)
        train, probes, included = one_run_records(base, splits, released, 40, np.random.default_rng(1))
        size = 20 + 40 if relation == "replace_one" else 20 + int(included.sum())
        assert len(train) == size and len(probes) == 40 and 5 < included.sum() < 35, expected


def test_retrain_without_seed_repeating_runs_is_refused(splits):
    seeded = retrainer(splits, "dp_logreg", epsilon=1.0)

    def fixed(records):  # a retrain that ignores seeds: every run repeats one noise draw
        return seeded(records, seed=7)

    attack = DPAudit(n_runs=3, m_canaries=0, n_guesses=0)
    scores = attack.run(fixed(splits.train), splits, seed=0, retrain=fixed)
    assert "dp.audit_eps_lower_bound" not in scores and "not independent" in attack.not_applicable_[
        "dp.audit_eps_lower_bound"]
    assert DPAudit().run(fixed(splits.train), splits, seed=0, retrain=None) == {}


# --- broken mechanisms are caught; real ones never exceed ---------------------------------------------------------

def test_no_noise_trainer_claiming_0_1_is_caught(splits):
    found = audit(splits, retrainer(splits, "fake_dp_nonoise"), n_runs=10, m_canaries=200, n_guesses=100)
    assert found["dp.epsilon"] == 0.1
    assert found["dp.audit_eps_lower_bound"] == pytest.approx(0.48774, abs=1e-4)  # perfect separation, > 0.1
    assert found["dp.audit_eps_ceiling"] == pytest.approx(0.48774, abs=1e-4)
    assert found["dp.audit1_eps_lower_bound"] == pytest.approx(3.49297, abs=1e-4)  # 100 of 100 correct, > 0.1
    assert found["dp.audit1_eps_ceiling"] == pytest.approx(3.49297, abs=1e-4)


def test_noise_for_epsilon_10000_claiming_0_5_is_caught(splits):
    """dp_logreg run at epsilon 1e4 (noise 2e4 times too small) but declaring 0.5: both audits exceed 0.5."""
    found = audit(splits, retrainer(splits, "dp_logreg", claim=0.5, epsilon=1e4), n_runs=20, m_canaries=300,
                  n_guesses=200)
    assert found["dp.audit_eps_lower_bound"] > 0.5 and found["dp.audit1_eps_lower_bound"] > 0.5


@pytest.mark.slow
def test_broken_dpsgd_is_caught(splits):
    """DP-SGD with noise 10x too small, declaring epsilon 2, is caught by the multi-run audit (100 runs a side,
    ceiling 3.02). Full batch, 50 steps: the honest multiplier for epsilon 2 is 15.2 (mu-GDP 0.46), the broken one
    1.52 (mu 4.6). A small learning rate (any rate must keep the guarantee) keeps the canary's clipped gradient
    unsaturated, so its log-probability shifts by about mu noise deviations (measured d' = 2.6 at epsilon 1 against
    1.5 at lr 4, where the canary is fitted after a few steps and stops pushing). Seeds 0-4: 2.64, 2.21, 2.21,
    2.21, 2.40; honest dpsgd at the same settings, seed 0: 0.0. The one-run audit (random canaries whose MiniLM
    embeddings are alike, so that included canaries teach the model about excluded ones) stays below 1 here."""
    found = audit(splits, retrainer(splits, "broken_dpsgd", epsilon=2.0, lr=0.05), n_runs=100, m_canaries=0,
                  n_guesses=0)
    assert found["dp.audit_eps_ceiling"] == pytest.approx(eps_audit.eps_ceiling(100, 100, n_thresholds=3, delta=1e-5))
    assert found["dp.audit_eps_lower_bound"] > found["dp.epsilon"] == 2.0


@pytest.mark.slow
def test_honest_dpsgd_is_not_caught_at_the_settings_that_catch_the_broken_one(splits):
    found = audit(splits, retrainer(splits, "dpsgd", epsilon=2.0, lr=0.05), n_runs=100, m_canaries=0, n_guesses=0)
    assert found["dp.audit_eps_ceiling"] > 2.0 >= found["dp.audit_eps_lower_bound"]


@pytest.mark.slow
@pytest.mark.parametrize("epsilon", [0.5, 1.0, 4.0])
def test_dp_logreg_never_exceeds_its_epsilon(splits, epsilon):
    """5 seeds. Multi-run at 20 runs a side sees up to its ceiling 1.31 (epsilon 0.5 and 1) and is blind at 4,
    so it is run only where it can see; one-run (300 canaries, 200 guesses) has ceiling 4.19 and runs at all."""
    multi = eps_audit.eps_ceiling(20, 20, n_thresholds=3)
    n_runs = 20 if multi > epsilon else 0
    assert (n_runs == 0) == (epsilon == 4.0)  # the blind spot, documented
    for seed in range(5):
        found = audit(splits, retrainer(splits, "dp_logreg", epsilon=epsilon), seed=seed, n_runs=n_runs,
                      m_canaries=300, n_guesses=200)
        assert found["dp.audit1_eps_ceiling"] > epsilon  # the one-run audit could see
        assert found["dp.audit1_eps_lower_bound"] <= epsilon
        if n_runs:
            assert found["dp.audit_eps_ceiling"] == pytest.approx(multi) and multi > epsilon
            assert found["dp.audit_eps_lower_bound"] <= epsilon


@pytest.mark.slow
@pytest.mark.parametrize("name", ["dpsgd", "dp_fedavg"])
@pytest.mark.parametrize("epsilon", [0.5, 1.0, 4.0])
def test_embedding_dp_trainers_never_exceed_their_epsilon(splits, name, epsilon):
    """One-run audit (one training per seed; ceiling 4.19 > every epsilon here), 5 seeds."""
    for seed in range(5):
        found = audit(splits, retrainer(splits, name, epsilon=epsilon), seed=seed, n_runs=0, m_canaries=300,
                      n_guesses=200)
        assert found["dp.audit1_eps_ceiling"] > epsilon
        assert found["dp.audit1_eps_lower_bound"] <= epsilon
