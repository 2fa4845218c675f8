"""nonprivate and dp_logreg trainers."""

from __future__ import annotations

import random

import numpy as np
import pytest

from mhprivbench.errors import ConfigError, DataError
from mhprivbench.mechanisms import release
from mhprivbench.registry import create
from mhprivbench.trainers.dp_logreg import DPLogReg, HashedLinearModel
from mhprivbench.types import Record

WORDS = {"neg": ["sad", "hopeless", "empty", "crying", "alone", "worthless"],
         "pos": ["happy", "grateful", "calm", "excited", "joyful", "hopeful"]}
COMMON = ["today", "i", "feel", "the", "was", "and", "it", "so", "very"]


def toy(n: int, seed: int) -> list[Record]:
    rng = random.Random(seed)
    labels = [rng.choice(sorted(WORDS)) for _ in range(n)]
    return [Record(f"r{seed}-{i}", " ".join(rng.choice(WORDS[y] + COMMON) for _ in range(12)), y)
            for i, y in enumerate(labels)]


def accuracy(model, records: list[Record]) -> float:
    proba = model.predict_proba([r.text for r in records])
    predicted = [model.classes_[i] for i in proba.argmax(axis=1)]
    return float(np.mean([p == r.label for p, r in zip(predicted, records, strict=True)]))


def test_nonprivate_learns_separable_toy_and_exposes_tokens() -> None:
    train = toy(200, 0)
    model = create("baseline", "nonprivate").fit(train, seed=0)
    assert accuracy(model, train) > 0.9
    assert {"hopeless", "grateful"} <= model.exposed_strings()


PUBLIC = ["neg", "pos"]


def test_dp_logreg_utility_grows_with_epsilon() -> None:
    train, test = toy(400, 1), toy(400, 2)
    low = np.mean([accuracy(DPLogReg(epsilon=0.01).fit(train, seed=s, labels=PUBLIC), test) for s in range(5)])
    high = np.mean([accuracy(DPLogReg(epsilon=50.0).fit(train, seed=s, labels=PUBLIC), test) for s in range(5)])
    assert abs(low - 0.5) < 0.15
    assert high > 0.85


