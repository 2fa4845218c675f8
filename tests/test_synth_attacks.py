"""Attacks on synthetic text: memorization, DCR membership inference, canary exposure (hand-computed cases), the
white-box likelihood of the Markov generators, and the control generators."""

import math

import numpy as np
import pytest

from mhprivbench import registry, stats
from mhprivbench.attacks import _exposure as ex
from mhprivbench.attacks import mia_dcr
from mhprivbench.attacks.canary_exposure import CanaryExposure
from mhprivbench.attacks.memorization import Memorization
from mhprivbench.mechanisms import release
from mhprivbench.testing import tiny_splits
from mhprivbench.testing.copy_generator import CopyGenerator
from mhprivbench.types import Record, Release, Splits


def _records(texts, prefix, label="a"):
    return tuple(Record(uid=f"{prefix}{i}", text=t, label=label, author=f"{prefix}{i}") for i, t in enumerate(texts))


# --- memorization ----------------------------------------------------------------------------------------------

TRAIN = _records(["alpha beta gamma delta", "one two three four", "red green blue"], "t")
HELD_OUT = _records(["one two three five", "sun moon star", "cat dog fish"], "c")
SMALL = Splits(train=TRAIN, test=(), control=HELD_OUT, aux=(), labels=("a",))


def test_memorization_hand_computed():
    """3-grams. Member-only: (alpha beta gamma), (beta gamma delta), (two three four), (red green blue); held-out
    only: (two three five), (sun moon star), (cat dog fish); (one two three) is in both: language, not a copy."""
    synthetic = ["Alpha, beta; GAMMA!",  # a member-only 3-gram (casefolded, punctuation ignored)
                 "one two three",  # only the shared 3-gram
                 "x two three five y",  # a held-out-only 3-gram: what chance gives
                 "red green",  # too short to share a 3-gram
                 "beta gamma delta and red green blue"]  # member-only grams of two records: one hit
    released = Release(kind="records", records=_records(synthetic, "s"))
    scores = Memorization(n_tokens=3, n_bootstrap=200).run(released, SMALL, seed=0)
    share, excess = scores["synth.memorization"], scores["synth.memorization_excess"]
    assert share.value == pytest.approx(2 / 5) and share.baseline == pytest.approx(1 / 5) and share.n == 5
    assert (share.ci_low, share.ci_high) == pytest.approx(stats.wilson(2, 5))
    assert excess.value == pytest.approx(1 / 5) and excess.baseline == 0.0
    assert excess.ci_low <= excess.value <= excess.ci_high and not share.higher_is_better


def test_memorization_equal_size_references_and_scope():
    splits = Splits(train=TRAIN + _records(["more text here"], "u"), test=(), control=HELD_OUT, aux=())
    released = Release(kind="records", records=_records(["red green blue"], "s"))
    # four train records, three held out: train is sampled down to three, so the value depends on the sample
    values = {Memorization(n_tokens=3).run(released, splits, seed=s)["synth.memorization"].value for s in range(20)}
    assert values == {0.0, 1.0}
    attack = Memorization()
    assert not attack.applies(Release(kind="records", records=TRAIN, aligned=True), SMALL)  # anonymized records
    assert not attack.applies(Release(kind="model"), SMALL)
    with pytest.raises(ValueError):
        Memorization(n_tokens=0)


# --- exposure arithmetic ----------------------------------------------------------------------------------------

def test_exposure_arithmetic_by_hand():
    assert ex.chance_exposure(1) == 0.0
    assert ex.chance_exposure(2) == pytest.approx(0.5)  # ranks 1, 2: exposures 1 and 0
    assert ex.chance_exposure(4) == pytest.approx((2 + 1 + (2 - math.log2(3)) + 0) / 4)
    assert ex.chance_exposure(10 ** 6) == pytest.approx(1 / math.log(2), abs=1e-3)
    assert ex.exposure(1, 1000) == pytest.approx(math.log2(1000)) and ex.exposure(1000, 1000) == 0.0
    rng = np.random.default_rng(0)
    assert ex.rank_of(np.array([3.0, 5.0, 5.0, 1.0]), 0, rng) == 3  # two candidates above, no tie
    tied = [ex.rank_of(np.zeros(4), 2, rng) for _ in range(4000)]
    assert set(tied) == {1, 2, 3, 4} and np.mean(tied) == pytest.approx(2.5, abs=0.1)  # uniform among ties
    assert ex.secret_text(42, 3) == "0 4 2"


def test_rank_by_sampled_counts():
    counts = ex.sampled_counts(["call 1 2 now", "1 2 and 3 4", "12 34", "9 1 2"], n_digits=2)
    assert counts == {"12": 3, "34": 1, "91": 1}  # "12 34" are two-digit tokens, not secrets
    rng = np.random.default_rng(0)
    assert ex.rank_by_counts(counts, "12", 100, rng) == 1
    assert ex.rank_by_counts(counts, "34", 100, rng) in (2, 3)  # tied with "91"
    assert 4 <= ex.rank_by_counts(counts, "56", 100, rng) <= 100  # absent: tied with the other 97 absent ones


