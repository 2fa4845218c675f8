"""dp_fedavg (federated averaging, local DP per client): zCDP accounting, schedule, contract, utility sanity.

The MiniLM featurizer is replaced by hashed word features (cheap, deterministic): no model is loaded here.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from mhprivbench.errors import ConfigError
from mhprivbench.features import hash_features
from mhprivbench.mechanisms import release
from mhprivbench.trainers import _torch_head
from mhprivbench.trainers.dp_fedavg import (
    DPFedAvg,
    gaussian_sigma,
    max_participations,
    schedule,
    zcdp_epsilon,
    zcdp_rho,
)
from mhprivbench.types import Record

LABELS = ["a", "b", "c"]  # "c" is public but has no train record


def _fake_features(texts):
    dense = hash_features(texts, n_features=64, ngram_max=1).toarray().astype(np.float32)
    return dense / np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)


@pytest.fixture(autouse=True)
def fake_features(monkeypatch):
    monkeypatch.setattr(_torch_head, "features", _fake_features)


def _toy(n_authors=40, per_author=4):
    """Separable: label a says alpha, label b says beta; each author writes one label."""
    return [Record(uid=f"u{a}-{j}", text=("alpha" if a % 2 else "beta") + f" w{j}", label="a" if a % 2 else "b",
                   author=f"p{a}") for a in range(n_authors) for j in range(per_author)]


def _accuracy(model, records):
    predicted = model.predict([r.text for r in records])
    return float(np.mean([p == r.label for p, r in zip(predicted, records, strict=True)]))


def test_hand_computed_zcdp_case():
    # sigma 2, sensitivity 2, k 3: rho = 3 * 4 / 8 = 1.5; eps = 1.5 + 2 sqrt(1.5 ln 1e5) = 1.5 + 2 * 4.155645
    assert zcdp_epsilon(2.0, 2.0, 3, 1e-5) == pytest.approx(9.81129, abs=1e-4)
    # rho for eps 8, delta 1e-5: (sqrt(ln 1e5 + 8) - sqrt(ln 1e5))^2 = (4.417344 - 3.393071)^2 = 1.049135
    assert zcdp_rho(8.0, 1e-5) == pytest.approx(1.049135, abs=1e-5)
    for epsilon, k in ((0.5, 1), (8.0, 6)):
        assert zcdp_epsilon(gaussian_sigma(epsilon, 1e-5, 2.0, k), 2.0, k, 1e-5) == pytest.approx(epsilon)


def test_schedule_bounds_participation():
    assert max_participations(20, 50, 196) == 6 and max_participations(3, 500, 40) == 3
    rounds = schedule(np.random.default_rng(0), 20, 50, 196)
    assert len(rounds) == 20 and all(len(r) == 50 for r in rounds)
    assert max(Counter(np.concatenate(rounds).tolist()).values()) <= 6


def test_declared_epsilon_is_the_accountants_value_for_its_sigma():
    trainer = DPFedAvg(epsilon=2.0, rounds=5, clients_per_round=16, clip_norm=0.5)
    released = release(trainer, _toy(), seed=0, labels=LABELS)
    assert trainer.participations_ == math.ceil(5 * 16 / 40) == 2
    assert released.epsilon == pytest.approx(zcdp_epsilon(trainer.noise_std_, 1.0, 2, 1e-5)) == pytest.approx(2.0)
    assert trainer.noise_std_ == pytest.approx(1.0 * math.sqrt(2 / (2 * zcdp_rho(2.0, 1e-5))))
    assert released.neighbouring == "replace_one" and released.privacy_unit == "author" and released.delta == 1e-5
    assert release(DPFedAvg(epsilon=2.0, client_key="record"), _toy(), seed=0, labels=LABELS).privacy_unit == "record"


def test_noise_shrinks_as_epsilon_grows():
    stds = []
    for epsilon in (0.5, 2.0, 8.0):
        trainer = DPFedAvg(epsilon=epsilon, rounds=2)
        trainer.fit(_toy(), seed=0, labels=LABELS)
        stds.append(trainer.noise_std_)
    assert stds[0] > stds[1] > stds[2] > 0


def test_contract_classes_probabilities_released_state_and_errors():
    model = DPFedAvg(epsilon=1.0, rounds=2).fit(_toy(), seed=0, labels=LABELS)
    assert model.classes_ == LABELS and set(vars(model)) == {"weights", "biases", "classes_", "features"}
    proba = model.predict_proba(["alpha w1", "beta", "unseen"])
    assert proba.shape == (3, 3) and (proba > 0).all() and np.allclose(proba.sum(axis=1), 1.0)
    with pytest.raises(ConfigError):
        DPFedAvg(epsilon=1.0).fit(_toy(), seed=0, labels=None)
    for bad in (0, -2.0, None):
        with pytest.raises(ConfigError):
            DPFedAvg(epsilon=bad)
    with pytest.raises(ConfigError):
        DPFedAvg(epsilon=1.0, client_key="site")


def test_seeded_fit_is_deterministic_and_unseeded_fits_differ():
    fits = [DPFedAvg(epsilon=1.0, rounds=2).fit(_toy(), seed=s, labels=LABELS) for s in (3, 3, None, None)]
    assert np.array_equal(fits[0].weights[0], fits[1].weights[0])
    assert not np.array_equal(fits[2].weights[0], fits[3].weights[0])


def test_separable_toy_problem_large_vs_tiny_epsilon():
    records = _toy()
    strong = DPFedAvg(epsilon=1e4, rounds=10, clients_per_round=20).fit(records, seed=0, labels=LABELS)
    assert _accuracy(strong, records) >= 0.95
    tiny = [_accuracy(DPFedAvg(epsilon=0.01).fit(records, seed=s, labels=LABELS), records) for s in range(6)]
    assert np.mean(tiny) < 0.8


def test_heavy_author_counts_as_one_client():
    """One author with 60 records of "a" vs 20 authors with one record of "b", all the same text."""
    records = [Record(uid=f"m{i}", text="gamma", label="a", author="heavy") for i in range(60)]
    records += [Record(uid=f"f{i}", text="gamma", label="b", author=f"light{i}") for i in range(20)]
    model = DPFedAvg(epsilon=1e4, rounds=10, clients_per_round=21).fit(records, seed=0, labels=LABELS)
    assert model.predict(["gamma"]) == ["b"]
