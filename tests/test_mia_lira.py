"""LiRA: hand-computed Gaussian fits and scores; it beats the loss attack on an overfit model, sits at chance on a
DP model at epsilon 0.1, and says why it is absent without retrain."""

import numpy as np
import pytest

import mhprivbench as mh
from mhprivbench import registry, runner, stats
from mhprivbench.attacks._reference_models import inclusion, reference_set, true_label_signals
from mhprivbench.attacks.mia_lira import MIN_VARIANCE, MiaLira, all_target_scores, gaussian_fit, lira_scores
from mhprivbench.evaluator import Evaluator
from mhprivbench.mechanisms import release
from mhprivbench.specs import parse_suite
from mhprivbench.types import Release


def test_gaussian_fit_by_hand():
    phi = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]])
    mask = np.array([[True, True], [True, False], [True, True]])
    mean, var = gaussian_fit(phi, mask, leave_one_out=False, fixed_variance=False)
    assert mean == pytest.approx(np.array([[3.0, 35.0]]))
    assert var == pytest.approx(np.array([[4.0, 1250.0]]))  # sample variances (n - 1)
    mean, var = gaussian_fit(phi, mask, leave_one_out=False, fixed_variance=True)
    assert var == pytest.approx(np.full((1, 2), (8.0 + 1250.0) / 3))  # squared deviations / (2 + 1)
    mean, var = gaussian_fit(phi, mask, leave_one_out=True, fixed_variance=False)
    # row k leaves model k out: point 0 keeps {3, 5}, {1, 5}, {1, 3}; point 1 keeps {60}, {10, 60}, {10}
    assert mean == pytest.approx(np.array([[4.0, 60.0], [3.0, 35.0], [2.0, 10.0]]))
    assert var[1] == pytest.approx([8.0, 1250.0])
    assert var[0, 1] == pytest.approx((2.0 + 0.0) / 1)  # one model left: the row's pooled variance


def test_lira_scores_by_hand():
    phi = np.array([[2.0]])
    fit_in = (np.array([[2.0]]), np.array([[1.0]]))
    fit_out = (np.array([[0.0]]), np.array([[4.0]]))
    assert lira_scores(phi, fit_in, fit_out, online=False)[0, 0] == pytest.approx(1.0)  # (2 - 0) / 2
    expected = -0.5 * np.log(2 * np.pi) - (-0.5 * (4 / 4 + np.log(2 * np.pi * 4)))
    assert lira_scores(phi, fit_in, fit_out, online=True)[0, 0] == pytest.approx(expected)


def test_constant_models_tie_and_a_lookup_table_separates():
    inside = inclusion(40, 8, np.random.default_rng(0))
    assert (inside.sum(axis=0) == 4).all()  # every point IN for exactly K / 2 models
    flat = np.full((8, 40), 0.7)
    rows = all_target_scores(flat, inside, flat[:1], online=True, fixed_variance=True)
    assert np.unique(rows).size == 1  # nothing to tell apart: every score tied, whatever the rounding
    lookup = np.where(inside, 3.0, -1.0)
    rows = all_target_scores(lookup, inside, lookup[:1], online=False, fixed_variance=True)
    assert rows[1:][inside].min() == pytest.approx(4.0 / np.sqrt(MIN_VARIANCE))
    assert rows[1:][~inside].max() == pytest.approx(0.0)


def _cell(name, params, n_personas=60):
    splits = mh.load_dataset("synthmh", n_personas=n_personas).split(seed=0)
    make = lambda: registry.create("trainer", name, **params)  # noqa: E731
    released = release(make(), splits.train, seed=1, labels=splits.labels)

    def retrain(records, seed=None):
        return release(make(), records, seed=runner.derive_seed("retrain", 1, seed), labels=splits.labels)

    return splits, released, retrain


def _pooled_tpr_and_auc(rows, members):
    member, nonmember = rows[members], rows[~members]
    labels = np.r_[np.ones(len(member)), np.zeros(len(nonmember))]
    return stats.tpr_at_fpr_scores(member, nonmember, 0.01), stats.fast_auc(labels, np.r_[member, nonmember])


@pytest.mark.slow
@pytest.mark.parametrize("c, lira_floor, margin", [(1000.0, 0.9, 0.03), (1.0, 0.5, 0.3)])
def test_lira_beats_loss_on_an_overfit_model(c, lira_floor, margin):
    """Unigram tf-idf logistic regression on 137 synthmh posts (C = 1000: memorizes; C = 1: less so)."""
    splits, released, retrain = _cell("nonprivate", {"C": c, "ngram_max": 1})
    attack = MiaLira(n_reference=16, n_bootstrap=50)
    scores = attack.run(released, splits, seed=0, retrain=retrain)
    assert scores["mia.lira.auc"].value >= 0.9
    assert scores["mia.lira.tpr_at_1pct_fpr"].value >= lira_floor  # baseline 0.01
    assert scores["mia.lira.tpr_at_1pct_fpr"].ci_low > 0.1
    assert scores["mia.lira.tpr_at_1pct_fpr"].n >= 1000 and "mia.lira.tpr_at_1pct_fpr" not in attack.not_applicable_
    assert "needs >= 5000" in attack.not_applicable_["mia.lira.tpr_at_0.1pct_fpr"]
    # the loss attack on the very same targets and points (the comparison of Carlini et al.)
    refs = reference_set(released, splits, target=released.model, retrain=retrain, seed=0, n_reference=16,
                         max_pool=2000)
    members = np.vstack([refs.member[None], refs.inside])
    target = true_label_signals(released.model, refs.pool)
    loss_tpr, loss_auc = _pooled_tpr_and_auc(np.vstack([target.log_true, refs.pool_signals.log_true]), members)
    lira_rows = all_target_scores(refs.pool_signals.logit, refs.inside, target.logit, online=True,
                                  fixed_variance=True)
    lira_tpr, lira_auc = _pooled_tpr_and_auc(lira_rows, members)
    assert lira_tpr == pytest.approx(scores["mia.lira.tpr_at_1pct_fpr"].value, abs=0.03)  # capped sample aside
    assert lira_tpr >= loss_tpr + margin and lira_auc > loss_auc


