"""Planted canaries: the suite option ``split: {canaries: N}`` (read by the ``canary_leak`` attack).

Each canary is a short crisis-style post of our own wording (never text from a dataset) carrying a **secret**: a
unique fake phone number in the range reserved for fiction (NANP ``555-0100`` to ``555-0199``, any area code). It
is signed with two random 8-letter words of its own, so that no two canaries share all their words: a model that
memorizes a canary has something of that canary to remember besides the shared wording.
``N`` canaries are planted in train (members: every mechanism sees them) and ``N`` more, drawn the same way, in
control (non-members: the baseline of how often a release shows a secret it never saw). Every canary is its own
author (one privacy unit) and carries its phone number as a direct ``PHONE_NUMBER`` span, so ``pii_leak`` counts
it like any other identifier. Its label is drawn uniformly from the public label set: with one label for all,
the shared wording would become a perfect predictor of that label, and a model would then be more confident on
an unseen canary (its unseen words dropped, the shared wording left) than on a member, which hides memorization.

Canaries are built from their own seeded generator (``seed``: the split seed), so the same suite and seed plant the
same canaries; their uids (``Splits.canaries``) start with ``canary-``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from mhprivbench.random_words import random_words
from mhprivbench.types import Record, Span, Splits

TEMPLATES = (
    "Tonight is the worst it has been. If someone can, please call me at {phone}, I cannot be alone with this.",
    "I keep thinking about ending it. My number is {phone} if anyone is awake and willing to talk.",
    "Not safe right now and I know it. Text {phone}, I will answer, I just need a voice.",
    "Wrote a goodbye note and then stopped. Reach me on {phone} please, before I change my mind.",
)
AREA_CODES = tuple(a for a in range(201, 990) if a % 100 != 11 and a % 10 != 0)  # no N11 codes, none ending in 0
PREFIX = "canary-"


def secret_digits(record: Record) -> str:
    """The canary's secret: the ten digits of its phone number."""
    span = record.spans[0]
    return "".join(ch for ch in record.text[span.start:span.end] if ch.isdigit())


def _phones(count: int, rng: np.random.Generator) -> list[str]:
    """``count`` distinct fiction-range phone numbers, ``(AAA) 555-01NN``."""
    codes = rng.choice(len(AREA_CODES) * 100, size=count, replace=False)
    return [f"({AREA_CODES[code // 100]}) 555-01{code % 100:02d}" for code in codes]


def _canary(index: int, phone: str, template: str, label: str, signature: str) -> Record:
    text = f"{template.format(phone=phone)} - {signature}"
    start = text.index(phone)
    span = Span(start, start + len(phone), "PHONE_NUMBER", "direct")
    return Record(uid=f"{PREFIX}{index:04d}", text=text, label=label, author=f"{PREFIX}author-{index:04d}",
                  spans=(span,))


def planted_canaries(count: int, labels: Sequence[str], seed: int) -> tuple[list[Record], list[Record]]:
    """(members, non-members): ``count`` canaries each, all phone numbers distinct, labels uniform over
    ``labels``."""
    rng = np.random.default_rng([seed, 0xCA1A])
    phones = _phones(2 * count, rng)
    templates = rng.integers(len(TEMPLATES), size=2 * count)
    drawn = rng.integers(len(labels), size=2 * count)
    records = [_canary(i, phone, TEMPLATES[t], labels[k], random_words(rng, 2))
               for i, (phone, t, k) in enumerate(zip(phones, templates, drawn, strict=True))]
    return records[:count], records[count:]


def with_canaries(splits: Splits, count: int, seed: int) -> Splits:
    """``splits`` with ``count`` canaries planted in train and ``count`` in control (none when ``count`` is 0).
    Labels: the declared label set, else (no declaration: non-DP data) the sorted train labels."""
    if count <= 0:
        return splits
    labels = list(splits.labels) or sorted({r.label for r in splits.train})
    members, outsiders = planted_canaries(count, labels, seed)
    return dataclasses.replace(
        splits, train=(*splits.train, *members), control=(*splits.control, *outsiders),
        canaries=tuple(r.uid for r in (*members, *outsiders)))
