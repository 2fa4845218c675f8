"""The ``ngram`` generator: class-conditional word n-gram Markov chains (no privacy protection)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mhprivbench.base import Generator
from mhprivbench.generators.markov import MarkovScoring, count_ngrams, sample_records, tables_per_label
from mhprivbench.registry import register
from mhprivbench.types import Record
from mhprivbench.validation import check_int


@register("generator", "ngram")
@dataclass
class NGramGenerator(MarkovScoring, Generator):
    """Per label, counts padded word n-grams of ``order`` and label frequencies; samples by the Markov chain,
    backing off to shorter contexts when one is unseen and stopping at the end token or ``max_words`` tokens.
    Once fitted, ``log_prob`` / ``next_log_probs`` give the likelihood it samples from (``MarkovScoring``)."""

    order: int = 3
    max_words: int = 120

    def __post_init__(self) -> None:
        check_int("order", self.order, 1)
        check_int("max_words", self.max_words, 1)

    def fit(self, records: Sequence[Record], *, seed: int = 0, labels: Sequence[str] | None = None) -> NGramGenerator:
        if not records:
            raise ValueError("cannot fit a generator on zero records")
        self.counts_ = count_ngrams(records, self.order)
        total = len(records)
        self.priors_ = {label: sum(1 for r in records if r.label == label) / total for label in self.counts_}
        self.tables_ = tables_per_label(self.counts_, self.order)
        return self

    def sample(self, n: int, *, seed: int) -> list[Record]:
        return sample_records(self.priors_, self.tables_, n, seed=seed, max_words=self.max_words)
