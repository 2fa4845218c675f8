"""ngram and dp_ngram generators."""

from __future__ import annotations

import random

import pytest

from mhprivbench.errors import ConfigError
from mhprivbench.generators.dp_ngram import DPNGramGenerator
from mhprivbench.generators.markov import padded_ngrams, tokenize
from mhprivbench.generators.ngram import NGramGenerator
from mhprivbench.mechanisms import release
from mhprivbench.registry import create, params
from mhprivbench.types import Record

TINY = [
    Record("t0", "i can not sleep at night and i worry about work .", "anxiety"),
    Record("t1", "my chest feels tight when i think about the exam .", "anxiety"),
    Record("t2", "nothing feels worth doing and i stay in bed all day .", "depression"),
    Record("t3", "i feel empty and tired , even on good days .", "depression"),
]


def corpus(n: int = 300, seed: int = 0) -> list[Record]:
    rng = random.Random(seed)
    words = {"anxiety": ["worry", "panic", "racing", "heart", "nervous", "exam", "fear"],
             "depression": ["empty", "tired", "sad", "bed", "hopeless", "alone", "numb"]}
    common = ["i", "feel", "so", "very", "today", "and", "the"]
    return [Record(f"r{i}", " ".join(rng.choice(words[label] + common) for _ in range(15)), label)
            for i, label in enumerate(rng.choice(sorted(words)) for _ in range(n))]


PUBLIC = ["anxiety", "depression"]


@pytest.mark.parametrize("generator", [NGramGenerator(), DPNGramGenerator(epsilon=50.0)])
def test_deterministic_count_and_labels(generator) -> None:
    records = corpus()
    first = generator.fit(records, seed=0, labels=PUBLIC).sample(40, seed=3)
    second = type(generator)(**params(generator)).fit(records, seed=0, labels=PUBLIC).sample(40, seed=3)
    assert first == second
    assert len(first) == 40
    assert [r.uid for r in first] == [f"synth-{i}" for i in range(40)]
    assert {r.label for r in first} <= {"anxiety", "depression"}
    assert all(r.author is None for r in first)
    assert first != generator.sample(40, seed=4)


def test_ngram_reproduces_training_trigrams() -> None:
    generator = NGramGenerator(order=3).fit(TINY)
    seen = {label: {g for r in TINY if r.label == label for g in padded_ngrams(r.text, 3)}
            for label in ("anxiety", "depression")}
    out = generator.sample(50, seed=1)
    assert {r.label for r in out} == {"anxiety", "depression"}
    for record in out:
        assert tokenize(record.text), "empty text"
        assert set(padded_ngrams(record.text, 3)) <= seen[record.label]


def test_ngram_max_words() -> None:
    out = NGramGenerator(order=1, max_words=5).fit(corpus()).sample(20, seed=0)
    assert max(len(tokenize(r.text)) for r in out) <= 5


def test_dp_ngram_tiny_epsilon_releases_no_training_ngram() -> None:
    records = corpus(200)
    generator = DPNGramGenerator(epsilon=0.01).fit(records, seed=0, labels=PUBLIC)
    # tau = 1 + b ln(k / 2 delta) with b = k / (0.9 eps): far above any count of a 200-record corpus
    assert generator.threshold > 1e4
    assert sum(len(h) for h in generator.released_.values()) == 0
    training = {g for r in records for g in padded_ngrams(r.text, 2)}
    for record in generator.sample(50, seed=0):
        assert not set(padded_ngrams(record.text, 2)) & training


def test_dp_ngram_large_epsilon_keeps_frequent_ngrams() -> None:
    generator = DPNGramGenerator(epsilon=100.0, max_ngrams_per_record=5).fit(corpus(600), seed=0, labels=PUBLIC)
    released = generator.released_
    assert sum(len(h) for h in released.values()) > 0
    assert all(count > generator.threshold for h in released.values() for count in h.values())
    words = {w for r in generator.sample(30, seed=0) if r.label == "anxiety" for w in tokenize(r.text)}
    assert words & {"worry", "panic", "racing", "heart", "nervous", "exam", "fear"}


def test_dp_ngram_threshold_formula() -> None:
    generator = DPNGramGenerator(epsilon=1.0, delta=1e-5, max_ngrams_per_record=10)
    b = 10 / 0.9
    assert generator.noise_scale == pytest.approx(b)
    assert generator.threshold == pytest.approx(1 + b * 13.122363377404328)  # ln(10 / 2e-5)