@pytest.mark.slow
def test_lira_is_chance_on_dp_logreg_at_epsilon_0_1():
    splits, released, retrain = _cell("dp_logreg", {"epsilon": 0.1}, n_personas=100)
    scores = MiaLira(n_reference=16, n_bootstrap=50).run(released, splits, seed=0, retrain=retrain)
    for prefix in ("mia.lira", "mia.lira_offline"):
        assert abs(scores[f"{prefix}.auc"].value - 0.5) <= 0.05
        assert scores[f"{prefix}.tpr_at_1pct_fpr"].value <= 0.03


def test_without_retrain_the_evaluator_says_why():
    splits = mh.load_dataset("synthmh", n_personas=30).split(seed=0)
    released = Release(kind="records", records=splits.train)
    evaluation = Evaluator(attacks=["mia_lira", "mia_rmia"], n_bootstrap=20).evaluate(released, splits, seed=0)
    for name in ("mia_lira", "mia_rmia"):
        assert evaluation.not_applicable[name].startswith("needs retrain")
    assert not any(key.startswith(("mia.lira", "mia.rmia")) for key in evaluation.scores)


def test_runner_retrain_derives_one_seed_per_reference_model(monkeypatch):
    seen = []
    monkeypatch.setattr(runner, "make_release", lambda mechanism, records, *, seed, labels: seen.append(seed))
    captured = {}

    class Capture:
        def evaluate(self, released, splits, *, seed, retrain):
            retrain(splits.train[:3])
            retrain(splits.train[:3], seed=5)
            captured["done"] = True
            raise RuntimeError("stop")

    monkeypatch.setattr(runner, "build_evaluator", lambda settings: Capture())
    suite = {"name": "t", "seeds": [0], "datasets": [{"name": "synthmh", "params": {"n_personas": 20}}],
             "mechanisms": [{"kind": "baseline", "name": "identity"}], "evaluator": {"attacks": ["mia_loss"]}}
    plan = runner.plan_suite(parse_suite(suite))
    runner._init_worker(plan.corpora)
    cell = plan.cells[0]
    with pytest.raises(RuntimeError, match="stop"):
        runner.run_cell(cell)
    assert captured["done"]
    assert seen == [cell.mechanism_seed, cell.mechanism_seed, runner.derive_seed("retrain", cell.mechanism_seed, 5)]


@pytest.mark.parametrize("kind, name", [("trainer", "ctrl_memorizer"), ("anonymizer", "identity")])
def test_scores_are_seeded_bounded_and_hold_no_text(kind, name):
    """The generic attack contract, with a retrain (tests/test_attacks.py has none to give): intervals contain
    the value, the same seed gives the same numbers, and nothing of a record's text reaches the scores."""
    import mhprivbench.testing.controls  # noqa: F401  (registers ctrl_memorizer)
    from mhprivbench.testing import tiny_splits

    splits = tiny_splits(seed=4)
    make = lambda: registry.create(kind, name)  # noqa: E731
    released = release(make(), splits.train, seed=1, labels=splits.labels)

    def retrain(records, seed=None):
        return release(make(), records, seed=seed, labels=splits.labels)

    evaluator = Evaluator(attacks=["mia_lira", "mia_rmia"], n_bootstrap=30,
                          attack_params={"mia_lira": {"n_reference": 8}, "mia_rmia": {"n_reference": 8}})
    first = evaluator.evaluate(released, splits, seed=3, retrain=retrain).scores
    again = evaluator.evaluate(released, mh.load_dataset("synthmh", n_personas=48, posts_per_persona=5, n_decoys=24,
                                                         seed=4).split(seed=4), seed=3, retrain=retrain).scores
    ours = {k: v for k, v in first.items() if k.startswith(("mia.lira", "mia.rmia"))}
    assert len(ours) == 9  # auc, tpr_at_1pct_fpr, advantage for lira, lira_offline and rmia
    assert {k: again[k].value for k in ours} == {k: v.value for k, v in ours.items()}
    for key, score in ours.items():
        assert score.ci_low <= score.value <= score.ci_high and score.baseline is not None, key
    text = repr({k: v.as_dict() for k, v in ours.items()})
    assert not any(len(word) > 6 and word in text for r in splits.train for word in r.text.split())
