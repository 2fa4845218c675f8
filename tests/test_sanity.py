"""Sanity bounds on the default synthetic corpus (DESIGN.md section 7): numbers that can fail."""

import pytest

import mhprivbench as mh


@pytest.fixture(scope="module")
def splits():
    return mh.load_dataset("synthmh", n_personas=400).split(seed=0)


def _evaluate(kind, name, splits, **params):
    released = mh.release(mh.create(kind, name, **params), splits.train, seed=0)
    return mh.Evaluator(attacks=["pii_leak", "reid_linkage", "mia_loss"], n_bootstrap=100).evaluate(
        released, splits, seed=0).scores


@pytest.mark.slow
def test_identity_release_is_fully_exposed(splits):
    scores = _evaluate("anonymizer", "identity", splits)
    assert scores["pii.leak_rate"].value == 1.0
    assert scores["reid.linkage_top1"].value >= 0.9
    assert 0.55 <= scores["utility.macro_f1"].value <= 0.90


@pytest.mark.slow
def test_regex_cuts_direct_identifier_leaks(splits):
    scores = _evaluate("anonymizer", "regex", splits)
    assert scores["pii.leak_rate_direct"].value < 0.1
    assert scores["pii.leak_rate"].value < _evaluate("anonymizer", "identity", splits)["pii.leak_rate"].value


@pytest.mark.slow
def test_dp_logreg_small_epsilon_resists_mia(splits):
    scores = _evaluate("trainer", "dp_logreg", splits, epsilon=0.5)
    assert abs(scores["mia.loss.auc"].value - 0.5) <= 0.05
    assert scores["mia.loss.eps_lower_bound"].value <= 0.5


@pytest.mark.slow
@pytest.mark.parametrize("kind, name, params", [
    ("trainer", "dp_logreg", {"epsilon": 1.0}),
    ("generator", "dp_ngram", {"epsilon": 1.0, "order": 1, "max_ngrams_per_record": 5}),
])
def test_empirical_epsilon_never_exceeds_declared(kind, name, params, splits):
    """DESIGN section 4: a lower bound above the declared epsilon is a bug in the mechanism or the accountant."""
    scores = _evaluate(kind, name, splits, **params)
    assert scores["mia.loss.eps_lower_bound"].value <= params["epsilon"]