def test_dp_ngram_declares_privacy_in_release() -> None:
    generator = create("generator", "dp_ngram", epsilon=2.0, delta=1e-6)
    out = release(generator, corpus(50), seed=0, labels=PUBLIC)
    assert (out.epsilon, out.delta) == (2.0, 1e-6)
    assert abs(len(out.records) - 50) <= 15  # a noisy count (Laplace, scale 1 / (0.1 * epsilon)), not exactly 50


@pytest.mark.parametrize("params", [{}, {"epsilon": 0}, {"epsilon": -1.0}, {"epsilon": float("inf")},
                                    {"epsilon": 1.0, "delta": 0}, {"epsilon": 1.0, "order": 0}])
def test_dp_ngram_bad_params(params: dict) -> None:
    with pytest.raises(ValueError, match="epsilon|delta|order"):
        DPNGramGenerator(**params)
    with pytest.raises(ConfigError):
        create("generator", "dp_ngram", **params)


def test_dp_ngram_label_set_and_release_size_are_private() -> None:
    """The label set comes from the public list, and the release size is a noisy count, not len(train)."""
    from mhprivbench.mechanisms import release

    public = ["anxiety", "depression", "suicidal_ideation"]
    sizes = set()
    for seed in range(5):
        out = release(DPNGramGenerator(epsilon=1.0), corpus(60), seed=seed, labels=public)
        generator = DPNGramGenerator(epsilon=1.0).fit(corpus(60), seed=seed, labels=public)
        assert sorted(generator.priors_) == public
        sizes.add(len(out.records))
    assert sizes != {60}


def test_dp_ngram_absent_public_label_is_released_like_any_other() -> None:
    """A public label with no record: a noisy prior and an empty histogram, so the release has the same form
    whether or not the label occurs. With epsilon = 1e6 the noise (scale 1e-5) is negligible: priors = counts."""
    public = ["anxiety", "depression", "suicidal_ideation"]
    records = corpus(60)
    exact = {label: sum(r.label == label for r in records) for label in public}
    generator = DPNGramGenerator(epsilon=1e6, max_ngrams_per_record=5).fit(records, seed=0, labels=public)
    assert sorted(generator.priors_) == sorted(generator.released_) == public
    assert generator.released_["suicidal_ideation"] == {}
    assert generator.priors_ == pytest.approx(exact, abs=1e-3) and exact["suicidal_ideation"] == 0
    noisy = [DPNGramGenerator(epsilon=1.0).fit(records, seed=s, labels=public).priors_["suicidal_ideation"]
             for s in range(40)]
    assert sum(v > 0 for v in noisy) >= 10  # Laplace(10) noise on 0, clipped at 0: positive about half the time


def test_dp_ngram_released_cells_are_sorted() -> None:
    generator = DPNGramGenerator(epsilon=100.0, max_ngrams_per_record=5).fit(corpus(600), seed=0, labels=PUBLIC)
    for cells in generator.released_.values():
        assert list(cells) == sorted(cells)


@pytest.mark.parametrize("labels", [None, [], ()])
def test_dp_ngram_refuses_without_a_public_label_set(labels) -> None:
    with pytest.raises(ConfigError, match="dp_ngram needs the task's public label set.*`labels` parameter"):
        DPNGramGenerator(epsilon=1.0).fit(corpus(20), seed=0, labels=labels)


def test_dp_ngram_record_label_outside_public_set_is_a_data_error() -> None:
    from mhprivbench.errors import DataError

    with pytest.raises(DataError, match="^dp_ngram: 2 train records have a label outside the public label set"):
        DPNGramGenerator(epsilon=1.0).fit(TINY, seed=0, labels=["anxiety", "stress"])  # 2 depression records


def test_dp_ngram_declarations_and_seed_none() -> None:
    assert (DPNGramGenerator.neighbouring, DPNGramGenerator.privacy_unit) == ("add_remove", "record")
    records = corpus(40)
    fresh = [DPNGramGenerator(epsilon=1.0).fit(records, seed=None, labels=PUBLIC).priors_ for _ in range(2)]
    assert fresh[0] != fresh[1], "seed=None draws the noise from OS entropy"
    fixed = [DPNGramGenerator(epsilon=1.0).fit(records, seed=3, labels=PUBLIC).priors_ for _ in range(2)]
    assert fixed[0] == fixed[1]
