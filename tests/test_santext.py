"""``santext``: DP word substitution over public MiniLM word vectors. Hand-computed sampling probabilities, the
metric-DP bound, word spans, layout kept, no record-level epsilon declared, and a monotone privacy-utility curve."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mhprivbench.anonymizers._santext_vectors import sample, word_vectors
from mhprivbench.errors import ConfigError
from mhprivbench.mechanisms import release
from mhprivbench.registry import create
from mhprivbench.types import Record, Span


def _santext(**params):
    return create("anonymizer", "santext", **{"epsilon": 10.0, **params})


@pytest.mark.parametrize("params", [{"epsilon": None}, {"epsilon": 0}, {"epsilon": -1.0}, {"epsilon": float("inf")},
                                    {"vocab_size": 50}, {"vocab_size": 10**6}, {"vocab_size": 1.5}])
def test_bad_parameters_are_one_line_config_errors(params):
    with pytest.raises(ConfigError) as error:
        _santext(**params)
    assert "\n" not in str(error.value) and ("epsilon" in str(error.value) or "vocab_size" in str(error.value))


def test_detect_returns_every_word_and_number():
    [spans] = _santext().detect(["Hi Bob, call 555!"])
    assert spans == [Span(0, 2, "WORD"), Span(3, 6, "WORD"), Span(8, 12, "WORD"), Span(13, 16, "WORD")]


def test_sample_matches_the_exponential_mechanism_by_hand():
    # d = (0, 1, 3), epsilon 2: p ~ (1, e^-1, e^-3) / (1 + e^-1 + e^-3) = (0.7054, 0.2595, 0.0351)
    draws = sample(np.array([[0.0, 1.0, 3.0]]), 2.0, np.array([40_000]), np.random.default_rng(0))
    shares = np.bincount(draws, minlength=3) / 40_000
    assert np.allclose(shares, [0.7054, 0.2595, 0.0351], atol=0.008)
    # two rows in one call: each row's draws follow its own row
    draws = sample(np.array([[0.0, 9.0], [9.0, 0.0]]), 4.0, np.array([500, 300]), np.random.default_rng(1))
    assert (draws[:500] == 0).mean() > 0.99 and (draws[500:] == 1).mean() > 0.99


def test_word_level_metric_dp_bound_holds():
    """P(y | w) <= exp(epsilon * d(w, w')) P(y | w') for every output y, with d the distance between the inputs'
    vectors (the mechanism's guarantee, checked on exact probabilities)."""
    vectors = word_vectors(2000)
    words = ["sad", "happy", "naomisun", "2019"]
    epsilon = 7.0
    distances = vectors.distances(words).astype(np.float64)
    logp = -0.5 * epsilon * distances
    logp -= np.log(np.exp(logp).sum(axis=1, keepdims=True))
    for i in range(len(words)):
        for j in range(len(words)):
            d_inputs = float(np.linalg.norm(vectors.vector(words[i]) - vectors.vector(words[j])))
            assert (logp[i] - logp[j]).max() <= epsilon * d_inputs + 1e-3


def test_rewrite_keeps_layout_replaces_words_and_is_seeded():
    record = Record("u1", "I can't sleep... 3 nights now, Naomi!", "depression", author="a1")
    anonymizer = _santext(epsilon=1.0, layout="keep")
    [out] = anonymizer.transform([record], seed=3)
    assert out.uid == "u1" and out.label == "depression" and out.author == "a1" and out.spans == ()
    words = [s for s in anonymizer.detect([record.text])[0]]
    assert len(words) == 8
    skeleton = [record.text[words[i].end:words[i + 1].start] for i in range(len(words) - 1)]
    position = 0
    for gap in skeleton:  # punctuation and spaces survive in order
        position = out.text.index(gap, position) + len(gap)
    assert "naomi" not in out.text.lower() and out.text != record.text
    assert anonymizer.transform([record], seed=3)[0].text == out.text
    assert anonymizer.transform([record], seed=4)[0].text != out.text


def test_default_layout_releases_only_the_words():
    record = Record("u1", "  so... TIRED!!\n\nbye  ", "x")
    [out] = _santext(epsilon=100.0).transform([record], seed=0)
    assert out.text == "so tired bye"
    with pytest.raises(ConfigError, match="layout must be one of words, keep"):
        _santext(layout="tidy")


def test_release_declares_no_record_level_epsilon():
    released = release(_santext(), [Record("u1", "so tired today", "x")], seed=0)
    assert released.aligned and released.epsilon is None
    assert released.neighbouring is None and released.privacy_unit is None
    assert _santext().privacy_notion == "metric-DP per word (d_chi)"


def test_large_epsilon_keeps_in_vocabulary_words_and_small_epsilon_keeps_none():
    words = ["i", "feel", "so", "tired", "and", "alone", "today"] * 30
    kept_high = np.mean([a == b for a, b in zip(words, _santext(epsilon=100.0).substitute(words, seed=0), strict=True)])
    kept_low = np.mean([a == b for a, b in zip(words, _santext(epsilon=1.0).substitute(words, seed=0), strict=True)])
    assert kept_high == 1.0 and kept_low < 0.02


@pytest.mark.slow
def test_privacy_utility_curve_is_monotone_over_epsilon():
    """More epsilon: more words kept, and neither utility nor re-identification falls (small synthmh)."""
    from mhprivbench import load_dataset
    from mhprivbench.evaluator import Evaluator

    splits = load_dataset("synthmh", n_personas=120, seed=0).split(seed=0)
    evaluator = Evaluator(attacks=["reid_linkage", "reid_authorship"], n_bootstrap=50)
    rows = []
    for epsilon in (5.0, 10.0, 15.0, 100.0):
        released = release(_santext(epsilon=epsilon), splits.train, seed=0)
        scores = evaluator.evaluate(released, splits, seed=0).scores
        kept = _kept_share(splits.train, released.records)
        rows.append((kept, scores["utility.macro_f1"].value, scores["reid.linkage_top1"].value,
                     scores["reid.authorship_top1"].value))
    kept, utility, linkage, authorship = (np.array(column) for column in zip(*rows, strict=True))
    assert np.all(np.diff(kept) > 0), kept
    assert kept[0] < 0.05 and kept[-1] > 0.85
    for curve in (utility, linkage, authorship):
        assert np.all(np.diff(curve) >= -0.05), curve  # no fall beyond sampling noise
        assert curve[-1] > curve[0] + 0.1, curve


def _kept_share(originals, rewrites) -> float:
    from mhprivbench.anonymizers.santext import WORD

    kept = total = 0
    for original, rewrite in zip(originals, rewrites, strict=True):
        before = [m.group().casefold() for m in WORD.finditer(original.text)]
        after = [m.group() for m in WORD.finditer(rewrite.text)]
        if len(before) == len(after):  # a digit run next to letters can merge with its replacement
            kept += sum(a == b for a, b in zip(before, after, strict=True))
            total += len(before)
    return kept / total if total else math.nan
