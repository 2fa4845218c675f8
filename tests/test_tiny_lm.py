"""The ``tiny_lm`` generator: class-conditional release, DP declarations, public vocabulary, parameter checks,
determinism, white-box scores (batched tree = one-step scores), and canary exposure with and without DP."""

import math

import numpy as np
import pytest

from mhprivbench import registry
from mhprivbench.attacks import _exposure as ex
from mhprivbench.attacks.canary_exposure import CanaryExposure
from mhprivbench.errors import ConfigError
from mhprivbench.generators import _tiny_lm_tok as tok
from mhprivbench.mechanisms import release
from mhprivbench.testing import tiny_splits

TINY = {"n_layer": 1, "n_embd": 32, "n_head": 2, "max_len": 48, "vocab_size": 300, "epochs": 2, "batch_size": 16}


def _make(**params):
    return registry.create("generator", "tiny_lm", **{**TINY, **params})


@pytest.fixture(scope="module")
def splits():
    return tiny_splits(seed=0)


@pytest.fixture(scope="module")
def plain(splits):
    generator = _make()
    return generator, release(generator, splits.train, seed=3, labels=splits.labels)


@pytest.fixture(scope="module")
def private(splits):
    generator = _make(epsilon=1.0)
    return generator, release(generator, splits.train, seed=3, labels=splits.labels)


def test_non_private_release_is_class_conditional(plain, splits):
    generator, released = plain
    assert released.kind == "records" and len(released.records) == len(splits.train)
    assert released.epsilon is None and released.delta is None and released.neighbouring is None
    assert {r.label for r in released.records} <= set(splits.labels)
    assert len({r.label for r in released.records}) >= 3  # labels drawn in proportion to train counts
    assert sum(1 for r in released.records if r.text.strip()) >= 0.9 * len(released.records)
    assert all(len(r.text.split()) <= generator.max_words for r in released.records)
    counts = {label: sum(r.label == label for r in splits.train) for label in generator.labels_}
    assert generator.priors_ == {label: float(c) for label, c in counts.items()}


def test_dp_release_declares_its_guarantee(private, splits):
    generator, released = private
    assert (released.epsilon, released.delta) == (1.0, 1e-5)
    assert (released.neighbouring, released.privacy_unit) == ("add_remove", "record")
    assert set(generator.priors_) == set(splits.labels)  # every public label, zero counts included
    assert len(released.records) == round(sum(generator.priors_.values())) == generator.release_size(10**6)
    assert {r.label for r in released.records} <= set(splits.labels)
    facts = generator.accounting_
    assert facts["noise_multiplier"] > 0.5 and facts["steps"] == TINY["epochs"] * math.ceil(len(splits.train) / 16)


def test_dp_vocabulary_is_public_and_fixed(private, splits):
    generator, _ = private
    public = tok.public_tokenizer().get_vocab()
    assert generator.tokenizer_.get_vocab() == public
    other = _make(epsilon=1.0).fit(tiny_splits(seed=1).train[:20], seed=0, labels=splits.labels)
    assert other.tokenizer_.get_vocab() == public  # independent of the private records
    # the non-private tokenizer, by contrast, is learned from the train texts
    assert _make().fit(splits.train, seed=0, labels=splits.labels).tokenizer_.get_vocab() != public


def test_dp_needs_the_public_label_set(splits):
    with pytest.raises(ConfigError, match="label set"):
        _make(epsilon=1.0).fit(splits.train, seed=0, labels=None)


@pytest.mark.parametrize("params, name", [
    ({"epsilon": 0}, "epsilon"), ({"epsilon": -1.0}, "epsilon"), ({"epsilon": float("inf")}, "epsilon"),
    ({"n_embd": 30, "n_head": 4}, "n_embd"), ({"top_p": 0}, "top_p"), ({"top_p": 1.5}, "top_p"),
    ({"delta": 1.0}, "delta"), ({"device": "tpu"}, "device"), ({"temperature": 0}, "temperature"),
    ({"n_layer": 0}, "n_layer"),
])
def test_bad_parameters_give_one_line_errors(params, name):
    with pytest.raises(ValueError) as raised:
        _make(**params)
    assert name in str(raised.value) and "\n" not in str(raised.value)
    if name in ("epsilon", "n_embd", "top_p", "device"):
        assert isinstance(raised.value, ConfigError)


def test_same_seed_same_samples(plain, splits):
    _, first = plain
    again = release(_make(), splits.train, seed=3, labels=splits.labels)
    assert [(r.text, r.label) for r in again.records] == [(r.text, r.label) for r in first.records]
    generator = again.generator
    assert generator.sample(5, seed=7) == generator.sample(5, seed=7) != generator.sample(5, seed=8)


@pytest.mark.parametrize("which", ["plain", "private"])
def test_tree_scores_equal_one_step_scores(which, request):
    generator, _ = request.getfixturevalue(which)
    assert ex.scores_likelihood(generator)  # digits are single tokens in both tokenizers
    prefix, label = generator.tokenize("my case number is"), generator.labels_[1]
    tables = generator.next_log_probs_tree(prefix, label, list(ex.DIGITS), 3)
    assert [t.shape for t in tables] == [(1, 10), (10, 10), (100, 10)]
    for level, node in [(0, 0), (1, 4), (2, 37), (2, 90)]:
        history = [*prefix, *f"{node:0{level}d}"] if level else prefix
        step = generator.next_log_probs(history, label)
        np.testing.assert_allclose(tables[level][node], [step[d] for d in ex.DIGITS], atol=1e-5)
    probs = np.exp(np.fromiter(generator.next_log_probs(prefix, label).values(), float))
    assert probs.sum() == pytest.approx(1.0, abs=1e-4)  # text tokens and EOS: what sampling draws from


def test_exposure_through_the_tree_matches_the_level_by_level_path(plain):
    generator, _ = plain

    class OneStep:  # the same model without the batched method: _exposure's generic path
        tokenize = staticmethod(generator.tokenize)
        next_log_probs = staticmethod(generator.next_log_probs)

    prefix, label = generator.tokenize("my case number is"), generator.labels_[0]
    fast = ex.secret_log_probs(generator, prefix, label, 3)
    slow = ex.secret_log_probs(OneStep(), prefix, label, 3)
    np.testing.assert_allclose(fast, slow, atol=1e-4)
    assert fast.shape == (1000,) and np.isfinite(fast).all()


@pytest.mark.slow
def test_canaries_are_exposed_without_dp_and_less_with_dp(splits):
    """Positive control: the non-private model memorises canaries inserted 8 times (exposure far above chance,
    1.44 bits); DP-SGD at epsilon 1 keeps them near chance."""
    params = {**TINY, "n_embd": 64, "n_head": 4, "epochs": 12, "lr": 5e-3}
    attack = CanaryExposure(n_canaries=6, repeats=8, n_digits=4, n_bootstrap=200)
    scores = {}
    for epsilon in (None, 1.0):
        def retrain(records, eps=epsilon):
            return release(_make(**{**params, "epsilon": eps}), records, seed=1, labels=splits.labels)

        released = retrain(splits.train)
        scores[epsilon] = attack.run(released, splits, seed=0, retrain=retrain)["synth.canary_exposure"]
        print(epsilon, scores[epsilon])
    chance = ex.chance_exposure(10 ** 4)
    assert scores[None].baseline == pytest.approx(chance)
    assert scores[None].value > chance + 4.0
    assert scores[1.0].value < scores[None].value - 3.0 and scores[1.0].value < chance + 2.0
