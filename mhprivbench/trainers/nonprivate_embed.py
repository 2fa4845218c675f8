"""The ``nonprivate_embed`` baseline trainer: logistic regression on MiniLM embeddings, no privacy protection.

The non-private reference for the DP trainers on the same features (``dp_logreg(features=minilm)``, ``dp_nb``):
the gap between them is the price of the noise, not of the features. The released model stores the weights and
the labels seen in training; no strings (the embedding model is public).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from mhprivbench.base import Trainer
from mhprivbench.errors import DataError
from mhprivbench.registry import register
from mhprivbench.threads import single_threaded_blas
from mhprivbench.types import Record
from mhprivbench.validation import check_int, check_positive


@dataclass
class EmbeddingLogRegModel:
    """A fitted scikit-learn classifier over MiniLM embeddings; ``classes_`` = labels seen in training, sorted."""

    classes_: list[str]
    estimator: Any = None  # None: a single training label (constant classifier)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        from mhprivbench.embeddings import embed

        if self.estimator is None:
            return np.ones((len(texts), 1))
        return self.estimator.predict_proba(embed(texts))

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [self.classes_[i] for i in self.predict_proba(texts).argmax(axis=1)]

    def exposed_strings(self) -> frozenset[str]:
        return frozenset()


@register("trainer", "nonprivate_embed")
@dataclass
class NonPrivateEmbed(Trainer):
    """Fits scikit-learn's LogisticRegression on the embeddings of the train records and releases it."""

    baseline: ClassVar[bool] = True
    uses_embeddings: ClassVar[bool] = True

    C: float = 16.0  # chosen on synthmh seed 0 from {1, 4, 16, 64, 256}
    max_iter: int = 2000

    def __post_init__(self) -> None:
        check_positive("C", self.C)
        check_int("max_iter", self.max_iter, 1)

    @single_threaded_blas
    def fit(self, records: Sequence[Record], *, seed: int | None = 0,
            labels: Sequence[str] | None = None) -> EmbeddingLogRegModel:
        from sklearn.linear_model import LogisticRegression

        from mhprivbench.embeddings import embed

        if not records:
            raise DataError("nonprivate_embed: cannot fit on zero records")
        targets = [r.label for r in records]
        classes = sorted(set(targets))
        if len(classes) == 1:
            return EmbeddingLogRegModel(classes_=classes)
        estimator = LogisticRegression(C=self.C, max_iter=self.max_iter, random_state=seed)
        estimator.fit(embed([r.text for r in records]), targets)
        return EmbeddingLogRegModel(classes_=[str(c) for c in estimator.classes_], estimator=estimator)