def test_dp_logreg_model_contract() -> None:
    train = toy(120, 3) + [Record("m", "worry panic", "anx")]
    trainer = DPLogReg(epsilon=1.0, n_features=64)
    model = trainer.fit(train, seed=0, labels=["pos", "anx", "neg"])
    assert model.classes_ == ["anx", "neg", "pos"]
    proba = model.predict_proba(["happy calm", "sad", ""])
    assert proba.shape == (3, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert model.exposed_strings() == frozenset()
    assert (trainer.epsilon_, trainer.delta_) == (1.0, 0.0)
    again = DPLogReg(epsilon=1.0, n_features=64).fit(train, seed=0, labels=["anx", "neg", "pos"])
    np.testing.assert_allclose(again.predict_proba(["happy calm"]), model.predict_proba(["happy calm"]))


def test_dp_logreg_release_declares_epsilon() -> None:
    out = release(create("trainer", "dp_logreg", epsilon=0.5), toy(60, 4), seed=0, labels=PUBLIC)
    assert (out.kind, out.epsilon, out.delta) == ("model", 0.5, 0.0)


def test_dp_logreg_declares_neighbouring_and_unit() -> None:
    assert (DPLogReg.neighbouring, DPLogReg.privacy_unit) == ("replace_one", "record")


@pytest.mark.parametrize("params", [{}, {"epsilon": 0}, {"epsilon": -2}, {"epsilon": 1, "n_features": 0}])
def test_dp_logreg_bad_params(params: dict) -> None:
    with pytest.raises(ConfigError):
        create("trainer", "dp_logreg", **params)


@pytest.mark.parametrize("labels", [None, [], ()])
def test_dp_logreg_refuses_without_a_public_label_set(labels) -> None:
    """No fallback to the labels of the private records: a clear one-line error naming `labels`."""
    with pytest.raises(ConfigError, match="dp_logreg needs the task's public label set.*`labels` parameter"):
        DPLogReg(epsilon=1.0).fit(toy(20, 0), seed=0, labels=labels)


def test_dp_logreg_needs_two_public_labels_not_two_present() -> None:
    with pytest.raises(ConfigError, match="at least 2 labels"):
        DPLogReg(epsilon=1.0).fit([Record("a", "x y", "neg")], labels=["neg"])
    only_neg = [Record("a", "x y", "neg"), Record("b", "y z", "neg")]  # one label present: still fitted
    model = DPLogReg(epsilon=1.0, n_features=16).fit(only_neg, seed=0, labels=PUBLIC)
    assert model.classes_ == PUBLIC and (model.predict_proba(["x"]) > 0).all()


def test_dp_logreg_record_label_outside_public_set_is_a_data_error() -> None:
    with pytest.raises(DataError, match="1 train records have a label outside the public label set"):
        DPLogReg(epsilon=1.0).fit(toy(20, 0) + [Record("m", "x", "anx")], seed=0, labels=PUBLIC)


def test_dp_logreg_absent_public_label_gets_probability_and_release_holds_weights_only() -> None:
    """A public label with no train record is fitted (all-negative problem): probability > 0, never exactly 0.
    Neighbouring datasets (with and without one record of it) release objects of the same form."""
    train = toy(120, 3)
    public = ["anx", "neg", "pos"]
    without = DPLogReg(epsilon=1.0, n_features=64).fit(train, seed=0, labels=public)
    with_rare = DPLogReg(epsilon=1.0, n_features=64).fit(train + [Record("m", "worry", "anx")], seed=0, labels=public)
    for model in (without, with_rare):
        assert set(vars(model)) == {"coef", "n_features", "classes_"}
        assert type(model.coef) is np.ndarray and model.coef.shape == (3, 65)  # 64 hashed + the bias column
        assert model.n_features == 64 and model.classes_ == public
    proba = without.predict_proba(["happy calm", "sad", "", "worry"])
    assert proba.shape == (4, 3) and (proba > 0).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_dp_logreg_splits_epsilon_over_every_public_label(monkeypatch) -> None:
    """L > 2 labels: L binary problems at epsilon / L, absent labels included; 2 labels: one at epsilon."""
    import diffprivlib.models.logistic_regression as dlr

    calls: list[tuple[float, int]] = []
    real = dlr._logistic_regression_path

    def spy(X, y, epsilon, *args, **kwargs):
        calls.append((epsilon, int(np.sum(y == 1.0))))
        return real(X, y, epsilon, *args, **kwargs)

    monkeypatch.setattr(dlr, "_logistic_regression_path", spy)
    train = [Record("a", "sad", "neg"), Record("b", "sad day", "neg"), Record("c", "happy", "pos")]
    DPLogReg(epsilon=1.2, n_features=8).fit(train, seed=0, labels=["pos", "neg", "anx", "sleep"])
    assert calls == [(pytest.approx(0.3), 0), (pytest.approx(0.3), 2), (pytest.approx(0.3), 1),
                     (pytest.approx(0.3), 0)]  # sorted: anx, neg, pos, sleep
    calls.clear()
    DPLogReg(epsilon=1.2, n_features=8).fit(train, seed=0, labels=PUBLIC)
    assert calls == [(1.2, 1)]  # "pos" against "neg"


def test_hashed_linear_model_probabilities_by_hand() -> None:
    """Only the bias weight set: margin = w / sqrt(2) for any text (the bias feature is 1 / sqrt(2))."""
    binary = np.zeros((1, 9))
    binary[0, -1] = np.sqrt(2) * np.log(3)  # margin ln 3: sigmoid 3/4
    model = HashedLinearModel(coef=binary, n_features=8, classes_=["a", "b"])
    np.testing.assert_allclose(model.predict_proba(["x y", ""]), [[0.25, 0.75], [0.25, 0.75]])
    three = np.zeros((3, 9))
    three[:, -1] = np.sqrt(2) * np.log(3) * np.array([1, 0, -1])  # sigmoids 3/4, 1/2, 1/4 -> / 1.5
    model = HashedLinearModel(coef=three, n_features=8, classes_=["a", "b", "c"])
    np.testing.assert_allclose(model.predict_proba(["x"]), [[0.5, 1 / 3, 1 / 6]])
    assert model.predict(["x"]) == ["a"]
    huge = HashedLinearModel(coef=three * 1e4, n_features=8, classes_=["a", "b", "c"])
    assert (huge.predict_proba(["x"]) > 0).all()  # margins of +-1e4 still leave every label > 0


def test_dp_logreg_seed_none_draws_fresh_noise() -> None:
    train = toy(60, 5)
    fresh = []
    for _ in range(2):
        np.random.seed(0)  # numpy's global state is not the source: diffprivlib draws from secrets.SystemRandom
        fresh.append(DPLogReg(epsilon=1.0, n_features=32).fit(train, seed=None, labels=PUBLIC).coef)
    assert not np.allclose(fresh[0], fresh[1])
    a, b = (DPLogReg(epsilon=1.0, n_features=32).fit(train, seed=7, labels=PUBLIC) for _ in range(2))
    np.testing.assert_array_equal(a.coef, b.coef)
