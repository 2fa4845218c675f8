"""dpsgd (opacus DP-SGD head on frozen embeddings): contract, accounting, utility sanity, user-level weighting.

The MiniLM featurizer is replaced by hashed word features (cheap, deterministic): no model is loaded here.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from mhprivbench.errors import ConfigError
from mhprivbench.features import hash_features
from mhprivbench.mechanisms import release
from mhprivbench.trainers import _torch_head
from mhprivbench.trainers.dpsgd import DPSGD
from mhprivbench.types import Record

LABELS = ["a", "b", "c"]  # "c" is public but has no train record


def _fake_features(texts):
    dense = hash_features(texts, n_features=64, ngram_max=1).toarray().astype(np.float32)
    return dense / np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)


@pytest.fixture(autouse=True)
def fake_features(monkeypatch):
    monkeypatch.setattr(_torch_head, "features", _fake_features)


def _toy(n=120):
    """Separable: label a says alpha, label b says beta (one author per record)."""
    return [Record(uid=f"u{i}", text=("alpha" if i % 2 else "beta") + f" w{i % 7}", label="a" if i % 2 else "b",
                   author=f"p{i}") for i in range(n)]


def _accuracy(model, records):
    return float(np.mean([p == r.label for p, r in zip(model.predict([r.text for r in records]), records,
                                                              strict=True)]))


def test_contract_classes_probabilities_and_released_state():
    model = DPSGD(epsilon=1.0, epochs=3, hidden=8).fit(_toy(), seed=0, labels=LABELS)
    assert model.classes_ == LABELS
    proba = model.predict_proba(["alpha w1", "beta w2", "unseen text"])
    assert proba.shape == (3, 3) and (proba > 0).all() and np.allclose(proba.sum(axis=1), 1.0)
    assert set(vars(model)) == {"weights", "biases", "classes_", "features"}
    assert all(isinstance(a, np.ndarray) for a in model.weights + model.biases)
    assert [w.shape for w in model.weights] == [(8, 64), (3, 8)] and model.exposed_strings() == frozenset()


def test_refuses_without_labels_and_bad_epsilon():
    with pytest.raises(ConfigError):
        DPSGD(epsilon=1.0).fit(_toy(), seed=0, labels=None)
    for bad in (0, -1.0, None, float("inf")):
        with pytest.raises(ConfigError):
            DPSGD(epsilon=bad)
    with pytest.raises(ConfigError, match="no noise multiplier"):
        DPSGD(epsilon=1e-6, epochs=50).fit(_toy(), seed=0, labels=LABELS)
    with pytest.raises(ConfigError):
        DPSGD(epsilon=1.0, accountant="gdp")
    with pytest.raises(ConfigError):
        DPSGD(epsilon=1.0, unit="site")


def test_seeded_fit_is_deterministic_and_unseeded_fits_differ():
    fits = [DPSGD(epsilon=1.0, epochs=2).fit(_toy(), seed=s, labels=LABELS) for s in (5, 5, None, None)]
    assert np.array_equal(fits[0].weights[0], fits[1].weights[0])
    assert not np.array_equal(fits[2].weights[0], fits[3].weights[0])


@pytest.mark.parametrize("accountant", ["rdp", "prv"])
def test_noise_multiplier_shrinks_as_epsilon_grows(accountant):
    multipliers = []
    for epsilon in (0.5, 2.0, 8.0):
        trainer = DPSGD(epsilon=epsilon, epochs=2, batch_size=30, accountant=accountant)
        trainer.fit(_toy(), seed=0, labels=LABELS)
        assert trainer.sample_rate_ == pytest.approx(0.25) and trainer.steps_ == 8
        assert trainer.spent_epsilon_ <= epsilon + 1e-9 and trainer.epsilon_ == epsilon and trainer.delta_ == 1e-5
        multipliers.append(trainer.noise_multiplier_)
    assert multipliers[0] > multipliers[1] > multipliers[2] > 0


def test_separable_toy_problem_large_vs_tiny_epsilon():
    records = _toy()
    assert _accuracy(DPSGD(epsilon=50.0).fit(records, seed=0, labels=LABELS), records) >= 0.95
    tiny = [_accuracy(DPSGD(epsilon=0.01, epochs=2, batch_size=30).fit(records, seed=s, labels=LABELS), records) for s in range(6)]
    assert np.mean(tiny) < 0.8  # noise dominates: about chance on average (random weights)


def test_user_level_author_gets_one_example():
    """One author with 60 records of "a" vs 20 authors with one record of "b", all the same text: per record
    the majority is "a", per author it is "b"."""
    many = [Record(uid=f"m{i}", text="gamma", label="a", author="heavy") for i in range(60)]
    few = [Record(uid=f"f{i}", text="gamma", label="b", author=f"light{i}") for i in range(20)]
    records = many + few
    by_record = DPSGD(epsilon=100.0, unit="record").fit(records, seed=0, labels=LABELS)
    by_author = DPSGD(epsilon=100.0, unit="author").fit(records, seed=0, labels=LABELS)
    assert by_record.predict(["gamma"]) == ["a"] and by_author.predict(["gamma"]) == ["b"]


def test_release_declares_unit_and_relation():
    for unit in ("record", "author"):
        released = release(DPSGD(epsilon=2.0, epochs=2, unit=unit), _toy(), seed=0, labels=LABELS)
        assert (released.epsilon, released.delta) == (2.0, 1e-5)
        assert released.neighbouring == "add_remove" and released.privacy_unit == unit


def test_broken_dpsgd_uses_a_tenth_of_the_noise_and_declares_the_same_epsilon():
    from mhprivbench.testing.broken_dp import BrokenDPSGD

    honest, broken = DPSGD(epsilon=1.0, epochs=2), BrokenDPSGD(epsilon=1.0, epochs=2)
    for trainer in (honest, broken):
        trainer.fit(_toy(), seed=0, labels=LABELS)
    assert broken.calibrated_noise_multiplier_ == honest.noise_multiplier_
    assert broken.noise_multiplier_ == pytest.approx(0.1 * honest.noise_multiplier_)
    assert broken.epsilon_ == honest.epsilon_ == 1.0 and broken.spent_epsilon_ > 5 * honest.spent_epsilon_


def test_import_pulls_no_torch():
    code = ("import sys, mhprivbench, mhprivbench.trainers.dpsgd, mhprivbench.trainers.dp_fedavg; "
            "sys.exit('torch' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
