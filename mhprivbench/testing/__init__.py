"""Conformance checks every plugin must pass, for built-ins and third-party plugins alike.

Use in a plugin's own tests::

    from mhprivbench.testing import check_mechanism, tiny_splits
    check_mechanism(create("anonymizer", "mine"), tiny_splits())
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from mhprivbench import registry
from mhprivbench.base import Anonymizer
from mhprivbench.datasets.corpus import Corpus
from mhprivbench.mechanisms import release as make_release
from mhprivbench.types import Record, Release, Score, Span, Splits


def tiny_corpus(seed: int = 0) -> Corpus:
    """A small synthmh corpus (a few hundred posts) for fast conformance runs."""
    from mhprivbench import load_dataset

    return load_dataset("synthmh", n_personas=48, posts_per_persona=5, n_decoys=24, seed=seed)


def tiny_splits(seed: int = 0) -> Splits:
    return tiny_corpus(seed).split(seed=seed)


def check_params_round_trip(obj: Any) -> None:
    assert dataclasses.is_dataclass(obj), f"{type(obj).__name__} must be a dataclass (fields are its parameters)"
    rebuilt = registry.create(obj.plugin_kind, obj.plugin_name, **registry.params(obj))
    assert registry.params(rebuilt) == registry.params(obj), "params(obj) must round-trip through create()"


def check_dataset(corpus: Corpus) -> None:
    uids = [r.uid for r in corpus.records]
    assert len(uids) == len(set(uids)), "record uids must be unique"
    for record in corpus.records:
        assert record.text.strip(), f"record {record.uid} has an empty text"
        for span in record.spans:
            assert 0 <= span.start < span.end <= len(record.text), f"record {record.uid}: span out of range"
            assert span.kind in ("direct", "quasi"), f"record {record.uid}: span kind {span.kind!r}"
        if record.author is not None and corpus.persona_of:
            assert record.author in corpus.persona_of, f"record {record.uid}: author has no persona"


def _fingerprint(release: Release) -> Any:
    if release.records is not None:
        return [(r.uid, r.text, r.label) for r in release.records]
    probe = ["i feel tired and alone", "work was fine today"]
    return np.round(np.asarray(release.model.predict_proba(probe)), 10).tolist()


def check_mechanism(mechanism: Any, splits: Splits, *, seed: int = 0) -> Release:
    """Release contract: kind per family, determinism per seed, aligned uids, valid labels/probabilities."""
    check_params_round_trip(mechanism)
    first = make_release(mechanism, splits.train, seed=seed)
    again = make_release(registry.create(mechanism.plugin_kind, mechanism.plugin_name,
                                         **registry.params(mechanism)), splits.train, seed=seed)
    assert _fingerprint(first) == _fingerprint(again), "same seed must give the same release"
    train_labels = {r.label for r in splits.train}
    if mechanism.plugin_kind in ("anonymizer", "generator"):
        assert first.kind == "records" and first.records is not None
        assert all(isinstance(r, Record) and r.label in train_labels for r in first.records)
    if isinstance(mechanism, Anonymizer):
        assert first.aligned and [r.uid for r in first.records] == [r.uid for r in splits.train]
        for uid, spans in first.detected.items():
            assert all(isinstance(s, Span) for s in spans), f"detected spans of {uid} must be Span objects"
    if mechanism.plugin_kind == "generator":
        assert len(first.records) == mechanism.release_size(len(splits.train)) > 0
    if mechanism.plugin_kind == "trainer":
        assert first.kind == "model" and first.model is not None
        proba = np.asarray(first.model.predict_proba([r.text for r in splits.test[:5]]))
        assert proba.shape == (min(5, len(splits.test)), len(first.model.classes_))
        assert np.allclose(proba.sum(axis=1), 1.0), "predict_proba rows must sum to 1"
    if first.epsilon is not None:
        assert first.epsilon > 0, "a DP mechanism declares epsilon > 0"
    return first


def check_scores(scores: dict[str, Score], secrets: Sequence[str] = ()) -> None:
    """Every score: finite value inside its interval, a baseline, and no raw secret in its repr."""
    for name, score in scores.items():
        assert np.isfinite(score.value), f"{name}: value must be finite"
        assert score.ci_low is not None and score.ci_high is not None, f"{name}: no confidence interval"
        assert score.ci_low - 1e-9 <= score.value <= score.ci_high + 1e-9, f"{name}: value outside its interval"
        if not name.startswith(("utility.", "fidelity.")):
            assert score.baseline is not None, f"{name}: a privacy score needs a baseline"
    shown = repr(scores)
    for secret in secrets:
        if len(secret) >= 4 and not (secret.isdigit() and len(secret) < 7):  # "2019" may sit inside a float
            assert secret not in shown, f"a raw PII string appears in the scores of {sorted(scores)}"


@registry.register("anonymizer", "mask_all_dummy")
@dataclasses.dataclass
class MaskAllDummy(Anonymizer):
    """Test double: replaces every ground-truth span with [PII] (an oracle anonymizer)."""

    token: str = "[PII]"

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[] for _ in texts]

    def rewrite(self, records, detected, *, seed: int = 0) -> list[Record]:
        out = []
        for record in records:
            text = record.text
            for span in sorted(record.spans, key=lambda s: s.start, reverse=True):
                text = text[: span.start] + self.token + text[span.end:]
            out.append(dataclasses.replace(record, text=text, spans=()))
        return out


from mhprivbench.testing import controls  # noqa: E402,F401  (registers the control mechanisms and CONTROLS)
