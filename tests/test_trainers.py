"""nonprivate and dp_logreg trainers."""

from __future__ import annotations

import random

import numpy as np
import pytest

from mhprivbench.errors import ConfigError
from mhprivbench.mechanisms import release
from mhprivbench.registry import create
from mhprivbench.trainers.dp_logreg import DPLogReg
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


def test_dp_logreg_utility_grows_with_epsilon() -> None:
    train, test = toy(400, 1), toy(400, 2)
    low = np.mean([accuracy(DPLogReg(epsilon=0.01).fit(train, seed=s), test) for s in range(5)])
    high = np.mean([accuracy(DPLogReg(epsilon=50.0).fit(train, seed=s), test) for s in range(5)])
    assert abs(low - 0.5) < 0.15
    assert high > 0.85


def test_dp_logreg_model_contract() -> None:
    train = toy(120, 3) + [Record("m", "worry panic", "anx")]
    trainer = DPLogReg(epsilon=1.0, n_features=64)
    model = trainer.fit(train, seed=0)
    assert model.classes_ == ["anx", "neg", "pos"]
    proba = model.predict_proba(["happy calm", "sad", ""])
    assert proba.shape == (3, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert model.exposed_strings() == frozenset()
    assert (trainer.epsilon_, trainer.delta_) == (1.0, 0.0)
    again = DPLogReg(epsilon=1.0, n_features=64).fit(train, seed=0)
    np.testing.assert_allclose(again.predict_proba(["happy calm"]), model.predict_proba(["happy calm"]))


def test_dp_logreg_release_declares_epsilon() -> None:
    out = release(create("trainer", "dp_logreg", epsilon=0.5), toy(60, 4), seed=0)
    assert (out.kind, out.epsilon, out.delta) == ("model", 0.5, 0.0)


@pytest.mark.parametrize("params", [{}, {"epsilon": 0}, {"epsilon": -2}, {"epsilon": 1, "n_features": 0}])
def test_dp_logreg_bad_params(params: dict) -> None:
    with pytest.raises(ConfigError):
        create("trainer", "dp_logreg", **params)


def test_dp_logreg_needs_two_labels() -> None:
    with pytest.raises(ValueError, match="2 labels"):
        DPLogReg(epsilon=1.0).fit([Record("a", "x y", "neg"), Record("b", "y z", "neg")])


def test_dp_logreg_classes_come_from_the_public_label_set() -> None:
    """Neighbouring datasets (with and without one record of a rare label) release the same class list."""
    train = toy(120, 3)
    public = ["anx", "neg", "pos"]
    without = DPLogReg(epsilon=1.0, n_features=64).fit(train, seed=0, labels=public)
    with_rare = DPLogReg(epsilon=1.0, n_features=64).fit(train + [Record("m", "worry", "anx")], seed=0, labels=public)
    assert without.classes_ == with_rare.classes_ == public
    proba = without.predict_proba(["happy calm"])
    assert proba.shape == (1, 3) and proba[0, 0] == 0.0
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
