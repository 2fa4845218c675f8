import numpy as np
import pytest
from sklearn.metrics import f1_score

from mhprivbench.evaluator import Evaluator, release_warnings
from mhprivbench.types import Record, Release
from mhprivbench.utility.metrics import macro_f1_codes, majority_label, utility_scores


def test_macro_f1_codes_hand_computed():
    # labels 0, 1, 2; class 0: tp 1, fp 1, fn 1 -> 0.5; class 1: tp 1, fp 0, fn 0 -> 1; class 2: tp 0 -> 0
    true = np.array([0, 0, 1, 2])
    pred = np.array([0, 2, 1, 0])
    assert macro_f1_codes(true, pred, 3) == pytest.approx((0.5 + 1.0 + 0.0) / 3)


def test_macro_f1_codes_equals_sklearn_with_unknown_predictions():
    rng = np.random.default_rng(0)
    true = rng.integers(0, 4, 300)
    pred = rng.integers(-1, 4, 300)  # -1: a label the model predicts that the test set does not have
    expected = f1_score(true, pred, labels=[0, 1, 2, 3], average="macro", zero_division=0)
    assert macro_f1_codes(true, pred, 4) == pytest.approx(expected)


def test_evaluator_hands_its_n_bootstrap_to_attacks_unless_overridden():
    evaluator = Evaluator(attacks=["mia_loss", "pii_leak"], n_bootstrap=123, attack_params={"pii_leak": {}})
    assert evaluator._attack_params("mia_loss") == {"n_bootstrap": 123}
    assert Evaluator(n_bootstrap=123, attack_params={"mia_loss": {"n_bootstrap": 7}})._attack_params(
        "mia_loss") == {"n_bootstrap": 7}


def test_release_warnings_count_empty_texts():
    records = (Record("a", "", "x"), Record("b", "  ", "x"), Record("c", "words", "x"))
    assert release_warnings(Release(kind="records", records=records)) == ["2 of 3 released records are empty"]
    assert release_warnings(Release(kind="records", records=records[2:])) == []


# --- utility_scores on hand-made classifiers -----------------------------------------------------------------------

class Lookup:
    """A hand-made classifier: a fixed probability row per text (or one row for every text)."""

    def __init__(self, classes: list[str], rows: dict[str, list[float]] | None = None,
                 constant: list[float] | None = None) -> None:
        self.classes_ = classes
        self.rows, self.constant = rows or {}, constant

    def predict_proba(self, texts):
        return np.array([self.constant if self.constant is not None else self.rows[t] for t in texts], dtype=float)


def _records(labels: list[str], group: str | None = None, prefix: str = "t") -> list[Record]:
    return [Record(f"{prefix}{i}", f"{prefix}{i}", label, group={"g": group} if group else {})
            for i, label in enumerate(labels)]


def test_always_crisis_predictor_has_full_recall_but_prior_precision():
    # 10 test records, 2 crisis ("c"); the model (e.g. trained on empty texts) always says c.
    test = _records(["c", "c", "a", "a", "a", "a", "b", "b", "b", "b"])
    model = Lookup(["a", "b", "c"], constant=[0.2, 0.2, 0.6])
    train = ["a"] * 5 + ["b"] * 3 + ["c"] * 2
    scores = utility_scores(model, test, train_labels=train, crisis_label="c", seed=0, n_bootstrap=50)
    recall, precision, f1 = (scores[f"utility.crisis_{k}"] for k in ("recall", "precision", "f1"))
    assert recall.value == 1.0 and recall.baseline == pytest.approx(0.2)  # 2/2; train prior 2/10
    # precision 2/10 = the crisis share of test (its baseline); Wilson(2, 10) = (0.0567, 0.5098)
    assert precision.value == pytest.approx(0.2) and precision.baseline == pytest.approx(0.2)
    assert (precision.ci_low, precision.ci_high) == pytest.approx((0.0567, 0.5098), abs=1e-4)
    assert precision.n == 10 and precision.higher_is_better
    # F1 = 2 TP / (true + predicted) = 4 / 12 = 1/3 = 2 p / (1 + p) at p = 0.2: exactly its always-crisis baseline
    assert f1.value == pytest.approx(1 / 3) and f1.baseline == pytest.approx(1 / 3) and f1.higher_is_better
    assert scores["utility.macro_f1"].value == pytest.approx(1 / 9)  # a: 0, b: 0, c: 1/3
    assert scores["utility.accuracy"].value == pytest.approx(0.2)
    assert scores["utility.auroc"].value == pytest.approx(0.5)  # constant scores: every pair tied


PROBA = {  # columns a, b, c; argmax: t0 a, t1 b, t2 b, t3 c, t4 c, t5 c
    "t0": [0.7, 0.2, 0.1], "t1": [0.3, 0.4, 0.3], "t2": [0.4, 0.5, 0.1],
    "t3": [0.1, 0.3, 0.6], "t4": [0.2, 0.1, 0.7], "t5": [0.2, 0.2, 0.6],
}


