"""RMIA (offline and online): hand-computed ratios and scores; it shares LiRA's reference models in one evaluation, catches an
overfit model and sits at chance on a DP model at epsilon 0.1."""

import numpy as np
import pytest

import mhprivbench as mh
from mhprivbench import registry, runner
from mhprivbench.attacks.mia_rmia import MiaRmia, out_mean, relative_scores, rmia_scores
from mhprivbench.evaluator import Evaluator
from mhprivbench.mechanisms import release


def test_out_mean_by_hand():
    proba = np.array([[0.2, 0.9], [0.4, 0.1], [0.6, 0.5]])
    out = np.array([[True, False], [True, True], [False, True]])
    assert out_mean(proba, out, leave_one_out=False) == pytest.approx(np.array([[0.3, 0.3]]))
    # row k without model k: point 0 keeps OUT models {1}, {0}, {0, 1}; point 1 keeps {1, 2}, {2}, {1}
    assert out_mean(proba, out, leave_one_out=True) == pytest.approx(np.array([[0.4, 0.3], [0.2, 0.5], [0.3, 0.1]]))


def test_relative_scores_count_ties_as_half():
    x = np.array([[1.0, 2.0, 0.5]])
    z = np.array([[0.5, 1.0, 1.0 + 1e-12, 3.0]])  # 1 + 1e-12 ties with 1 (rounding decides nothing)
    assert relative_scores(x, z, gamma=1.0)[0] == pytest.approx([(1 + 0.5 * 2) / 4, 3 / 4, 0.5 / 4])
    assert relative_scores(x, z, gamma=2.0)[0] == pytest.approx([0.5 / 4, (1 + 0.5 * 2) / 4, 0.0])


def test_rmia_scores_by_hand():
    """Two reference models, one pool point (IN for model 0), two population points, a = 0.5."""
    p_x = np.array([[0.9], [0.3]])
    out_x = np.array([[False], [True]])
    p_z = np.array([[0.4, 0.2], [0.4, 0.2]])
    rows = rmia_scores(p_x, out_x, p_z, np.array([[0.8]]), np.array([[0.4, 0.1]]), a=0.5, gamma=1.0)
    prior = lambda mean: 0.5 * (1.5 * mean + 0.5)  # noqa: E731
    # release target: x ratio 0.8 / prior(0.3); z ratios 0.4 / prior(0.4), 0.1 / prior(0.2)
    z_ratios = [0.4 / prior(0.4), 0.1 / prior(0.2)]
    assert rows[0, 0] == pytest.approx(np.mean([0.8 / prior(0.3) > r for r in z_ratios]))
    # model 0 as target: OUT models left for x = {1}; z: model 1 only
    x0, z0 = 0.9 / prior(0.3), [0.4 / prior(0.4), 0.2 / prior(0.2)]
    assert rows[1, 0] == pytest.approx(np.mean([x0 > r for r in z0]))
    # model 1 as target: no OUT model left for x (mean 0), z: model 0 only
    x1, z1 = 0.3 / prior(0.0), [0.4 / prior(0.4), 0.2 / prior(0.2)]
    assert rows[2, 0] == pytest.approx(np.mean([x1 > r for r in z1]))


def test_online_rmia_by_hand():
    """Online: P(x) is the plain mean over every model (IN ones included), no correction; rows 1.. leave their
    own model out. Same two models and points as above."""
    p_x = np.array([[0.9], [0.3]])
    out_x = np.array([[False], [True]])
    p_z = np.array([[0.4, 0.2], [0.4, 0.2]])
    rows = rmia_scores(p_x, out_x, p_z, np.array([[0.8]]), np.array([[0.4, 0.1]]), a=0.5, gamma=1.0, online=True)
    # release target: P(x) = (0.9 + 0.3) / 2 = 0.6; P(z) = 0.4, 0.2
    assert rows[0, 0] == pytest.approx(np.mean([r < 0.8 / 0.6 for r in (0.4 / 0.4, 0.1 / 0.2)]))  # 1.33 > 1, 0.5
    # model 0 as target: P(x) from model 1 = 0.3 -> ratio 3; z ratios 1, 1: both below
    assert rows[1, 0] == pytest.approx(1.0)
    # model 1 as target: P(x) from model 0 = 0.9 -> ratio 1/3; z ratios 1, 1: none below
    assert rows[2, 0] == pytest.approx(0.0)
    assert MiaRmia(online=True).online and pytest.raises(ValueError, MiaRmia, online="yes")


def _evaluate(name, params, n_personas, rmia=None):
    splits = mh.load_dataset("synthmh", n_personas=n_personas).split(seed=0)
    make = lambda: registry.create("trainer", name, **params)  # noqa: E731
    released = release(make(), splits.train, seed=1, labels=splits.labels)
    calls = []

    def retrain(records, seed=None):
        calls.append(seed)
        return release(make(), records, seed=runner.derive_seed("retrain", 1, seed), labels=splits.labels)

    evaluator = Evaluator(attacks=["mia_lira", "mia_rmia"], n_bootstrap=50,
                          attack_params={"mia_lira": {"n_reference": 16}, "mia_rmia": {"n_reference": 16, **(rmia or {})}})
    return evaluator.evaluate(released, splits, seed=0, retrain=retrain), calls


@pytest.mark.slow
def test_rmia_catches_an_overfit_model_on_lira_reference_models():
    evaluation, calls = _evaluate("nonprivate", {"C": 1000.0, "ngram_max": 1}, n_personas=60)
    assert calls == list(range(16))  # one set of reference models for both attacks, one mechanism seed each
    scores = evaluation.scores
    assert scores["mia.rmia.auc"].value >= 0.9
    assert scores["mia.rmia.tpr_at_1pct_fpr"].value >= 0.2 and scores["mia.rmia.tpr_at_1pct_fpr"].ci_low > 0.05
    assert evaluation.timings["mia_rmia"] < evaluation.timings["mia_lira"] / 3


@pytest.mark.slow
def test_online_rmia_catches_the_overfit_model_and_spares_dp():
    overfit, _ = _evaluate("nonprivate", {"C": 1000.0, "ngram_max": 1}, n_personas=60, rmia={"online": True})
    assert overfit.scores["mia.rmia_online.auc"].value >= 0.9 and "mia.rmia.auc" not in overfit.scores
    private, _ = _evaluate("dp_logreg", {"epsilon": 0.1}, n_personas=60, rmia={"online": True})
    assert abs(private.scores["mia.rmia_online.auc"].value - 0.5) <= 0.05


@pytest.mark.slow
def test_rmia_is_chance_on_dp_logreg_at_epsilon_0_1():
    evaluation, _ = _evaluate("dp_logreg", {"epsilon": 0.1}, n_personas=100)
    assert abs(evaluation.scores["mia.rmia.auc"].value - 0.5) <= 0.05
    assert evaluation.scores["mia.rmia.tpr_at_1pct_fpr"].value <= 0.03


def test_parameters_are_checked():
    with pytest.raises(ValueError, match="offline_a"):
        MiaRmia(offline_a=1.5)
    with pytest.raises(ValueError, match="n_reference"):
        MiaRmia(n_reference=2)
