"""Conformance checks every plugin must pass, for built-ins and third-party plugins alike.

Use in a plugin's own tests::

    from mhprivbench.testing import check_mechanism, tiny_splits
    check_mechanism(create("anonymizer", "mine"), tiny_splits())
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from mhprivbench import registry
from mhprivbench.anonymizers.policy import ReleasePolicy
from mhprivbench.attacks import _text
from mhprivbench.base import Anonymizer
from mhprivbench.datasets.corpus import Corpus
from mhprivbench.mechanisms import release as make_release
from mhprivbench.types import NEIGHBOURING_RELATIONS, PRIVACY_UNITS, Record, Release, Score, Span, Splits


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
    if release.table is not None:
        return release.table.to_json(orient="split")
    if release.records is not None:
        return [(r.uid, r.text, r.label) for r in release.records]
    probe = ["i feel tired and alone", "work was fine today"]
    return np.round(np.asarray(release.model.predict_proba(probe)), 10).tolist()


def check_mechanism(mechanism: Any, splits: Splits, *, seed: int = 0) -> Release:
    """Release contract: kind per family, determinism per seed, aligned uids, valid labels/probabilities."""
    check_params_round_trip(mechanism)
    first = make_release(mechanism, splits.train, seed=seed, labels=splits.labels)
    again = make_release(registry.create(mechanism.plugin_kind, mechanism.plugin_name,
                                         **registry.params(mechanism)), splits.train, seed=seed, labels=splits.labels)
    assert _fingerprint(first) == _fingerprint(again), "same seed must give the same release"
    train_labels = {r.label for r in splits.train} | set(splits.labels)  # DP generators sample every public label
    if getattr(mechanism, "release_kind", "records") == "table":
        _check_table(first, mechanism, splits, train_labels)
    elif mechanism.plugin_kind in ("anonymizer", "generator"):
        assert first.kind == "records" and first.records is not None
        assert all(isinstance(r, Record) and r.label in train_labels for r in first.records)
    if isinstance(mechanism, Anonymizer):
        assert first.aligned and [r.uid for r in first.records] == [r.uid for r in splits.train]
        for uid, spans in first.detected.items():
            assert all(isinstance(s, Span) for s in spans), f"detected spans of {uid} must be Span objects"
    if mechanism.plugin_kind == "generator" and first.records is not None:
        assert len(first.records) == mechanism.release_size(len(splits.train)) > 0
    if mechanism.plugin_kind == "trainer":
        assert first.kind == "model" and first.model is not None
        proba = np.asarray(first.model.predict_proba([r.text for r in splits.test[:5]]))
        assert proba.shape == (min(5, len(splits.test)), len(first.model.classes_))
        assert np.allclose(proba.sum(axis=1), 1.0), "predict_proba rows must sum to 1"
    if first.epsilon is not None:
        assert first.epsilon > 0, "a DP mechanism declares epsilon > 0"
        assert first.neighbouring in NEIGHBOURING_RELATIONS, (
            f"a DP mechanism declares its neighbouring relation (class attribute neighbouring = one of "
            f"{NEIGHBOURING_RELATIONS}), got {first.neighbouring!r}")
        assert first.privacy_unit in PRIVACY_UNITS, (
            f"a DP mechanism declares its privacy unit (class attribute privacy_unit = one of {PRIVACY_UNITS}), "
            f"got {first.privacy_unit!r}")
    return first


def _check_table(release: Release, mechanism: Any, splits: Splits, labels: set[str]) -> None:
    """A table generator's release: a table in the ``mhprivbench.tables`` layout (label last, labels from the
    train or public set, structured columns only), as many rows as ``release_size`` says."""
    from mhprivbench.tables import LABEL

    assert release.kind == "table" and release.table is not None and release.records is None
    table = release.table
    assert list(table.columns)[-1] == LABEL, f"the label column {LABEL!r} comes last"
    assert set(table[LABEL].astype(str)) <= labels, "released labels come from the train or public label set"
    assert len(table) == mechanism.release_size(len(splits.train)) > 0
    assert all(isinstance(c, str) for c in table.columns), "column names are strings"


def check_scores(scores: dict[str, Score], secrets: Sequence[str] = (), *, texts: Sequence[str] = (),
                 attack: Any = None, not_applicable: Mapping[str, str] | Sequence[str] | None = None) -> None:
    """Nothing private in what the runner writes, then every score: finite value inside its interval, a baseline.

    The scores are serialized as the runner writes them (``{name: score.as_dict()}`` to JSON) with the attack's
    ``not_applicable_`` messages (``attack=``) and/or an evaluation's ``not_applicable``; that text must hold no
    ground-truth surface string of >= 4 characters (pure digit strings: >= 7) and no 6-word sequence of ``texts``
    (pass the train texts). Failure messages name neither the string nor the score (either may be the secret).
    """
    shown = serialized_scores(scores, attack=attack, not_applicable=not_applicable)
    _assert_no_secret(shown, secrets)
    _assert_no_text(shown, texts)
    for name, score in scores.items():
        assert np.isfinite(score.value), f"{name}: value must be finite"
        assert score.ci_low is not None and score.ci_high is not None, f"{name}: no confidence interval"
        assert score.ci_low - 1e-9 <= score.value <= score.ci_high + 1e-9, f"{name}: value outside its interval"
        if not name.startswith(("utility.", "fidelity.")):
            assert score.baseline is not None, f"{name}: a privacy score needs a baseline"


def serialized_scores(scores: dict[str, Score], *, attack: Any = None,
                      not_applicable: Mapping[str, str] | Sequence[str] | None = None) -> str:
    """The JSON text the runner would write for these scores and not-applicable messages."""
    messages: list[Any] = []
    for found in (getattr(attack, "not_applicable_", None), not_applicable):
        if isinstance(found, str):
            messages.append(found)
        elif isinstance(found, Mapping):
            messages.append(dict(found))
        elif found is not None:
            messages.extend(str(m) for m in found)
    payload = {"scores": {name: score.as_dict() for name, score in sorted(scores.items())},
               "not_applicable": messages}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def _assert_no_secret(shown: str, secrets: Sequence[str]) -> None:
    """No secret in ``shown``, raw (casefolded) or as its token sequence ("maya_patel" for "Maya Patel")."""
    folded = shown.casefold()
    shown_tokens = " " + " ".join(_text.tokens(shown)) + " "
    for index, secret in enumerate(secrets):
        if len(secret) < 4 or (secret.isdigit() and len(secret) < 7):  # "2019" may sit inside a float
            continue
        toks = _text.tokens(secret)
        found = secret.casefold() in folded or (len(toks) >= 2 and f" {' '.join(toks)} " in shown_tokens)
        assert not found, f"ground-truth PII string #{index} of {len(secrets)} appears in the serialized scores"


def _assert_no_text(shown: str, texts: Sequence[str], n: int = 6) -> None:
    """No ``n``-token sequence of any of ``texts`` in ``shown``."""
    toks = _text.tokens(shown)
    grams = {toks[i:i + n] for i in range(len(toks) - n + 1)}
    for index, text in enumerate(texts):
        words = _text.tokens(text)
        leaked = any(words[i:i + n] in grams for i in range(len(words) - n + 1))
        assert not leaked, f"a {n}-word sequence of text #{index} of {len(texts)} appears in the serialized scores"


@registry.register("anonymizer", "mask_all_dummy")
@dataclasses.dataclass
class MaskAllDummy(ReleasePolicy, Anonymizer):
    """Test double: replaces every ground-truth span with [PII] (an oracle anonymizer)."""

    token: str = "[PII]"

    def __post_init__(self) -> None:
        self.check_policy()

    def detect(self, texts: Sequence[str]) -> list[list[Span]]:
        return [[] for _ in texts]

    def rewrite(self, records, detected, *, seed: int = 0) -> list[Record]:
        out = []
        for record in records:
            text = record.text
            for span in sorted(record.spans, key=lambda s: s.start, reverse=True):
                text = text[: span.start] + self.token + text[span.end:]
            out.append(dataclasses.replace(record, text=text, spans=()))
        return self.apply_policy(out, seed)


from mhprivbench.testing import (  # noqa: E402,F401  (registers the test doubles)
    adversarial,
    broken_dp,
    controls,
    copy_generator,
    copy_table,
    fake_dp,
)
