import numpy as np
import pytest
from sklearn.metrics import f1_score

from mhprivbench.evaluator import Evaluator, release_warnings
from mhprivbench.types import Record, Release
from mhprivbench.utility.metrics import macro_f1_codes


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