# --- likelihood of the Markov generators -------------------------------------------------------------------------

def test_secret_log_probs_of_a_bigram_model_by_hand():
    """P(d1 | "is") = 2/3 for 1, 1/3 for 2; P(. | "1") = 1/2 for 2 and 3; P(2 | "2") = 1/3 (twice EOS)."""
    records = _records(["my code is 1 2", "my code is 1 3", "my code is 2 2"], "t")
    model = registry.create("generator", "ngram", order=2).fit(records)
    logp = ex.secret_log_probs(model, ["my", "code", "is"], "a", 2)
    expected = np.full(100, -np.inf)
    expected[[12, 13, 22]] = np.log([1 / 3, 1 / 3, 1 / 9])
    np.testing.assert_allclose(logp, np.round(expected, ex.DECIMALS))
    assert model.log_prob("my code is 1 2", "a") == pytest.approx(np.log(2 / 3 * 1 / 2 * 2 / 3))  # EOS | "2": 2/3
    assert model.log_prob("my code is 9", "a") == -np.inf and ex.scores_likelihood(model)


def test_secret_log_probs_match_brute_force():
    splits = tiny_splits(seed=1)
    canaries = _records(["my number is 1 2 3", "my number is 1 2 4", "my number is 5 2 3"], "k",
                        label=splits.train[0].label)
    for name, params in (("ngram", {"order": 3}), ("dp_ngram", {"epsilon": 50.0, "max_ngrams_per_record": 3})):
        model = release(registry.create("generator", name, **params), list(splits.train) + list(canaries) * 3,
                        seed=0, labels=splits.labels).generator
        logp = ex.secret_log_probs(model, ["my", "number", "is"], canaries[0].label, 3)
        for value in (123, 124, 523, 999, 0):
            history = ["my", "number", "is"]
            brute = 0.0
            for digit in f"{value:03d}":
                brute += model.next_log_probs(history, canaries[0].label).get(digit, -np.inf)
                history.append(digit)
            assert logp[value] == pytest.approx(brute, abs=1e-8) or logp[value] == brute == -np.inf


def test_generator_release_carries_the_fitted_generator():
    splits = tiny_splits(seed=1)
    released = release(registry.create("generator", "ngram"), splits.train, seed=0, labels=splits.labels)
    assert released.generator is not None and hasattr(released.generator, "tables_")
    anonymized = release(registry.create("anonymizer", "identity"), splits.train, seed=0)
    assert anonymized.generator is None


# --- canary exposure -----------------------------------------------------------------------------------------------

LABELLED = Splits(train=_records(["nothing to see", "all quiet"], "t"), test=(), control=(), aux=(),
                  labels=("a", "b", "c"))


def _copy_retrain(records, seed=None):
    return release(CopyGenerator(), records, seed=0)


def test_canary_exposure_of_a_copy_generator_is_the_maximum():
    """One canary per label: the copy generator's P(secret | prefix, label) is 1, every other candidate 0."""
    attack = CanaryExposure(n_canaries=3, repeats=2, n_digits=3, n_bootstrap=50)
    scores = attack.run(release(CopyGenerator(), LABELLED.train, seed=0), LABELLED, seed=0, retrain=_copy_retrain)
    exposure = scores["synth.canary_exposure"]
    assert exposure.value == pytest.approx(math.log2(1000)) and exposure.n == 3
    assert exposure.baseline == pytest.approx(ex.chance_exposure(1000)) and not exposure.higher_is_better
    assert scores["synth.canary_extraction"].value == 1.0 and scores["synth.canary_extraction"].baseline == 0.0


def test_canary_exposure_by_sampling_without_likelihood():
    """A retrained release without a generator (no likelihood): candidates ranked by sampled counts."""
    def retrain(records, seed=None):
        return Release(kind="records", records=tuple(records))  # the records themselves, no generator attached

    attack = CanaryExposure(n_canaries=3, repeats=2, n_digits=3, n_bootstrap=50)
    scores = attack.run(Release(kind="records", records=LABELLED.train), LABELLED, seed=0, retrain=retrain)
    # each secret appears twice and nothing else does: rank 1 to 3 among 1000
    assert math.log2(1000 / 3) <= scores["synth.canary_exposure"].value <= math.log2(1000)
    assert scores["synth.canary_extraction"].value == 1.0


def test_canary_exposure_needs_retrain_and_valid_params():
    attack = CanaryExposure()
    assert attack.run(Release(kind="records", records=LABELLED.train), LABELLED, seed=0) == {}
    assert "retrain" in attack.not_applicable_["canary_exposure"]
    for bad in ({"n_digits": 8}, {"n_canaries": 0}, {"prefix": "call 555"}, {"n_canaries": 11, "n_digits": 1}):
        with pytest.raises(ValueError):
            CanaryExposure(**bad)