def test_hand_computed_auroc_and_crisis_scores():
    test = _records(["a", "a", "b", "b", "c", "c"])
    scores = utility_scores(Lookup(["a", "b", "c"], PROBA), test, train_labels=["a", "b", "c", "c"],
                            crisis_label="c", seed=0, n_bootstrap=100)
    # one-vs-rest AUC (pairs positive > negative, ties 1/2, over 2 x 4 pairs):
    # a: pos {.7, .3} vs {.4, .1, .2, .2}: 4 + 3 = 7/8; b: pos {.5, .3} vs {.2, .4, .1, .2}: 4 + 3 = 7/8;
    # c: pos {.7, .6} vs {.1, .3, .1, .6}: 4 + 3.5 = 7.5/8  -> mean (0.875 + 0.875 + 0.9375) / 3
    assert scores["utility.auroc"].value == pytest.approx((0.875 + 0.875 + 0.9375) / 3)
    # crisis c: true {t4, t5}, predicted {t3, t4, t5}: recall 2/2, precision 2/3, F1 = 4 / 5
    assert scores["utility.crisis_recall"].value == 1.0
    assert scores["utility.crisis_recall"].baseline == pytest.approx(0.5)  # train prior 2/4
    assert scores["utility.crisis_precision"].value == pytest.approx(2 / 3)
    assert scores["utility.crisis_precision"].baseline == pytest.approx(1 / 3)  # test share 2/6
    assert scores["utility.crisis_precision"].n == 3
    f1 = scores["utility.crisis_f1"]
    assert f1.value == pytest.approx(0.8) and f1.baseline == pytest.approx(0.5)  # 2 (1/3) / (4/3)
    assert f1.ci_low <= 0.8 <= f1.ci_high
    # macro-F1: a 2/3 (tp 1, 2 true, 1 predicted), b 1/2, c 4/5; majority baseline "c" (ties by label: no tie here)
    assert scores["utility.macro_f1"].value == pytest.approx((2 / 3 + 0.5 + 0.8) / 3)
    assert scores["utility.macro_f1"].baseline == pytest.approx((0 + 0 + 0.5) / 3)  # always c: c F1 = 4/8
    assert scores["utility.accuracy"].value == pytest.approx(4 / 6)


def test_crisis_precision_when_crisis_is_never_predicted():
    test = _records(["a", "c", "c", "a"])
    scores = utility_scores(Lookup(["a", "c"], constant=[0.9, 0.1]), test, train_labels=["a", "c"],
                            crisis_label="c", seed=0, n_bootstrap=50)
    precision = scores["utility.crisis_precision"]
    assert (precision.value, precision.ci_low, precision.ci_high, precision.n) == (0.0, 0.0, 1.0, 0)
    assert scores["utility.crisis_recall"].value == 0.0 and scores["utility.crisis_f1"].value == 0.0
    no_crisis = utility_scores(Lookup(["a", "c"], constant=[0.9, 0.1]), test, train_labels=["a", "c"],
                               crisis_label=None, seed=0, n_bootstrap=50)
    assert not any("crisis" in key for key in no_crisis)


# Group x holds a, b, c; group y lacks b, but the model predicts b for one of its c records.
GROUP_X = [("a", "a"), ("a", "b"), ("b", "b"), ("c", "c")]  # (true, predicted)
GROUP_Y = [("a", "a"), ("a", "a"), ("c", "b"), ("c", "c")]


def _group_case():
    onehot = {"a": [1.0, 0.0, 0.0], "b": [0.0, 1.0, 0.0], "c": [0.0, 0.0, 1.0]}
    records, rows = [], {}
    for group, pairs in (("x", GROUP_X), ("y", GROUP_Y)):
        for copy in range(5):  # 5 copies: 20 records per group (min_size), F1 unchanged by the scaling
            for i, (true, pred) in enumerate(pairs):
                uid = f"{group}{i}_{copy}"
                records.append(Record(uid, uid, true, group={"g": group}))
                rows[uid] = onehot[pred]
    return records, Lookup(["a", "b", "c"], rows)


def test_group_f1_averages_only_labels_present_in_the_group():
    test, model = _group_case()
    scores = utility_scores(model, test, train_labels=["a", "b", "c"], crisis_label="c", seed=0, n_bootstrap=100)
    # x: a tp 1 / (2 true + 1 pred) -> 2/3; b 2 / (1 + 2) = 2/3; c 2 / (1 + 1) = 1 -> 7/9
    # y: a 4 / (2 + 2) = 1; c 2 / (2 + 1) = 2/3; b absent from y: not averaged -> 5/6 (was (1 + 0 + 2/3) / 3 = 5/9)
    worst, gap = scores["utility.worst_group_f1"], scores["utility.group_gap"]
    assert worst.value == pytest.approx(7 / 9)
    assert gap.value == pytest.approx(5 / 6 - 7 / 9)  # 1/18 (was 7/9 - 5/9 = 2/9, with y the worst group)
    assert not gap.higher_is_better and gap.baseline == 0.0 and worst.higher_is_better
    assert worst.ci_low <= worst.value <= worst.ci_high and gap.ci_low <= gap.value <= gap.ci_high
    # whole test set: c true 15, predicted 10, hits 10 -> recall 2/3, precision 1, F1 20 / 25
    assert scores["utility.crisis_recall"].value == pytest.approx(2 / 3)
    assert scores["utility.crisis_precision"].value == 1.0
    assert scores["utility.crisis_f1"].value == pytest.approx(0.8)


def test_macro_f1_present_only_matches_sklearn_on_present_labels():
    true = np.array([0, 0, 2, 2])
    pred = np.array([0, 0, 1, 2])  # 1 is absent from true: a miss for the record whose label is 2
    expected = f1_score(true, pred, labels=[0, 2], average="macro", zero_division=0)  # (1 + 2/3) / 2
    assert macro_f1_codes(true, pred, 3, present_only=True) == pytest.approx(expected) == pytest.approx(5 / 6)
    assert macro_f1_codes(true, pred, 3) == pytest.approx(5 / 9)
    assert np.isnan(macro_f1_codes(true[:0], pred[:0], 3, present_only=True))


def test_majority_label_ties_are_broken_by_label_not_by_order():
    assert majority_label(["b", "a", "b", "a"], "z") == "a"
    assert majority_label(["b", "a", "b"], "z") == "b"
    assert majority_label([], "z") == "z"
