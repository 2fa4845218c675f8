"""Texts for given labels from a fitted class-conditional text generator (the ``hybrid`` generator's text part).

Three ways, best first: the generator's own ``sample_label(label, n, seed=...)`` when it has one; the Markov
generators (``ngram``, ``dp_ngram``: fitted ``tables_`` and ``max_words``) sample the label's chain directly;
any other generator is sampled in rounds and its records are kept by label (rejection), a label it never
produces getting an empty text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from mhprivbench.generators.markov import sample_records

MAX_ROUNDS = 8


def texts_for_labels(generator: Any, labels: Sequence[str], *, seed: int | None) -> list[str]:
    """One text per entry of ``labels`` (same order), each drawn for that label."""
    wanted = Counter(labels)
    by_label: dict[str, list[str]] = {}
    for index, label in enumerate(sorted(wanted)):
        label_seed = None if seed is None else seed * 1_000 + index
        if hasattr(generator, "sample_label"):
            by_label[label] = list(generator.sample_label(label, wanted[label], seed=label_seed))
        elif hasattr(generator, "tables_") and hasattr(generator, "max_words"):
            drawn = sample_records({label: 1.0}, generator.tables_, wanted[label], seed=label_seed,
                                   max_words=generator.max_words)
            by_label[label] = [record.text for record in drawn]
    missing = {label: count for label, count in wanted.items() if label not in by_label}
    if missing:
        by_label.update(_rejection(generator, missing, seed=seed))
    out = []
    for label in labels:
        out.append(by_label[label].pop() if by_label[label] else "")
    return out


def _rejection(generator: Any, wanted: dict[str, int], *, seed: int | None) -> dict[str, list[str]]:
    """Sample the generator in rounds and keep records of the wanted labels (at most ``MAX_ROUNDS`` rounds)."""
    found: dict[str, list[str]] = {label: [] for label in wanted}
    size = 2 * sum(wanted.values())
    for round_ in range(MAX_ROUNDS):
        round_seed = None if seed is None else seed * 1_000 + 500 + round_
        for record in generator.sample(size, seed=round_seed):
            if record.label in found and len(found[record.label]) < wanted[record.label]:
                found[record.label].append(record.text)
        if all(len(found[label]) >= count for label, count in wanted.items()):
            break
    return found