# --- DCR membership inference -------------------------------------------------------------------------------------

def _unit(cos: float) -> list[float]:
    return [cos, math.sqrt(1 - cos * cos)]


def test_dcr_auc_on_a_constructed_example():
    """Synthetic row e1. Member distances 0 and 0.5, non-member distances 0.25 and 1: 3 of 4 pairs ordered."""
    synthetic = np.array([[1.0, 0.0]])
    members, nonmembers = np.array([_unit(1.0), _unit(0.5)]), np.array([_unit(0.75), _unit(0.0)])
    np.testing.assert_allclose(mia_dcr.closest_distance(members, synthetic), [0.0, 0.5], atol=1e-12)
    scores, missing = mia_dcr.dcr_membership(members, nonmembers, synthetic, seed=0, n_resamples=50)
    assert scores["mia.dcr.auc"].value == pytest.approx(0.75) and scores["mia.dcr.auc"].baseline == 0.5
    assert scores["mia.dcr.advantage"].value == pytest.approx(0.5)
    assert "mia.dcr.tpr_at_1pct_fpr" in missing  # 2 non-members support no low-FPR TPR


def test_mia_dcr_flags_a_copy_release(monkeypatch):
    """With a stand-in embedding (a unit vector per distinct text), a copy release puts members at distance 0."""
    def fake_embed(texts):
        rows = np.array([np.random.default_rng(abs(hash(t)) % 2**32).normal(size=16) for t in texts])
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    monkeypatch.setattr(mia_dcr, "embed_texts", fake_embed)
    splits = tiny_splits(seed=1)
    attack = registry.create("attack", "mia_dcr", n_bootstrap=50)
    copy = release(CopyGenerator(), splits.train, seed=0)
    assert attack.run(copy, splits, seed=0)["mia.dcr.auc"].value == 1.0
    held_out = Release(kind="records", records=splits.control)  # a copy of the non-members: AUC 0, not safety
    assert attack.run(held_out, splits, seed=0)["mia.dcr.auc"].value == 0.0
    assert registry.get("attack", "mia_dcr").uses_embeddings


# --- the control generators on tiny splits ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def splits():
    return tiny_splits(seed=2)


def _run(attack, mechanism, splits, **params):
    def retrain(records, seed=None):
        return release(registry.create("generator", mechanism), records, seed=0, labels=splits.labels)

    released = retrain(splits.train)
    return registry.create("attack", attack, **params).run(released, splits, seed=0, retrain=retrain)


def test_copy_generator_is_flagged_and_public_generator_is_not(splits):
    copy = _run("memorization", "copy_generator", splits)["synth.memorization"]
    public = _run("memorization", "ctrl_public_generator", splits)["synth.memorization"]
    assert copy.value == 1.0 and copy.ci_low > copy.baseline
    assert abs(public.value - public.baseline) <= 0.15
    exposed = _run("canary_exposure", "copy_generator", splits, n_canaries=64, repeats=2)
    chance = _run("canary_exposure", "ctrl_public_generator", splits, n_canaries=64, repeats=2)
    assert exposed["synth.canary_exposure"].value > 15 and exposed["synth.canary_extraction"].value == 1.0
    assert abs(chance["synth.canary_exposure"].value - ex.chance_exposure(10 ** 6)) < 1.0
    assert chance["synth.canary_extraction"].value == 0.0


def test_copy_generator_releases_train_verbatim(splits):
    released = release(CopyGenerator(), splits.train, seed=0)
    assert [(r.text, r.label) for r in released.records] == [(r.text, r.label) for r in splits.train]
    assert all(r.author is None and r.uid.startswith("synth-") for r in released.records)
    assert len(CopyGenerator().fit(splits.train).sample(len(splits.train) + 3, seed=1)) == len(splits.train) + 3


def test_runner_warms_embeddings_for_mia_dcr(monkeypatch):
    """The runner embeds a dataset once before the workers start when an evaluator attack embeds (mia_dcr)."""
    from mhprivbench import embeddings
    from mhprivbench.specs import ComponentSpec

    class Cell:
        def __init__(self, attacks):
            self.mechanism = ComponentSpec(kind="generator", name="ngram", params={})
            self.dataset = ComponentSpec(kind="dataset", name="synthmh", params={"n_personas": 6})
            self.evaluator = {"attacks": attacks}

    warmed = []
    monkeypatch.setattr(embeddings, "warm", lambda texts: warmed.append(len(list(texts))))
    corpora = {Cell([]).dataset.key(): type("Corpus", (), {"records": LABELLED.train})()}  # only .records is read
    embeddings.warm_for_cells([Cell(["memorization", "canary_exposure"])], corpora)
    assert warmed == []
    embeddings.warm_for_cells([Cell(["memorization", "mia_dcr"])], corpora)
    assert warmed == [len(LABELLED.train)]
