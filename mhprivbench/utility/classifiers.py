"""Reference classifiers: trained on a release (or its records) and tested on real unseen text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mhprivbench.registry import register
from mhprivbench.threads import single_threaded_blas
from mhprivbench.validation import check_int, check_positive

_WORD = re.compile(r"\w+")


@register("classifier", "tfidf_logreg")
@dataclass
class TfidfLogReg:
    """Word tf-idf (sublinear tf, 1..ngram_max grams) + logistic regression.

    ``classes_`` holds only the labels seen in training (sorted); evaluators map columns to their own label set.
    A training set with a single label, or without a single word, gives a constant classifier (label frequencies).
    """

    C: float = 4.0
    ngram_max: int = 2
    min_df: int = 1
    max_features: int | None = 50000

    def __post_init__(self) -> None:
        check_positive("C", self.C)
        check_int("ngram_max", self.ngram_max, 1)
        check_int("min_df", self.min_df, 1)
        check_int("max_features", self.max_features, 1, allow_none=True)

    @single_threaded_blas
    def fit(self, texts: Sequence[str], labels: Sequence[str], *, seed: int = 0) -> TfidfLogReg:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline

        texts, labels = list(texts), [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ValueError(f"got {len(texts)} texts but {len(labels)} labels")
        if not texts:
            raise ValueError("cannot fit a classifier on zero records")
        self.classes_ = sorted(set(labels))
        vectorizer = TfidfVectorizer(
            sublinear_tf=True, ngram_range=(1, self.ngram_max), min_df=self.min_df,
            max_features=self.max_features,
        )
        model = LogisticRegression(C=self.C, max_iter=2000, random_state=seed)
        self.pipeline_ = Pipeline([("tfidf", vectorizer), ("logreg", model)])
        self.prior_ = np.array([labels.count(c) for c in self.classes_], dtype=float) / len(labels)
        self.constant_ = len(self.classes_) == 1
        try:
            if self.constant_:
                vectorizer.fit(texts)  # keep the vocabulary so exposed_strings stays honest
            else:
                self.pipeline_.fit(texts, labels)
        except ValueError as error:
            if "empty vocabulary" not in str(error):
                raise
            self.constant_ = True  # no word at all (e.g. empty synthetic texts): predict the label frequencies
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if self.constant_:
            return np.tile(self.prior_, (len(texts), 1))
        proba = self.pipeline_.predict_proba(texts)
        order = [list(self.pipeline_.classes_).index(c) for c in self.classes_]
        return proba[:, order]

    def predict(self, texts: Sequence[str]) -> list[str]:
        proba = self.predict_proba(texts)
        return [self.classes_[i] for i in proba.argmax(axis=1)]

    def exposed_strings(self) -> frozenset[str]:
        """Tokens stored in the fitted parameters (the tf-idf vocabulary, n-grams split into words)."""
        vocabulary = getattr(self.pipeline_.named_steps["tfidf"], "vocabulary_", {})
        return frozenset(token for term in vocabulary for token in _WORD.findall(term))
