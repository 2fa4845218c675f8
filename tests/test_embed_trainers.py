"""Embedding-based trainers: nonprivate_embed, dp_logreg(features=minilm), dp_nb (fake embeddings, no model)."""

import dataclasses

import numpy as np
import pytest

import mhprivbench as mh
from mhprivbench import embeddings
from mhprivbench.errors import ConfigError
from mhprivbench.trainers import dp_nb
from mhprivbench.trainers.dp_logreg import minilm_features
from mhprivbench.types import Record

LABELS = ["anxiety", "depression", "none", "ptsd"]  # public; "ptsd" has no train record below
CENTRES = {label: np.eye(384)[i] for i, label in enumerate(LABELS)}


def fake_embed(texts):
    """Unit vectors near the centre of the label word the text starts with, plus hashed jitter."""
    rows = []
    for text in texts:
        word, _, rest = text.partition(" ")
        jitter = np.random.default_rng(abs(hash(rest)) % 2**32).normal(scale=0.02, size=384)
        rows.append(CENTRES.get(word, np.zeros(384)) + jitter)
    rows = np.array(rows).reshape(-1, 384)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(autouse=True)
def no_model(monkeypatch):
    monkeypatch.setattr(embeddings, "embed", fake_embed)


def records(n_per_label=60, labels=("anxiety", "depression", "none")):
    return [Record(uid=f"{label}{i}", text=f"{label} post {i}", label=label)
            for label in labels for i in range(n_per_label)]


def accuracy(model, recs):
    return np.mean(np.array(model.predict([r.text for r in recs])) == np.array([r.label for r in recs]))


def test_nonprivate_embed_learns_and_is_a_baseline():
    trainer = mh.create("trainer", "nonprivate_embed")
    model = trainer.fit(records(), seed=0)
    assert type(trainer).baseline and mh.create("baseline", "nonprivate_embed").C == trainer.C
    assert model.classes_ == ["anxiety", "depression", "none"]
    assert accuracy(model, records(10)) == 1.0 and model.exposed_strings() == frozenset()


@pytest.mark.parametrize("name, params", [("dp_nb", {}), ("dp_logreg", {"features": "minilm"})])
def test_dp_trainers_refuse_without_public_labels(name, params):
    with pytest.raises(ConfigError, match="public label set"):
        mh.create("trainer", name, epsilon=1.0, **params).fit(records(), seed=0)


@pytest.mark.parametrize("name, params", [("dp_nb", {}), ("dp_nb", {"variance": "dp"}),
                                          ("dp_logreg", {"features": "minilm"})])
def test_dp_trainers_fit_every_public_label(name, params):
    trainer = mh.create("trainer", name, epsilon=500.0, **params)
    model = trainer.fit(records(), seed=0, labels=LABELS)
    assert model.classes_ == LABELS and trainer.epsilon_ == 500.0
    proba = model.predict_proba(["ptsd whatever", "anxiety x"])
    assert proba.shape == (2, 4) and np.all(proba > 0) and np.allclose(proba.sum(axis=1), 1)
    assert accuracy(model, records(10)) >= 0.9  # almost no noise: the separable task is learned
    assert type(trainer).neighbouring == "replace_one" and type(trainer).privacy_unit == "record"


def test_dp_nb_releases_only_statistics_and_declares_delta():
    trainer = mh.create("trainer", "dp_nb", epsilon=2.0, delta=1e-6)
    model = trainer.fit(records(), seed=1, labels=LABELS)
    assert [f.name for f in dataclasses.fields(model)] == ["theta", "var", "prior", "classes_"]
    assert model.theta.shape == model.var.shape == (4, 384) and np.all(np.abs(model.theta) <= 1)
    assert np.allclose(model.var, 1 / 384) and model.prior.sum() == pytest.approx(1) and model.prior[3] > 0
    assert (trainer.epsilon_, trainer.delta_) == (2.0, 1e-6)


def test_dp_nb_seeded_and_os_entropy():
    fit = lambda seed: mh.create("trainer", "dp_nb", epsilon=1.0).fit(records(), seed=seed, labels=LABELS).theta  # noqa: E731
    assert np.array_equal(fit(3), fit(3)) and not np.array_equal(fit(3), fit(4))
    assert not np.array_equal(fit(None), fit(None))


def test_dp_nb_noise_scale_matches_sensitivity():
    """Empirical noise std = the analytic Gaussian scale for sensitivity 2, below the classical bound."""
    from diffprivlib.mechanisms import GaussianAnalytic

    noisy = dp_nb._gaussian_noise(np.zeros(20000), epsilon=1.0, delta=1e-5, sensitivity=2.0,
                                  rng=np.random.RandomState(0))
    scale = GaussianAnalytic(epsilon=1.0, delta=1e-5, sensitivity=2.0)._scale
    classical = 2.0 * np.sqrt(2 * np.log(1.25 / 1e-5)) / 1.0
    assert abs(noisy.std() - scale) < 0.03 * scale and scale < classical
    assert 3.0 < scale < 9.0  # about 7.3: the noise is not off by orders of magnitude


def test_dp_nb_small_epsilon_is_noisy():
    model = mh.create("trainer", "dp_nb", epsilon=0.01).fit(records(), seed=0, labels=LABELS)
    assert accuracy(model, records(10)) < 0.7


@pytest.mark.parametrize("bad", [{"split": [0.5, 0.5]}, {"split": [0.2, 0.9, 0.1]}, {"bounds": [-2, 1]},
                                 {"variance": "x"}, {"delta": 0}])
def test_dp_nb_rejects_bad_parameters(bad):
    with pytest.raises((ConfigError, ValueError)):
        mh.create("trainer", "dp_nb", epsilon=1.0, **bad)


def test_dp_logreg_minilm_rows_have_unit_norm_with_bias():
    rows = minilm_features(["anxiety a", "none b", ""])
    assert rows.shape == (3, 385) and np.allclose(np.linalg.norm(rows, axis=1), 1.0)
    assert np.allclose(rows[:, -1], 1 / np.sqrt(2))
    with pytest.raises(ConfigError, match="features"):
        mh.create("trainer", "dp_logreg", epsilon=1.0, features="bert")
    assert mh.create("trainer", "dp_logreg", epsilon=1.0, features="minilm").uses_embeddings
    assert not mh.create("trainer", "dp_logreg", epsilon=1.0).uses_embeddings
