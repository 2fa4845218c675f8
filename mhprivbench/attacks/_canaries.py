"""Worst-case canaries and neighbouring training sets for the DP audits (``dp_audit``).

A canary is a record no other record resembles: a text of random lowercase tokens (each 8 letters, so it
shares no word with real text and, with overwhelming probability, none with another canary) with a public label.
Canaries are synthetic: they hold no private text. They are built from the attack's seeded generator, so the
audit is reproducible and independent of the mechanism's noise.

Neighbouring sets follow the release's declared relation, with the canary as one privacy unit (a record, and an
author of its own or the replaced record's author):

- ``add_remove``: D = base, D' = base + canary (a fresh author);
- ``replace_one``: D = base, D' = base with one fixed record replaced by the canary (same author, so at author
  level too only that author's data differs).
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from mhprivbench.random_words import random_words
from mhprivbench.types import Record, Release

CANARY_TOKENS = 12


def canary_text(rng: np.random.Generator, n_tokens: int = CANARY_TOKENS) -> str:
    """``n_tokens`` random words (``random_words``: 8 lowercase letters, 26^8 ~ 2e11 possible words)."""
    return random_words(rng, n_tokens)


def canary(rng: np.random.Generator, label: str, *, uid: str, author: str) -> Record:
    """One canary record (no group, fields or spans)."""
    return Record(uid=uid, text=canary_text(rng), label=label, author=author)


def public_labels(splits) -> list[str]:
    """The declared label set, or (undeclared: non-DP data) the sorted train labels."""
    return list(splits.labels) or sorted({r.label for r in splits.train})


def rarest_label(records: Sequence[Record], labels: Sequence[str], crisis: str | None = None) -> str:
    """The public label with the fewest records in ``records`` (a canary label the model finds least likely
    without it); ties go to the crisis label, then by name."""
    counts = Counter(r.label for r in records)
    return min(labels, key=lambda label: (counts.get(label, 0), label != crisis, label))


def base_subset(train: Sequence[Record], size: int, rng: np.random.Generator) -> list[Record]:
    """At most ``size`` train records, chosen by ``rng``, in train order."""
    if len(train) <= size:
        return list(train)
    return [train[i] for i in sorted(rng.choice(len(train), size=size, replace=False))]


def with_canary(base: Sequence[Record], record: Record, neighbouring: str | None, replaced: int) -> list[Record]:
    """D' for one canary: replace ``base[replaced]`` (replace-one, the canary takes its author) or append."""
    if neighbouring == "replace_one":
        out = list(base)
        out[replaced] = Record(uid=record.uid, text=record.text, label=record.label, author=base[replaced].author)
        return out
    return [*base, record]


def accepts_seed(retrain: Callable) -> bool:
    """Whether ``retrain`` takes a ``seed`` keyword (or any keyword)."""
    try:
        parameters = inspect.signature(retrain).parameters.values()
    except (TypeError, ValueError):
        return True  # not inspectable: try it, ``call_retrain`` falls back
    return any(p.name == "seed" or p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def call_retrain(retrain: Callable, records: Sequence[Record], seed: int) -> tuple[Release, bool]:
    """``retrain(records, seed=seed)``; a retrain without a seed parameter is called as ``retrain(records)``.
    Returns the release and whether the seed was passed."""
    if accepts_seed(retrain):
        try:
            return retrain(list(records), seed=seed), True
        except TypeError as error:
            if "seed" not in str(error):
                raise
    return retrain(list(records)), False
