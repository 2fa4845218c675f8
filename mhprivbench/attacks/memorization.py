"""memorization: share of synthetic records that copy a long token sequence found only in member text.

A synthetic record **copies** a reference set when it shares an n-gram of ``n_tokens`` consecutive tokens
(casefolded letter or digit runs, ``_text.tokens``; default 8) with a record of that set *and* that n-gram occurs
in no record of the opposite set. An n-gram that members and non-members both write is the language (templates,
stock phrases: on synthmh almost every held-out post shares an 8-gram with train), not memorization of anyone's
post; without that rule the share is about 0.98 for any fluent generator.

- ``synth.memorization``: share of synthetic records copying the members (``splits.train``), Wilson interval over
  synthetic records (records shorter than ``n_tokens`` copy nothing and stay in the denominator).
  Baseline (also ``control``): the same share against the **non-member reference**: held-out records the generator
  never saw (``splits.control`` and ``splits.test`` together), sampled with the seed to the size of train, so both sets
  have the same chance of being hit by a generator that learned only the language. When fewer held-out records
  exist than train records, train is sampled down to their number instead (the value then misses copies of the
  records left out).
- ``synth.memorization_excess``: the difference, with a bootstrap interval resampling synthetic records (paired);
  baseline 0.

Each reference set's n-grams are hashed into a set once (tuples of tokens: exact, no collision), so the cost is
linear in the number of tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from mhprivbench import stats
from mhprivbench.attacks._text import tokens
from mhprivbench.base import Attack
from mhprivbench.registry import register
from mhprivbench.types import Classifier, Record, Release, Score, Splits
from mhprivbench.validation import check_int


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    """The distinct n-grams of casefolded tokens of ``text`` (empty when it has fewer than n tokens)."""
    toks = tokens(text)
    return {toks[i:i + n] for i in range(len(toks) - n + 1)}


def gram_set(texts: Iterable[str], n: int) -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for text in texts:
        out |= ngrams(text, n)
    return out


def copies(synthetic: Sequence[str], reference: Sequence[str], other: Sequence[str], n: int) -> np.ndarray:
    """Boolean per synthetic text: it shares an n-gram with ``reference`` that occurs nowhere in ``other``."""
    distinctive = gram_set(reference, n) - gram_set(other, n)
    return np.array([not distinctive.isdisjoint(ngrams(text, n)) for text in synthetic], dtype=bool)


def reference_sets(splits: Splits, rng: np.random.Generator) -> tuple[list[Record], list[Record]]:
    """(members, non-members) of equal size: all of train and as many held-out records (control, then test),
    or, with fewer held-out records than train, a sample of train of their size."""
    held_out = list(splits.control) + list(splits.test)
    size = min(len(splits.train), len(held_out))

    def take(records: Sequence[Record]) -> list[Record]:
        if len(records) == size:
            return list(records)
        return [records[i] for i in sorted(rng.choice(len(records), size=size, replace=False))]

    return take(splits.train), take(held_out)


def _mean_difference(a: np.ndarray, b: np.ndarray) -> float:
    return float(a.mean() - b.mean())


@register("attack", "memorization")
@dataclass
class Memorization(Attack):
    """Share of synthetic records that copy a long n-gram found in train but in no held-out record."""

    n_tokens: int = 8  # length of a copied token sequence
    n_bootstrap: int = 500  # bootstrap resamples (over synthetic records) of the excess over the baseline

    applies_to: ClassVar[frozenset[str]] = frozenset({"records"})

    def __post_init__(self) -> None:
        check_int("n_tokens", self.n_tokens, 1)
        check_int("n_bootstrap", self.n_bootstrap, 1)

    def applies(self, release: Release, splits: Splits) -> bool:
        """Synthetic (unaligned) records, with train and held-out records to compare them with."""
        return (release.kind in self.applies_to and not release.aligned and bool(release.records)
                and bool(splits.train) and bool(splits.control or splits.test))

    def run(self, release: Release, splits: Splits, *, seed: int, target: Classifier | None = None,
            retrain=None) -> dict[str, Score]:
        if not self.applies(release, splits):
            return {}
        rng = np.random.default_rng(seed)
        members, nonmembers = reference_sets(splits, rng)
        synthetic = [r.text for r in release.records]
        member_texts, nonmember_texts = [r.text for r in members], [r.text for r in nonmembers]
        hit = copies(synthetic, member_texts, nonmember_texts, self.n_tokens)
        chance = copies(synthetic, nonmember_texts, member_texts, self.n_tokens)
        baseline = float(chance.mean())
        n = len(synthetic)
        share = stats.proportion_score(int(hit.sum()), n, higher_is_better=False, baseline=baseline,
                                       control=baseline)
        low, high = stats.bootstrap_ci(_mean_difference, hit.astype(float), chance.astype(float),
                                       n_resamples=self.n_bootstrap, seed=seed)
        excess = stats.interval_score(_mean_difference(hit, chance), low, high, higher_is_better=False,
                                      baseline=0.0, n=n)
        return {"synth.memorization": share, "synth.memorization_excess": excess}
