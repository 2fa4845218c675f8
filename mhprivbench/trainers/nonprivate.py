"""The ``nonprivate`` baseline trainer: the reference tf-idf + logistic regression, no privacy protection."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mhprivbench.base import Trainer
from mhprivbench.registry import register
from mhprivbench.types import Record
from mhprivbench.utility.classifiers import TfidfLogReg


@register("trainer", "nonprivate")
@dataclass
class NonPrivate(Trainer):
    """Fits :class:`TfidfLogReg` on the train records and releases it (its vocabulary stores training words)."""

    baseline = True

    C: float = 4.0
    ngram_max: int = 2
    min_df: int = 1
    max_features: int | None = 50000

    def __post_init__(self) -> None:
        self._classifier()  # validates the parameters

    def _classifier(self) -> TfidfLogReg:
        return TfidfLogReg(C=self.C, ngram_max=self.ngram_max, min_df=self.min_df, max_features=self.max_features)

    def fit(self, records: Sequence[Record], *, seed: int = 0, labels: Sequence[str] | None = None) -> TfidfLogReg:
        return self._classifier().fit([r.text for r in records], [r.label for r in records], seed=seed)
